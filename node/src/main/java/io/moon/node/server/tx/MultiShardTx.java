package io.moon.node.server.tx;

import io.moon.node.server.Shard;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one piece of work with several shards held at once, so that a command whose keys live on
 * different shards (MSET, RENAME, MGET, DEL, MULTI/EXEC, blocking commands, scripts) is atomic
 * and isolated: no other command touches any of those shards' data between its first and last
 * step.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li>{@link #schedule} enqueues one arrival task on every participant's loop while holding a
 *       global lock, so all shards see multi-shard transactions in one global order (the ordered
 *       queue of VLL). Single-shard commands never take that lock.</li>
 *   <li>A shard reaches an arrival after everything queued before it. If another transaction
 *       still holds the shard, the arrival waits in the shard's deferred queue, in order. On
 *       arrival the transaction holds the shard: from then on the shard defers every piece of
 *       work that touches its data ({@link Shard#runOrDefer}) but its loop keeps running, so it
 *       still serves connections, pub/sub and commands that need no data (SCRIPT KILL).</li>
 *   <li>The last to arrive runs the body with every participant's data, then releases them; each
 *       shard releases on its own loop and runs what it deferred, in order.</li>
 * </ol>
 * No deadlock: a shard is held only by transactions it reached in the global order, and every
 * other participant reaches the same transaction after finishing (or deferring behind) only
 * earlier ones. The body must never wait for another transaction.
 *
 * <p>Memory visibility: each participant's writes happen before its increment of
 * {@code arrived}; the body happens after the last increment; each release is a task on the
 * participant's loop, after the body.
 */
public final class MultiShardTx {
    private static final Object ORDER = new Object();

    /** The work to run with every participant held; {@code executing} is the thread's own shard. */
    @FunctionalInterface
    public interface Body {
        void run(Shard executing);
    }

    /**
     * Work that finishes later, on another thread (a script on the script thread): it gets the
     * shards held and must call {@code release} exactly once, from any thread, when done. Until
     * then the participants stay held but their loops keep running.
     */
    @FunctionalInterface
    public interface AsyncBody {
        void start(Shard executing, Runnable release);
    }

    /**
     * What a client's command answers instead of running when a busy script holds one of its
     * shards: runs on the thread of the last participant to arrive, with the BUSY error.
     */
    @FunctionalInterface
    public interface Refusal {
        void refuse(Shard executing, String busyReply);
    }

    private final Shard[] participants;
    private final Body body;
    private final AsyncBody asyncBody;
    private final Refusal refusal;
    private final AtomicInteger arrived = new AtomicInteger();
    /** Per participant: held by this transaction (false when it refused to hold). */
    private final boolean[] holding;
    private volatile String refusedWith;

    private MultiShardTx(Shard[] participants, Body body, AsyncBody asyncBody, Refusal refusal) {
        this.participants = participants;
        this.body = body;
        this.asyncBody = asyncBody;
        this.refusal = refusal;
        this.holding = new boolean[participants.length];
    }

    /** Schedules {@code body} to run once all {@code participants} (distinct shards) are held. */
    public static void schedule(Shard[] participants, Body body) {
        enqueue(new MultiShardTx(participants, body, null, null));
    }

    /**
     * As {@link #schedule}, for a client's command that a busy script may refuse: if a
     * participant is held by a script past busy-reply-threshold, {@code refusal} runs instead of
     * the body (see {@link Shard#runOrRefuse}).
     */
    public static void schedule(Shard[] participants, Body body, Refusal refusal) {
        enqueue(new MultiShardTx(participants, body, null, refusal));
    }

    /** As {@link #schedule}, for work that completes on another thread (see {@link AsyncBody}). */
    public static void scheduleAsync(Shard[] participants, AsyncBody body, Refusal refusal) {
        enqueue(new MultiShardTx(participants, null, body, refusal));
    }

    private static void enqueue(MultiShardTx tx) {
        Shard[] participants = tx.participants;
        synchronized (ORDER) {
            for (int i = 0; i < participants.length; i++) {
                Shard p = participants[i];
                int index = i;
                if (tx.refusal == null) {
                    p.loop().execute(() -> p.runOrDefer(() -> tx.arrive(p, index)));
                } else {
                    p.loop().execute(() -> p.runOrRefuse(() -> tx.arrive(p, index), busy -> tx.refused(p, busy)));
                }
            }
        }
    }

    private void arrive(Shard me, int index) {
        me.keyspace().updateClock();
        me.hold(this);
        holding[index] = true;
        if (arrived.incrementAndGet() < participants.length) return;
        complete(me);
    }

    /** A participant is held by a busy script: this transaction will answer BUSY. */
    private void refused(Shard me, String busy) {
        if (refusedWith == null) refusedWith = busy;
        if (arrived.incrementAndGet() < participants.length) return;
        complete(me);
    }

    private void complete(Shard me) {
        if (refusedWith != null) {
            try {
                refusal.refuse(me, refusedWith);
            } finally {
                releaseAll();
            }
            return;
        }
        if (asyncBody != null) {
            asyncBody.start(me, this::releaseAll);
            return;
        }
        try {
            body.run(me);
        } finally {
            releaseAll();
        }
    }

    /** True for work that finishes on another thread (a script): a busy script may refuse others. */
    public boolean async() { return asyncBody != null; }

    /** Releases every participant this transaction holds, each on its own loop (from any thread). */
    private void releaseAll() {
        for (int i = 0; i < participants.length; i++) {
            if (!holding[i]) continue;
            Shard p = participants[i];
            if (p.inLoop()) p.release(this);
            else p.loop().execute(() -> p.release(this));
        }
    }
}
