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
                "Event-loop threads, each owning a part of the keyspace (default: the number of cores)"));
        p.add(enumeration("io", "auto", List.of("auto", "io_uring", "epoll", "nio"), IMMUTABLE, EFFECTIVE,
                "Network transport; auto picks io_uring, then epoll, then NIO"));

        // --- network and clients ---
        p.add(integer("port", 6379, 0, 65535, IMMUTABLE, EFFECTIVE, "TCP port"));
        p.add(special("bind", "127.0.0.1", IMMUTABLE, EFFECTIVE, ConfigParams::bindList,
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
        p.add(special("dir", "./data", MUTABLE, EFFECTIVE, v -> v, "Data directory (created when missing)"));
        p.add(string("dbfilename", "dump.rdb", MUTABLE, COMPAT, "Accepted; snapshots are Moon's own files"));
        p.add(special("save", "", MUTABLE, COMPAT, ConfigParams::saveRules, "Accepted; snapshot rules arrive with persistence"));
        p.add(bool("appendonly", false, MUTABLE, COMPAT, "Accepted; the write-ahead log arrives with persistence"));
        p.add(enumeration("appendfsync", "everysec", List.of("always", "everysec", "no"), MUTABLE, COMPAT, "Accepted; see appendonly"));
        p.add(string("appendfilename", "appendonly.aof", IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(string("appenddirname", "appendonlydir", IMMUTABLE, COMPAT, "Accepted; no effect"));

        // --- logging and process ---
        p.add(enumeration("loglevel", "notice", List.of("debug", "verbose", "notice", "warning", "nothing"), MUTABLE, EFFECTIVE, "Log verbosity"));
        p.add(string("logfile", "", IMMUTABLE, EFFECTIVE, "Log file (empty: standard output)"));
        p.add(string("pidfile", "", IMMUTABLE, EFFECTIVE, "Write the process id here at start"));
        p.add(bool("daemonize", false, IMMUTABLE, COMPAT, "Accepted; Moon runs in the foreground (use a supervisor)"));
        p.add(integer("databases", 16, 1, 1024, IMMUTABLE, EFFECTIVE, "Number of databases (SELECT 0..n-1)"));

        // --- introspection ---
        p.add(integer("slowlog-log-slower-than", 10000, -1, LONG_MAX, MUTABLE, EFFECTIVE, "Microseconds; -1 disables, 0 logs every command"));
        p.add(integer("slowlog-max-len", 128, 0, LONG_MAX, MUTABLE, EFFECTIVE, "Entries kept by SLOWLOG"));
        p.add(integer("latency-monitor-threshold", 0, 0, LONG_MAX, MUTABLE, COMPAT, "Accepted; LATENCY is not built yet"));
        p.add(bool("latency-tracking", true, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(integer("busy-reply-threshold", 5000, 0, LONG_MAX, MUTABLE, COMPAT, "Accepted; scripting is not built yet").withAlias("lua-time-limit"));

        // --- data type encodings (the types arrive with their issue; thresholds are kept) ---
        p.add(integer("hash-max-listpack-entries", 512, 0, LONG_MAX, MUTABLE, COMPAT, "Hash encoding threshold").withAlias("hash-max-ziplist-entries"));
        p.add(memory("hash-max-listpack-value", 64, 0, LONG_MAX, MUTABLE, COMPAT, "Hash encoding threshold").withAlias("hash-max-ziplist-value"));
        p.add(integer("list-max-listpack-size", -2, Integer.MIN_VALUE, INT_MAX, MUTABLE, COMPAT, "List node size").withAlias("list-max-ziplist-size"));
        p.add(integer("list-compress-depth", 0, 0, INT_MAX, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(integer("set-max-intset-entries", 512, 0, LONG_MAX, MUTABLE, COMPAT, "Set encoding threshold"));
        p.add(integer("zset-max-listpack-entries", 128, 0, LONG_MAX, MUTABLE, COMPAT, "Sorted set encoding threshold").withAlias("zset-max-ziplist-entries"));
        p.add(memory("zset-max-listpack-value", 64, 0, LONG_MAX, MUTABLE, COMPAT, "Sorted set encoding threshold").withAlias("zset-max-ziplist-value"));
        p.add(memory("hll-sparse-max-bytes", 3000, 0, LONG_MAX, MUTABLE, COMPAT, "HyperLogLog sparse threshold"));
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
        p.add(special("notify-keyspace-events", "", MUTABLE, COMPAT, v -> v, "Accepted; keyspace notifications are not built yet"));
        p.add(special("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
                MUTABLE, COMPAT, v -> v, "Accepted; no effect"));
        p.add(integer("tracking-table-max-keys", 1000000, 0, LONG_MAX, MUTABLE, COMPAT, "Accepted; client tracking is not built yet"));
        p.add(integer("acllog-max-len", 128, 0, LONG_MAX, MUTABLE, COMPAT, "Accepted; ACLs are not built yet"));
        p.add(string("aclfile", "", IMMUTABLE, COMPAT, "Accepted; ACLs are not built yet"));
        p.add(integer("io-threads", 1, 1, 128, IMMUTABLE, COMPAT, "Accepted; Moon's threads are --shards"));
        p.add(bool("io-threads-do-reads", false, IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(enumeration("sanitize-dump-payload", "no", List.of("no", "yes", "clients"), MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(enumeration("enable-debug-command", "no", List.of("no", "yes", "local"), IMMUTABLE, COMPAT, "Accepted; DEBUG is not built"));
        p.add(enumeration("enable-protected-configs", "no", List.of("no", "yes", "local"), IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(enumeration("enable-module-command", "no", List.of("no", "yes", "local"), IMMUTABLE, COMPAT, "Accepted; modules are not supported"));
        p.add(enumeration("oom-score-adj", "no", List.of("no", "yes", "relative", "absolute"), MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(bool("always-show-logo", false, IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(bool("set-proc-title", true, IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(enumeration("supervised", "no", List.of("upstart", "systemd", "auto", "no"), IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(integer("shutdown-timeout", 10, 0, INT_MAX, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(memory("maxmemory-clients", 0, 0, LONG_MAX, MUTABLE, COMPAT, "Accepted; no effect"));
        p.add(bool("disable-thp", true, IMMUTABLE, COMPAT, "Accepted; no effect"));
        p.add(bool("crash-log-enabled", true, MUTABLE, COMPAT, "Accepted; no effect"));
        return p;
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
