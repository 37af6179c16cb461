package io.moon.node.command;

import io.moon.node.config.ServerConfig;
import io.moon.node.metrics.ProcessStats;
import io.moon.node.server.CommandStats;
import io.moon.node.server.Connection;
import io.moon.node.server.Node;
import io.moon.node.server.Shard;
import io.moon.node.store.Db;
import io.moon.node.store.Keyspace;
import io.moon.node.store.KeyspaceStats;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * INFO [section ...], as Redis 7.0's genRedisInfoString: the same sections, in the same order,
 * with the same field names, plus Moon's "shards" section (per shard keys, memory, commands),
 * printed for "all", "everything" or by name.
 *
 * <p>The row is {@code all_shards}: INFO runs with every shard held, so it reads each shard's
 * counters (CommandStats, KeyspaceStats, table sizes) with no other command running on them.
 * Features Moon does not have yet (persistence, replication, scripting, pub/sub) report what
 * Redis reports when they are idle or off.
 */
final class InfoCommand {
    private InfoCommand() {}

    /** Redis's default sections (genInfoSectionDict). */
    private static final List<String> DEFAULT_SECTIONS = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "module_list", "errorstats", "cluster", "keyspace");
    private static final String NULL_REPLID = "0".repeat(40);
    /** Keys sampled per database and shard to estimate avg_ttl. */
    private static final int TTL_SAMPLES = 16;

    static void register(CommandTable t) {
        t.add(new CommandSpec("info", -1, "loading stale all_shards", 0, 0, 0, "@dangerous", InfoCommand::info)
                .doc("server", "1.0.0", "Get information and statistics about the server").complexity("O(1)")
                .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special"));
    }

    static void info(CommandContext c) {
        Set<String> sections = new HashSet<>();
        boolean all = false, everything = false;
        if (c.argc() == 1) sections.addAll(DEFAULT_SECTIONS);
        for (int i = 1; i < c.argc(); i++) {
            String s = c.str(i).toLowerCase(Locale.ROOT);
            switch (s) {
                case "default" -> sections.addAll(DEFAULT_SECTIONS);
                case "all" -> all = true;
                case "everything" -> all = everything = true;
                default -> sections.add(s);
            }
        }
        c.reply().verbatim(text(c, sections, all));
    }

    /** The INFO text for the given sections; {@code all} includes every section. */
    static String text(CommandContext c, Set<String> sections, boolean all) {
        Node node = c.node();
        Info out = new Info();
        if (all || sections.contains("server")) server(out.section("Server"), c, node);
        if (all || sections.contains("clients")) clients(out.section("Clients"), node);
        if (all || sections.contains("memory")) memory(out.section("Memory"), node);
        if (all || sections.contains("persistence")) persistence(out.section("Persistence"), node);
        if (all || sections.contains("stats")) stats(out.section("Stats"), node);
        if (all || sections.contains("replication")) replication(out.section("Replication"), node);
        if (all || sections.contains("cpu")) cpu(out.section("CPU"));
        if (all || sections.contains("module_list") || sections.contains("modules")) out.section("Modules");
        if (all || sections.contains("commandstats")) commandstats(out.section("Commandstats"), node);
        if (all || sections.contains("errorstats")) errorstats(out.section("Errorstats"), node);
        if (all || sections.contains("latencystats")) latencystats(out.section("Latencystats"), node);
        if (all || sections.contains("cluster")) out.section("Cluster").field("cluster_enabled", 0);
        if (all || sections.contains("keyspace")) keyspace(out.section("Keyspace"), node);
        if (all || sections.contains("shards")) shards(out.section("Shards"), node);
        if (all || sections.contains("recovery")) recovery(out.section("Recovery"), node);
        return out.toString();
    }

    // ------------------------------------------------------------------ sections

    private static void server(Info o, CommandContext c, Node node) {
        ServerConfig cfg = node.config();
        long nowMs = System.currentTimeMillis();
        long uptime = (nowMs - node.startMs()) / 1000;
        String configFile = cfg.configFile() == null ? "" : cfg.configFile().toString();
        o.field("redis_version", ServerInfo.REDIS_VERSION)
                .field("redis_git_sha1", "00000000")
                .field("redis_git_dirty", 0)
                .field("redis_build_id", "moon-" + ServerInfo.MOON_VERSION)
                .field("redis_mode", "standalone")
                .field("os", ProcessStats.os())
                .field("arch_bits", 64)
                .field("monotonic_clock", "POSIX clock_gettime")
                .field("multiplexing_api", node.transport().configName)
                .field("atomicvar_api", "java")
                .field("gcc_version", "0.0.0")
                .field("process_id", ProcessStats.pid())
                .field("process_supervised", "no")
                .field("run_id", node.runId())
                .field("tcp_port", node.port())
                .field("server_time_usec", nowMs * 1000)
                .field("uptime_in_seconds", uptime)
                .field("uptime_in_days", uptime / 86400)
                .field("hz", cfg.get("hz"))
                .field("configured_hz", cfg.get("hz"))
                .field("lru_clock", (nowMs / 1000) & ((1 << 24) - 1))
                .field("executable", ProcessStats.executable())
                .field("config_file", configFile)
                .field("io_threads_active", 0)
                .field("moon_version", ServerInfo.MOON_VERSION)
                .field("moon_shards", node.shards().length)
                .field("java_version", Runtime.version().toString());
    }

    private static void clients(Info o, Node node) {
        long maxIn = 0, maxOut = 0, blocked = 0;
        for (Connection conn : node.clients().values()) {
            maxIn = Math.max(maxIn, conn.queryBufferBytes());
            maxOut = Math.max(maxOut, conn.outputBytes());
            if (conn.isBlocked()) blocked++;
        }
        o.field("connected_clients", node.clients().size())
                .field("cluster_connections", 0)
                .field("maxclients", node.config().maxclients())
                .field("client_recent_max_input_buffer", maxIn)
                .field("client_recent_max_output_buffer", maxOut)
                .field("blocked_clients", blocked)
                .field("tracking_clients", node.tracking().clients())
                .field("clients_in_timeout_table", 0);
    }

    private static void memory(Info o, Node node) {
        var lua = node.scripting();
        long used = node.usedMemory();
        node.notePeakMemory(used);
        long peak = node.peakMemory();
        long rss = ProcessStats.residentBytes();
        long startup = Node.BASELINE_MEMORY;
        long dataset = used - startup;
        long net = Math.max(1, used - startup);
        Runtime rt = Runtime.getRuntime();
        long heapUsed = rt.totalMemory() - rt.freeMemory(), heapCommitted = rt.totalMemory();
        long total = ProcessStats.totalSystemMemory();
        long maxmemory = node.config().maxmemory();
        o.field("used_memory", used)
                .field("used_memory_human", human(used))
                .field("used_memory_rss", rss)
                .field("used_memory_rss_human", human(rss))
                .field("used_memory_peak", peak)
                .field("used_memory_peak_human", human(peak))
                .field("used_memory_peak_perc", pct(used * 100.0 / Math.max(1, peak)) + "%")
                .field("used_memory_overhead", startup)
                .field("used_memory_startup", startup)
                .field("used_memory_dataset", dataset)
                .field("used_memory_dataset_perc", pct(dataset * 100.0 / net) + "%")
                .field("allocator_allocated", heapUsed)
                .field("allocator_active", heapCommitted)
                .field("allocator_resident", rss)
                .field("total_system_memory", total)
                .field("total_system_memory_human", human(total))
                .field("used_memory_lua", lua.evalVmMemory())
                .field("used_memory_vm_eval", lua.evalVmMemory())
                .field("used_memory_lua_human", human(lua.evalVmMemory()))
                .field("used_memory_scripts_eval", lua.scriptsMemory())
                .field("number_of_cached_scripts", lua.cachedScripts())
                .field("number_of_functions", lua.functionCount())
                .field("number_of_libraries", lua.libraryCount())
                .field("used_memory_vm_functions", lua.functionsVmMemory())
                .field("used_memory_vm_total", lua.evalVmMemory() + lua.functionsVmMemory())
                .field("used_memory_vm_total_human", human(lua.evalVmMemory() + lua.functionsVmMemory()))
                .field("used_memory_functions", 0)
                .field("used_memory_scripts", lua.scriptsMemory())
                .field("used_memory_scripts_human", human(lua.scriptsMemory()))
                .field("maxmemory", maxmemory)
                .field("maxmemory_human", human(maxmemory))
                .field("maxmemory_policy", node.config().get("maxmemory-policy"))
                .field("allocator_frag_ratio", ratio(heapCommitted, heapUsed))
                .field("allocator_frag_bytes", heapCommitted - heapUsed)
                .field("allocator_rss_ratio", ratio(rss, heapCommitted))
                .field("allocator_rss_bytes", rss - heapCommitted)
                .field("rss_overhead_ratio", ratio(rss, heapCommitted))
                .field("rss_overhead_bytes", rss - heapCommitted)
                .field("mem_fragmentation_ratio", ratio(rss, used))
                .field("mem_fragmentation_bytes", rss - used)
                .field("mem_not_counted_for_evict", Node.BASELINE_MEMORY) // in used_memory, not in what maxmemory limits
                .field("mem_replication_backlog", 0)
                .field("mem_total_replication_buffers", 0)
                .field("mem_clients_slaves", 0)
                .field("mem_clients_normal", 0)
                .field("mem_cluster_links", 0)
                .field("mem_aof_buffer", 0)
                .field("mem_allocator", "jvm")
                .field("active_defrag_running", 0)
                .field("lazyfree_pending_objects", 0)
                .field("lazyfreed_objects", 0);
    }

    /**
     * Moon: what the write-ahead logs hold and what the last start recovered, per shard. The
     * operator reads it to tell a node that came back with less data than its replicas.
     */
    private static void recovery(Info o, Node node) {
        io.moon.node.persist.Persistence p = node.persistence();
        o.field("start_type", node.startType());
        if (p == null) {
            var loaded = node.loadedSnapshot();
            o.field("snapshot_loaded", loaded.manifest() == null ? 0 : 1)
                    .field("snapshot_id", loaded.manifest() == null ? 0 : loaded.manifest().snapshotId())
                    .field("snapshot_keys_loaded", loaded.keys())
                    .field("wal_enabled", 0);
            return;
        }
        var m = p.manifest();
        o.field("snapshot_loaded", m == null ? 0 : 1)
                .field("snapshot_id", m == null ? 0 : m.snapshotId())
                .field("snapshot_keys_loaded", p.snapshotKeys());
        io.moon.node.persist.Recovery.Report r = p.recovery();
        long replayed = 0, truncated = 0;
        for (int s = 0; s < p.shards(); s++) {
            replayed += r.replayed()[s];
            truncated += r.bytesTruncated()[s];
        }
        o.field("wal_enabled", 1)
                .field("wal_fsync", p.wal(0).policy().name().toLowerCase(java.util.Locale.ROOT))
                .field("recovery_ms", r.millis())
                .field("recovery_records_replayed", replayed)
                .field("recovery_bytes_truncated", truncated)
                .field("recovery_transactions_dropped", r.droppedTransactions());
        for (int s = 0; s < p.shards(); s++) {
            var wal = p.wal(s);
            o.field("shard" + s, "snapshot_lsn=" + (m == null ? 0 : m.lsn()[s]) + ",recovered_lsn=" + r.lastLsn()[s]
                    + ",appended_lsn=" + wal.appendedLsn() + ",durable_lsn=" + wal.durableLsn()
                    + ",status=" + (wal.failure() == null ? "ok" : "err"));
        }
    }

    private static void persistence(Info o, Node node) {
        long dirty = 0;
        for (Shard s : node.shards()) dirty += s.keyspace().dirty;
        // Snapshots are Moon's RDB saves (and its log rewrites: a snapshot compacts the logs).
        io.moon.node.server.Snapshots snaps = node.snapshots();
        boolean saving = snaps != null && snaps.running();
        long now = System.currentTimeMillis();
        long loaded = node.persistence() != null ? node.persistence().snapshotKeys() : node.loadedSnapshot().keys();
        o.field("loading", 0)
                .field("async_loading", 0)
                .field("current_cow_peak", 0)
                .field("current_cow_size", 0)
                .field("current_cow_size_age", 0)
                .field("current_fork_perc", "0.00")
                .field("current_save_keys_processed", saving ? snaps.keysProcessed() : 0)
                .field("current_save_keys_total", saving ? snaps.keysTotal() : 0)
                .field("rdb_changes_since_last_save", snaps != null ? snaps.changesSinceSave() : dirty)
                .field("rdb_bgsave_in_progress", saving ? 1 : 0)
                .field("rdb_last_save_time", (snaps != null ? snaps.lastSaveMs() : node.startMs()) / 1000)
                .field("rdb_last_bgsave_status", snaps == null || snaps.lastOk() ? "ok" : "err")
                .field("rdb_last_bgsave_time_sec", snaps == null || snaps.lastDurationMs() < 0 ? -1 : snaps.lastDurationMs() / 1000)
                .field("rdb_current_bgsave_time_sec", saving ? (now - snaps.startedMs()) / 1000 : -1)
                .field("rdb_saves", snaps == null ? 0 : snaps.saves())
                .field("rdb_last_cow_size", 0)
                .field("rdb_last_load_keys_expired", 0)
                .field("rdb_last_load_keys_loaded", loaded)
                .field("aof_enabled", node.persistence() == null ? 0 : 1)
                .field("aof_rewrite_in_progress", saving && node.persistence() != null ? 1 : 0)
                .field("aof_rewrite_scheduled", 0)
                .field("aof_last_rewrite_time_sec", -1)
                .field("aof_current_rewrite_time_sec", -1)
                .field("aof_last_bgrewrite_status", "ok")
                .field("aof_rewrites", 0)
                .field("aof_rewrites_consecutive_failures", 0)
                .field("aof_last_write_status", node.persistence() != null && node.persistence().failure() != null ? "err" : "ok")
                .field("aof_last_cow_size", 0)
                .field("module_fork_in_progress", 0)
                .field("module_fork_last_cow_size", 0);
    }

    private static void stats(Info o, Node node) {
        long commands = 0, errors = 0, hits = 0, misses = 0, expired = 0, evicted = 0, capReached = 0;
        long stalePercSum = 0, cycles = 0;
        for (CommandStats st : node.commandStats()) {
            commands += st.totalCommands;
            errors += st.totalErrors;
        }
        for (Shard s : node.shards()) {
            KeyspaceStats ks = s.keyspace().stats;
            hits += ks.keyspaceHits;
            misses += ks.keyspaceMisses;
            expired += ks.expiredKeys;
            evicted += ks.evictedKeys;
            capReached += ks.expiredTimeCapReached;
            stalePercSum += ks.expiredStalePercSum;
            cycles += ks.expireCycles;
        }
        var m = node.metrics();
        o.field("total_connections_received", node.totalConnections.sum())
                .field("total_commands_processed", commands)
                .field("instantaneous_ops_per_sec", m.opsPerSec())
                .field("total_net_input_bytes", node.netInputBytes.sum())
                .field("total_net_output_bytes", node.netOutputBytes.sum())
                .field("total_net_repl_input_bytes", 0)
                .field("total_net_repl_output_bytes", 0)
                .field("instantaneous_input_kbps", pct(m.inputKbps()))
                .field("instantaneous_output_kbps", pct(m.outputKbps()))
                .field("instantaneous_input_repl_kbps", "0.00")
                .field("instantaneous_output_repl_kbps", "0.00")
                .field("rejected_connections", node.rejectedConnections.sum())
                .field("sync_full", 0)
                .field("sync_partial_ok", 0)
                .field("sync_partial_err", 0)
                .field("expired_keys", expired)
                .field("expired_stale_perc", pct(cycles == 0 ? 0 : (double) stalePercSum / cycles))
                .field("expired_time_cap_reached_count", capReached)
                .field("expire_cycle_cpu_milliseconds", 0)
                .field("evicted_keys", evicted)
                .field("evicted_clients", 0)
                .field("total_eviction_exceeded_time", 0)
                .field("current_eviction_exceeded_time", 0)
                .field("keyspace_hits", hits)
                .field("keyspace_misses", misses)
                .field("pubsub_channels", 0)
                .field("pubsub_patterns", 0)
                .field("pubsubshard_channels", 0)
                .field("latest_fork_usec", 0)
                .field("total_forks", 0)
                .field("migrate_cached_sockets", node.migrateSockets().size())
                .field("slave_expires_tracked_keys", 0)
                .field("active_defrag_hits", 0)
                .field("active_defrag_misses", 0)
                .field("active_defrag_key_hits", 0)
                .field("active_defrag_key_misses", 0)
                .field("total_active_defrag_time", 0)
                .field("current_active_defrag_time", 0)
                .field("tracking_total_keys", node.tracking().keys())
                .field("tracking_total_items", node.tracking().items())
                .field("tracking_total_prefixes", node.tracking().prefixes())
                .field("unexpected_error_replies", 0)
                .field("total_error_replies", errors)
                .field("dump_payload_sanitizations", 0)
                .field("total_reads_processed", 0)
                .field("total_writes_processed", 0)
                .field("io_threaded_reads_processed", 0)
                .field("io_threaded_writes_processed", 0)
                .field("reply_buffer_shrinks", 0)
                .field("reply_buffer_expands", 0);
    }

    /** A primary without replicas: replication is not built yet. */
    private static void replication(Info o, Node node) {
        o.field("role", "master")
                .field("connected_slaves", 0)
                .field("master_failover_state", "no-failover")
                .field("master_replid", node.replicationId())
                .field("master_replid2", NULL_REPLID)
                .field("master_repl_offset", 0)
                .field("second_repl_offset", -1)
                .field("repl_backlog_active", 0)
                .field("repl_backlog_size", node.config().get("repl-backlog-size"))
                .field("repl_backlog_first_byte_offset", 0)
                .field("repl_backlog_histlen", 0);
    }

    private static void cpu(Info o) {
        double[] cpu = ProcessStats.cpuSeconds();
        o.field("used_cpu_sys", seconds(cpu[1]))
                .field("used_cpu_user", seconds(cpu[0]))
                .field("used_cpu_sys_children", seconds(cpu[3]))
                .field("used_cpu_user_children", seconds(cpu[2]));
    }

    private static void commandstats(Info o, Node node) {
        List<CommandSpec> specs = node.commands().allWithSubcommands();
        for (CommandSpec spec : specs) {
            long calls = 0, usec = 0, rejected = 0, failed = 0;
            for (CommandStats st : node.commandStats()) {
                calls += st.calls[spec.id];
                usec += st.usec[spec.id];
                rejected += st.rejected[spec.id];
                failed += st.failed[spec.id];
            }
            if (calls == 0 && rejected == 0 && failed == 0) continue;
            o.field("cmdstat_" + safe(spec.fullName()), "calls=" + calls + ",usec=" + usec + ",usec_per_call="
                    + pct(calls == 0 ? 0 : (double) usec / calls) + ",rejected_calls=" + rejected + ",failed_calls=" + failed);
        }
    }

    /** Redis's genRedisInfoStringLatencyStats: each command's latency percentiles (µs), when latency-tracking is on. */
    private static void latencystats(Info o, Node node) {
        var monitor = node.latencyMonitor();
        if (!monitor.tracking()) return;
        for (CommandSpec spec : node.commands().allWithSubcommands()) {
            List<org.HdrHistogram.Histogram> parts = new java.util.ArrayList<>();
            for (CommandStats st : node.commandStats()) parts.add(st.latency[spec.id]);
            var h = io.moon.node.metrics.LatencyHistograms.merge(parts);
            if (h == null) continue;
            o.field("latency_percentiles_usec_" + safe(spec.fullName()),
                    io.moon.node.metrics.LatencyHistograms.percentiles(h, monitor.percentiles(), monitor.percentileLabels()));
        }
    }

    /** Error codes in byte order, as Redis's rax iterates them. */
    private static void errorstats(Info o, Node node) {
        Map<String, Long> merged = new TreeMap<>();
        for (CommandStats st : node.commandStats()) {
            for (var e : st.errors.entrySet()) merged.merge(e.getKey(), e.getValue(), Long::sum);
        }
        for (var e : merged.entrySet()) o.field("errorstat_" + safe(e.getKey()), "count=" + e.getValue());
    }

    private static void keyspace(Info o, Node node) {
        Shard[] shards = node.shards();
        int databases = shards[0].keyspace().databases();
        for (int d = 0; d < databases; d++) {
            long keys = 0, expires = 0, ttlWeighted = 0;
            for (Shard s : shards) {
                Db db = s.keyspace().db(d);
                keys += db.size();
                expires += db.expiresSize();
                ttlWeighted += db.estimateAvgTtl(TTL_SAMPLES) * db.expiresSize();
            }
            if (keys == 0 && expires == 0) continue;
            o.field("db" + d, "keys=" + keys + ",expires=" + expires + ",avg_ttl=" + (expires == 0 ? 0 : ttlWeighted / expires));
        }
    }

    /** Moon: how the keyspace and the work are spread over the shards. */
    private static void shards(Info o, Node node) {
        o.field("shards", node.shards().length);
        for (Shard s : node.shards()) {
            Keyspace ks = s.keyspace();
            long expires = 0;
            for (int d = 0; d < ks.databases(); d++) expires += ks.db(d).expiresSize();
            o.field("shard" + s.id(), "keys=" + ks.keys() + ",expires=" + expires + ",used_memory=" + ks.usedMemory()
                    + ",commands=" + s.stats().totalCommands + ",keyspace_hits=" + ks.stats.keyspaceHits
                    + ",keyspace_misses=" + ks.stats.keyspaceMisses + ",expired_keys=" + ks.stats.expiredKeys
                    + ",evicted_keys=" + ks.stats.evictedKeys);
        }
    }

    // ------------------------------------------------------------------ formatting

    /** The INFO text under construction: "# Name" headers, "field:value" lines, a blank line between sections. */
    private static final class Info {
        private final StringBuilder sb = new StringBuilder(4096);

        Info section(String name) {
            if (!sb.isEmpty()) sb.append("\r\n");
            sb.append("# ").append(name).append("\r\n");
            return this;
        }

        Info field(String name, Object value) {
            sb.append(name).append(':').append(value).append("\r\n");
            return this;
        }

        @Override
        public String toString() { return sb.toString(); }
    }

    /** Redis's getSafeInfoString: characters that would break the format become '_'. */
    static String safe(String s) {
        return s.replace('#', '_').replace(':', '_').replace('\n', '_').replace('\r', '_');
    }

    /** Redis's bytesToHuman. */
    static String human(long n) {
        if (n < 1024) return n + "B";
        String[] units = {"K", "M", "G", "T", "P"};
        double d = n;
        for (String u : units) {
            d /= 1024;
            if (d < 1024 || u.equals("P")) return String.format(Locale.ROOT, "%.2f%s", d, u);
        }
        return n + "B";
    }

    private static String pct(double d) { return String.format(Locale.ROOT, "%.2f", d); }

    private static String ratio(long a, long b) { return pct(b == 0 ? 0 : (double) a / b); }

    private static String seconds(double s) { return String.format(Locale.ROOT, "%.6f", s); }
}
