package io.moon.node.command;

import io.moon.node.protocol.CommandBuffer;
import io.moon.node.protocol.Reply;
import io.moon.node.script.Scripting;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (Redis's eval.c). Rows flagged {@code script}
 * run on the node's script thread holding the shards of their declared keys plus the client's
 * own; the work itself is in {@link Scripting}. SCRIPT KILL runs on the client's loop at once,
 * so that it gets through while a script is busy.
 */
public final class ScriptingCommands {
    private ScriptingCommands() {}

    private static final String EVAL_COMPLEXITY = "Depends on the script that is executed.";

    static void register(CommandTable t) {
        t.add(new CommandSpec("eval", -3, "noscript skip_monitor may_replicate no_mandatory_keys stale script", 0, 0, 0,
                "@scripting", c -> eval(c, false, false))
                .keys(ScriptingCommands::numkeysKeys)
                .keySpecs(KeySpec.keynum("RW access update", 2, 0, 1, 1)
                        .withNotes("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE"))
                .doc("scripting", "2.6.0", "Execute a Lua script server side").complexity(EVAL_COMPLEXITY));
        t.add(new CommandSpec("evalsha", -3, "noscript skip_monitor may_replicate no_mandatory_keys stale script", 0, 0,
                0, "@scripting", c -> eval(c, true, false))
                .keys(ScriptingCommands::numkeysKeys)
                .keySpecs(KeySpec.keynum("RW access update", 2, 0, 1, 1))
                .doc("scripting", "2.6.0", "Execute a Lua script server side").complexity(EVAL_COMPLEXITY));
        t.add(new CommandSpec("eval_ro", -3, "noscript skip_monitor no_mandatory_keys stale readonly script", 0, 0, 0,
                "@scripting", c -> eval(c, false, true))
                .keys(ScriptingCommands::numkeysKeys)
                .keySpecs(KeySpec.keynum("RO access", 2, 0, 1, 1)
                        .withNotes("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS"))
                .doc("scripting", "7.0.0", "Execute a read-only Lua script server side").complexity(EVAL_COMPLEXITY));
        t.add(new CommandSpec("evalsha_ro", -3, "noscript skip_monitor no_mandatory_keys stale readonly script", 0, 0, 0,
                "@scripting", c -> eval(c, true, true))
                .keys(ScriptingCommands::numkeysKeys)
                .keySpecs(KeySpec.keynum("RO access", 2, 0, 1, 1))
                .doc("scripting", "7.0.0", "Execute a read-only Lua script server side").complexity(EVAL_COMPLEXITY));
        t.add(new CommandSpec("script", -2, "", 0, 0, 0, "", null)
                .doc("scripting", "2.6.0", "A container for Lua scripts management commands")
                .complexity("Depends on subcommand.")
                .sub(new CommandSpec("debug", 3, "noscript", 0, 0, 0, "@scripting", ScriptingCommands::debug)
                        .doc("scripting", "3.2.0", "Set the debug mode for executed scripts.").complexity("O(1)"))
                .sub(new CommandSpec("exists", -3, "noscript", 0, 0, 0, "@scripting", ScriptingCommands::exists)
                        .tips("request_policy:all_shards", "response_policy:agg_logical_and")
                        .doc("scripting", "2.6.0", "Check existence of scripts in the script cache.")
                        .complexity("O(N) with N being the number of scripts to check (so checking a single script"
                                + " is an O(1) operation)."))
                .sub(new CommandSpec("flush", -2, "noscript script", 0, 0, 0, "@scripting", ScriptingCommands::flush)
                        .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                        .doc("scripting", "2.6.0", "Remove all the scripts from the script cache.")
                        .complexity("O(N) with N being the number of scripts in cache"))
                .sub(new CommandSpec("help", 2, "loading stale", 0, 0, 0, "@scripting", ScriptingCommands::help)
                        .doc("scripting", "5.0.0", "Show helpful text about the different subcommands")
                        .complexity("O(1)"))
                .sub(new CommandSpec("kill", 2, "noscript allow_busy connection", 0, 0, 0, "@scripting",
                        ScriptingCommands::kill)
                        .tips("request_policy:all_shards", "response_policy:one_succeeded")
                        .doc("scripting", "2.6.0", "Kill the script currently in execution.").complexity("O(1)"))
                .sub(new CommandSpec("load", 3, "noscript stale script", 0, 0, 0, "@scripting", ScriptingCommands::load)
                        .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                        .doc("scripting", "2.6.0", "Load the specified Lua script into the script cache.")
                        .complexity("O(N) with N being the length in bytes of the script body.")));
    }

    /**
     * The keys of EVAL/FCALL-like commands: {@code numkeys} at argument 2, the keys after it. A
     * numkeys that is not a valid count declares no keys (the handler answers the error).
     */
    static int numkeysKeys(CommandBuffer args, int fa, int argc, int[] out) {
        if (argc < 3) return 0;
        long n = Numbers.parseLong(args.data(), args.offset(fa + 2), args.length(fa + 2));
        if (n == Numbers.NOT_A_NUMBER || n <= 0 || n > argc - 3) return 0;
        for (int i = 0; i < n; i++) if (i < out.length) out[i] = 3 + i;
        return (int) n;
    }

    static void eval(CommandContext c, boolean sha, boolean ro) { c.node().scripting().eval(c, sha, ro); }

    static void load(CommandContext c) { c.node().scripting().scriptLoad(c); }

    static void exists(CommandContext c) {
        Scripting s = c.node().scripting();
        Reply r = c.reply();
        r.arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) r.integer(s.scriptExists(c.str(i)) ? 1 : 0);
    }

    static void flush(CommandContext c) {
        if (!(c.argc() == 2 || (c.argc() == 3 && (c.is(2, "sync") || c.is(2, "async"))))) {
            throw new RedisError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        c.node().scripting().scriptFlush();
        c.reply().ok();
    }

    static void kill(CommandContext c) {
        c.node().scripting().kill(true);
        c.reply().ok();
    }

    /** Moon has no Lua debugger (Redis's LDB): only turning it off is accepted. */
    static void debug(CommandContext c) {
        if (c.is(2, "no")) {
            c.reply().ok();
        } else if (c.is(2, "yes") || c.is(2, "sync")) {
            throw new RedisError("ERR SCRIPT DEBUG is not supported: Moon has no Lua debugger");
        } else {
            throw new RedisError("ERR Use SCRIPT DEBUG YES/SYNC/NO");
        }
    }

    static void help(CommandContext c) {
        Help.reply(c,
                "DEBUG (YES|SYNC|NO)",
                "    Set the debug mode for subsequent scripts executed.",
                "EXISTS <sha1> [<sha1> ...]",
                "    Return information about the existence of the scripts in the script cache.",
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the scripts cache.",
                "    * SYNC: Synchronously flush the scripts cache.",
                "KILL",
                "    Kill the currently executing Lua script.",
                "LOAD <script>",
                "    Load a script into the scripts cache without executing it.");
    }
}
