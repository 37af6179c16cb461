package io.moon.node.server;

import io.moon.node.command.CommandContext;
import io.moon.node.command.CommandFlags;
import io.moon.node.command.CommandSpec;
import io.moon.node.persist.Recovery;
import io.moon.node.protocol.CommandBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies logged commands to a shard during recovery: the command's handler runs against that
 * shard alone, with no client, its reply thrown away. Logged commands are deterministic (clock
 * and chance were resolved when they were logged), so the shard ends as it was.
 *
 * <p>One thread per shard calls it (recovery replays shards in parallel, each in log order).
 */
final class Replayer implements Recovery.Applier {
    private static final Logger log = LoggerFactory.getLogger(Replayer.class);

    private final Node node;
    private final CommandContext[] contexts;
    private final CommandBuffer[] buffers;
    private final ByteBuf[] sinks;
    final LongAdder failures = new LongAdder();

    Replayer(Node node) {
        this.node = node;
        int n = node.shards().length;
        contexts = new CommandContext[n];
        buffers = new CommandBuffer[n];
        sinks = new ByteBuf[n];
        for (int i = 0; i < n; i++) {
            contexts[i] = new CommandContext();
            buffers[i] = new CommandBuffer();
            sinks[i] = Unpooled.buffer(256);
        }
    }

    @Override
    public void apply(int shard, int db, byte[][] argv) {
        Shard s = node.shard(shard);
        CommandBuffer b = buffers[shard];
        b.compact();
        for (byte[] a : argv) b.addArg(a, 0, a.length);
        b.endCommand();
        CommandSpec spec = node.commands().lookup(argv[0], 0, argv[0].length);
        if (spec != null && !spec.subcommands.isEmpty() && argv.length > 1) {
            CommandSpec sub = spec.subcommands.get(new String(argv[1], java.nio.charset.StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
            if (sub != null) spec = sub;
        }
        if (spec == null || spec.handler == null) {
            failures.increment();
            log.error("Shard {}: logged command '{}' is unknown to this node; skipped", shard, new String(argv[0]));
            return;
        }
        ByteBuf sink = sinks[shard].clear();
        s.keyspace().updateClock();
        CommandContext c = contexts[shard].bind(node, b, 0, argv.length, spec, s, new Shard[] {s}, db, null, sink, 2);
        try {
            // Logged FUNCTION commands change Lua states, which only the script thread touches.
            CommandSpec command = spec;
            if (command.is(CommandFlags.SCRIPT)) node.scriptThread().runAndWait(() -> command.handler.handle(c));
            else command.handler.handle(c);
        } catch (RuntimeException e) {
            failures.increment();
            log.error("Shard {}: replaying {} failed: {}", shard, spec.fullName(), e.toString());
        }
    }
}
