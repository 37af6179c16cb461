package io.moon.node.server;

import io.moon.node.command.CommandFlags;
import io.moon.node.command.CommandSpec;
import io.moon.node.protocol.CommandBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A client between MULTI and EXEC (Redis's {@code multiState}): the queued commands, copied out of
 * the connection's window arena into their own, and whether one of them was refused while
 * queueing (EXEC then answers EXECABORT).
 *
 * <p>Owned by the connection; EXEC reads it while the connection waits for it.
 */
final class MultiState {
    final CommandBuffer args = new CommandBuffer();
    final List<CommandSpec> specs = new ArrayList<>();
    boolean aborted;

    void queue(CommandBuffer from, int fa, int argc, CommandSpec spec) {
        for (int a = 0; a < argc; a++) args.addArg(from.data(), from.offset(fa + a), from.length(fa + a));
        args.endCommand();
        specs.add(spec);
    }

    int count() { return specs.size(); }

    /** True when a queued command must run on the script thread (EVAL, FCALL, MIGRATE...). */
    boolean hasScript() {
        for (CommandSpec s : specs) if (s.is(CommandFlags.SCRIPT | CommandFlags.OFF_LOOP)) return true;
        return false;
    }

    /** True when a queued script declares no keys (so the transaction holds every shard). */
    boolean hasKeylessScript() {
        for (int j = 0; j < specs.size(); j++) {
            if (runsKeylessScript(specs.get(j), args, args.firstArg(j), args.argc(j))) return true;
        }
        return false;
    }

    /**
     * True for EVAL/EVALSHA/FCALL and their _RO forms with numkeys 0 (the rows whose keys are
     * optional): such a script may touch any key, as Redis lets it.
     */
    static boolean runsKeylessScript(CommandSpec spec, CommandBuffer args, int fa, int argc) {
        if (!spec.is(CommandFlags.SCRIPT) || !spec.is(CommandFlags.NO_MANDATORY_KEYS) || argc < 3) return false;
        int a = fa + 2, len = args.length(a), off = args.offset(a);
        return len == 1 && args.data()[off] == '0';
    }
}
