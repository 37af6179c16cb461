package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/** INFO on a 4-shard node: sections as Redis 7.0 names and orders them, values that follow the work done. */
class InfoCommandIT extends FourShardNode {
    @BeforeEach
    void clean() {
        try (Jedis j = node.jedis()) {
            j.flushAll();
        }
    }

    /** Section headers in order. */
    static List<String> headers(String info) {
        List<String> out = new ArrayList<>();
        for (String line : info.split("\r\n")) if (line.startsWith("# ")) out.add(line.substring(2));
        return out;
    }

    /** "field:value" lines of an INFO text. */
    static Map<String, String> fields(String info) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : info.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) out.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return out;
    }

    static long stat(Jedis j, String section, String field) {
        return Long.parseLong(fields(j.info(section)).get(field));
    }

    @Test
    void sectionsAsRedisSelectsThem() throws Exception {
        try (Jedis j = node.jedis()) {
            List<String> defaults = List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
                    "Modules", "Errorstats", "Cluster", "Keyspace");
            assertThat(headers(j.info())).isEqualTo(defaults);
            assertThat(headers(j.info("default"))).isEqualTo(defaults);
            List<String> all = List.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU",
                    "Modules", "Commandstats", "Errorstats", "Latencystats", "Cluster", "Keyspace", "Shards", "Recovery");
            assertThat(headers(j.info("all"))).isEqualTo(all);
            assertThat(headers(j.info("everything"))).isEqualTo(all);
            assertThat(headers(j.info("cpu"))).containsExactly("CPU");
            assertThat(headers(j.info("commandSTATS"))).containsExactly("Commandstats");
            assertThat(headers(j.info("shards"))).containsExactly("Shards");
            assertThat(headers(j.info("recovery"))).containsExactly("Recovery");
            assertThat(j.info("nosuchsection")).isEmpty();
            try (RawClient c = node.raw()) {
                assertThat(headers((String) c.call("INFO", "keyspace", "cpu", "server", "cpu"))).containsExactly("Server", "CPU", "Keyspace");
                assertThat(headers((String) c.call("INFO", "cpu", "all"))).isEqualTo(all);
                String cpuDefault = (String) c.call("INFO", "cpu", "default");
                assertThat(headers(cpuDefault)).isEqualTo(defaults);
                assertThat(cpuDefault).doesNotContain("rejected_calls");
            }
        }
    }

    @Test
    void serverSectionDescribesThisNode() {
        try (Jedis j = node.jedis()) {
            Map<String, String> f = fields(j.info("server"));
            assertThat(f.get("redis_version")).isEqualTo(ServerInfo.REDIS_VERSION);
            assertThat(f.get("moon_version")).isEqualTo(ServerInfo.MOON_VERSION);
            assertThat(f.get("redis_mode")).isEqualTo("standalone");
            assertThat(f.get("process_id")).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThat(f.get("tcp_port")).isEqualTo(Integer.toString(node.port()));
            assertThat(f.get("run_id")).matches("[0-9a-f]{40}").isEqualTo(node.node().runId());
            assertThat(f.get("moon_shards")).isEqualTo("4");
            assertThat(f.get("multiplexing_api")).isEqualTo(node.node().transport().configName);
            assertThat(Long.parseLong(f.get("server_time_usec")) / 1_000_000).isCloseTo(System.currentTimeMillis() / 1000,
                    org.assertj.core.data.Offset.offset(5L));
            assertThat(Long.parseLong(f.get("uptime_in_seconds"))).isGreaterThanOrEqualTo(0);
            assertThat(f.get("executable")).isNotEmpty();
            assertThat(f.get("config_file")).isEmpty();
            assertThat(f.get("hz")).isEqualTo("10");
        }
    }

    @Test
    void commandAndKeyspaceCountersFollowTheWork() {
        try (Jedis j = node.jedis()) {
            long commands = stat(j, "stats", "total_commands_processed");
            long hits = stat(j, "stats", "keyspace_hits"), misses = stat(j, "stats", "keyspace_misses");
            for (int i = 0; i < 10; i++) j.set("k" + i, "v");
            for (int i = 0; i < 10; i++) j.get("k" + i);
            j.mget("k1", "k2", "k3", "missing1", "missing2");
            // 3 INFO calls so far after the first, each counted once it has run, plus 21 commands.
            assertThat(stat(j, "stats", "total_commands_processed")).isEqualTo(commands + 3 + 21);
            assertThat(stat(j, "stats", "keyspace_hits")).isEqualTo(hits + 13);
            assertThat(stat(j, "stats", "keyspace_misses")).isEqualTo(misses + 2);
            Map<String, String> stats = fields(j.info("commandstats"));
            assertThat(stats.get("cmdstat_set")).matches("calls=\\d+,usec=\\d+,usec_per_call=\\d+\\.\\d{2},rejected_calls=0,failed_calls=0");
            assertThat(stats.get("cmdstat_mget")).startsWith("calls=1,");
        }
    }

    @Test
    void keyspaceLinesCountKeysAndExpiriesOverShards() {
        try (Jedis j = node.jedis()) {
            for (int i = 0; i < 40; i++) j.set("plain" + i, "v");
            for (int i = 0; i < 10; i++) j.set("vol" + i, "v", SetParams.setParams().ex(100));
            j.select(5);
            j.set("five", "v");
            Map<String, String> ks = fields(j.info("keyspace"));
            assertThat(ks.keySet()).containsExactly("db0", "db5");
            assertThat(ks.get("db0")).matches("keys=50,expires=10,avg_ttl=\\d+");
            long avgTtl = Long.parseLong(ks.get("db0").replaceAll(".*avg_ttl=", ""));
            assertThat(avgTtl).isBetween(90_000L, 100_000L);
            assertThat(ks.get("db5")).isEqualTo("keys=1,expires=0,avg_ttl=0");
        }
    }

    @Test
    void memoryGrowsWithDataAndShowsLimits() {
        try (Jedis j = node.jedis()) {
            Map<String, String> before = fields(j.info("memory"));
            long used = Long.parseLong(before.get("used_memory"));
            assertThat(used).isGreaterThanOrEqualTo(io.moon.node.server.Node.BASELINE_MEMORY);
            assertThat(Long.parseLong(before.get("used_memory_rss"))).isGreaterThan(0);
            for (int i = 0; i < 2000; i++) j.set("mem:" + i, "x".repeat(100));
            Map<String, String> after = fields(j.info("memory"));
            assertThat(Long.parseLong(after.get("used_memory"))).isGreaterThan(used + 2000 * 100);
            assertThat(after.get("used_memory_human")).matches("\\d+\\.\\d{2}M");
            assertThat(Long.parseLong(after.get("used_memory_peak"))).isGreaterThanOrEqualTo(Long.parseLong(after.get("used_memory")));
            assertThat(after.get("used_memory_peak_perc")).matches("\\d+\\.\\d{2}%");
            j.configSet("maxmemory", "100mb", "maxmemory-policy", "allkeys-lru");
            try {
                Map<String, String> limited = fields(j.info("memory"));
                assertThat(limited.get("maxmemory")).isEqualTo("104857600");
                assertThat(limited.get("maxmemory_human")).isEqualTo("100.00M");
                assertThat(limited.get("maxmemory_policy")).isEqualTo("allkeys-lru");
            } finally {
                j.configSet("maxmemory", "0", "maxmemory-policy", "noeviction");
            }
        }
    }

    @Test
    void clientsAndConnectionsAreCounted() throws Exception {
        try (Jedis j = node.jedis()) {
            // Connections of earlier tests may still be closing: start from a steady count.
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                long a = stat(j, "clients", "connected_clients");
                Thread.sleep(200);
                return stat(j, "clients", "connected_clients") == a;
            });
            long clients = stat(j, "clients", "connected_clients");
            long received = stat(j, "stats", "total_connections_received");
            try (Jedis other = node.jedis(); Jedis third = node.jedis()) {
                other.ping();
                third.ping();
                assertThat(stat(j, "clients", "connected_clients")).isEqualTo(clients + 2);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> stat(j, "clients", "connected_clients") == clients);
            assertThat(stat(j, "stats", "total_connections_received")).isEqualTo(received + 2);
            long in = stat(j, "stats", "total_net_input_bytes");
            j.echo("x".repeat(1000));
            assertThat(stat(j, "stats", "total_net_input_bytes")).isGreaterThan(in + 1000);
        }
    }

    @Test
    void errorsAreCountedByCodeAndCommand() throws Exception {
        try (Jedis j = node.jedis(); RawClient c = node.raw()) {
            long errors = stat(j, "stats", "total_error_replies");
            c.call("NOSUCHCOMMAND");
            c.call("GET");
            c.call("SET", "n", "abc");
            c.call("INCR", "n");
            Map<String, String> errs = fields(j.info("errorstats"));
            assertThat(errs).containsKey("errorstat_ERR");
            assertThat(stat(j, "stats", "total_error_replies")).isEqualTo(errors + 3);
            Map<String, String> cmds = fields(j.info("commandstats"));
            assertThat(cmds.get("cmdstat_get")).endsWith("rejected_calls=1,failed_calls=0");
            assertThat(cmds.get("cmdstat_incr")).matches("calls=1,.*,rejected_calls=0,failed_calls=1");
        }
    }

    @Test
    void resetstatClearsTheCounters() throws Exception {
        try (Jedis j = node.jedis(); RawClient c = node.raw()) {
            j.set("a", "1");
            j.get("a");
            c.call("NOSUCHCOMMAND");
            assertThat(c.call("CONFIG", "RESETSTAT")).isEqualTo("OK");
            Map<String, String> f = fields((String) c.call("INFO", "stats", "commandstats", "errorstats"));
            // CONFIG RESETSTAT is counted once it has run, as in Redis.
            assertThat(f.get("total_commands_processed")).isEqualTo("1");
            assertThat(f.get("keyspace_hits")).isEqualTo("0");
            assertThat(f.get("total_error_replies")).isEqualTo("0");
            assertThat(f.get("total_connections_received")).isEqualTo("0");
            assertThat(f.keySet()).filteredOn(k -> k.startsWith("cmdstat_")).containsExactly("cmdstat_config|resetstat");
            assertThat(f.keySet()).noneMatch(k -> k.startsWith("errorstat_"));
            assertThat(c.call("CONFIG", "RESETSTAT", "x")).hasToString("-ERR wrong number of arguments for 'config|resetstat' command");
        }
    }

    @Test
    void instantaneousOpsFollowTheLoad() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            try (Jedis l = node.jedis()) {
                while (running.get()) l.ping();
            }
        });
        load.start();
        try (Jedis j = node.jedis()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stat(j, "stats", "instantaneous_ops_per_sec") > 100);
            assertThat(Double.parseDouble(fields(j.info("stats")).get("instantaneous_input_kbps"))).isGreaterThan(0);
        } finally {
            running.set(false);
            load.join();
        }
    }

    @Test
    void shardsSectionSplitsKeysAndCommands() {
        try (Jedis j = node.jedis()) {
            for (int i = 0; i < 400; i++) j.set("spread:" + i, "v");
            Map<String, String> f = fields(j.info("shards"));
            assertThat(f.get("shards")).isEqualTo("4");
            long keys = 0;
            for (int s = 0; s < 4; s++) {
                String line = f.get("shard" + s);
                assertThat(line).matches("keys=\\d+,expires=\\d+,used_memory=\\d+,commands=\\d+,keyspace_hits=\\d+,"
                        + "keyspace_misses=\\d+,expired_keys=\\d+,evicted_keys=\\d+");
                long k = Long.parseLong(line.replaceAll("^keys=(\\d+),.*", "$1"));
                assertThat(k).isGreaterThan(50);
                keys += k;
            }
            assertThat(keys).isEqualTo(400);
        }
    }

    @Test
    void infoIsVerbatimTextInResp3AndParsesInClients() throws Exception {
        try (RawClient c = node.raw()) {
            c.call("HELLO", "3");
            assertThat((String) c.call("INFO", "server")).startsWith("txt:# Server\r\nredis_version:");
            assertThat(c.call("INFO", "a", "b", "c")).isEqualTo("txt:");
        }
        RedisClient client = RedisClient.create(node.uri());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            assertThat(conn.sync().info("replication")).contains("role:master", "connected_slaves:0");
        } finally {
            client.shutdown();
        }
        try (Jedis j = node.jedis()) {
            assertThat(fields(j.info("persistence"))).containsEntry("loading", "0").containsEntry("aof_enabled", "1");
            assertThat(fields(j.info("cluster"))).containsEntry("cluster_enabled", "0");
            assertThat(fields(j.info("cpu")).get("used_cpu_user")).matches("\\d+\\.\\d{6}");
        }
    }
}
