package io.moon.node.command;

import io.moon.node.protocol.Reply;
import java.util.Locale;

/** The replies of "X HELP" and of a bad subcommand, as Redis's addReplyHelp and addReplySubcommandSyntaxError. */
final class Help {
    private Help() {}

    /** A header naming the command as the client typed it (upper-cased), the lines, and HELP's own entry. */
    static void reply(CommandContext c, String... lines) {
        Reply r = c.reply();
        r.arrayHeader(lines.length + 3);
        r.simple(c.str(0).toUpperCase(Locale.ROOT) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) r.simple(line);
        r.simple("HELP");
        r.simple("    Prints this help.");
    }

    static RedisError subcommandSyntaxError(CommandContext c) {
        String sub = c.str(1);
        if (sub.length() > 128) sub = sub.substring(0, 128);
        return new RedisError("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try "
                + c.str(0).toUpperCase(Locale.ROOT) + " HELP.");
    }
}
