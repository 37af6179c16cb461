package io.moon.node.server.tracking;

import io.moon.node.server.Shard;
import io.moon.node.store.ModifiedKeys;
import io.moon.node.util.ByteKey;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * One shard's part of Redis's TrackingTable: each key of this shard a client may cache, with the
 * ids of those clients, plus the keys changed under BCAST prefixes since the last broadcast. Keys
 * are names only, whatever their database, as in Redis.
 *
 * <ul>
 *   <li>A read-only command of a tracking client {@link #remember}s its keys here, on the thread
 *       running the command, which owns (or holds) this shard.</li>
 *   <li>Any change to a key ({@link #modified}, from the shard's {@code Db}) removes the key and
 *       sends one invalidation to each client that had it; a key under a followed prefix is kept
 *       for the next broadcast, which runs as a task on this shard's loop once the work that
 *       changed it is over (Redis sends them before the event loop sleeps).</li>
 *   <li>Over tracking-table-max-keys (counted for the whole node), the shard's cron drops keys,
 *       telling their clients as if they had changed ({@link #enforceLimit}).</li>
 * </ul>
 *
 * <p>Thread rules: owned by the shard's loop, or by the thread holding the shard in a multi-shard
 * transaction, like the shard's keyspace.
 */
public final class TrackingTable implements ModifiedKeys {
    private final Tracking tracking;
    private final Shard shard;
    private final Map<ByteKey, ClientIds> keys = new HashMap<>();
    /** The client whose command runs on this shard now (0: none, as for active expiry). */
    private long current;
    /** Per followed prefix: the keys changed since the last broadcast, each with its last writer. */
    private final Map<ByteKey, TreeMap<byte[], Long>> changedByPrefix = new HashMap<>();
    private boolean broadcastScheduled;
    /** Rounds in a row the limit could not be reached: each round tries harder (Redis's timeout_counter). */
    private int limitRounds;

    public TrackingTable(Tracking tracking, Shard shard) {
        this.tracking = tracking;
        this.shard = shard;
    }

    /** Sets the client running a command on this shard; returns the one before (commands nest). */
    public long current(long client) {
        long before = current;
        current = client;
        return before;
    }

    /** Keys in this shard's table. */
    public int size() { return keys.size(); }

    /** Redis's trackingRememberKeys, for one key: {@code client} may now cache it. */
    public void remember(byte[] k, int off, int len, long client) {
        ByteKey key = ByteKey.copyOf(k, off, len);
        ClientIds ids = keys.get(key);
        if (ids == null) {
            ids = new ClientIds();
            keys.put(key, ids);
            tracking.keysAdded(1);
        }
        if (ids.add(client)) tracking.itemsAdded(1);
    }

    @Override
    public boolean wanted() { return !keys.isEmpty() || tracking.prefixes.any(); }

    /** Redis's trackingInvalidateKey with bcast set: a key of this shard changed. */
    @Override
    public void modified(byte[] k, int off, int len) {
        if (tracking.prefixes.any()) noteForBroadcast(k, off, len);
        if (keys.isEmpty()) return;
        byte[] name = Arrays.copyOfRange(k, off, off + len);
        ClientIds ids = keys.remove(new ByteKey(name));
        if (ids == null) return;
        tracking.keysRemoved(1);
        invalidate(name, ids);
    }

    private void invalidate(byte[] name, ClientIds ids) {
        tracking.itemsRemoved(ids.size());
        byte[][] message = {name};
        long now = current;
        ids.forEach(id -> tracking.invalidate(id, message, now));
    }

    /** FLUSHALL/FLUSHDB/SWAPDB: every key leaves the table (clients got one message for all). */
    public void clear() {
        long items = 0;
        for (ClientIds ids : keys.values()) items += ids.size();
        tracking.keysRemoved(keys.size());
        tracking.itemsRemoved(items);
        keys.clear();
    }

    /**
     * Redis's trackingLimitUsedSlots, run by the shard's cron: while the node tracks more keys
     * than {@code max} (0: no limit), drops keys of this shard, up to an effort that grows each
     * round the limit is still not reached. Their clients are told as if the keys had changed.
     */
    public void enforceLimit(long max) {
        if (max <= 0 || tracking.keys() <= max) {
            limitRounds = 0;
            return;
        }
        int effort = 100 * (limitRounds + 1);
        long before = current;
        current = 0;
        try {
            for (Iterator<Map.Entry<ByteKey, ClientIds>> it = keys.entrySet().iterator(); effort > 0 && it.hasNext(); effort--) {
                if (!tracking.claimEviction(max)) {
                    limitRounds = 0;
                    return;
                }
                Map.Entry<ByteKey, ClientIds> e = it.next();
                it.remove();
                invalidate(e.getKey().bytes(), e.getValue());
            }
        } finally {
            current = before;
        }
        limitRounds++;
    }

    // ------------------------------------------------------------------ BCAST

    /** Redis's trackingRememberKeyToBroadcast: the key goes out with each prefix it falls under. */
    private void noteForBroadcast(byte[] k, int off, int len) {
        byte[] name = null;
        for (BroadcastPrefixes.Prefix p : tracking.prefixes.snapshot()) {
            if (!p.matches(k, off, len)) continue;
            if (name == null) name = Arrays.copyOfRange(k, off, off + len);
            changedByPrefix.computeIfAbsent(new ByteKey(p.bytes()), x -> new TreeMap<>(Arrays::compareUnsigned))
                    .put(name, current);
        }
        // A command's changes go out when it ends (see broadcast); this task covers the rest
        // (expiry, eviction), as Redis's beforeSleep does.
        if (name != null && !broadcastScheduled) {
            broadcastScheduled = true;
            shard.loop().execute(() -> shard.runOrDefer(() -> {
                broadcastScheduled = false;
                broadcast();
            }));
        }
    }

    /**
     * Redis's trackingBroadcastInvalidationMessages: per prefix, the keys changed under it go to
     * every client following it in one message, without the keys a NOLOOP client changed itself.
     * Run at the end of each command (Redis runs it before its event loop sleeps, which for a
     * client waiting for each reply is after each command) and after other changes.
     */
    public void broadcast() {
        if (changedByPrefix.isEmpty()) return;
        for (Map.Entry<ByteKey, TreeMap<byte[], Long>> e : changedByPrefix.entrySet()) {
            BroadcastPrefixes.Prefix p = tracking.prefixes.find(e.getKey().bytes());
            if (p == null) continue;
            TreeMap<byte[], Long> changed = e.getValue();
            byte[][] all = changed.keySet().toArray(new byte[0][]);
            for (long id : p.clients()) {
                var c = tracking.client(id);
                if (c == null) continue;
                boolean own = changed.containsValue(id);
                byte[][] keys = all;
                if (own && c.tracking().noloop()) {
                    keys = changed.entrySet().stream().filter(x -> x.getValue() != id).map(Map.Entry::getKey)
                            .toArray(byte[][]::new);
                    if (keys.length == 0) continue;
                }
                tracking.deliver(c, keys, own);
            }
        }
        changedByPrefix.clear();
    }
}
