package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.persist.rdb.Crc64;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.RestoreParams;

/**
 * DUMP and RESTORE on a 4-shard node: every type in each encoding restored under a name on
 * another shard, TTLs relative, absolute, past and beyond 32 bits, IDLETIME and FREQ, REPLACE,
 * the logged form of a relative TTL across a restart, keyspace events and WATCH, and every error
 * with Redis 7.0's text. Payloads moving between Moon and redis-server are covered by
 * {@code persist.rdb.DumpRestoreWithRedisIT}.
 */
class DumpRestoreCommandsIT extends FourShardClients {
    @Test
    void everyTypeRestoresUnderANameOnEveryOtherShard() throws Exception {
        Map<String, String> before = EveryType.fill(j, FourShardClients::keyOn);
        for (Map.Entry<String, String> e : before.entrySet()) {
            byte[] payload = j.dump(e.getKey());
            int shard = ShardKeys.shardOf(node.node(), e.getKey());
            for (int other = 0; other < 4; other++) {
                if (other == shard) continue;
                String copy = keyOn(other, e.getKey() + ":copy");
                assertThat(j.restore(copy, 0, payload)).isEqualTo("OK");
                assertThat(EveryType.describe(j, copy)).as("%s restored as %s", e.getKey(), copy).isEqualTo(e.getValue());
                assertThat(j.ttl(copy)).as("ttl 0 restores no expiry").isEqualTo(-1);
                // A hash table's order depends on its history; every other encoding dumps alike.
                if (!e.getValue().contains(" hashtable ")) {
                    assertThat(j.dump(copy)).as("%s dumps as the original", copy).isEqualTo(payload);
                }
            }
        }
        assertThat(j.dump("nokey")).isNull();
        assertThat(raw.call("DUMP", "nokey")).isNull();
    }

    @Test
    void restoreSetsRelativeAbsoluteAndHugeTtls() throws Exception {
        j.set("src", "value");
        byte[] p = j.dump("src");
        assertThat(j.restore("rel", 3000, p)).isEqualTo("OK");
        assertThat(j.pttl("rel")).isBetween(2000L, 3000L);
        assertThat(j.restore("big", 3_000_000_000L, p)).isEqualTo("OK");
        assertThat(j.pttl("big")).isBetween(2_999_000_000L, 3_000_000_000L);
        long at = System.currentTimeMillis() + 5000;
        assertThat(j.restore("abs", at, p, RestoreParams.restoreParams().absTtl())).isEqualTo("OK");
        assertThat(j.pexpireTime("abs")).isEqualTo(at);
        assertThat(raw.call("RESTORE", "past", "1000", new String(p, StandardCharsets.ISO_8859_1), "ABSTTL"))
                .as("an absolute TTL in the past creates nothing").isEqualTo("OK");
        assertThat(j.exists("past")).isFalse();
        j.set("old", "x");
        assertThat(j.restore("old", 1000, p, RestoreParams.restoreParams().replace().absTtl())).isEqualTo("OK");
        assertThat(j.exists("old")).as("REPLACE with a past expiry deletes the key").isFalse();
    }

    @Test
    void idletimeAndFreqSetTheAccessClock() throws Exception {
        j.set("src", "value");
        byte[] p = j.dump("src");
        assertThat(j.restore("idle", 0, p, RestoreParams.restoreParams().idleTime(1000))).isEqualTo("OK");
        assertThat(j.objectIdletime("idle")).isBetween(1000L, 1010L);
        j.configSet("maxmemory-policy", "allkeys-lfu");
        try {
            assertThat(j.restore("freq", 0, p, RestoreParams.restoreParams().frequency(100))).isEqualTo("OK");
            assertThat(j.objectFreq("freq")).isEqualTo(100);
            // Under LFU the IDLETIME does not apply and is ignored, as in Redis.
            assertThat(j.restore("idle2", 0, p, RestoreParams.restoreParams().idleTime(50))).isEqualTo("OK");
            assertThat(j.objectFreq("idle2")).isEqualTo(5);
        } finally {
            j.configSet("maxmemory-policy", "noeviction");
        }
    }

    @Test
    void replaceOverwritesAnyTypeAndBusykeyProtects() throws Exception {
        j.rpush("list", "a", "b");
        byte[] p = j.dump("list");
        j.set("target", "string");
        j.expire("target", 100);
        assertThat(error("RESTORE", "target", "0", new String(p, StandardCharsets.ISO_8859_1)))
                .isEqualTo("BUSYKEY Target key name already exists.");
        assertThat(j.get("target")).isEqualTo("string");
        assertThat(j.restore("target", 0, p, RestoreParams.restoreParams().replace())).isEqualTo("OK");
        assertThat(j.lrange("target", 0, -1)).containsExactly("a", "b");
        assertThat(j.ttl("target")).as("REPLACE drops the old expiry").isEqualTo(-1);
    }

    @Test
    void badInputIsRefusedWithRedisTexts() throws Exception {
        j.set("src", "value");
        String p = new String(j.dump("src"), StandardCharsets.ISO_8859_1);
        j.set("busy", "x");
        assertThat(error("RESTORE", "k", "0", p, "BOGUS")).isEqualTo("ERR syntax error");
        assertThat(error("RESTORE", "k", "0", p, "IDLETIME")).isEqualTo("ERR syntax error");
        assertThat(error("RESTORE", "k", "0", p, "IDLETIME", "5", "FREQ", "5")).isEqualTo("ERR syntax error");
        assertThat(error("RESTORE", "k", "0", p, "FREQ", "5", "IDLETIME", "5")).isEqualTo("ERR syntax error");
        assertThat(error("RESTORE", "k", "0", p, "IDLETIME", "-1")).isEqualTo("ERR Invalid IDLETIME value, must be >= 0");
        assertThat(error("RESTORE", "k", "0", p, "IDLETIME", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(error("RESTORE", "k", "0", p, "FREQ", "256")).isEqualTo("ERR Invalid FREQ value, must be >= 0 and <= 255");
        assertThat(error("RESTORE", "k", "0", p, "FREQ", "-1")).isEqualTo("ERR Invalid FREQ value, must be >= 0 and <= 255");
        assertThat(error("RESTORE", "k", "-1", p)).isEqualTo("ERR Invalid TTL value, must be >= 0");
        assertThat(error("RESTORE", "k", "1.5", p)).isEqualTo("ERR value is not an integer or out of range");
        // Redis looks for the key before it reads the TTL or the payload.
        assertThat(error("RESTORE", "busy", "-1", "garbage")).isEqualTo("BUSYKEY Target key name already exists.");
        assertThat(error("RESTORE", "k", "0", "garbage")).isEqualTo("ERR DUMP payload version or checksum are wrong");
        assertThat(error("RESTORE", "k", "0", p.substring(0, p.length() - 1)))
                .isEqualTo("ERR DUMP payload version or checksum are wrong");
        // A CRC-64 starting from 0 ignores leading zero bytes: without its type byte (0, a string)
        // the payload still passes the check, in Redis too, and fails as data.
        assertThat(error("RESTORE", "k", "0", p.substring(1))).isEqualTo("ERR Bad data format");
        assertThat(error("RESTORE", "k", "0", new String(withChecksum(new byte[] {0, 0x40, 100, 'a', 'b'}),
                StandardCharsets.ISO_8859_1))).isEqualTo("ERR Bad data format");
        assertThat(error("RESTORE", "k", "0", new String(withChecksum(new byte[] {(byte) 200, 1, 'a'}),
                StandardCharsets.ISO_8859_1))).isEqualTo("ERR Bad data format");
        assertThat(error("RESTORE", "k", "0")).isEqualTo("ERR wrong number of arguments for 'restore' command");
        assertThat(error("DUMP")).isEqualTo("ERR wrong number of arguments for 'dump' command");
        assertThat(error("DUMP", "a", "b")).isEqualTo("ERR wrong number of arguments for 'dump' command");
        assertThat(j.exists("k")).isFalse();
        assertThat(j.get("busy")).isEqualTo("x");
    }

    /** A payload body with RDB version 10 and a valid CRC-64, whatever the body holds. */
    private static byte[] withChecksum(byte[] body) {
        byte[] p = new byte[body.length + 10];
        System.arraycopy(body, 0, p, 0, body.length);
        p[body.length] = 10;
        long crc = Crc64.of(p, 0, body.length + 2);
        for (int i = 0; i < 8; i++) p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        return p;
    }

    @Test
    void restoreSendsItsEventAndTouchesWatchers() throws Exception {
        j.set("src", "value");
        byte[] p = j.dump("src");
        j.configSet("notify-keyspace-events", "Eg");
        try (RawClient sub = node.raw(); Jedis watcher = node.jedis()) {
            sub.call("SUBSCRIBE", "__keyevent@0__:restore");
            watcher.watch("k");
            j.restore("k", 0, p);
            assertThat(sub.read()).isEqualTo(List.of("message", "__keyevent@0__:restore", "k"));
            var tx = watcher.multi();
            tx.get("k");
            assertThat(tx.exec()).as("WATCH saw the RESTORE").isNull();
        } finally {
            j.configSet("notify-keyspace-events", "");
        }
    }

    @Test
    void aRelativeTtlIsLoggedAsTheAbsoluteExpiry() throws Exception {
        TestNode source = TestNode.start("shards", "4", "appendonly", "yes");
        java.nio.file.Path dir = source.dir();
        long expireAt;
        try (Jedis s = source.jedis()) {
            s.hset("h", Map.of("f", "v"));
            byte[] p = s.dump("h");
            s.restore("r", 100_000, p);
            expireAt = s.pexpireTime("r");
        } finally {
            source.close();
        }
        // Replayed later, a relative TTL would count from the replay.
        Thread.sleep(50);
        TestNode again = TestNode.start("shards", "4", "appendonly", "yes", "dir", dir.toString());
        try (Jedis s = again.jedis()) {
            assertThat(s.hgetAll("r")).isEqualTo(Map.of("f", "v"));
            assertThat(s.pexpireTime("r")).isEqualTo(expireAt);
        } finally {
            again.close();
        }
    }

    @Test
    void dumpAndRestoreWorkInsideMultiAndScripts() throws Exception {
        j.sadd("s", "a", "b");
        assertThat(raw.call("MULTI")).isEqualTo("OK");
        raw.call("DUMP", "s");
        raw.call("DEL", "s");
        List<?> replies = (List<?>) raw.call("EXEC");
        String payload = (String) replies.get(0);
        assertThat(raw.call("EVAL", "return redis.call('restore', KEYS[1], 0, ARGV[1])", "1", "s", payload)).isEqualTo("OK");
        assertThat(j.smembers("s")).containsExactlyInAnyOrder("a", "b");
    }
}
