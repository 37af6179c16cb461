package io.moon.node.server;

import io.moon.node.command.CommandFlags;
import io.moon.node.command.CommandSpec;
import io.moon.node.protocol.CommandBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIENT PAUSE and UNPAUSE for the whole node (Redis's pauseClients, networking.c): while a
 * pause lasts, commands that may write (WRITE) or all commands (ALL) wait instead of running,
 * and the dataset stays as it is: no key expires or is evicted (expired keys only read as
 * missing).
 *
 * <p>A paused command waits in its connection's window (see {@link Connection}), which registers
 * here and is woken by UNPAUSE or, at the end time, by a timer on its own loop; it is then
 * dispatched again and may wait again if the pause was extended meanwhile.
 *
 * <p>Thread rules: the state is read from any thread (volatile) and changed under this object's
 * lock from any loop.
 */
public final class ClientPause {
    public static final int OFF = 0, WRITE = 1, ALL = 2;

    private volatile int type = OFF;
    private volatile long endMs;
    private final Set<Connection> waiting = ConcurrentHashMap.newKeySet();

    /**
     * Pauses until {@code endMs} (Unix ms): a pause already on keeps the later end and the more
     * restrictive type, as Redis merges pauses of one purpose.
     */
    public synchronized void pause(long endMs, int type) {
        if (active()) {
            this.type = Math.max(this.type, type);
            this.endMs = Math.max(this.endMs, endMs);
        } else {
            this.type = type;
            this.endMs = endMs;
        }
    }

    /** Ends the pause; paused commands run (in the order of their own connections). */
    public void unpause() {
        synchronized (this) {
            type = OFF;
            endMs = 0;
        }
        for (Connection c : waiting) c.wakeFromPause();
    }

    /** True while a pause (of any type) lasts: expiry and eviction stand still. */
    public boolean active() {
        return type != OFF && System.currentTimeMillis() <= endMs;
    }

    /** The end of the pause (Unix ms). */
    long endMs() { return endMs; }

    /**
     * Whether {@code spec} must wait now: every command under ALL, under WRITE the ones that may
     * change data or be replicated (Redis's is_may_replicate_command; {@code execWrites} tells it
     * for an EXEC, {@code scriptWrites} for a script, both decided by the caller).
     */
    boolean holds(CommandSpec spec, boolean execWrites, boolean scriptWrites) {
        int t = type;
        if (t == OFF || System.currentTimeMillis() > endMs) return false;
        if (t == ALL) return true;
        if (spec.is(CommandFlags.EXEC)) return execWrites;
        if (spec.is(CommandFlags.SCRIPT)) return scriptWrites;
        return spec.is(CommandFlags.WRITE | CommandFlags.MAY_REPLICATE);
    }

    void await(Connection c) { waiting.add(c); }

    void done(Connection c) { waiting.remove(c); }

    /** Commands waiting now (INFO blocked_clients counts them, as Redis counts postponed clients). */
    int waiting() { return waiting.size(); }
}
