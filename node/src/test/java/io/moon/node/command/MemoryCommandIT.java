package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.testing.RawClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** MEMORY STATS, DOCTOR, MALLOC-STATS, PURGE and their bad input, on a 4-shard node. */
@SuppressWarnings("unchecked")
class MemoryCommandIT extends FourShardNode {
    @BeforeEach
    void empty() {
        try (Jedis j = node.jedis()) {
            j.flushAll();
        }
    }

    private static Map<String, Object> pairs(List<Object> flat) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < flat.size(); i += 2) m.put((String) flat.get(i), flat.get(i + 1));
        return m;
    }

    @Test
    void statsCountKeysOfEveryShardAndListOnlyDatabasesWithKeys() throws Exception {
        try (RawClient c = node.raw()) {
            for (int i = 0; i < 200; i++) c.call("SET", "k" + i, "v".repeat(50));
            c.call("SELECT", "3");
            c.call("SET", "other", "x");
            Map<String, Object> s = pairs((List<Object>) c.call("MEMORY", "STATS"));
            assertThat(s.get("keys.count")).isEqualTo(201L);
            assertThat(s).containsKeys("db.0", "db.3").doesNotContainKey("db.1");
            Map<String, Object> db0 = pairs((List<Object>) s.get("db.0"));
            assertThat((Long) db0.get("overhead.hashtable.main")).isPositive();
            long expiresBefore = (Long) db0.get("overhead.hashtable.expires");
            c.call("SELECT", "0");
            for (int i = 0; i < 200; i++) c.call("EXPIRE", "k" + i, "1000");
            Map<String, Object> after = pairs((List<Object>) pairs((List<Object>) c.call("MEMORY", "STATS")).get("db.0"));
            assertThat((Long) after.get("overhead.hashtable.expires")).isGreaterThan(expiresBefore);
            long total = (Long) s.get("total.allocated"), startup = (Long) s.get("startup.allocated");
            assertThat(total).isGreaterThan(startup);
            assertThat((Long) s.get("peak.allocated")).isGreaterThanOrEqualTo(total);
            assertThat(s.get("keys.bytes-per-key")).isEqualTo((total - startup) / 201);
            assertThat((Long) s.get("dataset.bytes")).isPositive().isLessThan(total);
            assertThat(Double.parseDouble((String) s.get("dataset.percentage"))).isBetween(0.0, 100.0);
            assertThat(s).containsKeys("allocator.allocated", "allocator.resident", "fragmentation", "fragmentation.bytes");

            c.call("HELLO", "3");
            Object resp3 = c.call("MEMORY", "STATS");
            assertThat(resp3).isInstanceOf(Map.class);
            assertThat((Map<Object, Object>) resp3).containsKey("keys.count");
        }
    }

    @Test
    void doctorSaysAnEmptyInstanceCannotBeChecked() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat((String) c.call("MEMORY", "DOCTOR")).startsWith("Hi Sam, this instance is empty");
        }
    }

    @Test
    void mallocStatsDescribeTheJvmPoolsAndPurgeAnswersOk() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat((String) c.call("MEMORY", "MALLOC-STATS")).contains("heap", "committed=");
            assertThat(c.call("MEMORY", "PURGE")).isEqualTo("OK");
        }
    }

    @Test
    void badInputGetsRedisErrors() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("MEMORY", "STATS", "x"))
                    .isEqualTo(new RawClient.Err("ERR wrong number of arguments for 'memory|stats' command"));
            assertThat(c.call("MEMORY", "DOCTOR", "x"))
                    .isEqualTo(new RawClient.Err("ERR wrong number of arguments for 'memory|doctor' command"));
            assertThat(c.call("MEMORY", "NOPE")).isEqualTo(new RawClient.Err(
                    "ERR unknown subcommand 'NOPE'. Try MEMORY HELP."));
            assertThat(c.call("MEMORY", "USAGE", "k", "SAMPLES", "-1")).isEqualTo(new RawClient.Err("ERR syntax error"));
            assertThat((List<Object>) c.call("MEMORY", "HELP")).contains("STATS", "DOCTOR");
        }
    }
}
