package io.moon.node.command;

import java.util.concurrent.ThreadLocalRandom;

/**
 * LOLWUT [VERSION v] [arguments of that version] (Redis's lolwut.c): version 5 draws Georg
 * Nees's Schotter, version 6 a skyline, any other version (the default, 7) just names the Redis
 * version, as Redis 7.0 does.
 */
final class LolwutCommand {
    private LolwutCommand() {}

    static void register(CommandTable t) {
        t.add(new CommandSpec("lolwut", -1, "readonly fast", 0, 0, 0, "", LolwutCommand::lolwut)
                .doc("server", "5.0.0", "Display some computer art and the Redis version"));
    }

    static void lolwut(CommandContext c) {
        long version = Long.parseLong(ServerInfo.REDIS_VERSION.substring(0, ServerInfo.REDIS_VERSION.indexOf('.')));
        int first = 1;
        if (c.argc() >= 3 && c.is(1, "version")) {
            // Redis prints the number as an unsigned int into "v.0.0".
            version = c.longArg(2) & 0xffffffffL;
            first = 3;
        }
        String art;
        if (version == 5) {
            long cols = arg(c, first, 66), perRow = arg(c, first + 1, 8), perCol = arg(c, first + 2, 12);
            art = LolwutArt.schotter((int) clamp(cols, 1000), (int) clamp(perRow, 200), (int) clamp(perCol, 200),
                    ThreadLocalRandom.current()) + "\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ";
        } else if (version == 6) {
            long cols = arg(c, first, 80), rows = arg(c, first + 1, 20);
            art = LolwutArt.skyline((int) clamp(cols, 1000), (int) clamp(rows, 1000), ThreadLocalRandom.current())
                    + "\nDedicated to the 8 bit game developers of past and present.\n"
                    + "Original 8 bit image from Plaguemon by hikikomori. Redis ver. ";
        } else {
            art = "Redis ver. ";
        }
        c.reply().verbatim(art + ServerInfo.REDIS_VERSION + "\n");
    }

    /** The version's i-th argument as an integer, or {@code otherwise} when absent. */
    private static long arg(CommandContext c, int i, long otherwise) {
        return i < c.argc() ? c.longArg(i) : otherwise;
    }

    private static long clamp(long v, long max) { return Math.max(1, Math.min(max, v)); }
}
