package io.moon.node.command;

import io.moon.node.protocol.Reply;
import io.moon.node.server.SlowLog;
import java.util.List;

/**
 * SLOWLOG GET [count] / LEN / RESET / HELP (Redis's slowlog.c) over the node's {@link SlowLog},
 * which the dispatcher fills after each command slower than slowlog-log-slower-than.
 */
final class SlowlogCommand {
    private SlowlogCommand() {}

    static void register(CommandTable t) {
        String flags = "admin loading stale connection";
        t.add(new CommandSpec("slowlog", -2, "", 0, 0, 0, "", null)
                .doc("server", "2.2.12", "A container for slow log commands").complexity("Depends on subcommand.")
                .sub(new CommandSpec("get", -2, flags, 0, 0, 0, "", SlowlogCommand::get)
                        .doc("server", "2.2.12", "Get the slow log's entries").complexity("O(N) where N is the number of entries returned")
                        .tips("request_policy:all_nodes", "nondeterministic_output"))
                .sub(new CommandSpec("len", 2, flags, 0, 0, 0, "", c -> c.reply().integer(c.node().slowLog().size()))
                        .doc("server", "2.2.12", "Get the slow log's length").complexity("O(1)")
                        .tips("request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output"))
                .sub(new CommandSpec("reset", 2, flags, 0, 0, 0, "", SlowlogCommand::reset)
                        .doc("server", "2.2.12", "Clear all entries from the slow log")
                        .complexity("O(N) where N is the number of entries in the slowlog")
                        .tips("request_policy:all_nodes", "response_policy:all_succeeded"))
                .sub(new CommandSpec("help", 2, "loading stale connection", 0, 0, 0, "", SlowlogCommand::help)
                        .doc("server", "6.2.0", "Show helpful text about the different subcommands").complexity("O(1)")));
    }

    /** SLOWLOG GET [count]: newest first; count 10 by default, -1 for all. */
    static void get(CommandContext c) {
        if (c.argc() > 3) throw Help.subcommandSyntaxError(c);
        long count = 10;
        if (c.argc() == 3) {
            String range = "ERR count should be greater than or equal to -1";
            count = c.longArg(2, range);
            if (count < -1) throw new RedisError(range);
        }
        SlowLog log = c.node().slowLog();
        List<SlowLog.Entry> entries = log.get(count == -1 ? Integer.MAX_VALUE : (int) Math.min(count, Integer.MAX_VALUE));
        Reply r = c.reply();
        r.arrayHeader(entries.size());
        for (SlowLog.Entry e : entries) {
            r.arrayHeader(6);
            r.integer(e.id());
            r.integer(e.timeSec());
            r.integer(e.durationMicros());
            r.arrayHeader(e.args().size());
            for (byte[] a : e.args()) r.bulk(a);
            r.bulk(e.peer());
            r.bulk(e.clientName());
        }
    }

    static void reset(CommandContext c) {
        c.node().slowLog().reset();
        c.reply().ok();
    }

    static void help(CommandContext c) {
        Help.reply(c,
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog.");
    }
}
