package io.moon.node.command;

import io.moon.node.store.Entries;

/**
 * MEMORY USAGE and MEMORY HELP (Redis's object.c memoryCommand). USAGE answers the bytes the
 * key's entry holds as used_memory counts them (key, value and, for collections, every element:
 * Moon keeps an exact running count, so SAMPLES is checked and then has nothing to sample).
 * DOCTOR, STATS, MALLOC-STATS and PURGE describe Redis's allocator and are not provided.
 */
final class MemoryCommand {
    private MemoryCommand() {}

    static void register(CommandTable t) {
        t.add(new CommandSpec("memory", -2, "", 0, 0, 0, "", null)
                .doc("server", "4.0.0", "A container for memory diagnostics commands").complexity("Depends on subcommand.")
                .sub(new CommandSpec("usage", -3, "readonly", 2, 2, 1, "", MemoryCommand::usage)
                        .keyFlags("RO")
                        .doc("server", "4.0.0", "Estimate the memory usage of a key")
                        .complexity("O(N) where N is the number of samples."))
                .sub(new CommandSpec("help", 2, "loading stale", 0, 0, 0, "", c -> Help.reply(c,
                        "USAGE <key> [SAMPLES <count>]",
                        "    Return memory in bytes used by <key> and its value. Nested values are",
                        "    sampled up to <count> times (default: 5, 0 means sample all)."))
                        .doc("server", "4.0.0", "Show helpful text about the different subcommands")
                        .complexity("O(1)")));
    }

    /** MEMORY USAGE key [SAMPLES count]: options first, then nil for a missing key. */
    static void usage(CommandContext c) {
        for (int i = 3; i < c.argc(); i++) {
            if (c.is(i, "samples") && i + 1 < c.argc()) {
                if (c.longArg(++i) < 0) throw RedisError.syntax();
            } else {
                throw RedisError.syntax();
            }
        }
        Object e = c.db(2).peek(c.buf(), c.off(2), c.len(2));
        if (e == null) c.reply().nullBulk();
        else c.reply().integer(Entries.memoryOf(e));
    }
}
