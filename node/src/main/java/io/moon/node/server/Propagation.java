package io.moon.node.server;

import io.moon.node.cluster.KeySlot;
import io.moon.node.command.CommandContext;
import io.moon.node.command.CommandFlags;
import io.moon.node.command.CommandSpec;
import io.moon.node.persist.Persistence;
import io.moon.node.persist.Propagator;
import io.moon.node.protocol.CommandBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a command writes to the logs, decided as Redis's call() decides what it propagates:
 * <ul>
 *   <li>what the handler asked for ({@link CommandContext#propagateAs}, {@link CommandContext#alsoPropagate}),
 *       on the shard of each command's key;</li>
 *   <li>otherwise, when the command changed data: on one shard, the command as it was sent; on
 *       several shards, per shard: the same command for commands over every shard (FLUSHALL, which
 *       replays on each shard alone), that shard's keys for {@code split_by_key} commands (MSET,
 *       DEL), and otherwise the end state of every key it wrote (RENAME across shards);</li>
 *   <li>changes of node-wide state (FUNCTION LOAD...): the command as sent, in shard 0's log only
 *       ({@link CommandContext#propagateToNodeLog}).</li>
 * </ul>
 * The records of one command, one EXEC or one script go out together (see {@link Propagator}).
 */
final class Propagation {
    private Propagation() {}

    /** Before a command on the thread that runs it: returns the data-change counter to compare. */
    static long before(Node node, Shard exec, Shard[] held, CommandSpec spec) {
        Persistence p = node.persistence();
        if (p == null) return 0;
        // An EXEC's or a script's writes are one unit even on one shard (Redis wraps a script's
        // writes in MULTI/EXEC in its AOF): recovery never applies half of one.
        propagator(node, exec).begin(spec.is(CommandFlags.EXEC | CommandFlags.SCRIPT));
        if (held != null && spec.is(CommandFlags.WRITE) && !spec.is(CommandFlags.ALL_SHARDS | CommandFlags.SPLIT_BY_KEY)) {
            for (Shard s : held) s.keyspace().track(true);
        }
        return dirty(exec, held);
    }

    /** After the command: collects its records and ends it (writing when outermost). */
    static void after(Node node, Shard exec, Shard[] held, CommandContext c, CommandSpec spec, CommandBuffer args,
                      int fa, int argc, int db, long dirtyBefore) {
        Persistence p = node.persistence();
        if (p == null) return;
        Propagator prop = propagator(node, exec);
        List<Object[]> touched = null;
        if (held != null && spec.is(CommandFlags.WRITE) && !spec.is(CommandFlags.ALL_SHARDS | CommandFlags.SPLIT_BY_KEY)) {
            touched = new ArrayList<>();
            for (Shard s : held) {
                List<Object[]> t = s.keyspace().track(false);
                if (t != null) touched.addAll(t);
            }
        }
        try {
            if (c.propagatesToNodeLog()) prop.add(Persistence.NODE_WIDE_LOG, db, args, fa, argc);
            List<byte[][]> explicit = c.propagation();
            if (explicit != null) {
                for (byte[][] argv : explicit) prop.add(shardOf(node, exec, held, argv), db, argv);
            }
            boolean changed = dirty(exec, held) != dirtyBefore;
            if (!c.replacesOwnPropagation() && changed && spec.is(CommandFlags.WRITE)) {
                if (held == null) {
                    prop.add(exec.id(), db, args, fa, argc);
                } else if (spec.is(CommandFlags.ALL_SHARDS)) {
                    for (Shard s : held) prop.add(s.id(), db, args, fa, argc);
                } else if (spec.is(CommandFlags.SPLIT_BY_KEY)) {
                    split(node, prop, spec, args, fa, argc, db);
                } else if (onlyShardOfKeys(node, spec, args, fa, argc) >= 0) {
                    // All its keys on one shard (inside a multi-shard EXEC, a blocking command):
                    // replaying it as sent on that shard does the same.
                    prop.add(onlyShardOfKeys(node, spec, args, fa, argc), db, args, fa, argc);
                } else {
                    for (Object[] t : touched) {
                        io.moon.node.store.Db d = (io.moon.node.store.Db) t[0];
                        for (byte[][] argv : effect(d, (byte[]) t[1])) prop.add(d.shard(), d.index, argv);
                    }
                }
            }
        } catch (RuntimeException e) {
            // The write happened but cannot be logged: say so loudly rather than lose it quietly.
            org.slf4j.LoggerFactory.getLogger(Propagation.class).error("{} could not be written to the log: {}", spec.fullName(), e.getMessage());
        } finally {
            prop.end();
        }
    }

    /**
     * The propagator of the thread running the command: its shard loop's, or on the script
     * thread (scripts, and EXECs that queued one) the script thread's own.
     */
    static Propagator propagator(Node node, Shard exec) {
        ScriptThread scripts = node.scriptThread();
        if (scripts != null && scripts.inThread()) return node.persistence().propagator(node.shards().length);
        return exec.propagator();
    }

    private static List<byte[][]> effect(io.moon.node.store.Db d, byte[] key) {
        return io.moon.node.persist.KeyEffects.recreate(d, key);
    }

    /** One command per shard with that shard's keys (and the arguments that follow each key). */
    private static void split(Node node, Propagator prop, CommandSpec spec, CommandBuffer args, int fa, int argc, int db) {
        int step = Math.max(1, spec.step);
        int[] pos = new int[argc];
        int n = spec.keyPositions(args, fa, argc, pos);
        List<List<byte[]>> perShard = new ArrayList<>();
        for (int s = 0; s < node.shards().length; s++) perShard.add(null);
        byte[] name = copy(args, fa);
        for (int k = 0; k < n; k++) {
            int a = fa + pos[k];
            int s = node.shardIndexOfSlot(KeySlot.slot(args.data(), args.offset(a), args.length(a)));
            List<byte[]> l = perShard.get(s);
            if (l == null) {
                l = new ArrayList<>();
                l.add(name);
                perShard.set(s, l);
            }
            for (int j = 0; j < step && pos[k] + j < argc; j++) l.add(copy(args, a + j));
        }
        for (int s = 0; s < perShard.size(); s++) {
            if (perShard.get(s) != null) prop.add(s, db, perShard.get(s).toArray(new byte[0][]));
        }
    }

    /** The shard of every key of the command, or -1 when it has none or they are on several. */
    private static int onlyShardOfKeys(Node node, CommandSpec spec, CommandBuffer args, int fa, int argc) {
        int[] pos = new int[argc];
        int n = spec.keyPositions(args, fa, argc, pos);
        int only = -1;
        for (int k = 0; k < n; k++) {
            int a = fa + pos[k];
            int s = node.shardIndexOfSlot(KeySlot.slot(args.data(), args.offset(a), args.length(a)));
            if (only >= 0 && s != only) return -1;
            only = s;
        }
        return only;
    }

    private static byte[] copy(CommandBuffer args, int a) {
        int off = args.offset(a);
        return java.util.Arrays.copyOfRange(args.data(), off, off + args.length(a));
    }

    /**
     * The shard whose log gets a handler's command: that of its first key (argv[1], or argv[2]
     * for a subcommand such as XGROUP SETID), else the runner's.
     */
    private static int shardOf(Node node, Shard exec, Shard[] held, byte[][] argv) {
        if (held == null || argv.length < 2) return exec.id();
        int key = 1;
        CommandSpec spec = node.commands().lookup(argv[0], 0, argv[0].length);
        if (spec != null && !spec.subcommands.isEmpty()) {
            CommandSpec sub = spec.subcommands.get(new String(argv[1], java.nio.charset.StandardCharsets.US_ASCII)
                    .toLowerCase(java.util.Locale.ROOT));
            if (sub != null && sub.firstKey > 0) key = sub.firstKey;
        }
        return key < argv.length ? node.shardIndexOfSlot(KeySlot.slot(argv[key])) : exec.id();
    }

    private static long dirty(Shard exec, Shard[] held) {
        if (held == null) return exec.keyspace().dirty;
        long d = 0;
        for (Shard s : held) d += s.keyspace().dirty;
        return d;
    }
}
