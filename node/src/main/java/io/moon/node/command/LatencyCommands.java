package io.moon.node.command;

import io.moon.node.metrics.LatencyHistograms;
import io.moon.node.metrics.LatencyMonitor;
import io.moon.node.metrics.LatencyReport;
import io.moon.node.protocol.Reply;
import io.moon.node.server.CommandStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * LATENCY DOCTOR/GRAPH/HISTOGRAM/HISTORY/LATEST/RESET/HELP (Redis's latency.c). The event
 * monitor is the node's ({@link LatencyMonitor}): those subcommands run on the client's loop.
 * HISTOGRAM merges every shard's per-command histograms, so it runs with every shard held.
 */
final class LatencyCommands {
    private LatencyCommands() {}

    static void register(CommandTable t) {
        String admin = "admin noscript loading stale";
        t.add(new CommandSpec("latency", -2, "", 0, 0, 0, "", null)
                .doc("server", "2.8.13", "A container for latency diagnostics commands").complexity("Depends on subcommand.")
                .sub(row("doctor", 2, admin + " connection", "Return a human readable latency analysis report.",
                        LatencyCommands::doctor).tips("nondeterministic_output"))
                .sub(row("graph", 3, admin + " connection", "Return a latency graph for the event.", LatencyCommands::graph)
                        .tips("nondeterministic_output"))
                .sub(row("help", 2, "loading stale connection", "Show helpful text about the different subcommands.",
                        LatencyCommands::help))
                .sub(row("histogram", -2, admin + " all_shards",
                        "Return the cumulative distribution of latencies of a subset of commands or all.",
                        LatencyCommands::histogram).doc("server", "7.0.0",
                        "Return the cumulative distribution of latencies of a subset of commands or all.")
                        .complexity("O(N) where N is the number of commands with latency information being retrieved.")
                        .tips("nondeterministic_output"))
                .sub(row("history", 3, admin + " connection", "Return timestamp-latency samples for the event.",
                        LatencyCommands::history).tips("nondeterministic_output"))
                .sub(row("latest", 2, admin + " connection", "Return the latest latency samples for all events.",
                        LatencyCommands::latest).tips("nondeterministic_output"))
                .sub(row("reset", -2, admin + " connection", "Reset latency data for one or more events.",
                        LatencyCommands::reset)));
    }

    private static CommandSpec row(String name, int arity, String flags, String summary, CommandHandler h) {
        return new CommandSpec(name, arity, flags, 0, 0, 0, "", h).doc("server", "2.8.13", summary).complexity("O(1)");
    }

    static void latest(CommandContext c) {
        List<LatencyMonitor.Latest> all = c.node().latencyMonitor().latest();
        Reply r = c.reply();
        r.arrayHeader(all.size());
        for (LatencyMonitor.Latest l : all) {
            r.arrayHeader(4);
            r.bulk(l.event());
            r.integer(l.time());
            r.integer(l.latencyMs());
            r.integer(l.maxMs());
        }
    }

    static void history(CommandContext c) {
        List<LatencyMonitor.Sample> samples = c.node().latencyMonitor().history(c.str(2));
        Reply r = c.reply();
        r.arrayHeader(samples.size());
        for (LatencyMonitor.Sample s : samples) {
            r.arrayHeader(2);
            r.integer(s.time());
            r.integer(s.latencyMs());
        }
    }

    /** LATENCY RESET [event ...]: how many events were dropped (all of them without arguments). */
    static void reset(CommandContext c) {
        LatencyMonitor m = c.node().latencyMonitor();
        if (c.argc() == 2) {
            c.reply().integer(m.reset(null));
            return;
        }
        int n = 0;
        for (int i = 2; i < c.argc(); i++) n += m.reset(c.str(i));
        c.reply().integer(n);
    }

    static void graph(CommandContext c) {
        String graph = c.node().latencyMonitor().graph(c.str(2), System.currentTimeMillis() / 1000);
        if (graph == null) throw new RedisError("ERR No samples available for event '" + c.str(2) + "'");
        c.reply().verbatim(graph);
    }

    static void doctor(CommandContext c) {
        var config = c.node().config();
        var settings = new LatencyReport.Settings(config.slowlogSlowerThan(), config.getInt("hz"),
                config.get("appendfsync").equals("always"));
        c.reply().verbatim(LatencyReport.create(c.node().latencyMonitor(), settings));
    }

    /**
     * LATENCY HISTOGRAM [command ...]: per command with calls recorded, its calls and cumulative
     * distribution; a container command stands for its subcommands; unknown names are skipped.
     */
    static void histogram(CommandContext c) {
        List<CommandSpec> specs = new ArrayList<>();
        if (c.argc() == 2) {
            specs.addAll(c.node().commands().allWithSubcommands());
        } else {
            for (int i = 2; i < c.argc(); i++) {
                CommandSpec spec = lookup(c, c.str(i));
                if (spec == null) continue;
                specs.add(spec);
                specs.addAll(spec.subcommands.values());
            }
        }
        List<CommandSpec> shown = new ArrayList<>();
        List<Histogram> merged = new ArrayList<>();
        for (CommandSpec spec : specs) {
            List<Histogram> parts = new ArrayList<>();
            for (CommandStats st : c.node().commandStats()) parts.add(st.latency[spec.id]);
            Histogram h = LatencyHistograms.merge(parts);
            if (h == null) continue;
            shown.add(spec);
            merged.add(h);
        }
        Reply r = c.reply();
        r.mapHeader(shown.size());
        for (int i = 0; i < shown.size(); i++) {
            Histogram h = merged.get(i);
            r.bulk(shown.get(i).fullName());
            r.mapHeader(2);
            r.bulk("calls");
            r.integer(h.getTotalCount());
            r.bulk("histogram_usec");
            List<long[]> cdf = LatencyHistograms.cumulative(h);
            r.mapHeader(cdf.size());
            for (long[] point : cdf) {
                r.integer(point[0]);
                r.integer(point[1]);
            }
        }
    }

    /** Redis's lookupCommandBySds: "name" or "container|subcommand", any case. */
    private static CommandSpec lookup(CommandContext c, String name) {
        String[] parts = name.split("\\|", -1);
        if (parts.length > 2) return null;
        CommandSpec spec = c.node().commands().lookup(parts[0]);
        if (spec == null || parts.length == 1) return spec;
        return spec.subcommands.get(parts[1].toLowerCase(Locale.ROOT));
    }

    static void help(CommandContext c) {
        Help.reply(c,
                "DOCTOR",
                "    Return a human readable latency analysis report.",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
                "    If no commands are specified then all histograms are replied.");
    }
}
