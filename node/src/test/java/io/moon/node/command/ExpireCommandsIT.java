package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.ExpireArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.moon.node.server.Shard;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.RawClient.Err;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.params.SetParams;

/** EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (NX XX GT LT), TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST, active expiry. */
class ExpireCommandsIT extends FourShardNode {
    @BeforeEach
    void flush() {
        try (Jedis j = node.jedis()) {
            j.flushAll();
        }
    }

    private static Err err(String message) { return new Err(message); }

    @Test
    void relativeAndAbsoluteFormsSetTheSameKindOfExpiry() {
        try (Jedis j = node.jedis()) {
            for (int s = 0; s < 4; s++) j.set(ShardKeys.on(node.node(), s, "k"), "v");
            String a = ShardKeys.on(node.node(), 0, "k"), b = ShardKeys.on(node.node(), 1, "k");
            String c = ShardKeys.on(node.node(), 2, "k"), d = ShardKeys.on(node.node(), 3, "k");
            long now = System.currentTimeMillis();
            assertThat(j.expire(a, 100)).isEqualTo(1);
            assertThat(j.pexpire(b, 100_000)).isEqualTo(1);
            assertThat(j.expireAt(c, now / 1000 + 100)).isEqualTo(1);
            assertThat(j.pexpireAt(d, now + 100_000)).isEqualTo(1);
            for (String k : new String[] {a, b, c, d}) {
                assertThat(j.ttl(k)).as(k).isBetween(98L, 100L);
                assertThat(j.pttl(k)).as(k).isBetween(97_000L, 100_000L);
                assertThat(j.pexpireTime(k)).as(k).isBetween(now + 98_000, now + 101_000);
                assertThat(j.expireTime(k)).as(k).isBetween(now / 1000 + 98, now / 1000 + 101);
            }
            assertThat(j.pexpireTime(d)).isEqualTo(now + 100_000);
            assertThat(j.expireTime(c)).isEqualTo(now / 1000 + 100);
        }
    }

    @Test
    void ttlFamilyAnswersMinusOneAndMinusTwo() {
        try (Jedis j = node.jedis()) {
            j.set("k", "v");
            assertThat(j.ttl("k")).isEqualTo(-1);
            assertThat(j.pttl("k")).isEqualTo(-1);
            assertThat(j.expireTime("k")).isEqualTo(-1);
            assertThat(j.pexpireTime("k")).isEqualTo(-1);
            assertThat(j.ttl("missing")).isEqualTo(-2);
            assertThat(j.pttl("missing")).isEqualTo(-2);
            assertThat(j.expireTime("missing")).isEqualTo(-2);
            assertThat(j.pexpireTime("missing")).isEqualTo(-2);
        }
    }

    @Test
    void ttlRoundsToTheNearestSecond() {
        try (Jedis j = node.jedis()) {
            j.set("k", "v", SetParams.setParams().px(1600));
            assertThat(j.ttl("k")).isEqualTo(2);
            j.set("k", "v", SetParams.setParams().px(1400));
            assertThat(j.ttl("k")).isEqualTo(1);
            j.pexpireAt("k", 9_223_372_036_854_775_807L);
            assertThat(j.expireTime("k")).as("no overflow near the largest time").isEqualTo(9_223_372_036_854_776L);
        }
    }

    @Test
    void anExpiryInThePastDeletesTheKey() {
        try (Jedis j = node.jedis()) {
            j.set("a", "v");
            j.set("b", "v");
            j.set("c", "v");
            j.set("d", "v");
            assertThat(j.expire("a", -1)).isEqualTo(1);
            assertThat(j.pexpire("b", 0)).isEqualTo(1);
            assertThat(j.expireAt("c", 1)).isEqualTo(1);
            assertThat(j.pexpireAt("d", System.currentTimeMillis() - 1)).isEqualTo(1);
            assertThat(j.exists("a", "b", "c", "d")).isZero();
            assertThat(j.dbSize()).isZero();
        }
    }

    @Test
    void missingKeysAnswerZero() {
        try (Jedis j = node.jedis()) {
            assertThat(j.expire("missing", 100)).isZero();
            assertThat(j.pexpire("missing", 100)).isZero();
            assertThat(j.expireAt("missing", 100)).isZero();
            assertThat(j.pexpireAt("missing", 100)).isZero();
            assertThat(j.expire("missing", -1)).isZero();
            assertThat(j.persist("missing")).isZero();
        }
    }

    @Test
    void nxXxGtLtFollowRedis7Rules() {
        try (Jedis j = node.jedis()) {
            j.set("k", "v");
            assertThat(j.expire("k", 100, ExpiryOption.XX)).as("XX without expiry").isZero();
            assertThat(j.expire("k", 100, ExpiryOption.GT)).as("GT against no expiry (infinite)").isZero();
            assertThat(j.expire("k", 100, ExpiryOption.LT)).as("LT against no expiry (infinite)").isEqualTo(1);
            assertThat(j.expire("k", 200, ExpiryOption.NX)).as("NX with expiry").isZero();
            assertThat(j.ttl("k")).isBetween(99L, 100L);
            assertThat(j.expire("k", 50, ExpiryOption.GT)).isZero();
            long at = System.currentTimeMillis() + 100_000;
            assertThat(j.pexpireAt("k", at)).isEqualTo(1);
            assertThat(j.pexpireAt("k", at, ExpiryOption.GT)).as("GT needs strictly greater").isZero();
            assertThat(j.pexpireAt("k", at, ExpiryOption.LT)).as("LT needs strictly less").isZero();
            assertThat(j.expire("k", 500, ExpiryOption.GT)).isEqualTo(1);
            assertThat(j.ttl("k")).isBetween(499L, 500L);
            assertThat(j.expire("k", 600, ExpiryOption.LT)).isZero();
            assertThat(j.expire("k", 300, ExpiryOption.LT)).isEqualTo(1);
            assertThat(j.expire("k", 400, ExpiryOption.XX)).isEqualTo(1);
            assertThat(j.ttl("k")).isBetween(399L, 400L);
            j.persist("k");
            assertThat(j.expire("k", 100, ExpiryOption.NX)).isEqualTo(1);
        }
    }

    @Test
    void optionsCombineAndAreCaseInsensitive() throws Exception {
        try (RawClient r = node.raw()) {
            r.call("set", "k", "v");
            assertThat(r.call("expire", "k", "100", "lt", "XX")).as("XX fails without expiry").isEqualTo(0L);
            assertThat(r.call("expire", "k", "100", "Nx")).isEqualTo(1L);
            assertThat(r.call("expire", "k", "50", "lt", "xx")).isEqualTo(1L);
            assertThat(r.call("ttl", "k")).isEqualTo(50L);
        }
    }

    @Test
    void conflictingAndUnknownOptionsAreErrors() throws Exception {
        try (RawClient r = node.raw()) {
            r.call("set", "k", "v");
            String nx = "ERR NX and XX, GT or LT options at the same time are not compatible";
            assertThat(r.call("expire", "k", "100", "nx", "xx")).isEqualTo(err(nx));
            assertThat(r.call("expire", "k", "100", "nx", "gt")).isEqualTo(err(nx));
            assertThat(r.call("pexpire", "k", "100", "lt", "nx")).isEqualTo(err(nx));
            assertThat(r.call("expire", "k", "100", "gt", "lt")).isEqualTo(err("ERR GT and LT options at the same time are not compatible"));
            assertThat(r.call("expire", "k", "100", "foo")).isEqualTo(err("ERR Unsupported option foo"));
            assertThat(r.call("expireat", "k", "100", "xx", "Bar")).isEqualTo(err("ERR Unsupported option Bar"));
            assertThat(r.call("expire", "k", "abc", "foo")).as("options are checked before the time").isEqualTo(err("ERR Unsupported option foo"));
            assertThat(r.call("ttl", "k")).isEqualTo(-1L);
        }
    }

    @Test
    void badTimesAreErrors() throws Exception {
        try (RawClient r = node.raw()) {
            r.call("set", "k", "v");
            String notInt = "ERR value is not an integer or out of range";
            assertThat(r.call("expire", "k", "")).isEqualTo(err(notInt));
            assertThat(r.call("expire", "k", "1.5")).isEqualTo(err(notInt));
            assertThat(r.call("pexpire", "k", "9223372036854775808")).isEqualTo(err(notInt));
            assertThat(r.call("expire", "k", "9223372036854775807")).isEqualTo(err("ERR invalid expire time in 'expire' command"));
            assertThat(r.call("expire", "k", "-9223372036854775807")).isEqualTo(err("ERR invalid expire time in 'expire' command"));
            assertThat(r.call("expireat", "k", "9223372036854776")).isEqualTo(err("ERR invalid expire time in 'expireat' command"));
            assertThat(r.call("pexpire", "k", "9223372036854775807")).isEqualTo(err("ERR invalid expire time in 'pexpire' command"));
            assertThat(r.call("exists", "k")).isEqualTo(1L);
            assertThat(r.call("pexpireat", "k", "9223372036854775807")).as("absolute ms needs no addition").isEqualTo(1L);
            assertThat(r.call("pexpiretime", "k")).isEqualTo(9223372036854775807L);
            assertThat(r.call("pexpireat", "k", "-9223372036854775808")).as("far past: deleted").isEqualTo(1L);
            assertThat(r.call("exists", "k")).isEqualTo(0L);
        }
    }

    @Test
    void expireCommandsCheckTheirArity() throws Exception {
        try (RawClient r = node.raw()) {
            for (String cmd : new String[] {"expire", "pexpire", "expireat", "pexpireat"}) {
                assertThat(r.call(cmd, "k")).isEqualTo(err("ERR wrong number of arguments for '" + cmd + "' command"));
            }
            for (String cmd : new String[] {"ttl", "pttl", "expiretime", "pexpiretime", "persist"}) {
                assertThat(r.call(cmd)).isEqualTo(err("ERR wrong number of arguments for '" + cmd + "' command"));
                assertThat(r.call(cmd, "a", "b")).isEqualTo(err("ERR wrong number of arguments for '" + cmd + "' command"));
            }
        }
    }

    @Test
    void persistRemovesTheExpiry() {
        try (Jedis j = node.jedis()) {
            j.set("k", "v", SetParams.setParams().ex(100));
            assertThat(j.persist("k")).isEqualTo(1);
            assertThat(j.ttl("k")).isEqualTo(-1);
            assertThat(j.persist("k")).isZero();
            assertThat(j.get("k")).isEqualTo("v");
        }
    }

    @Test
    void lettuceSetsExpiryWithOptions() {
        RedisClient client = RedisClient.create(node.uri());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> cmd = conn.sync();
            cmd.set("k", "v");
            assertThat(cmd.expire("k", 100, ExpireArgs.Builder.nx())).isTrue();
            assertThat(cmd.expire("k", 10, ExpireArgs.Builder.gt())).isFalse();
            assertThat(cmd.pexpire("k", 5000, ExpireArgs.Builder.lt())).isTrue();
            assertThat(cmd.pttl("k")).isBetween(4000L, 5000L);
            assertThat(cmd.expiretime("k")).isPositive();
            assertThat(cmd.persist("k")).isTrue();
            assertThat(cmd.ttl("k")).isEqualTo(-1);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void expiredKeysVanishWithoutBeingAccessed() {
        try (Jedis j = node.jedis()) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 5000; i++) p.set("short:" + i, "v", SetParams.setParams().px(200));
            for (int i = 0; i < 100; i++) p.set("long:" + i, "v", SetParams.setParams().ex(1000));
            for (int i = 0; i < 100; i++) p.set("none:" + i, "v");
            p.sync();
            long expiredBefore = expiredKeys();
            assertThat(j.dbSize()).isEqualTo(5200);
            // DBSIZE counts keys still in the tables, expired or not: it falls only by active expiry.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> j.dbSize() == 200);
            assertThat(expiredKeys() - expiredBefore).isEqualTo(5000);
            for (Shard s : node.node().shards()) {
                assertThat(s.keyspace().db(0).expiresSize()).as("shard " + s.id()).isLessThanOrEqualTo(100);
            }
        }
    }

    @Test
    void withActiveExpiryOffKeysGoOnlyWhenTouched() throws Exception {
        try (Jedis j = node.jedis()) {
            j.sendCommand(() -> "DEBUG".getBytes(), "SET-ACTIVE-EXPIRE", "0");
            try {
                String[] keys = new String[8];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = ShardKeys.on(node.node(), i % 4, "lazy" + i);
                    j.set(keys[i], "v", SetParams.setParams().px(50));
                }
                Thread.sleep(300);
                assertThat(j.dbSize()).as("nothing removed them yet").isEqualTo(8);
                assertThat(j.get(keys[0])).isNull();
                assertThat(j.ttl(keys[1])).isEqualTo(-2);
                assertThat(j.exists(keys[2], keys[3])).isZero();
                assertThat(j.expire(keys[4], 100)).as("EXPIRE does not bring an expired key back").isZero();
                assertThat(j.dbSize()).isEqualTo(3);
                assertThat(j.del(keys[5], keys[6], keys[7])).isZero();
                assertThat(j.dbSize()).isZero();
            } finally {
                j.sendCommand(() -> "DEBUG".getBytes(), "SET-ACTIVE-EXPIRE", "1");
            }
        }
    }

    @Test
    void activeExpiryReachesEveryDatabase() {
        try (Jedis j = node.jedis()) {
            for (int db = 0; db < 16; db++) {
                j.select(db);
                for (int i = 0; i < 20; i++) j.set("k" + i, "v", SetParams.setParams().px(100));
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                long total = 0;
                for (Shard s : node.node().shards()) total += s.keyspace().keys();
                return total == 0;
            });
        }
    }

    private static long expiredKeys() {
        long n = 0;
        for (Shard s : node.node().shards()) n += s.keyspace().stats.expiredKeys;
        return n;
    }
}
