package io.moon.node.command;

/**
 * Redis Functions (functions.c). Scripting is not built yet, so the function library is always
 * empty; FUNCTION FLUSH (which test harnesses and tools send before work) therefore has nothing
 * to remove and answers OK. The other FUNCTION subcommands come with the scripting work.
 */
public final class FunctionCommands {
    private FunctionCommands() {}

    static void register(CommandTable t) {
        t.add(new CommandSpec("function", -2, "", 0, 0, 0, "", null)
                .doc("scripting", "7.0.0", "A container for function commands.")
                .sub(new CommandSpec("flush", -2, "write noscript", 0, 0, 0, "@scripting", FunctionCommands::flush)
                        .doc("scripting", "7.0.0", "Deletes all libraries and functions.")));
    }

    static void flush(CommandContext c) {
        if (c.argc() > 3 || (c.argc() == 3 && !c.is(2, "async") && !c.is(2, "sync"))) {
            throw new RedisError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        c.reply().ok();
    }
}
