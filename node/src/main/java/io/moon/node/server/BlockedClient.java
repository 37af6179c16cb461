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
 * take after all), its timeout, CLIENT UNBLOCK, or its client going away.
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
    /** The shards of every key of the command (waited on or not): what serving it elsewhere holds. */
    final Shard[] commandShards;
    /**
     * The one shard holding every key of the command that is not waited on (BLMOVE's
     * destination), or null when there is none or they are on several shards ({@link #otherKeysMixed}).
     */
    private final Shard otherKeysShard;
    private final boolean otherKeysMixed;
    /**
     * When the node read the command (System.nanoTime): waiters of a key are served in this order,
     * so two clients whose blocking commands arrive together on different loops queue in the
     * order they were sent, whichever ran first.
     */
    final long arrivalNanos;
    final AtomicInteger state = new AtomicInteger(WAITING);
    /** What the command kept when it blocked, handed back each time it runs again (XREAD's resolved $ ids). */
    final Object kept;
    /**
     * True for a command that reads without taking (XREAD, XREADGROUP): it runs again even when
     * its key is gone, to tell its client (XREADGROUP's "UNBLOCKED the stream key no longer
     * exists"), where a waiter that takes elements has nothing to take.
     */
    final boolean reader;
    /**
     * Set by a shard that found this client SERVING on another shard and stopped its key's round
     * there: whoever finishes serving it resumes that key ({@link Blocking#resumePassedOver}).
     */
    volatile boolean passedOver;
    /** Set when the client went away (disconnect, CLIENT KILL): it must not be served any more. */
    volatile boolean gone;
    /** The log a serve wrote through, and its position before: the reply waits for it under appendfsync always. */
    io.moon.node.persist.Propagator propagator;
    long epochBefore;

    BlockedClient(Connection conn, int slot, CommandSpec spec, CommandBuffer args, int fa, int argc, int db,
                  int protocol, long deadlineMs, TimeoutReply onTimeout, List<Key> keys, Shard[] commandShards,
                  List<Shard> otherKeyShards, long arrivalNanos, Object kept, boolean reader) {
        this.arrivalNanos = arrivalNanos;
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
        this.commandShards = commandShards;
        Shard other = otherKeyShards.isEmpty() ? null : otherKeyShards.get(0);
        boolean mixed = false;
        for (Shard s : otherKeyShards) mixed |= s != other;
        this.otherKeysShard = other;
        this.otherKeysMixed = mixed;
    }

    /** Before a serve, on the thread that runs it: where the log stands. */
    void logPosition(io.moon.node.persist.Propagator p) {
        this.propagator = p;
        this.epochBefore = p == null ? 0 : p.epoch();
    }

    /**
     * True when a key of {@code s} being ready can serve this client right on s, without holding
     * any other shard: when served, a command touches the ready key and the keys it does not wait
     * on, and the other waited keys' shards are not needed (their keys read as absent on s).
     */
    boolean servableOn(Shard s) {
        return !otherKeysMixed && (otherKeysShard == null || otherKeysShard == s);
    }
}
