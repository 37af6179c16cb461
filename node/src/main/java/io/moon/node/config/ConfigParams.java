package io.moon.node.config;

import static io.moon.node.config.ConfigParam.bool;
import static io.moon.node.config.ConfigParam.enumeration;
import static io.moon.node.config.ConfigParam.integer;
import static io.moon.node.config.ConfigParam.memory;
import static io.moon.node.config.ConfigParam.special;
import static io.moon.node.config.ConfigParam.string;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every setting the node knows, with Redis's names, defaults and limits (config.c of Redis 7.0)
 * plus Moon's own. Settings marked not effective are accepted and reported so that tools and
 * Redis's test suite can set them, but Moon does not act on them; docs/configuration.md lists
 * them.
 */
final class ConfigParams {
    private ConfigParams() {}

    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long LONG_MAX = Long.MAX_VALUE;
    private static final boolean MUTABLE = true, IMMUTABLE = false, EFFECTIVE = true, COMPAT = false;

    static List<ConfigParam> all() {
        List<ConfigParam> p = new ArrayList<>();
        // --- Moon ---
        p.add(integer("shards", Runtime.getRuntime().availableProcessors(), 1, 256, IMMUTABLE, EFFECTIVE,
                "Event-loop threads, each owning a part of the keyspace (default: the number of cores)").moonOnly());
        p.add(enumeration("io", "auto", List.of("auto", "io_uring", "epoll", "nio"), IMMUTABLE, EFFECTIVE,
                "Network transport; auto picks io_uring, then epoll, then NIO").moonOnly());

        // --- network and clients ---
        p.add(integer("port", 6379, 0, 65535, MUTABLE, EFFECTIVE, "TCP port (CONFIG SET listens on the new port before closing the old one)"));
        p.add(special("bind", "127.0.0.1", MUTABLE, EFFECTIVE, ConfigParams::bindList,
                "Addresses to listen on (blank-separated); 0.0.0.0 or * for all"));
        p.add(bool("protected-mode", true, MUTABLE, EFFECTIVE,
                "Without a password, refuse clients that do not come from loopback"));
        p.add(integer("maxclients", 10000, 1, 0xffffffffL, MUTABLE, EFFECTIVE, "Maximum connected clients"));
        p.add(integer("timeout", 0, 0, INT_MAX, MUTABLE, EFFECTIVE, "Close a client idle this many seconds (0: never)"));
        p.add(integer("tcp-keepalive", 300, 0, INT_MAX, MUTABLE, EFFECTIVE, "SO_KEEPALIVE on client sockets when > 0"));
        p.add(integer("tcp-backlog", 511, 0, INT_MAX, IMMUTABLE, EFFECTIVE, "Listen backlog"));
        p.add(memory("proto-max-bulk-len", 512L << 20, 1L << 20, LONG_MAX, MUTABLE, EFFECTIVE, "Largest bulk string a client may send"));
        p.add(memory("client-query-buffer-limit", 1L << 30, 1L << 20, LONG_MAX, MUTABLE, EFFECTIVE,
                "Largest unprocessed input per client; a client past it is closed"));
        p.add(string("requirepass", "", MUTABLE, EFFECTIVE, "Password of the default user (empty: none)").sensitive(true));

        // --- memory ---
        p.add(memory("maxmemory", 0, 0, LONG_MAX, MUTABLE, EFFECTIVE, "Memory limit for data, split evenly over shards (0: none)"));
        p.add(enumeration("maxmemory-policy", "noeviction", List.of("volatile-lru", "volatile-lfu", "volatile-random",
                "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"), MUTABLE, EFFECTIVE,
                "What to evict past maxmemory"));
        p.add(integer("maxmemory-samples", 5, 1, INT_MAX, MUTABLE, EFFECTIVE, "Keys sampled per eviction round"));
        p.add(integer("maxmemory-eviction-tenacity", 10, 0, 100, MUTABLE, COMPAT, "Accepted; Moon evicts until under the limit"));
        p.add(integer("lfu-log-factor", 10, 0, INT_MAX, MUTABLE, EFFECTIVE, "LFU counter logarithm factor"));
        p.add(integer("lfu-decay-time", 1, 0, INT_MAX, MUTABLE, EFFECTIVE, "Minutes per LFU counter decrement"));
        p.add(integer("active-expire-effort", 1, 1, 10, MUTABLE, COMPAT, "Accepted; the active expire cycle runs Redis's default effort"));
        p.add(integer("hz", 10, 0, 500, MUTABLE, EFFECTIVE, "Background task frequency per second (active expiry)"));
        p.add(bool("dynamic-hz", true, MUTABLE, COMPAT, "Accepted; no effect"));

        // --- persistence (files come with the persistence layer) ---
        p.add(special("dir", "./data", MUTABLE, EFFECTIVE, v -> v, "Data directory (created when missing)").protect(true));
        p.add(string("dbfilename", "dump.rdb", MUTABLE, COMPAT, "Accepted; snapshots are Moon's own files").protect(true));
        p.add(special("save", "3600 1 300 100 60 10000", MUTABLE, EFFECTIVE, ConfigParams::saveRules,
                "Snapshot after <seconds> if at least <changes> writes (pairs; \"\" = only on request and at shutdown)"));
        p.add(bool("appendonly", true, IMMUTABLE, EFFECTIVE, "Write-ahead log per shard under <dir>/shard-<n>/wal (set at start)"));
        p.add(enumeration("appendfsync", "everysec", List.of("always", "everysec", "no"), MUTABLE, EFFECTIVE,
                "always: reply after the write is on disk; everysec: force once a second; no: leave it to the OS"));
        p.add(memory("wal-segment-size", 64L << 20, 1L << 20, 1L << 30, MUTABLE, EFFECTIVE,
                "Write-ahead log segments are closed at this size; snapshots remove the ones they cover"));
        p.add(string("import-rdb", "", IMMUTABLE, EFFECTIVE,
                "Load this Redis dump.rdb at start into a node with no data of its own (a dump.rdb in dir is found by itself)"));
        p.add(bool("wal-salvage", false, IMMUTABLE, EFFECTIVE,
                "Start even when a log is damaged in the middle, skipping what cannot be read (default: refuse to start)"));
        p.add(string("appendfilename", "appendonly.aof", IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(string("appenddirname", "appendonlydir", IMMUTABLE, COMPAT, "Accepted; no effect"));

        // --- logging and process ---
        p.add(enumeration("loglevel", "notice", List.of("debug", "verbose", "notice", "warning"), MUTABLE, EFFECTIVE, "Log verbosity"));
        p.add(string("logfile", "", IMMUTABLE, EFFECTIVE, "Log file (empty: standard output)"));
        p.add(string("pidfile", "", IMMUTABLE, EFFECTIVE, "Write the process id here at start"));
        p.add(bool("daemonize", false, IMMUTABLE, COMPAT, "Accepted; Moon runs in the foreground (use a supervisor)"));
        p.add(integer("databases", 16, 1, 1024, IMMUTABLE, EFFECTIVE, "Number of databases (SELECT 0..n-1)"));

        // --- introspection ---
        p.add(integer("slowlog-log-slower-than", 10000, -1, LONG_MAX, MUTABLE, EFFECTIVE, "Microseconds; -1 disables, 0 logs every command"));
        p.add(integer("slowlog-max-len", 128, 0, LONG_MAX, MUTABLE, EFFECTIVE, "Entries kept by SLOWLOG"));
        p.add(integer("latency-monitor-threshold", 0, 0, LONG_MAX, MUTABLE, EFFECTIVE,
                "Events (commands, expire and eviction cycles) at least this many ms long are kept for LATENCY (0: off)"));
        p.add(bool("latency-tracking", true, MUTABLE, EFFECTIVE,
                "Per-command latency histograms for LATENCY HISTOGRAM and INFO latencystats"));
        p.add(integer("busy-reply-threshold", 5000, 0, LONG_MAX, MUTABLE, EFFECTIVE, "Milliseconds after which a running script is busy: other clients needing its shards get BUSY, SCRIPT KILL can stop it").withAlias("lua-time-limit"));

        // --- data type encodings (the types arrive with their issue; thresholds are kept) ---
        p.add(integer("hash-max-listpack-entries", 512, 0, LONG_MAX, MUTABLE, COMPAT, "Hash encoding threshold").withAlias("hash-max-ziplist-entries"));
        p.add(memory("hash-max-listpack-value", 64, 0, LONG_MAX, MUTABLE, COMPAT, "Hash encoding threshold").withAlias("hash-max-ziplist-value"));
        p.add(integer("list-max-listpack-size", -2, Integer.MIN_VALUE, INT_MAX, MUTABLE, COMPAT, "List node size").withAlias("list-max-ziplist-size"));
        p.add(integer("list-compress-depth", 0, 0, INT_MAX, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(integer("set-max-intset-entries", 512, 0, LONG_MAX, MUTABLE, COMPAT, "Set encoding threshold"));
        p.add(integer("zset-max-listpack-entries", 128, 0, LONG_MAX, MUTABLE, COMPAT, "Sorted set encoding threshold").withAlias("zset-max-ziplist-entries"));
        p.add(memory("zset-max-listpack-value", 64, 0, LONG_MAX, MUTABLE, COMPAT, "Sorted set encoding threshold").withAlias("zset-max-ziplist-value"));
        p.add(memory("hll-sparse-max-bytes", 3000, 0, LONG_MAX, MUTABLE, EFFECTIVE,
                "Largest sparse HyperLogLog value in bytes; a larger one turns dense"));
        p.add(integer("stream-node-max-entries", 100, 0, LONG_MAX, MUTABLE, COMPAT, "Stream node size"));
        p.add(memory("stream-node-max-bytes", 4096, 0, LONG_MAX, MUTABLE, COMPAT, "Stream node size"));

        // --- accepted for compatibility, no effect in Moon ---
        for (String b : List.of("lazyfree-lazy-eviction", "lazyfree-lazy-expire", "lazyfree-lazy-server-del",
                "lazyfree-lazy-user-del", "lazyfree-lazy-user-flush", "activedefrag", "replica-lazy-flush")) {
            p.add(bool(b, false, MUTABLE, COMPAT, "Accepted; no effect (Moon frees memory through the GC)"));
        }
        p.add(bool("activerehashing", true, MUTABLE, COMPAT, "Accepted; Moon's tables grow a segment at a time"));
        p.add(bool("rdbcompression", true, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(bool("rdbchecksum", true, IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(bool("stop-writes-on-bgsave-error", true, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(bool("replica-read-only", true, MUTABLE, COMPAT, "Accepted; replication is not built yet").withAlias("slave-read-only"));
        p.add(bool("replica-serve-stale-data", true, MUTABLE, COMPAT, "Accepted; replication is not built yet").withAlias("slave-serve-stale-data"));
        p.add(integer("repl-backlog-size", 1 << 20, 1, LONG_MAX, MUTABLE, COMPAT, "Accepted; replication is not built yet"));
        p.add(integer("repl-timeout", 60, 1, INT_MAX, MUTABLE, COMPAT, "Accepted; replication is not built yet"));
        p.add(integer("min-replicas-to-write", 0, 0, INT_MAX, MUTABLE, COMPAT, "Accepted; replication is not built yet").withAlias("min-slaves-to-write"));
        p.add(integer("min-replicas-max-lag", 10, 0, INT_MAX, MUTABLE, COMPAT, "Accepted; replication is not built yet").withAlias("min-slaves-max-lag"));
        p.add(bool("cluster-enabled", false, IMMUTABLE, COMPAT, "Accepted; cluster mode is not built yet"));
        p.add(special("notify-keyspace-events", "", MUTABLE, COMPAT, ConfigParams::keyspaceEvents,
                "Accepted; keyspace notifications are not built yet"));
        ConfigParam[] outputLimits = new ConfigParam[1];
        outputLimits[0] = special("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
                MUTABLE, COMPAT, v -> OutputBufferLimits.merge(outputLimits[0].value(), v), "Accepted; no effect");
        p.add(outputLimits[0]);
        p.add(integer("tracking-table-max-keys", 1000000, 0, LONG_MAX, MUTABLE, EFFECTIVE,
                "Most keys remembered for client-side caching, over all shards (0: no limit); past it keys are dropped and their clients told"));
        p.add(integer("acllog-max-len", 128, 0, LONG_MAX, MUTABLE, COMPAT, "Accepted; ACLs are not built yet"));
        p.add(string("aclfile", "", IMMUTABLE, COMPAT, "Accepted; ACLs are not built yet"));
        p.add(integer("io-threads", 1, 1, 128, IMMUTABLE, COMPAT, "Accepted; Moon's threads are --shards"));
        p.add(bool("io-threads-do-reads", false, IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(enumeration("sanitize-dump-payload", "no", List.of("no", "yes", "clients"), MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(enumeration("enable-debug-command", "no", List.of("no", "yes", "local"), IMMUTABLE, COMPAT, "Accepted; DEBUG is not built"));
        p.add(enumeration("enable-protected-configs", "no", List.of("no", "yes", "local"), IMMUTABLE, EFFECTIVE,
                "Whether CONFIG SET may change protected settings (dir, dbfilename): no, yes, or local for loopback clients"));
        p.add(enumeration("enable-module-command", "no", List.of("no", "yes", "local"), IMMUTABLE, COMPAT, "Accepted; modules are not supported"));
        p.add(enumeration("oom-score-adj", "no", List.of("no", "yes", "relative", "absolute"), MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(bool("always-show-logo", false, IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(bool("set-proc-title", true, IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(enumeration("supervised", "no", List.of("upstart", "systemd", "auto", "no"), IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(integer("shutdown-timeout", 10, 0, INT_MAX, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(special("maxmemory-clients", "0", MUTABLE, COMPAT, ConfigParams::memoryOrPercent, "Accepted; no effect"));
        p.add(bool("disable-thp", true, IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(bool("crash-log-enabled", true, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(bool("crash-memcheck-enabled", true, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(bool("jemalloc-bg-thread", true, MUTABLE, COMPAT, "Accepted; Moon does not use jemalloc"));
        p.add(string("proc-title-template", "{title} {listen-addr} {server-mode}", MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(special("shutdown-on-sigint", "default", MUTABLE, COMPAT, ConfigParams::shutdownFlags, "Accepted; no effect"));
        p.add(special("shutdown-on-sigterm", "default", MUTABLE, COMPAT, ConfigParams::shutdownFlags, "Accepted; no effect"));
        p.add(special("latency-tracking-info-percentiles", "50 99 99.9", MUTABLE, EFFECTIVE, ConfigParams::percentiles,
                "Percentiles INFO latencystats shows"));
        p.add(special("oom-score-adj-values", "0 200 800", MUTABLE, COMPAT, ConfigParams::oomScoreAdjValues, "Accepted; no effect"));
        p.add(string("unixsocket", "", IMMUTABLE, COMPAT, "Accepted; Moon listens on TCP only"));
        p.add(integer("unixsocketperm", 0, 0, 0777, IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(bool("syslog-enabled", false, IMMUTABLE, COMPAT, "Accepted; Moon logs through logback"));
        p.add(string("syslog-ident", "redis", IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(enumeration("syslog-facility", "local0", List.of("user", "local0", "local1", "local2", "local3", "local4",
                "local5", "local6", "local7"), IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(bool("aof-use-rdb-preamble", true, MUTABLE, COMPAT, "Accepted; see appendonly"));
        p.add(integer("auto-aof-rewrite-percentage", 100, 0, INT_MAX, MUTABLE, COMPAT, "Accepted; see appendonly"));
        p.add(memory("auto-aof-rewrite-min-size", 64L << 20, 0, LONG_MAX, MUTABLE, COMPAT, "Accepted; see appendonly"));
        p.add(integer("active-defrag-cycle-min", 1, 1, 99, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(integer("active-defrag-cycle-max", 25, 1, 99, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(integer("active-defrag-threshold-lower", 10, 0, 1000, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(integer("active-defrag-threshold-upper", 100, 0, 1000, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(memory("active-defrag-ignore-bytes", 100L << 20, 1, LONG_MAX, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(integer("active-defrag-max-scan-fields", 1000, 1, LONG_MAX, MUTABLE, COMPAT, "Accepted; no effect"));

        // --- replication (accepted until replication is built) ---
        p.add(special("replicaof", "", IMMUTABLE, COMPAT, v -> v.trim(), "Accepted; replication is not built yet").withAlias("slaveof"));
        p.add(string("masterauth", "", MUTABLE, COMPAT, "Accepted; replication is not built yet").sensitive(true));
        p.add(string("masteruser", "", MUTABLE, COMPAT, "Accepted; replication is not built yet").sensitive(true));
        p.add(integer("replica-priority", 100, 0, INT_MAX, MUTABLE, COMPAT, "Accepted; replication is not built yet").withAlias("slave-priority"));
        p.add(integer("repl-ping-replica-period", 10, 1, INT_MAX, MUTABLE, COMPAT, "Accepted; replication is not built yet")
                .withAlias("repl-ping-slave-period"));
        p.add(bool("repl-diskless-sync", true, MUTABLE, COMPAT, "Accepted; replication is not built yet"));
        p.add(integer("repl-diskless-sync-delay", 5, 0, INT_MAX, MUTABLE, COMPAT, "Accepted; replication is not built yet"));
        p.add(integer("repl-diskless-sync-max-replicas", 0, 0, INT_MAX, MUTABLE, COMPAT, "Accepted; replication is not built yet"));
        p.add(enumeration("repl-diskless-load", "disabled", List.of("disabled", "on-empty-db", "swapdb"), MUTABLE, COMPAT,
                "Accepted; replication is not built yet"));

        // --- Redis's hidden test settings: shown only when asked for by name ---
        p.add(integer("key-load-delay", 0, Integer.MIN_VALUE, INT_MAX, MUTABLE, COMPAT, "Accepted; no effect").hidden(true));
        p.add(integer("rdb-key-save-delay", 0, Integer.MIN_VALUE, INT_MAX, MUTABLE, COMPAT, "Accepted; no effect").hidden(true));
        return p;
    }

    /** Redis's notify-keyspace-events classes, printed in Redis's canonical order (keyspaceEventsFlagsToString). */
    private static String keyspaceEvents(String v) throws ConfigError {
        String all = "g$lshzxetd"; // what "A" stands for
        java.util.Set<Character> on = new java.util.HashSet<>();
        for (char ch : v.toCharArray()) {
            if (ch == 'A') {
                for (char a : all.toCharArray()) on.add(a);
            } else if ("g$lshzxeKEtmdn".indexOf(ch) >= 0) {
                on.add(ch);
            } else {
                throw new ConfigError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            }
        }
        StringBuilder out = new StringBuilder();
        boolean allOn = true;
        for (char a : all.toCharArray()) allOn &= on.contains(a);
        if (allOn) out.append('A');
        else for (char ch : "g$lshzxetdn".toCharArray()) if (on.contains(ch)) out.append(ch);
        // As Redis: with "A" the string form leaves out 'n', which "A" does not include.
        for (char ch : "KEm".toCharArray()) if (on.contains(ch)) out.append(ch);
        return out.toString();
    }

    /** Redis's oom-score-adj-values: three integers between -2000 and 2000. */
    private static String oomScoreAdjValues(String v) throws ConfigError {
        String[] parts = v.trim().split("\\s+");
        if (parts.length != 3) throw new ConfigError("wrong number of arguments");
        for (String s : parts) {
            long n;
            try {
                n = Long.parseLong(s);
            } catch (NumberFormatException e) {
                n = Long.MAX_VALUE;
            }
            if (n < -2000 || n > 2000) throw new ConfigError("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
        }
        return String.join(" ", parts);
    }

    /** Redis's memory-or-percent settings: "10%" (at most 100) or a memory value. */
    private static String memoryOrPercent(String v) throws ConfigError {
        String t = v.trim();
        if (t.endsWith("%")) {
            long pct;
            try {
                pct = Long.parseLong(t.substring(0, t.length() - 1));
            } catch (NumberFormatException e) {
                throw new ConfigError("argument must be a memory or percent value");
            }
            if (pct < 0) throw new ConfigError("argument must be a memory or percent value");
            if (pct > 100) throw new ConfigError("percentage argument must be less or equal to 100");
            return pct + "%";
        }
        long bytes = MemoryValue.parse(t);
        if (bytes == Long.MIN_VALUE || bytes < 0) throw new ConfigError("argument must be a memory or percent value");
        return Long.toString(bytes);
    }

    /** Redis's shutdown-on-sig*: "default", or any of save|nosave, now, force. */
    private static String shutdownFlags(String v) throws ConfigError {
        String t = v.trim().toLowerCase(Locale.ROOT);
        String bad = "argument(s) must be one of the following: default, save, nosave, now, force";
        if (t.isEmpty()) throw new ConfigError(bad);
        List<String> words = List.of(t.split("\\s+"));
        boolean save = false, nosave = false, now = false, force = false;
        for (String w : words) {
            switch (w) {
                case "save" -> save = true;
                case "nosave" -> nosave = true;
                case "now" -> now = true;
                case "force" -> force = true;
                case "default" -> { }
                default -> throw new ConfigError(bad);
            }
        }
        if (save && nosave) throw new ConfigError("shutdown options SAVE and NOSAVE can't be used simultaneously");
        // Redis prints the flags in its enum's order.
        List<String> out = new ArrayList<>();
        if (save) out.add("save");
        if (nosave) out.add("nosave");
        if (now) out.add("now");
        if (force) out.add("force");
        return out.isEmpty() ? "default" : String.join(" ", out);
    }

    /** Redis's latency-tracking-info-percentiles: numbers between 0 and 100. */
    private static String percentiles(String v) throws ConfigError {
        String t = v.trim();
        if (t.isEmpty()) return "";
        List<String> out = new ArrayList<>();
        for (String w : t.split("\\s+")) {
            double d;
            try {
                d = Double.parseDouble(w);
            } catch (NumberFormatException e) {
                throw new ConfigError("Invalid latency-tracking-info-percentiles parameters");
            }
            if (d > 100.0 || d < 0.0) {
                throw new ConfigError("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            // Redis prints "%f" with trailing zeros trimmed (trimDoubleString).
            String f = String.format(Locale.ROOT, "%f", d);
            if (f.contains(".")) f = f.replaceAll("0+$", "").replaceAll("\\.$", "");
            out.add(f);
        }
        return String.join(" ", out);
    }

    /** Redis's bind: blank-separated addresses, at most 16. */
    private static String bindList(String v) throws ConfigError {
        String[] parts = v.trim().split("\\s+");
        if (v.isBlank() || parts.length > 16) throw new ConfigError("Too many bind addresses specified.");
        return String.join(" ", parts);
    }

    /** Redis's save rules: "" or pairs of <seconds> <changes>. */
    private static String saveRules(String v) throws ConfigError {
        String t = v.trim();
        if (t.isEmpty()) return "";
        String[] parts = t.split("\\s+");
        if (parts.length % 2 != 0) throw new ConfigError("Invalid save parameters");
        for (String s : parts) {
            try {
                if (Long.parseLong(s) < 0) throw new ConfigError("Invalid save parameters");
            } catch (NumberFormatException e) {
                throw new ConfigError("Invalid save parameters");
            }
        }
        return String.join(" ", parts).toLowerCase(Locale.ROOT);
    }
}
