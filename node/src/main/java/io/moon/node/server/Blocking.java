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
 * <p>{@link #serveReady} runs after every command (after a whole EXEC or multi-shard command) on
 * the shard: for each ready key it re-runs the first waiter's command right here, before any
 * other client's command can take the data, and moves on to the next waiter while the key still
 * has something to give. So waiters are served first come, first served, and a push inside
 * MULTI/EXEC serves them only once the transaction is done. A waiter whose keys span shards
 * cannot run here; it is sent back to its connection to try again with all its shards held.
 *
 * <p>Owned by the shard's loop.
 */
final class Blocking implements ReadyKeys {
    private record DbKey(int db, ByteKey key) {}

    private final Shard shard;
    private final Map<DbKey, ArrayDeque<BlockedClient>> waiting = new HashMap<>();
    private final LinkedHashSet<DbKey> ready = new LinkedHashSet<>();
    private boolean serving;

    Blocking(Shard shard) { this.shard = shard; }

    void register(int db, byte[] key, BlockedClient b) {
        waiting.computeIfAbsent(new DbKey(db, new ByteKey(key)), k -> new ArrayDeque<>()).add(b);
    }

    void unregister(int db, byte[] key, BlockedClient b) {
        DbKey k = new DbKey(db, new ByteKey(key));
        ArrayDeque<BlockedClient> q = waiting.get(k);
        if (q == null) return;
        q.remove(b);
        if (q.isEmpty()) waiting.remove(k);
    }

    /** Clients blocked on this shard's keys (INFO blocked_clients counts each client once). */
    int waiters() {
        int n = 0;
        for (ArrayDeque<BlockedClient> q : waiting.values()) n += q.size();
        return n;
    }

    @Override
    public void signalReady(int db, byte[] key) {
        if (waiting.isEmpty()) return;
        DbKey k = new DbKey(db, new ByteKey(key));
        if (waiting.containsKey(k)) ready.add(k);
    }

    @Override
    public void signalAllWaiting(int db) {
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

    private void serveKey(DbKey k) {
        ArrayDeque<BlockedClient> q = waiting.get(k);
        if (q == null) return;
        // Served in the order they blocked; a client served leaves the queue, one that finds
        // nothing stays. Commands run while serving may only remove waiters, so a snapshot is safe.
        for (BlockedClient b : q.toArray(new BlockedClient[0])) {
            if (b.state.get() != BlockedClient.WAITING) {
                q.remove(b); // timed out or gone (or already served through an earlier key); cleanup is on the way
                continue;
            }
            if (b.shard != shard) {
                // Keys on several shards: hand it back to its connection to retry with all held.
                q.remove(b);
                if (b.state.compareAndSet(BlockedClient.WAITING, BlockedClient.DONE)) b.conn.retryBlocked(b);
                continue;
            }
            if (!b.state.compareAndSet(BlockedClient.WAITING, BlockedClient.SERVING)) {
                q.remove(b);
                continue;
            }
            ByteBuf out = Unpooled.buffer(64);
            boolean reblocked = b.conn.serve(b, shard, out);
            if (reblocked) {
                b.state.set(BlockedClient.WAITING);
                out.release();
                // A waiter that takes elements found the key empty: so will those behind it. A
                // reader (XREAD, XREADGROUP) only tells about itself: the next may still be served.
                if (b.reader) continue;
                break;
            }
            b.state.set(BlockedClient.DONE);
            for (BlockedClient.Key key : b.keys) unregister(key.db(), key.key(), b);
            b.conn.unblocked(b, out);
        }
    }
}
