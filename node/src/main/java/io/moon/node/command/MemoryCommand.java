package io.moon.node.command;

import io.moon.node.protocol.Reply;
import io.moon.node.server.Node;
import io.moon.node.server.Shard;
import io.moon.node.store.Entries;
import io.moon.node.metrics.ProcessStats;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/**
 * MEMORY (Redis's object.c memoryCommand). USAGE answers the bytes the key's entry holds as
 * used_memory counts them (key, value and, for collections, every element: Moon keeps an exact
 * running count, so SAMPLES is checked and then has nothing to sample). STATS has Redis's
 * fields, with the JVM heap in the allocator's place; MALLOC-STATS reports the JVM's memory
 * pools; DOCTOR looks for the problems a JVM-based node can have; PURGE has nothing to purge.
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
                .sub(new CommandSpec("stats", 2, "all_shards", 0, 0, 0, "", MemoryCommand::stats)
                        .doc("server", "4.0.0", "Show memory usage details").complexity("O(1)")
                        .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special"))
                .sub(new CommandSpec("doctor", 2, "all_shards", 0, 0, 0, "", MemoryCommand::doctor)
                        .doc("server", "4.0.0", "Outputs memory problems report").complexity("O(1)")
                        .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special"))
                .sub(new CommandSpec("malloc-stats", 2, "", 0, 0, 0, "", MemoryCommand::mallocStats)
                        .doc("server", "4.0.0", "Show allocator internal stats").complexity("Depends on how much memory is allocated, could be slow")
                        .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special"))
                .sub(new CommandSpec("purge", 2, "", 0, 0, 0, "", c -> c.reply().ok())
                        .doc("server", "4.0.0", "Ask the allocator to release memory").complexity("Depends on how much memory is allocated, could be slow")
                        .tips("request_policy:all_shards", "response_policy:all_succeeded"))
                .sub(new CommandSpec("help", 2, "loading stale", 0, 0, 0, "", c -> Help.reply(c,
                        "DOCTOR",
                        "    Return memory problems reports.",
                        "MALLOC-STATS",
                        "    Return internal statistics report from the memory allocator.",
                        "PURGE",
                        "    Attempt to purge dirty pages for reclamation by the allocator.",
                        "STATS",
                        "    Return information about the memory usage of the server.",
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

    /** The figures MEMORY STATS and DOCTOR share, over every shard (all of them are held). */
    private record Figures(long used, long peak, long startup, long keys, long rss, long heapUsed, long heapCommitted,
                           long heapMax, long lua) {
        static Figures of(Node node) {
            long used = node.usedMemory();
            node.notePeakMemory(used);
            long keys = 0;
            for (Shard s : node.shards()) keys += s.keyspace().keys();
            Runtime rt = Runtime.getRuntime();
            return new Figures(used, node.peakMemory(), Node.BASELINE_MEMORY, keys, ProcessStats.residentBytes(),
                    rt.totalMemory() - rt.freeMemory(), rt.totalMemory(), rt.maxMemory(),
                    node.scripting().evalVmMemory() + node.scripting().functionsVmMemory());
        }
    }

    /** MEMORY STATS: Redis's fields in Redis's order; db.N only for databases holding keys. */
    static void stats(CommandContext c) {
        Node node = c.node();
        Figures f = Figures.of(node);
        int databases = node.shards()[0].keyspace().databases();
        int withKeys = 0;
        for (int d = 0; d < databases; d++) if (dbKeys(node, d) > 0) withKeys++;
        Reply r = c.reply();
        r.mapHeader(27 + withKeys);
        field(r, "peak.allocated").integer(f.peak);
        field(r, "total.allocated").integer(f.used);
        field(r, "startup.allocated").integer(f.startup);
        field(r, "replication.backlog").integer(0);
        field(r, "clients.slaves").integer(0);
        field(r, "clients.normal").integer(0);
        field(r, "cluster.links").integer(0);
        field(r, "aof.buffer").integer(0);
        field(r, "lua.caches").integer(node.scripting().scriptsMemory());
        field(r, "functions.caches").integer(0);
        long overhead = f.startup;
        for (int d = 0; d < databases; d++) {
            if (dbKeys(node, d) == 0) continue;
            long main = 0, expires = 0;
            for (Shard s : node.shards()) {
                main += s.keyspace().db(d).mainTableMemory();
                expires += s.keyspace().db(d).expiresTableMemory();
            }
            overhead += main + expires;
            field(r, "db." + d).mapHeader(3);
            field(r, "overhead.hashtable.main").integer(main);
            field(r, "overhead.hashtable.expires").integer(expires);
            field(r, "overhead.hashtable.slot-to-keys").integer(0);
        }
        long net = Math.max(0, f.used - f.startup);
        long dataset = Math.max(0, f.used - overhead);
        field(r, "overhead.total").integer(overhead);
        field(r, "keys.count").integer(f.keys);
        field(r, "keys.bytes-per-key").integer(f.keys == 0 ? 0 : net / f.keys);
        field(r, "dataset.bytes").integer(dataset);
        field(r, "dataset.percentage").doubleValue(net == 0 ? 0 : dataset * 100.0 / net);
        field(r, "peak.percentage").doubleValue(f.peak == 0 ? 0 : f.used * 100.0 / f.peak);
        field(r, "allocator.allocated").integer(f.heapUsed);
        field(r, "allocator.active").integer(f.heapCommitted);
        field(r, "allocator.resident").integer(f.rss);
        field(r, "allocator-fragmentation.ratio").doubleValue(ratio(f.heapCommitted, f.heapUsed));
        field(r, "allocator-fragmentation.bytes").integer(f.heapCommitted - f.heapUsed);
        field(r, "allocator-rss.ratio").doubleValue(ratio(f.rss, f.heapCommitted));
        field(r, "allocator-rss.bytes").integer(f.rss - f.heapCommitted);
        field(r, "rss-overhead.ratio").doubleValue(ratio(f.rss, f.heapCommitted));
        field(r, "rss-overhead.bytes").integer(f.rss - f.heapCommitted);
        field(r, "fragmentation").doubleValue(ratio(f.rss, f.used));
        field(r, "fragmentation.bytes").integer(f.rss - f.used);
    }

    private static long dbKeys(Node node, int d) {
        long n = 0;
        for (Shard s : node.shards()) n += s.keyspace().db(d).size();
        return n;
    }

    private static Reply field(Reply r, String name) {
        r.bulk(name);
        return r;
    }

    private static double ratio(long a, long b) { return b == 0 ? 0 : (double) a / b; }

    /** Redis's empty-instance answer below 5 MB of data, as memoryDoctor says. */
    static final String EMPTY = "Hi Sam, this instance is empty or is using very little memory, my issues detector"
            + " can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data."
            + " The new Sam and I will be back to our programming as soon as I finished rebooting.";
    static final String HEALTHY = "Hi Sam, I can't find any memory issue in your instance. I can only account for"
            + " what occurs on this base.";

    /**
     * MEMORY DOCTOR: Redis's checks that mean something here (peak far above current use,
     * resident memory far above the data), plus the JVM's own: a heap near its limit.
     */
    static void doctor(CommandContext c) {
        Figures f = Figures.of(c.node());
        if (f.used < 5L << 20) {
            c.reply().verbatim(EMPTY);
            return;
        }
        StringBuilder s = new StringBuilder();
        if (f.peak > f.used * 3 / 2) {
            s.append(" * Peak memory: In the past this instance used more than 150% the memory that is currently"
                    + " using. The JVM keeps the heap it grew to for a while; it shrinks it over time.\n\n");
        }
        if (f.rss > f.used * 14 / 10 && f.rss - f.used > 10L << 20) {
            s.append(" * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (")
                    .append(String.format(Locale.ROOT, "%.2f", ratio(f.rss, f.used)))
                    .append("). Most of it is the JVM heap's headroom above the live data: garbage not yet collected"
                            + " and heap the JVM keeps committed. A smaller -Xmx (MOON_JAVA_OPTS) or"
                            + " -XX:MaxHeapFreeRatio lowers it.\n\n");
        }
        if (f.heapMax != Long.MAX_VALUE && f.heapUsed > f.heapMax * 9 / 10) {
            s.append(" * JVM heap nearly full: ").append(f.heapUsed * 100 / f.heapMax)
                    .append("% of the maximum heap (-Xmx) is in use. Set maxmemory below the heap or raise -Xmx,"
                            + " or the node may run out of heap.\n\n");
        }
        if (s.isEmpty()) {
            c.reply().verbatim(HEALTHY);
        } else {
            c.reply().verbatim("Sam, I detected a few issues in this Redis instance memory implants:\n\n" + s
                    + "I'm here to keep you safe, Sam. I want to help you.\n");
        }
    }

    /** MEMORY MALLOC-STATS: the JVM's memory pools stand in for the allocator's report. */
    static void mallocStats(CommandContext c) {
        StringBuilder s = new StringBuilder("___ Begin JVM memory pools ___\n");
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        s.append(pool("heap", heap));
        s.append(pool("non-heap", ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage()));
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.isValid()) s.append(pool(p.getName(), p.getUsage()));
        }
        s.append("___ End JVM memory pools ___\n");
        c.reply().verbatim(s.toString());
    }

    private static String pool(String name, MemoryUsage u) {
        return String.format(Locale.ROOT, "%-32s used=%d committed=%d max=%d%n", name, u.getUsed(), u.getCommitted(), u.getMax());
    }
}
