package io.moon.node.script;

import io.moon.node.server.Connection;
import io.moon.node.server.Shard;

/**
 * One script invocation (Redis's scriptRunCtx): who called it, the shards it holds, the database
 * and RESP version its commands use, what its flags allow, and the state SCRIPT KILL and FUNCTION
 * STATS look at from other threads.
 *
 * <p>Written by the script thread; {@link #killed}, {@link #wroteDirty} and {@link #timedOut} are
 * read by the loops that run SCRIPT KILL and FUNCTION STATS.
 */
final class ScriptRun {
    final Connection caller;
    final Shard home;
    final Shard[] held;
    /** EVAL (true) or FCALL: picks the BUSY text and which KILL command applies. */
    final boolean eval;
    /** The script's SHA1 or the function's name. */
    final String name;
    /** The caller's command, for FUNCTION STATS. */
    final byte[][] command;
    final long startNanos = System.nanoTime();
    final boolean readOnly;
    final boolean allowOom;
    /** Memory was over maxmemory when the script started (Redis's pre_command_oom_state). */
    final boolean oomAtStart;

    int db;
    /** RESP version of the commands the script calls (redis.setresp); 2 by default. */
    int resp = 2;
    volatile boolean wroteDirty;
    volatile boolean killed;
    volatile boolean timedOut;

    ScriptRun(Connection caller, Shard home, Shard[] held, boolean eval, String name, byte[][] command, int db,
              boolean readOnly, boolean allowOom, boolean oomAtStart) {
        this.caller = caller;
        this.home = home;
        this.held = held;
        this.eval = eval;
        this.name = name;
        this.command = command;
        this.db = db;
        this.readOnly = readOnly;
        this.allowOom = allowOom;
        this.oomAtStart = oomAtStart;
    }

    long elapsedMs() { return (System.nanoTime() - startNanos) / 1_000_000; }
}
