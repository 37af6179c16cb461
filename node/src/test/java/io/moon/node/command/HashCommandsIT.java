package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.KeyValue;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.moon.node.testing.RawClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The hash family on a real 4-shard node through Jedis (RESP2), Lettuce (RESP3) and raw RESP:
 * every command's normal cases and bad input with Redis 7.0's texts, encodings and their
 * thresholds, keyspace events, WATCH, expiry kept across changes, memory accounting, and HSCAN's
 * guarantee while the hash changes. Byte-for-byte agreement with redis-server is checked by
 * {@link HashesAndSetsVersusRedisIT}.
 */
class HashCommandsIT extends FourShardClients {
    private static Map<String, String> fields(int n, String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) m.put(prefix + i, "v" + i);
        return m;
    }

    @Test
    void setGetAndDeleteFields() {
        assertThat(j.hset("h", Map.of("a", "1", "b", "2"))).isEqualTo(2);
        assertThat(j.hset("h", "a", "10")).isZero();
        assertThat(j.hmset("h", Map.of("c", "3"))).isEqualTo("OK");
        assertThat(j.hsetnx("h", "a", "x")).isZero();
        assertThat(j.hsetnx("h", "d", "4")).isEqualTo(1);
        assertThat(j.hget("h", "a")).isEqualTo("10");
        assertThat(j.hget("h", "zz")).isNull();
        assertThat(j.hget("nokey", "a")).isNull();
        assertThat(j.hmget("h", "a", "zz", "d")).containsExactly("10", null, "4");
        assertThat(j.hgetAll("h")).isEqualTo(Map.of("a", "10", "b", "2", "c", "3", "d", "4"));
        assertThat(j.hkeys("h")).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(j.hvals("h")).containsExactlyInAnyOrder("10", "2", "3", "4");
        assertThat(j.hlen("h")).isEqualTo(4);
        assertThat(j.hexists("h", "b")).isTrue();
        assertThat(j.hexists("h", "zz")).isFalse();
        assertThat(j.hstrlen("h", "a")).isEqualTo(2);
        assertThat(j.hstrlen("h", "zz")).isZero();
        assertThat(j.hdel("h", "a", "zz", "b")).isEqualTo(2);
        assertThat(j.hdel("h", "c", "d", "c")).isEqualTo(2);
        assertThat(j.exists("h")).as("an emptied hash is deleted").isFalse();
        assertThat(j.hgetAll("nokey")).isEmpty();
        assertThat(j.hdel("nokey", "a")).isZero();
    }

    @Test
    void lettuceSpeaksResp3Maps() {
        assertThat(lettuce.hset("l", Map.of("x", "1", "y", "2"))).isEqualTo(2);
        assertThat(lettuce.hgetall("l")).isEqualTo(Map.of("x", "1", "y", "2"));
        assertThat(lettuce.hgetall("nokey")).isEmpty();
        assertThat(lettuce.hincrbyfloat("l", "x", 0.5)).isEqualTo(1.5);
        assertThat(lettuce.hincrby("l", "y", -3)).isEqualTo(-1);
        assertThat(lettuce.hmget("l", "x", "nope").stream().map(kv -> kv.getValueOrElse(null)).toList())
                .containsExactly("1.5", null);
        List<KeyValue<String, String>> pairs = lettuce.hrandfieldWithvalues("l", 5);
        assertThat(pairs).extracting(KeyValue::getKey).containsExactlyInAnyOrder("x", "y");
        assertThat(pairs).extracting(KeyValue::getValue).containsExactlyInAnyOrder("1.5", "-1");
        MapScanCursor<String, String> scan = lettuce.hscan("l", ScanCursor.INITIAL, ScanArgs.Builder.matches("x"));
        assertThat(scan.isFinished()).isTrue();
        assertThat(scan.getMap()).isEqualTo(Map.of("x", "1.5"));
    }

    @Test
    void rawResp3RepliesHaveRedisTypes() throws Exception {
        raw.call("HELLO", "3");
        raw.call("HSET", "r", "f", "v");
        assertThat(raw.callRaw("HGETALL", "r")).isEqualTo("%1\r\n$1\r\nf\r\n$1\r\nv\r\n");
        assertThat(raw.callRaw("HGETALL", "nokey")).isEqualTo("%0\r\n");
        assertThat(raw.callRaw("HGET", "r", "nope")).isEqualTo("_\r\n");
        assertThat(raw.callRaw("HRANDFIELD", "r", "1", "WITHVALUES")).isEqualTo("*1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
        assertThat(raw.callRaw("HRANDFIELD", "r", "-2", "WITHVALUES"))
                .isEqualTo("*2\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
        raw.call("HELLO", "2");
        assertThat(raw.callRaw("HRANDFIELD", "r", "-2", "WITHVALUES"))
                .isEqualTo("*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nf\r\n$1\r\nv\r\n");
        assertThat(raw.callRaw("HGETALL", "nokey")).isEqualTo("*0\r\n");
    }

    @Test
    void badInputGetsRedisErrors() throws Exception {
        j.set("str", "x");
        assertThat(error("HSET", "h", "a")).isEqualTo("ERR wrong number of arguments for 'hset' command");
        assertThat(error("HSET", "h", "a", "1", "b")).isEqualTo("ERR wrong number of arguments for 'hset' command");
        assertThat(error("HMSET", "h", "a", "1", "b")).isEqualTo("ERR wrong number of arguments for 'hmset' command");
        assertThat(error("HGET", "h")).isEqualTo("ERR wrong number of arguments for 'hget' command");
        for (String[] cmd : List.of(new String[] {"HSET", "str", "a", "1"}, new String[] {"HGET", "str", "a"},
                new String[] {"HGETALL", "str"}, new String[] {"HMGET", "str", "a"}, new String[] {"HDEL", "str", "a"},
                new String[] {"HINCRBY", "str", "a", "1"}, new String[] {"HRANDFIELD", "str", "-1"},
                new String[] {"HSCAN", "str", "0"}, new String[] {"HLEN", "str"})) {
            assertThat(error(cmd)).isEqualTo(RedisError.WRONGTYPE);
        }
        assertThatThrownBy(() -> j.hget("str", "a")).isInstanceOf(JedisDataException.class)
                .hasMessage(RedisError.WRONGTYPE);
        j.hset("h", Map.of("s", "abc", "max", "9223372036854775807", "f", "1.5"));
        assertThat(error("HINCRBY", "h", "n", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(error("HINCRBY", "h", "s", "1")).isEqualTo("ERR hash value is not an integer");
        assertThat(error("HINCRBY", "h", "f", "1")).isEqualTo("ERR hash value is not an integer");
        assertThat(error("HINCRBY", "h", "max", "1")).isEqualTo("ERR increment or decrement would overflow");
        assertThat(error("HINCRBYFLOAT", "h", "n", "x")).isEqualTo("ERR value is not a valid float");
        assertThat(error("HINCRBYFLOAT", "h", "n", "inf")).isEqualTo("ERR value is NaN or Infinity");
        assertThat(error("HINCRBYFLOAT", "h", "s", "1")).isEqualTo("ERR hash value is not a float");
        // Past a double's range but within a long double's, then past that.
        assertThat(raw.call("HINCRBYFLOAT", "h", "huge", "1e4932")).isInstanceOf(String.class);
        assertThat(error("HINCRBYFLOAT", "h", "huge", "1e4932")).isEqualTo("ERR increment would produce NaN or Infinity");
        j.hset("h", "inf", "inf");
        assertThat(error("HINCRBYFLOAT", "h", "inf", "1")).isEqualTo("ERR increment would produce NaN or Infinity");
        assertThat(error("HRANDFIELD", "h", "1", "WITHVALUE")).isEqualTo("ERR syntax error");
        assertThat(error("HRANDFIELD", "h", "-9223372036854775808"))
                .isEqualTo("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        assertThat(error("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES")).isEqualTo("ERR value is out of range");
        assertThat(error("HSCAN", "h", "x")).isEqualTo("ERR invalid cursor");
        assertThat(error("HSCAN", "h", "0", "COUNT", "0")).isEqualTo("ERR syntax error");
        assertThat(error("HSCAN", "h", "0", "TYPE", "hash")).isEqualTo("ERR syntax error");
        assertThat(j.hgetAll("h")).doesNotContainKeys("n").containsEntry("inf", "inf");
    }

    @Test
    void incrementsFormatAsRedisDoes() {
        assertThat(j.hincrBy("i", "n", 5)).isEqualTo(5);
        assertThat(j.hincrBy("i", "n", -7)).isEqualTo(-2);
        assertThat(j.hincrByFloat("i", "f", 1.23)).isEqualTo(1.23);
        assertThat(j.hincrByFloat("i", "f", 0.77)).isEqualTo(2.0);
        assertThat(j.hget("i", "f")).as("long double arithmetic printed as %.17Lf, trimmed").isEqualTo("2");
        assertThat(j.hincrByFloat("i", "f", -0.1)).isEqualTo(1.9);
        assertThat(j.hget("i", "f")).isEqualTo("1.9");
        j.hset("i", "e", "5.0e3");
        assertThat(j.hincrByFloat("i", "e", 1)).isEqualTo(5001.0);
        assertThat(j.hget("i", "e")).isEqualTo("5001");
        assertThat(j.hincrBy("i", "f2", 0)).isZero();
    }

    @Test
    void encodingsFollowTheListpackThresholds() throws Exception {
        j.hset("small", fields(10, "f"));
        assertThat(j.objectEncoding("small")).isEqualTo("listpack");
        j.hset("small", "long", "x".repeat(65));
        assertThat(j.objectEncoding("small")).isEqualTo("hashtable");
        j.hset("many", fields(513, "f"));
        assertThat(j.objectEncoding("many")).isEqualTo("hashtable");
        j.configSet("hash-max-listpack-entries", "4");
        try {
            j.hset("four", fields(4, "f"));
            assertThat(j.objectEncoding("four")).isEqualTo("listpack");
            j.hset("four", "f5", "v");
            assertThat(j.objectEncoding("four")).isEqualTo("hashtable");
            j.hdel("four", "f0", "f1", "f2");
            assertThat(j.objectEncoding("four")).as("never converted back").isEqualTo("hashtable");
        } finally {
            j.configSet("hash-max-listpack-entries", "512");
        }
        j.configSet("hash-max-ziplist-value", "8");
        try {
            j.hincrByFloat("fl", "tmp", 0.000005);
            assertThat(j.objectEncoding("fl")).isEqualTo("listpack");
            j.hincrByFloat("fl", "tmp", 0.0000005);
            assertThat(j.objectEncoding("fl")).isEqualTo("hashtable");
        } finally {
            j.configSet("hash-max-listpack-value", "64");
        }
        assertThat(j.hgetAll("many")).isEqualTo(fields(513, "f"));
    }

    @Test
    void copyKeepsEncodingAndIsIndependent() {
        j.hset("src", fields(600, "f"));
        j.hset("smallsrc", fields(3, "f"));
        assertThat(j.copy("src", "dst", false)).isTrue();
        assertThat(j.copy("smallsrc", "smalldst", false)).isTrue();
        assertThat(j.objectEncoding("dst")).isEqualTo("hashtable");
        assertThat(j.objectEncoding("smalldst")).isEqualTo("listpack");
        j.hdel("src", "f0");
        j.hset("smallsrc", "f0", "changed");
        assertThat(j.hget("dst", "f0")).isEqualTo("v0");
        assertThat(j.hget("smalldst", "f0")).isEqualTo("v0");
        assertThat(j.hlen("dst")).isEqualTo(600);
    }

    @Test
    void randomFieldsFollowRedisRules() {
        assertThat(j.hrandfield("nokey")).isNull();
        assertThat(j.hrandfield("nokey", 3)).isEmpty();
        Map<String, String> content = fields(10, "f");
        for (int n : new int[] {10, 1000}) {
            j.del("r");
            j.hset("r", fields(n, "f"));
            content = fields(n, "f");
            assertThat(content).containsKey(j.hrandfield("r"));
            assertThat(j.hrandfield("r", 0)).isEmpty();
            List<String> repeated = j.hrandfield("r", -3 * n);
            assertThat(repeated).hasSize(3 * n);
            assertThat(content.keySet()).containsAll(repeated);
            assertThat(new HashSet<>(j.hrandfield("r", 2L * n))).isEqualTo(content.keySet());
            for (int count : new int[] {n - 1, n / 2, 2}) {
                List<String> distinct = j.hrandfield("r", count);
                assertThat(distinct).hasSize(count).doesNotHaveDuplicates();
                assertThat(content.keySet()).containsAll(distinct);
            }
            for (Map.Entry<String, String> e : j.hrandfieldWithValues("r", 5)) {
                assertThat(content.get(e.getKey())).isEqualTo(e.getValue());
            }
        }
        // Repeated picks are uniform: every field of 10 gets about a tenth of 10000 picks.
        j.del("u");
        j.hset("u", fields(10, "f"));
        Map<String, Integer> counts = new HashMap<>();
        for (String f : j.hrandfield("u", -10_000)) counts.merge(f, 1, Integer::sum);
        assertThat(counts).hasSize(10);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(800, 1200));
    }

    @Test
    void scanReturnsEveryFieldPresentThroughoutWhileTheHashChanges() throws Exception {
        Map<String, String> stable = fields(3000, "stable:");
        j.hset("sh", stable);
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (Jedis w = node.jedis()) {
                int i = 0;
                while (!stop.get()) {
                    w.hset("sh", "churn:" + i, "x");
                    if (i % 2 == 0) w.hdel("sh", "churn:" + (i / 2));
                    i++;
                }
            }
        });
        writer.start();
        try {
            Map<String, String> seen = new HashMap<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            int calls = 0;
            do {
                ScanResult<Map.Entry<String, String>> r = j.hscan("sh", cursor, new ScanParams().count(20));
                for (Map.Entry<String, String> e : r.getResult()) seen.put(e.getKey(), e.getValue());
                cursor = r.getCursor();
                calls++;
            } while (!cursor.equals("0"));
            assertThat(calls).isGreaterThan(10);
            assertThat(seen).containsAllEntriesOf(stable);
        } finally {
            stop.set(true);
            writer.join();
        }
        ScanResult<Map.Entry<String, String>> matched = j.hscan("sh", "0", new ScanParams().match("stable:1?").count(100_000));
        assertThat(matched.getCursor()).isEqualTo("0");
        assertThat(matched.getResult()).extracting(Map.Entry::getKey).hasSize(10).allMatch(k -> k.startsWith("stable:1"));
    }

    @Test
    void changesKeepTheExpiryAndTellWatchers() throws Exception {
        j.hset("t", "a", "1");
        j.expire("t", 100);
        j.hset("t", "b", "2");
        j.hincrBy("t", "c", 1);
        j.hdel("t", "a");
        assertThat(j.ttl("t")).isBetween(1L, 100L);

        try (RawClient other = node.raw()) {
            raw.call("WATCH", "t");
            raw.call("MULTI");
            raw.call("HGET", "t", "b");
            other.call("HSET", "t", "b", "3");
            assertThat(raw.call("EXEC")).as("HSET touched the watched key").isNull();

            raw.call("WATCH", "t");
            raw.call("MULTI");
            raw.call("HGET", "t", "b");
            other.call("HSETNX", "t", "b", "x");
            other.call("HDEL", "t", "nope");
            other.call("HGET", "t", "b");
            assertThat(raw.call("EXEC")).as("no change, no touch").isEqualTo(List.of("3"));
        }
    }

    @Test
    void keyspaceEventsAsRedis() throws Exception {
        try (RawClient sub = node.raw()) {
            raw.call("CONFIG", "SET", "notify-keyspace-events", "Egh");
            try {
                sub.command("PSUBSCRIBE", "__keyevent@0__:*");
                sub.read();
                raw.call("HSET", "ev", "a", "1", "b", "2");
                raw.call("HSETNX", "ev", "a", "x"); // no event
                raw.call("HINCRBY", "ev", "n", "1");
                raw.call("HINCRBYFLOAT", "ev", "f", "1.5");
                raw.call("HDEL", "ev", "nope"); // no event
                raw.call("HDEL", "ev", "a", "b", "n", "f");
                List<String> events = new ArrayList<>();
                raw.call("HSET", "ev2", "a", "1");
                for (int i = 0; i < 6; i++) events.add((String) ((List<?>) sub.read()).get(2));
                assertThat(events).containsExactly("__keyevent@0__:hset", "__keyevent@0__:hincrby",
                        "__keyevent@0__:hincrbyfloat", "__keyevent@0__:hdel", "__keyevent@0__:del",
                        "__keyevent@0__:hset");
            } finally {
                raw.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    @Test
    void memoryIsAccountedAndFreed() throws Exception {
        long before = usedMemory();
        j.hset("mem", fields(5000, "field-with-a-longer-name-"));
        long grown = usedMemory() - before;
        assertThat(grown).isGreaterThan(5000L * 30);
        assertThat((Long) raw.call("MEMORY", "USAGE", "mem")).isBetween(5000L * 30, grown + 1000);
        assertThat(raw.call("MEMORY", "USAGE", "nokey")).isNull();
        assertThat(error("MEMORY", "USAGE", "mem", "SAMPLES", "-1")).isEqualTo("ERR syntax error");
        j.del("mem");
        assertThat(usedMemory() - before).isLessThan(grown / 10);
    }

    private long usedMemory() {
        for (String line : j.info("memory").split("\r\n")) {
            if (line.startsWith("used_memory:")) return Long.parseLong(line.substring("used_memory:".length()));
        }
        throw new IllegalStateException("no used_memory in INFO");
    }

    @Test
    void binarySafeFieldsAndValues() throws Exception {
        byte[] field = {0, (byte) 0xff, '\r', '\n', 1};
        byte[] value = new byte[300];
        for (int i = 0; i < value.length; i++) value[i] = (byte) i;
        j.hset("bin".getBytes(), field, value);
        assertThat(j.hget("bin".getBytes(), field)).isEqualTo(value);
        assertThat(j.objectEncoding("bin")).isEqualTo("hashtable");
        j.hset("bin2".getBytes(), field, new byte[] {0});
        assertThat(j.hget("bin2".getBytes(), field)).isEqualTo(new byte[] {0});
        assertThat(j.hstrlen("bin".getBytes(), field)).isEqualTo(300);
        assertThat(j.hkeys("bin2".getBytes())).containsExactly(field);
    }
}
