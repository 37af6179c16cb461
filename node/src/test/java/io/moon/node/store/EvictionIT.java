package io.moon.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moon.node.server.Shard;
import io.moon.node.testing.TestNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/** maxmemory with each of Redis's eviction policies, on a 2-shard node. */
class EvictionIT {
    private static final String VALUE = "x".repeat(100);

    private static long used(TestNode node) {
        long sum = 0;
        for (Shard s : node.node().shards()) sum += s.keyspace().usedMemory();
        return sum;
    }

    private static long evicted(TestNode node) {
        long sum = 0;
        for (Shard s : node.node().shards()) sum += s.keyspace().stats.evictedKeys;
        return sum;
    }

    @ParameterizedTest
    @ValueSource(strings = {"allkeys-lru", "allkeys-lfu", "allkeys-random"})
    void allkeysPoliciesKeepMemoryUnderTheLimit(String policy) {
        try (TestNode node = TestNode.start("maxmemory", "2mb", "maxmemory-policy", policy); Jedis j = node.jedis()) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 40_000; i++) p.set("k:" + i, VALUE);
            p.sync();
            assertThat(evicted(node)).isGreaterThan(10_000);
            // Each shard stays within its share, give or take one write.
            assertThat(used(node)).isLessThanOrEqualTo(2L * 1024 * 1024 + 4096);
            assertThat(j.dbSize()).isBetween(1000L, 39_999L);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"})
    void volatilePoliciesEvictOnlyKeysWithAnExpiry(String policy) {
        try (TestNode node = TestNode.start("maxmemory", "2mb", "maxmemory-policy", policy); Jedis j = node.jedis()) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 2000; i++) p.set("keep:" + i, VALUE);
            for (int i = 0; i < 30_000; i++) p.set("vol:" + i, VALUE, SetParams.setParams().ex(10_000 + i));
            p.sync();
            assertThat(evicted(node)).isGreaterThan(5000);
            for (int i = 0; i < 2000; i++) assertThat(j.exists("keep:" + i)).as("keep:" + i).isTrue();
        }
    }

    @Test
    void volatileTtlEvictsTheSoonestToExpireFirst() {
        try (TestNode node = TestNode.start("maxmemory", "2mb", "maxmemory-policy", "volatile-ttl", "maxmemory-samples", "10");
             Jedis j = node.jedis()) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 30_000; i++) p.set("t:" + i, VALUE, SetParams.setParams().ex(100_000 - i));
            p.sync();
            long lowSurvivors = 0, highSurvivors = 0;
            for (int i = 0; i < 3000; i++) if (j.exists("t:" + i)) lowSurvivors++;
            for (int i = 27_000; i < 30_000; i++) if (j.exists("t:" + i)) highSurvivors++;
            // Keys written first have the longest TTL; the last ones expire soonest and go first.
            assertThat(lowSurvivors).isGreaterThan(highSurvivors);
        }
    }

    @Test
    void allkeysLruKeepsRecentlyReadKeys() {
        try (TestNode node = TestNode.start("maxmemory", "4mb", "maxmemory-policy", "allkeys-lru", "maxmemory-samples", "10");
             Jedis j = node.jedis()) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 5000; i++) p.set("hot:" + i, VALUE);
            p.sync();
            // LRU has a one-second clock: let the hot keys be read at a later second than the cold writes.
            for (int round = 0; round < 3; round++) {
                sleep(1100);
                p = j.pipelined();
                for (int i = 0; i < 5000; i++) p.get("hot:" + i);
                for (int i = 0; i < 10_000; i++) p.set("cold:" + round + ":" + i, VALUE);
                p.sync();
            }
            long hot = 0;
            for (int i = 0; i < 5000; i++) if (j.exists("hot:" + i)) hot++;
            assertThat(evicted(node)).isGreaterThan(5000);
            assertThat(hot).as("hot keys kept").isGreaterThan(4000);
        }
    }

    @Test
    void noevictionAnswersOomToWritesAndStillServesReads() {
        try (TestNode node = TestNode.start("maxmemory", "1mb", "maxmemory-policy", "noeviction"); Jedis j = node.jedis()) {
            int written = 0;
            JedisDataException oom = null;
            for (int i = 0; i < 100_000 && oom == null; i++) {
                try {
                    j.set("n:" + i, VALUE);
                    written++;
                } catch (JedisDataException e) {
                    oom = e;
                }
            }
            assertThat(oom).isNotNull();
            assertThat(oom.getMessage()).isEqualTo("OOM command not allowed when used memory > 'maxmemory'.");
            assertThat(j.get("n:0")).isEqualTo(VALUE);
            // Keys on both shards: at least one shard is over its share, so the MSET is refused whole.
            assertThatThrownBy(() -> j.mset(List.of("a", "1", "b", "2", "c", "3", "d", "4").toArray(new String[0])))
                    .hasMessageContaining("OOM");
            assertThat(j.exists("a", "b", "c", "d")).isZero();
            assertThat(j.del("n:0")).isEqualTo(1); // DEL is not denyoom
            assertThat(evicted(node)).isZero();
            assertThat(written).isGreaterThan(1000);
        }
    }

    @Test
    void raisingMaxmemoryAtRunTimeLetsWritesThrough() {
        try (TestNode node = TestNode.start("maxmemory", "1mb", "maxmemory-policy", "noeviction"); Jedis j = node.jedis()) {
            boolean refused = false;
            for (int i = 0; i < 100_000 && !refused; i++) {
                try {
                    j.set("r:" + i, VALUE);
                } catch (JedisDataException e) {
                    refused = true;
                }
            }
            assertThat(refused).isTrue();
            node.node().config().setAtStartup("maxmemory", "0");
            assertThat(j.set("after", "ok")).isEqualTo("OK");
        } catch (io.moon.node.config.ConfigError e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
