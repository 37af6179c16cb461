package io.moon.node.server;

import io.moon.node.command.CommandContext;
import io.moon.node.server.tracking.Tracking;
import io.moon.node.server.tracking.TrackingTable;
import io.moon.node.server.tx.MultiShardTx;
import io.moon.node.store.Keyspace;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/**
 * One shard: an event loop and the part of the keyspace it alone owns (see docs/architecture.md,
 * "shards and dispatch"). Connections assigned to the loop run commands on this shard's keys
 * inline; commands for other shards' keys are handed to those loops.
 *
 * <p>Every field is owned by {@link #loop()}; the scratch context and statistics are used only
 * by code running on that thread.
 */
public final class Shard {
    private final int id;
    private final EventLoop loop;
    private final Keyspace keyspace;
    final CommandContext ctx = new CommandContext();
    /** For commands run inside another command (EXEC's queued commands). */
    final CommandContext innerCtx = new CommandContext();
    final CommandStats stats;
    final Blocking blocking = new Blocking(this);
    /** The keys of this shard clients may cache (CLIENT TRACKING). */
    private final TrackingTable tracking;
    /** What commands run on this loop write to the logs (null without persistence). */
    private io.moon.node.persist.Propagator propagator;
    /** The multi-shard transaction holding this shard's data, or null. Loop-owned. */
    private MultiShardTx heldBy;
    /** Work that touches this shard's data, waiting for the transaction holding it to finish. */
    private final java.util.ArrayDeque<Runnable> deferred = new java.util.ArrayDeque<>();
    /** Set by the node once its script thread exists: tells whether a holding script is busy. */
    ScriptThread scripts;

    Shard(int id, EventLoop loop, Keyspace keyspace, int commands, Tracking tracking) {
        this.id = id;
        this.loop = loop;
        this.keyspace = keyspace;
        this.stats = new CommandStats(commands);
        this.tracking = new TrackingTable(tracking, this);
        keyspace.modifiedKeys(this.tracking);
    }

    public int id() { return id; }
    public EventLoop loop() { return loop; }
    public Keyspace keyspace() { return keyspace; }
    public CommandStats stats() { return stats; }
    /** Clients blocked on this shard's keys; signal it when a key may serve them. */
    public io.moon.node.store.ReadyKeys blocking() { return blocking; }
    public boolean inLoop() { return loop.inEventLoop(); }
    /** The keys of this shard that clients may cache; used by whoever owns or holds the shard. */
    public TrackingTable tracking() { return tracking; }

    public io.moon.node.persist.Propagator propagator() { return propagator; }
    void propagator(io.moon.node.persist.Propagator p) { this.propagator = p; }

    /** True while a multi-shard transaction holds this shard (its data must not be touched). */
    public boolean held() { return heldBy != null; }

    /**
     * Runs {@code work}, which touches this shard's data, now, or after the transaction holding
     * the shard finishes, in the order it came. On the loop only.
     */
    public void runOrDefer(Runnable work) {
        if (heldBy == null) work.run();
        else deferred.add(work);
    }

    /**
     * As {@link #runOrDefer}, for work that a busy script may refuse (a client's command): while
     * a script past busy-reply-threshold holds this shard, {@code refuse} gets the BUSY error to
     * answer instead; work deferred earlier is refused too when the script turns busy
     * ({@link #refuseDeferred}). On the loop only.
     */
    public void runOrRefuse(Runnable work, java.util.function.Consumer<String> refuse) {
        if (heldBy == null) {
            work.run();
            return;
        }
        String busy = busyReply();
        if (busy != null) refuse.accept(busy);
        else deferred.add(new Refusable(work, refuse));
    }

    /** Deferred work that a busy script refuses. */
    private record Refusable(Runnable work, java.util.function.Consumer<String> refuse) implements Runnable {
        @Override
        public void run() { work.run(); }
    }

    /** The BUSY error while a busy script holds this shard, else null. On the loop only. */
    public String busyReply() {
        return heldBy != null && heldBy.async() && scripts != null ? scripts.busyReply() : null;
    }

    /** The script holding this shard turned busy: answers the refusable work waiting here. On the loop only. */
    public void refuseDeferred() {
        String busy = busyReply();
        if (busy == null || deferred.isEmpty()) return;
        java.util.ArrayDeque<Runnable> keep = new java.util.ArrayDeque<>(deferred.size());
        java.util.List<Refusable> refused = new java.util.ArrayList<>();
        for (Runnable r : deferred) {
            if (r instanceof Refusable f) refused.add(f);
            else keep.add(r);
        }
        deferred.clear();
        deferred.addAll(keep);
        for (Refusable f : refused) f.refuse().accept(busy);
    }

    /** A transaction now holds this shard (see {@link MultiShardTx}). On the loop only. */
    public void hold(MultiShardTx tx) {
        assert heldBy == null && inLoop();
        heldBy = tx;
    }

    /**
     * The transaction is done: serves clients blocked on keys it made ready, then runs the
     * deferred work until a deferred arrival holds the shard again.
     */
    public void release(MultiShardTx tx) {
        assert heldBy == tx && inLoop();
        heldBy = null;
        // Clients blocked on keys the transaction made ready come before anything it held back.
        if (blocking.hasReady()) blocking.serveReady();
        while (heldBy == null && !deferred.isEmpty()) deferred.poll().run();
    }

    /** Starts the periodic work of this shard: the active expire cycle, hz times a second. */
    void startCron(Node node) {
        loop.schedule(new Runnable() {
            @Override
            public void run() {
                int hz = Math.max(1, Math.min(500, node.config().getInt("hz")));
                keyspace.updateClock();
                // Redis's slow cycle: at most 25% of one cron period.
                if (node.activeExpire() && heldBy == null && !node.clientPause().active()) {
                    long start = System.nanoTime();
                    keyspace.activeExpireCycle(250_000L / hz);
                    node.latencyMonitor().sampleIfNeeded("expire-cycle", (System.nanoTime() - start) / 1_000_000);
                }
                if (heldBy == null && tracking.size() > 0) tracking.enforceLimit(node.config().getLong("tracking-table-max-keys"));
                loop.schedule(this, 1000 / hz, TimeUnit.MILLISECONDS);
            }
        }, 100, TimeUnit.MILLISECONDS);
    }
}
