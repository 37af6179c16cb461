package io.moon.node.store;

import io.moon.node.util.ByteKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The keys of one database that clients WATCH (Redis's {@code db->watched_keys}, multi.c): key to
 * the watches on it. A change of a watched key tells its watchers; a watch taken on a key that
 * had already expired does not fire when that key is merely deleted (no logical change).
 *
 * <p>Owned by the shard's loop, like its {@link Db}.
 */
final class WatchedKeys {
    private static final class Watch {
        final Watcher watcher;
        final long epoch;
        boolean expiredAtWatch;

        Watch(Watcher watcher, long epoch, boolean expiredAtWatch) {
            this.watcher = watcher;
            this.epoch = epoch;
            this.expiredAtWatch = expiredAtWatch;
        }
    }

    private final Map<ByteKey, List<Watch>> map = new HashMap<>();

    boolean isEmpty() { return map.isEmpty(); }

    void add(byte[] key, Watcher w, long epoch, boolean expiredAtWatch) {
        List<Watch> list = map.computeIfAbsent(new ByteKey(key), k -> new ArrayList<>(2));
        for (Watch x : list) if (x.watcher == w && x.epoch == epoch) return;
        list.add(new Watch(w, epoch, expiredAtWatch));
    }

    /**
     * Drops w's watches on {@code key} from epochs up to {@code lastEpoch} (UNWATCH's cleanup). A
     * watch of a later epoch stays: the client may WATCH again before the cleanup arrives.
     */
    void remove(byte[] key, Watcher w, long lastEpoch) {
        ByteKey k = new ByteKey(key);
        List<Watch> list = map.get(k);
        if (list == null) return;
        list.removeIf(x -> x.watcher == w && x.epoch <= lastEpoch);
        if (list.isEmpty()) map.remove(k);
    }

    /** Redis's touchWatchedKey: {@code exists} tells whether the key is in the table after the change. */
    void touch(byte[] k, int off, int len, boolean exists) {
        List<Watch> list = map.get(new ByteKey(Arrays.copyOfRange(k, off, off + len)));
        if (list == null) return;
        for (Watch w : list) {
            if (w.expiredAtWatch && !exists) {
                w.expiredAtWatch = false; // an already expired key got deleted: no logical change
                continue;
            }
            w.watcher.watchedKeyTouched(w.epoch);
        }
    }

    /**
     * Redis's touchAllWatchedKeysInDb: the database was emptied (FLUSHDB/FLUSHALL) or swapped
     * (SWAPDB). A watched key fires when it existed before, or exists in the replacement.
     */
    void touchAll(KeyProbe existedBefore, KeyProbe existsAfter) {
        for (Iterator<Map.Entry<ByteKey, List<Watch>>> it = map.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ByteKey, List<Watch>> e = it.next();
            byte[] key = e.getKey().bytes();
            boolean before = existedBefore.exists(key);
            boolean after = existsAfter != null && existsAfter.exists(key);
            if (!before && !after) continue;
            for (Watch w : e.getValue()) {
                if (w.expiredAtWatch && !after) {
                    w.expiredAtWatch = false;
                    continue;
                }
                w.watcher.watchedKeyTouched(w.epoch);
            }
        }
    }

    /** Whether a key is in a database (before or after a flush or swap). */
    @FunctionalInterface
    interface KeyProbe {
        boolean exists(byte[] key);
    }
}
