package io.moon.node.server;

import io.moon.node.command.CommandContext;
import io.moon.node.command.CommandSpec;
import io.moon.node.protocol.CommandBuffer;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The node's script thread, "moon-script": every Lua script (EVAL, FCALL, FUNCTION LOAD, and an
 * EXEC that queued one) runs here, one at a time, never on a shard loop. Lua states are not
 * thread-safe, and a long script must not stall a loop: the shards it holds keep running their
 * loops (deferring only work on their data), so other clients can still send SCRIPT KILL.
 * MIGRATE (an {@code off_loop} row) runs here too, the same way: it waits for its target's
 * replies with its keys' shards held, as Redis blocks its whole server, but no loop waits.
 *
 * <h2>Flow</h2>
 * The connection schedules the command as an asynchronous {@code MultiShardTx} over the shards
 * of its declared keys plus its own; once all are held, {@link #submit} queues the work here. The
 * work runs the command through {@link CommandRunner} with this thread's own contexts and
 * statistics ({@link #run}); commands a script calls (redis.call) nest through the same entry
 * with the same held shards. When the work is done it serves clients blocked on keys it made
 * ready, on each shard's own loop, then releases the shards.
 *
 * <h2>Busy scripts</h2>
 * Past busy-reply-threshold a script is "busy" ({@link #busyReply} non-null): commands of other
 * clients that need a shard held by a script are answered with Redis's BUSY error instead of
 * waiting (see {@link Shard#runOrRefuse}).
 *
 * <p>Thread rules: {@link #run}, the contexts and {@link #stats} belong to the script thread;
 * {@link #busyReply} is read from any thread.
 */
public final class ScriptThread {
    private final Node node;
    private final ThreadPoolExecutor executor;
    private volatile Thread thread;
    /** Contexts by nesting depth: EXEC, then a script it queued, then a command the script calls. */
    private final CommandContext[] contexts = new CommandContext[8];
    private int depth;
    final CommandStats stats;
    /** Non-null while a running script is past busy-reply-threshold: the BUSY error to answer. */
    private volatile String busyReply;

    ScriptThread(Node node, int commands) {
        this.node = node;
        this.stats = new CommandStats(commands);
        for (int i = 0; i < contexts.length; i++) contexts[i] = new CommandContext();
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            // A deep stack: converting a deeply nested Lua reply recurses once per level.
            Thread t = new Thread(null, r, "moon-script", 64L << 20);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    /** Queues work for the script thread. */
    public void submit(Runnable work) { executor.execute(work); }

    public boolean inThread() { return Thread.currentThread() == thread; }

    /**
     * Runs work here and waits for it: start-up (before the node listens) loads saved function
     * libraries and replays logged FUNCTION commands through this, so Lua states are only ever
     * touched by this thread. A RuntimeException of the work is thrown to the caller.
     */
    public void runAndWait(Runnable work) {
        if (inThread()) {
            work.run();
            return;
        }
        java.util.concurrent.Future<?> done = executor.submit(work);
        try {
            done.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the script thread");
        }
    }

    /** Statistics of the commands run here (INFO sums them with the shards'). */
    public CommandStats stats() { return stats; }

    /** The BUSY error other clients get while a script is busy, or null. */
    public String busyReply() { return busyReply; }

    /** Marks the running script busy (with the error other clients get) or no longer busy. */
    public void busy(String reply) { this.busyReply = reply; }

    /**
     * Runs one command on the script thread with every shard of {@code held} held, writing its
     * reply into {@code target}: a command of a client's window (an EVAL, an EXEC with a script)
     * or, {@code inner}, a command run inside another (queued by EXEC, called by a script), which
     * never blocks. {@code evict} runs eviction first for denyoom commands (a script's own calls
     * skip it: the script checked memory when it started). Clients blocked on keys made ready
     * are served at the end, by {@link #finish}.
     */
    public void run(Connection conn, Shard exec, CommandBuffer args, int fa, int argc, CommandSpec spec, int db,
                    int protocol, ByteBuf target, Shard[] held, boolean quiet, boolean inner, boolean evict) {
        run(conn, exec, args, fa, argc, spec, db, protocol, target, held, quiet, inner, evict, false);
    }

    /** A command a script calls (redis.call): as {@link #run}, shown by MONITOR as the script's. */
    public void runForScript(Connection conn, Shard exec, CommandBuffer args, int fa, int argc, CommandSpec spec,
                             int db, int protocol, ByteBuf target, Shard[] held) {
        run(conn, exec, args, fa, argc, spec, db, protocol, target, held, false, true, false, true);
    }

    private void run(Connection conn, Shard exec, CommandBuffer args, int fa, int argc, CommandSpec spec, int db,
                     int protocol, ByteBuf target, Shard[] held, boolean quiet, boolean inner, boolean evict,
                     boolean lua) {
        assert inThread();
        if (depth == contexts.length) throw new IllegalStateException("commands nested too deep");
        CommandContext c = contexts[depth++];
        try {
            CommandRunner.run(c, stats, conn, exec, args, fa, argc, spec, db, protocol, target, held, quiet,
                    inner, evict, false, lua);
        } finally {
            depth--;
        }
    }

    /**
     * MONITOR sees EVAL and FCALL before the commands they run (they are skip_monitor rows, fed
     * here explicitly, as Redis's evalCommand does).
     */
    public void monitor(Connection conn, int db, byte[][] argv) {
        if (node.monitors.isEmpty()) return;
        CommandBuffer b = new CommandBuffer();
        for (byte[] a : argv) b.addArg(a, 0, a.length);
        b.endCommand();
        Monitor.feed(node, conn, db, b, b.firstArg(0), b.argc(0), null);
    }

    /** A script refused a command before running it (scriptCall's checks): counted as Redis does. */
    public void rejected(CommandSpec spec, String error) {
        if (spec != null) stats.rejected[spec.id]++;
        stats.error(error);
    }

    /** Stops the thread at node shutdown (a running script is abandoned). */
    void stop() { executor.shutdownNow(); }

    Node node() { return node; }
}
