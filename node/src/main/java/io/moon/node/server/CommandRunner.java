package io.moon.node.server;

import io.moon.node.command.CommandContext;
import io.moon.node.command.CommandFlags;
import io.moon.node.command.CommandSpec;
import io.moon.node.command.RedisError;
import io.moon.node.protocol.CommandBuffer;
import io.moon.node.server.tracking.ClientTracking;
import io.moon.node.store.Keyspace;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command, as Redis's {@code call()}: eviction before commands that may grow memory,
 * the handler, its error turned into the reply, statistics, MONITOR and SLOWLOG. Used for the
 * commands of a window and for the commands an EXEC runs.
 *
 * <p>Runs on the thread that owns {@code exec} (and holds every shard of {@code held} for a
 * multi-shard command); uses only that loop's scratch context.
 */
final class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

    private CommandRunner() {}

    /**
     * Runs the command whose arguments are {@code args[fa, fa+argc)} and writes its reply into
     * {@code target} (or nothing when {@code quiet}, for CLIENT REPLY OFF/SKIP).
     *
     * @param held every shard held by a multi-shard execution, or null for one shard
     * @param inExec true when run by EXEC: blocking commands must not block
     */
    static void run(Connection conn, Shard exec, CommandBuffer args, int fa, int argc, CommandSpec spec, int db,
                    int protocol, ByteBuf target, Shard[] held, boolean quiet, boolean inExec) {
        run(conn, exec, args, fa, argc, spec, db, protocol, target, held, quiet, inExec, -1, null);
    }

    /**
     * As above, for a command of a window ({@code slot} >= 0, so it may block), or re-run to serve
     * a blocked client ({@code serving}). Returns true when the command blocked (again).
     */
    static boolean run(Connection conn, Shard exec, CommandBuffer args, int fa, int argc, CommandSpec spec, int db,
                       int protocol, ByteBuf target, Shard[] held, boolean quiet, boolean inExec, int slot,
                       BlockedClient serving) {
        // A command run by EXEC nests inside the EXEC's own run: it gets the loop's second
        // context so the outer one stays intact.
        return run(inExec ? exec.innerCtx : exec.ctx, exec.stats, conn, exec, args, fa, argc, spec, db, protocol, target,
                held, quiet, inExec, true, true, false, slot, serving);
    }

    /**
     * The script thread's entry ({@link ScriptThread#run}): its own context and statistics
     * instead of a shard's. {@code inner} marks a command run inside another (by EXEC or a
     * script): it never blocks. {@code evict} runs eviction first for denyoom commands;
     * {@code serveReady} serves clients blocked on keys the command made ready, right here;
     * {@code lua} marks a command a script called (MONITOR shows it as the script client's).
     */
    static void run(CommandContext c, CommandStats stats, Connection conn, Shard exec, CommandBuffer args, int fa,
                    int argc, CommandSpec spec, int db, int protocol, ByteBuf target, Shard[] held, boolean quiet,
                    boolean inner, boolean evict, boolean serveReady, boolean lua) {
        run(c, stats, conn, exec, args, fa, argc, spec, db, protocol, target, held, quiet, inner, evict, serveReady, lua,
                -1, null);
    }

    private static boolean run(CommandContext c, CommandStats stats, Connection conn, Shard exec, CommandBuffer args,
                               int fa, int argc, CommandSpec spec, int db, int protocol, ByteBuf target, Shard[] held,
                               boolean quiet, boolean inExec, boolean evict, boolean serveReady, boolean lua,
                               int slot, BlockedClient serving) {
        Node node = conn.node();
        c.bind(node, args, fa, argc, spec, exec, held, db, conn, target, protocol);
        c.inExec(inExec);
        c.fromScript(lua);
        c.blockingState(slot, serving, serving == null ? null : serving.kept);
        int start = target.writerIndex();
        Keyspace ks = exec.keyspace();
        ks.touch(!conn.noTouch() || spec.name.equals("touch"));
        long t0 = System.nanoTime();
        boolean ran = false;
        long dirtyBefore = Propagation.before(node, exec, held, spec);
        // Client-side caching: a key this command changes is not echoed to a NOLOOP client.
        long trackedBefore = exec.tracking().current(conn.id);
        if (held != null) for (Shard s : held) if (s != exec) s.tracking().current(conn.id);
        try {
            if (spec.is(CommandFlags.WRITE) && node.persistence() != null) {
                java.io.IOException failure = node.persistence().failure();
                if (failure != null) {
                    stats.rejected[spec.id]++;
                    throw new RedisError("MISCONF Errors writing to the AOF file: " + reason(failure));
                }
            }
            // As Redis's processCommand: eviction before any command once over maxmemory; only
            // commands that may grow memory are refused when it cannot free enough.
            if (evict && !conn.noEvict() && overMemoryLimit(exec, held)) {
                // Invalidations of evicted keys this client caches precede its reply, as in Redis.
                conn.capturePushes(target);
                boolean fits;
                long evictStart = System.nanoTime();
                try {
                    fits = evict(exec, held);
                } finally {
                    conn.capturePushes(null);
                }
                node.latencyMonitor().sampleIfNeeded("eviction-cycle", (System.nanoTime() - evictStart) / 1_000_000);
                start = target.writerIndex();
                if (!fits && spec.is(CommandFlags.DENYOOM)) {
                    stats.rejected[spec.id]++;
                    throw new RedisError(RedisError.OOM);
                }
            }
            ran = true;
            spec.handler.handle(c);
        } catch (RedisError e) {
            target.writerIndex(start);
            c.reply().error(e.getMessage());
            stats.failed[spec.id]++;
            // An error a script passes on from a command it called was counted there already.
            if (e.counted()) stats.error(e.getMessage());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            target.writerIndex(start);
            log.error("Command {} failed", spec.fullName(), e);
            c.reply().error("ERR internal error in '" + spec.fullName() + "': " + e);
            stats.failed[spec.id]++;
            stats.error("ERR");
        } finally {
            ks.touch(true);
            c.inExec(false);
            Propagation.after(node, exec, held, c, spec, args, fa, argc, db, dirtyBefore);
            exec.tracking().current(trackedBefore);
            if (held != null) for (Shard s : held) if (s != exec) s.tracking().current(trackedBefore);
        }
        if (ran) rememberReads(conn, exec, held, args, fa, argc, spec, slot, lua);
        if (!inExec) {
            exec.tracking().broadcast();
            if (held != null) for (Shard s : held) if (s != exec) s.tracking().broadcast();
        }
        boolean blocked = c.blocked();
        if (quiet) target.writerIndex(start);
        long nanos = System.nanoTime() - t0;
        long micros = nanos / 1000;
        // As Redis's call(): monitors see a command once it ran, with the database it left
        // selected (SELECT shows its new one); admin commands are not shown. Serving a blocked
        // client is not a new command for them.
        if (ran && serving == null && !node.monitors.isEmpty() && !spec.is(CommandFlags.SKIP_MONITOR | CommandFlags.ADMIN)) {
            Monitor.feed(node, conn, lua, spec.is(CommandFlags.CONNECTION) && !lua ? conn.db() : db, args, fa, argc,
                    secrets(node, spec, args, fa, argc));
        }
        // A blocked command counts once, when it answers (served here, or by its timeout).
        if (!blocked) {
            stats.calls[spec.id]++;
            stats.usec[spec.id] += micros;
            stats.totalCommands++;
            var latency = node.latencyMonitor();
            if (latency.tracking()) stats.recordLatency(spec.id, nanos);
            latency.sampleIfNeeded(spec.is(CommandFlags.FAST) ? "fast-command" : "command", micros / 1000);
        }
        long slower = node.config().slowlogSlowerThan();
        if (!blocked && slower >= 0 && micros >= slower && !spec.is(CommandFlags.SKIP_SLOWLOG)) {
            node.slowLog().add(micros, slowlogArgs(args, fa, argc, secrets(node, spec, args, fa, argc)),
                    conn.peer(), conn.name(), node.config().slowlogMaxLen());
        }
        // Redis's handleClientsBlockedOnKeys: after the command (after all of an EXEC), before
        // anything else runs on these shards, serve clients blocked on keys it made ready. Only
        // this thread's own shard here: the other shards of a multi-shard command (and every
        // shard a script held) serve theirs on their own loops as the transaction releases them
        // (Shard#release), first thing.
        if (!inExec && serveReady && exec.blocking.hasReady()) exec.blocking.serveReady();
        return blocked;
    }

    /**
     * Client-side caching, as at the end of Redis's call(): a read-only command of a client that
     * tracks keys remembers them, each in the table of its own shard (held by this thread). A
     * script remembers its declared keys once it called a read-only command; EVAL_RO and FCALL_RO
     * themselves do not count as reads.
     */
    private static void rememberReads(Connection conn, Shard exec, Shard[] held, CommandBuffer args, int fa, int argc,
                                      CommandSpec spec, int slot, boolean lua) {
        ClientTracking t = conn.tracking();
        if (!t.on() || t.bcast()) return;
        if (lua) {
            if (spec.is(CommandFlags.READONLY)) t.markScriptRead();
            return;
        }
        boolean read = spec.is(CommandFlags.SCRIPT) ? t.takeScriptRead()
                : spec.is(CommandFlags.READONLY) && !spec.is(CommandFlags.PUBSUB);
        if (!read || !conn.tracksReads(slot)) return;
        int[] positions = new int[Math.max(4, argc)];
        int n = spec.keyPositions(args, fa, argc, positions);
        if (n > positions.length) {
            positions = new int[n];
            n = spec.keyPositions(args, fa, argc, positions);
        }
        Node node = conn.node();
        byte[] data = args.data();
        for (int k = 0; k < n; k++) {
            int a = fa + positions[k];
            Shard owner = node.shardOfSlot(io.moon.node.cluster.KeySlot.slot(data, args.offset(a), args.length(a)));
            if (owner == exec || contains(held, owner)) owner.tracking().remember(data, args.offset(a), args.length(a), conn.id);
        }
    }

    private static boolean contains(Shard[] held, Shard s) {
        if (held != null) for (Shard h : held) if (h == s) return true;
        return false;
    }

    /** Redis words MISCONF with strerror's text ("No space left on device"). */
    private static String reason(java.io.IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static boolean overMemoryLimit(Shard exec, Shard[] held) {
        if (held == null) return exec.keyspace().overMemoryLimit();
        for (Shard s : held) if (s.keyspace().overMemoryLimit()) return true;
        return false;
    }

    /** Eviction before a command; false means a command that may grow memory gets OOM. */
    private static boolean evict(Shard exec, Shard[] held) {
        if (held == null) return exec.keyspace().evictIfNeeded();
        boolean ok = true;
        for (Shard s : held) ok &= s.keyspace().evictIfNeeded();
        return ok;
    }

    private static boolean[] secrets(Node node, CommandSpec spec, CommandBuffer args, int fa, int argc) {
        return spec.redactor == null ? null : spec.redactor.secrets(node.config(), args, fa, argc);
    }

    /** SLOWLOG's copy of the arguments: at most 32, each cut at 128 bytes, secrets redacted. */
    private static List<byte[]> slowlogArgs(CommandBuffer args, int fa, int argc, boolean[] secret) {
        List<byte[]> out = new ArrayList<>();
        int n = Math.min(argc, SlowLog.MAX_ARGC);
        for (int a = 0; a < n; a++) {
            if (a == SlowLog.MAX_ARGC - 1 && argc > SlowLog.MAX_ARGC) {
                out.add(("... (" + (argc - SlowLog.MAX_ARGC + 1) + " more arguments)").getBytes(StandardCharsets.UTF_8));
                break;
            }
            if (secret != null && secret[a]) {
                out.add(Monitor.REDACTED.clone());
                continue;
            }
            int len = args.length(fa + a);
            byte[] d = args.data();
            int off = args.offset(fa + a);
            if (len > SlowLog.MAX_ARG_LEN) {
                byte[] more = ("... (" + (len - SlowLog.MAX_ARG_LEN) + " more bytes)").getBytes(StandardCharsets.UTF_8);
                byte[] all = Arrays.copyOfRange(d, off, off + SlowLog.MAX_ARG_LEN + more.length);
                System.arraycopy(more, 0, all, SlowLog.MAX_ARG_LEN, more.length);
                out.add(all);
            } else {
                out.add(Arrays.copyOfRange(d, off, off + len));
            }
        }
        return out;
    }
}
