package io.moon.node.server;

import io.moon.node.store.ReadyKeys;
import io.moon.node.util.ByteKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * One shard's clients blocked on keys (Redis's blocking.c): per key, the waiters in the order they
 * blocked; and the keys signalled ready by the command that just ran.
 *
 * <p>Waiters queue in the order their commands were read (see {@link BlockedClient#arrivalNanos}).
 * {@link #serveReady} runs after every command (after a whole EXEC or multi-shard command) on
 * the shard: for each ready key it re-runs the waiters' commands in the order they blocked, right
 * here, before any other client's command can take the data. Waiters that take elements (BLPOP,
 * BZPOPMIN) run while the key exists; readers (XREAD, XREADGROUP, see
 * {@link BlockedClient#reader}) run even when it is gone, to tell their client. A waiter that
 * finds nothing for itself (nothing new, or a key of another type) stays blocked in its place and
 * the next one is tried. So waiters are served first come, first served, and a push inside
 * MULTI/EXEC serves them only once the transaction is done (a push then DEL serves nobody).
 *
 * <p>A waiter is served in place when serving it needs no other shard: the ready key is here, and
 * so is every key of its command it does not wait on (BLPOP k1 k2 with k2 elsewhere is served
 * from k1 here: k2 reads as absent on this shard). Otherwise (BLMOVE whose destination is on
 * another shard) it is served by a transaction holding all its shards, and the key's other
 * waiters wait until that is done ({@link #resume}), so the order holds across shards too.
 *
 * <p>Owned by the shard's loop, or by a multi-shard transaction holding the shard (its body
 * registers waiters and signals keys); waiters are served on the shard's own loop only: the
 * transaction's executing shard after its command, the others when it releases them.
 */
final class Blocking implements ReadyKeys {
    private record DbKey(int db, ByteKey key) {}

    private final Shard shard;
    private final Map<DbKey, ArrayDeque<BlockedClient>> waiting = new HashMap<>();
    private final LinkedHashSet<DbKey> ready = new LinkedHashSet<>();
    private boolean serving;

    Blocking(Shard shard) { this.shard = shard; }

    /** Adds a waiter in the order of arrival (nearly always at the tail). */
    void register(int db, byte[] key, BlockedClient b) {
        ArrayDeque<BlockedClient> q = waiting.computeIfAbsent(new DbKey(db, new ByteKey(key)), k -> new ArrayDeque<>());
        ArrayDeque<BlockedClient> later = null;
        while (!q.isEmpty() && q.peekLast().arrivalNanos - b.arrivalNanos > 0) {
            if (later == null) later = new ArrayDeque<>();
            later.push(q.pollLast());
        }
        q.add(b);
        if (later != null) q.addAll(later);
    }

    void unregister(int db, byte[] key, BlockedClient b) {
        DbKey k = new DbKey(db, new ByteKey(key));
        ArrayDeque<BlockedClient> q = waiting.get(k);
        if (q == null) return;
        q.remove(b);
        if (q.isEmpty()) waiting.remove(k);
    }

    @Override
    public void signalReady(int db, byte[] key) {
        if (waiting.isEmpty()) return;
        DbKey k = new DbKey(db, new ByteKey(key));
        if (waiting.containsKey(k)) ready.add(k);
    }

    /**
     * Redis's scanDatabaseForReadyKeys and scanDatabaseForDeletedStreams (FLUSHDB, FLUSHALL,
     * SWAPDB): every waited key of database db may be ready, or gone, now.
     */
    @Override
    public void signalDatabase(int db) {
        for (DbKey k : waiting.keySet()) if (k.db() == db) ready.add(k);
    }

    boolean hasReady() { return !ready.isEmpty(); }

    /** Serves the waiters of every ready key (see the class comment). */
    void serveReady() {
        if (serving) return; // a served command's own signals join the loop below
        serving = true;
        try {
            while (!ready.isEmpty()) {
                Iterator<DbKey> it = ready.iterator();
                DbKey k = it.next();
                it.remove();
                serveKey(k);
            }
        } finally {
            serving = false;
        }
    }

    /** After a waiter was served on several shards: the key's next waiters get their turn. */
    void resume(int db, byte[] key) {
        signalReady(db, key);
        serveReady();
    }

    private boolean exists(DbKey k) {
        byte[] key = k.key().bytes();
        return shard.keyspace().db(k.db()).peek(key, 0, key.length) != null;
    }

    private void serveKey(DbKey k) {
        ArrayDeque<BlockedClient> q = waiting.get(k);
        if (q == null) return;
        for (BlockedClient b : q.toArray(new BlockedClient[0])) {
            // A key that is gone has nothing to take; a reader still runs, to tell its client
            // (XREADGROUP's "UNBLOCKED the stream key no longer exists"; XREAD just waits on).
            if (!b.reader && !exists(k)) continue;
            int state = b.state.get();
            if (state == BlockedClient.SERVING) {
                // Served elsewhere right now: the rest wait until it is done, and its server
                // resumes this key then (flag first, then look again: one of us sees the other).
                b.passedOver = true;
                state = b.state.get();
                if (state == BlockedClient.SERVING) return;
            }
            if (state == BlockedClient.DONE || b.gone) continue; // its own clean-up removes it
            if (!b.servableOn(shard)) {
                if (b.state.compareAndSet(BlockedClient.WAITING, BlockedClient.SERVING)) {
                    b.conn.serveOnShards(b);
                    return;
                }
                continue;
            }
            if (!b.state.compareAndSet(BlockedClient.WAITING, BlockedClient.SERVING)) continue;
            ByteBuf out = Unpooled.buffer(64);
            boolean stillBlocked = b.conn.serve(b, shard, out);
            if (stillBlocked) {
                out.release();
                b.conn.stayBlocked(b);
            } else {
                b.state.set(BlockedClient.DONE);
                for (BlockedClient.Key key : b.keys) {
                    if (key.shard() == shard) unregister(key.db(), key.key(), b);
                }
                b.conn.served(b, out);
            }
            resumePassedOver(b, shard);
            // Either way the key may still hold something for the next waiter (a reader found
            // nothing new for itself; a waiter for another type passed it over).
        }
    }

    /**
     * After serving {@code b} (on {@code here}, or on several shards): the other shards that found
     * it SERVING meanwhile and stopped their key's round at it get their turn again.
     */
    static void resumePassedOver(BlockedClient b, Shard here) {
        if (!b.passedOver) return;
        b.passedOver = false;
        for (BlockedClient.Key key : b.keys) {
            Shard s = key.shard();
            if (s != here) s.loop().execute(() -> s.runOrDefer(() -> s.blocking.resume(key.db(), key.key())));
        }
    }
}
