package io.moon.node.command;

import io.moon.node.protocol.Reply;
import io.moon.node.script.FunctionDump;
import io.moon.node.script.FunctionLibraries;
import io.moon.node.script.Scripting;
import io.moon.node.util.Glob;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis Functions (functions.c): FUNCTION LOAD/DELETE/FLUSH/LIST/DUMP/RESTORE/KILL/STATS/HELP,
 * FCALL and FCALL_RO. Everything that touches the libraries runs on the node's script thread
 * (rows flagged {@code script}); FUNCTION KILL and STATS run on the client's own loop at once, as
 * they must get through while a function is busy.
 */
public final class FunctionCommands {
    private FunctionCommands() {}

    private static final String FCALL_COMPLEXITY = "Depends on the function that is executed.";

    static void register(CommandTable t) {
        t.add(new CommandSpec("fcall", -3, "noscript skip_monitor may_replicate no_mandatory_keys stale script", 0, 0, 0,
                "@scripting", c -> c.node().scripting().fcall(c, false))
                .keys(ScriptingCommands::numkeysKeys)
                .keySpecs(KeySpec.keynum("RW access update", 2, 0, 1, 1)
                        .withNotes("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE"))
                .doc("scripting", "7.0.0", "Invoke a function").complexity(FCALL_COMPLEXITY));
        t.add(new CommandSpec("fcall_ro", -3, "noscript skip_monitor no_mandatory_keys stale readonly script", 0, 0, 0,
                "@scripting", c -> c.node().scripting().fcall(c, true))
                .keys(ScriptingCommands::numkeysKeys)
                .keySpecs(KeySpec.keynum("RO access", 2, 0, 1, 1)
                        .withNotes("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS"))
                .doc("scripting", "7.0.0", "Invoke a read-only function").complexity(FCALL_COMPLEXITY));
        t.add(new CommandSpec("function", -2, "", 0, 0, 0, "", null)
                .doc("scripting", "7.0.0", "A container for function commands").complexity("Depends on subcommand.")
                .sub(new CommandSpec("delete", 3, "noscript write script", 0, 0, 0, "@scripting", FunctionCommands::delete)
                        .tips("request_policy:all_shards", "response_policy:all_succeeded")
                        .doc("scripting", "7.0.0", "Delete a function by name").complexity("O(1)"))
                .sub(new CommandSpec("dump", 2, "noscript script", 0, 0, 0, "@scripting", FunctionCommands::dump)
                        .doc("scripting", "7.0.0", "Dump all functions into a serialized binary payload")
                        .complexity("O(N) where N is the number of functions"))
                .sub(new CommandSpec("flush", -2, "noscript write script", 0, 0, 0, "@scripting", FunctionCommands::flush)
                        .tips("request_policy:all_shards", "response_policy:all_succeeded")
                        .doc("scripting", "7.0.0", "Deleting all functions")
                        .complexity("O(N) where N is the number of functions deleted"))
                .sub(new CommandSpec("help", 2, "loading stale", 0, 0, 0, "@scripting", FunctionCommands::help)
                        .doc("scripting", "7.0.0", "Show helpful text about the different subcommands")
                        .complexity("O(1)"))
                .sub(new CommandSpec("kill", 2, "noscript allow_busy connection", 0, 0, 0, "@scripting",
                        FunctionCommands::kill)
                        .tips("request_policy:all_shards", "response_policy:one_succeeded")
                        .doc("scripting", "7.0.0", "Kill the function currently in execution.").complexity("O(1)"))
                .sub(new CommandSpec("list", -2, "noscript script", 0, 0, 0, "@scripting", FunctionCommands::list)
                        .tips("nondeterministic_output_order")
                        .doc("scripting", "7.0.0", "List information about all the functions")
                        .complexity("O(N) where N is the number of functions"))
                .sub(new CommandSpec("load", -3, "noscript write denyoom script", 0, 0, 0, "@scripting",
                        FunctionCommands::load)
                        .tips("request_policy:all_shards", "response_policy:all_succeeded")
                        .doc("scripting", "7.0.0", "Create a function with the given arguments (name, code, description)")
                        .complexity("O(1) (considering compilation time is redundant)"))
                .sub(new CommandSpec("restore", -3, "noscript write denyoom script", 0, 0, 0, "@scripting",
                        FunctionCommands::restore)
                        .tips("request_policy:all_shards", "response_policy:all_succeeded")
                        .doc("scripting", "7.0.0", "Restore all the functions on the given payload")
                        .complexity("O(N) where N is the number of functions on the payload"))
                .sub(new CommandSpec("stats", 2, "noscript allow_busy connection", 0, 0, 0, "@scripting",
                        FunctionCommands::stats)
                        .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                        .doc("scripting", "7.0.0",
                                "Return information about the function currently running (name, description, duration)")
                        .complexity("O(1)")));
    }

    static void load(CommandContext c) {
        boolean replace = false;
        int pos = 2;
        while (pos < c.argc() - 1) {
            if (!c.is(pos, "replace")) throw new RedisError("ERR Unknown option given: " + c.str(pos));
            replace = true;
            pos++;
        }
        if (pos >= c.argc()) throw new RedisError("ERR Function code is missing");
        // Replayed from the log it has no time limit: it was accepted once (Redis's mustObeyClient).
        String name = c.node().scripting().functions().load(c.arg(pos), replace, !c.fromLog());
        librariesChanged(c);
        c.reply().bulk(name);
    }

    /**
     * The libraries changed: a data change for the save rules (Redis's server.dirty++), logged as
     * sent in the node-wide log, so a restart finds the libraries as it finds keys.
     */
    private static void librariesChanged(CommandContext c) {
        c.shard().keyspace().dirty++;
        c.propagateToNodeLog();
    }

    static void delete(CommandContext c) {
        c.node().scripting().functions().delete(c.str(2));
        librariesChanged(c);
        c.reply().ok();
    }

    static void flush(CommandContext c) {
        if (c.argc() > 3) throw Help.subcommandSyntaxError(c);
        if (c.argc() == 3 && !c.is(2, "async") && !c.is(2, "sync")) {
            throw new RedisError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        c.node().scripting().functions().flush();
        librariesChanged(c);
        c.reply().ok();
    }

    static void kill(CommandContext c) {
        c.node().scripting().kill(false);
        c.reply().ok();
    }

    static void dump(CommandContext c) { c.reply().bulk(c.node().scripting().functions().dump()); }

    static void restore(CommandContext c) {
        if (c.argc() > 4) throw Help.subcommandSyntaxError(c);
        FunctionDump.Policy policy = FunctionDump.Policy.APPEND;
        if (c.argc() == 4) {
            if (c.is(3, "append")) policy = FunctionDump.Policy.APPEND;
            else if (c.is(3, "replace")) policy = FunctionDump.Policy.REPLACE;
            else if (c.is(3, "flush")) policy = FunctionDump.Policy.FLUSH;
            else throw new RedisError("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
        }
        c.node().scripting().functions().restore(c.arg(2), policy);
        librariesChanged(c);
        c.reply().ok();
    }

    /** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]. */
    static void list(CommandContext c) {
        boolean withCode = false;
        String pattern = null;
        for (int i = 2; i < c.argc(); i++) {
            if (!withCode && c.is(i, "withcode")) {
                withCode = true;
                continue;
            }
            if (pattern == null && c.is(i, "libraryname")) {
                if (i >= c.argc() - 1) throw new RedisError("ERR library name argument was not given");
                pattern = c.str(++i);
                continue;
            }
            throw new RedisError("ERR Unknown argument " + c.str(i));
        }
        List<FunctionLibraries.LibraryInfo> libs = new ArrayList<>();
        for (FunctionLibraries.LibraryInfo lib : c.node().scripting().functions().libraries()) {
            if (pattern == null || Glob.matches(pattern, lib.name(), true)) libs.add(lib);
        }
        Reply r = c.reply();
        r.arrayHeader(libs.size());
        for (FunctionLibraries.LibraryInfo lib : libs) {
            r.mapHeader(withCode ? 4 : 3);
            r.bulk("library_name");
            r.bulk(lib.name());
            r.bulk("engine");
            r.bulk(lib.engine());
            r.bulk("functions");
            r.arrayHeader(lib.functions().size());
            for (FunctionLibraries.FunctionInfo f : lib.functions()) {
                r.mapHeader(3);
                r.bulk("name");
                r.bulk(f.name());
                r.bulk("description");
                if (f.description() == null) r.nullBulk();
                else r.bulk(f.description());
                r.bulk("flags");
                r.setHeader(f.flags().size());
                for (String flag : f.flags()) r.simple(flag);
            }
            if (withCode) {
                r.bulk("library_code");
                r.bulk(lib.code());
            }
        }
    }

    static void stats(CommandContext c) {
        Scripting s = c.node().scripting();
        Scripting.RunningScript running = s.running();
        Reply r = c.reply();
        r.mapHeader(2);
        r.bulk("running_script");
        if (running == null) {
            r.nullBulk();
        } else {
            r.mapHeader(3);
            r.bulk("name");
            r.bulk(running.name());
            r.bulk("command");
            r.arrayHeader(running.command().length);
            for (byte[] a : running.command()) r.bulk(a);
            r.bulk("duration_ms");
            r.integer(running.durationMs());
        }
        r.bulk("engines");
        r.mapHeader(1);
        r.bulk("LUA");
        r.mapHeader(2);
        r.bulk("libraries_count");
        r.integer(s.libraryCount());
        r.bulk("functions_count");
        r.integer(s.functionCount());
    }

    static void help(CommandContext c) {
        Help.reply(c,
                "LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Library description",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION"
                        + " RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
                "      libraries with the new libraries (notice that even on this option there is a chance of failure",
                "      in case of functions name collision with another library).");
    }
}
