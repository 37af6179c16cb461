package io.moon.node.server;

import io.moon.node.command.CommandContext.TimeoutReply;
import io.moon.node.command.CommandSpec;
import io.moon.node.protocol.CommandBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client blocked by a command (BLPOP, BZPOPMIN, XREAD BLOCK...) until one of its keys is ready
 * or its deadline passes (Redis's bpop state). Exactly one outcome wins through {@link #state}:
 * a shard serving it (WAITING -> SERVING -> DONE, or back to WAITING when there was nothing to
 * take after all), its timeout, or its client going away.
 *
 * <p>The command's arguments stay in the connection's window arena, which does not change until
 * the command has answered.
 */
final class BlockedClient {
    static final int WAITING = 0, SERVING = 1, DONE = 2;

    /** One key the client waits on, in its shard's registry. */
    record Key(Shard shard, int db, byte[] key) {}

    final Connection conn;
    final int slot;
    final CommandSpec spec;
    final CommandBuffer args;
    final int fa, argc, db, protocol;
    /** Unix ms at which the wait ends; 0 = never. */
    final long deadlineMs;
    final TimeoutReply onTimeout;
    final List<Key> keys;
    /** The shard holding every key, or null when they span shards (served by a retry). */
    final Shard shard;
    final AtomicInteger state = new AtomicInteger(WAITING);
    /** What the command kept when it blocked, handed back each time it runs again (XREAD's resolved $ ids). */
    final Object kept;
    /**
     * True for a command that reads without taking (XREAD, XREADGROUP): when it finds nothing,
     * later waiters on the key may still find something.
     */
    final boolean reader;

    BlockedClient(Connection conn, int slot, CommandSpec spec, CommandBuffer args, int fa, int argc, int db,
                  int protocol, long deadlineMs, TimeoutReply onTimeout, List<Key> keys, Object kept, boolean reader) {
        this.kept = kept;
        this.reader = reader;
        this.conn = conn;
        this.slot = slot;
        this.spec = spec;
        this.args = args;
        this.fa = fa;
        this.argc = argc;
        this.db = db;
        this.protocol = protocol;
        this.deadlineMs = deadlineMs;
        this.onTimeout = onTimeout;
        this.keys = keys;
        Shard only = keys.get(0).shard();
        for (Key k : keys) if (k.shard() != only) only = null;
        this.shard = only;
    }
}
