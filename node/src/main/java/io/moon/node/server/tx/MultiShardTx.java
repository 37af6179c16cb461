package io.moon.node.server.tx;

import io.moon.node.server.Shard;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one piece of work with several shards held at once, so that a command whose keys live on
 * different shards (MSET, RENAME, MGET, DEL, and later MULTI/EXEC and scripts) is atomic and
 * isolated: no other command on any of those shards runs between its first and last step.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li>{@link #schedule} enqueues one arrival task on every participant's loop while holding a
 *       global lock, so all shards see multi-shard transactions in one global order (as VLL's
 *       ordered transaction queue). Single-shard commands never take that lock.</li>
 *   <li>A participant's loop reaches its arrival after finishing everything queued before it,
 *       then waits (spins briefly, then parks) until the others have arrived.</li>
 *   <li>The last to arrive runs the body with every participant's data: the others are parked,
 *       so it is alone on those shards. Then it releases them.</li>
 * </ol>
 * No deadlock: a loop waits only for transactions it reached in the global order, and every
 * other participant reaches the same transaction after finishing only earlier ones. The body
 * must never wait for another transaction.
 *
 * <p>Memory visibility: each participant's writes happen before its increment of
 * {@code arrived}; the body happens after the last increment and before the volatile
 * {@code done} write that releases the waiters.
 */
public final class MultiShardTx {
    private static final Object ORDER = new Object();
    private static final int SPINS = 256;

    /** The work to run with every participant held; {@code executing} is the thread's own shard. */
    @FunctionalInterface
    public interface Body {
        void run(Shard executing);
    }

    private final Shard[] participants;
    private final Body body;
    private final AtomicInteger arrived = new AtomicInteger();
    private final Thread[] waiting;
    private volatile boolean done;

    private MultiShardTx(Shard[] participants, Body body) {
        this.participants = participants;
        this.body = body;
        this.waiting = new Thread[participants.length];
    }

    /** Schedules {@code body} to run once all {@code participants} (distinct shards) are held. */
    public static void schedule(Shard[] participants, Body body) {
        MultiShardTx tx = new MultiShardTx(participants, body);
        synchronized (ORDER) {
            for (int i = 0; i < participants.length; i++) {
                int slot = i;
                participants[i].loop().execute(() -> tx.arrive(slot));
            }
        }
    }

    private void arrive(int slot) {
        Shard me = participants[slot];
        me.keyspace().updateClock();
        Thread self = Thread.currentThread();
        waiting[slot] = self;
        if (arrived.incrementAndGet() == participants.length) {
            try {
                body.run(me);
            } finally {
                done = true;
                for (Thread t : waiting) if (t != self) LockSupport.unpark(t);
            }
            return;
        }
        int spins = 0;
        while (!done) {
            if (spins++ < SPINS) Thread.onSpinWait();
            else LockSupport.park(this);
        }
    }
}
