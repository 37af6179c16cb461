package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The set family on a real 4-shard node through Jedis (RESP2), Lettuce (RESP3) and raw RESP:
 * every command's normal cases and bad input with Redis 7.0's texts, intset and hashtable
 * encodings, multi-key commands whose keys sit on different shards (atomic as a whole: a
 * concurrent test moves members between shards while readers check that none is ever lost or
 * doubled), random members, SSCAN under writes, keyspace events and WATCH. Byte-for-byte
 * agreement with redis-server is checked by {@link HashesAndSetsVersusRedisIT}.
 */
class SetCommandsIT extends FourShardClients {
    private static String[] members(int n, String prefix) {
        String[] m = new String[n];
        for (int i = 0; i < n; i++) m[i] = prefix + i;
        return m;
    }

    /** Four keys, one on each shard. */
    private static String[] keysOnEveryShard(String prefix) {
        return new String[] {keyOn(0, prefix), keyOn(1, prefix), keyOn(2, prefix), keyOn(3, prefix)};
    }

    @Test
    void addRemoveAndQueryMembers() {
        assertThat(j.sadd("s", "a", "b", "c", "a")).isEqualTo(3);
        assertThat(j.sadd("s", "c", "d")).isEqualTo(1);
        assertThat(j.smembers("s")).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(j.scard("s")).isEqualTo(4);
        assertThat(j.scard("nokey")).isZero();
        assertThat(j.sismember("s", "a")).isTrue();
        assertThat(j.sismember("s", "z")).isFalse();
        assertThat(j.sismember("nokey", "a")).isFalse();
        assertThat(j.smismember("s", "a", "z", "d")).containsExactly(true, false, true);
        assertThat(j.smismember("nokey", "a", "b")).containsExactly(false, false);
        assertThat(j.srem("s", "a", "z")).isEqualTo(1);
        assertThat(j.srem("nokey", "a")).isZero();
        assertThat(j.srem("s", "b", "c", "d", "b")).isEqualTo(3);
        assertThat(j.exists("s")).as("an emptied set is deleted").isFalse();
        assertThat(j.smembers("nokey")).isEmpty();
        assertThat(lettuce.sadd("l", "x", "y")).isEqualTo(2);
        assertThat(lettuce.smembers("l")).containsExactlyInAnyOrder("x", "y");
        assertThat(lettuce.smismember("l", "x", "q")).containsExactly(true, false);
    }

    @Test
    void intsetsAndHashtables() {
        j.sadd("i", "3", "1", "2", "-70000", "5000000000");
        assertThat(j.objectEncoding("i")).isEqualTo("intset");
        assertThat(lettuce.smembers("i")).containsExactlyInAnyOrder("-70000", "1", "2", "3", "5000000000");
        j.sadd("i", "01");
        assertThat(j.objectEncoding("i")).isEqualTo("hashtable");
        assertThat(j.sismember("i", "01")).isTrue();
        assertThat(j.sismember("i", "1")).isTrue();
        j.sadd("many", members(513, ""));
        assertThat(j.objectEncoding("many")).isEqualTo("hashtable");
        j.configSet("set-max-intset-entries", "3");
        try {
            j.sadd("three", "1", "2", "3");
            assertThat(j.objectEncoding("three")).isEqualTo("intset");
            j.sadd("three", "4");
            assertThat(j.objectEncoding("three")).isEqualTo("hashtable");
        } finally {
            j.configSet("set-max-intset-entries", "512");
        }
        assertThat(j.scard("many")).isEqualTo(513);
    }

    @Test
    void resp3RepliesAreSets() throws Exception {
        raw.call("HELLO", "3");
        raw.call("SADD", "r", "5");
        assertThat(raw.callRaw("SMEMBERS", "r")).isEqualTo("~1\r\n$1\r\n5\r\n");
        assertThat(raw.callRaw("SMEMBERS", "nokey")).isEqualTo("~0\r\n");
        assertThat(raw.callRaw("SINTER", "r", "r")).isEqualTo("~1\r\n$1\r\n5\r\n");
        assertThat(raw.callRaw("SPOP", "nokey", "2")).isEqualTo("~0\r\n");
        assertThat(raw.callRaw("SRANDMEMBER", "r", "2")).isEqualTo("*1\r\n$1\r\n5\r\n");
        assertThat(raw.callRaw("SPOP", "r", "2")).isEqualTo("~1\r\n$1\r\n5\r\n");
        assertThat(raw.callRaw("SPOP", "r")).isEqualTo("_\r\n");
    }

    @Test
    void badInputGetsRedisErrors() throws Exception {
        j.set("str", "x");
        for (String[] cmd : List.of(new String[] {"SADD", "str", "a"}, new String[] {"SREM", "str", "a"},
                new String[] {"SMEMBERS", "str"}, new String[] {"SISMEMBER", "str", "a"},
                new String[] {"SMISMEMBER", "str", "a"}, new String[] {"SCARD", "str"}, new String[] {"SPOP", "str"},
                new String[] {"SPOP", "str", "1"}, new String[] {"SRANDMEMBER", "str", "-1"},
                new String[] {"SSCAN", "str", "0"}, new String[] {"SMOVE", "str", "nokey", "a"})) {
            assertThat(error(cmd)).isEqualTo(RedisError.WRONGTYPE);
        }
        assertThat(error("SADD", "s")).isEqualTo("ERR wrong number of arguments for 'sadd' command");
        assertThat(error("SMISMEMBER", "s")).isEqualTo("ERR wrong number of arguments for 'smismember' command");
        j.sadd("s", "a");
        assertThat(error("SPOP", "s", "1", "2")).isEqualTo("ERR syntax error");
        assertThat(error("SPOP", "s", "-1")).isEqualTo("ERR value is out of range, must be positive");
        assertThat(error("SPOP", "s", "x")).isEqualTo("ERR value is out of range, must be positive");
        assertThat(error("SRANDMEMBER", "s", "1", "2")).isEqualTo("ERR syntax error");
        assertThat(error("SRANDMEMBER", "s", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(error("SRANDMEMBER", "s", "-9223372036854775808"))
                .isEqualTo("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        assertThat(error("SINTERCARD", "0", "s")).isEqualTo("ERR numkeys should be greater than 0");
        assertThat(error("SINTERCARD", "x", "s")).isEqualTo("ERR numkeys should be greater than 0");
        assertThat(error("SINTERCARD", "2", "s")).isEqualTo("ERR Number of keys can't be greater than number of args");
        assertThat(error("SINTERCARD", "1", "s", "LIMIT", "-1")).isEqualTo("ERR LIMIT can't be negative");
        assertThat(error("SINTERCARD", "1", "s", "LIMIT")).isEqualTo("ERR syntax error");
        assertThat(error("SINTERCARD", "1", "s", "other")).isEqualTo("ERR syntax error");
        assertThat(error("SSCAN", "s", "x")).isEqualTo("ERR invalid cursor");
        assertThat(error("SSCAN", "s", "0", "MATCH")).isEqualTo("ERR syntax error");
        assertThat(error("SDIFFSTORE", "d", "s", "str")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(j.exists("d")).isFalse();
    }

    @Test
    void algebraWithKeysOnEveryShard() {
        String[] k = keysOnEveryShard("alg");
        j.sadd(k[0], "1", "2", "3", "4", "x");
        j.sadd(k[1], "2", "3", "4", "5", "x", "y");
        j.sadd(k[2], "3", "4", "6", "x");
        assertThat(j.sinter(k[0], k[1], k[2])).containsExactlyInAnyOrder("3", "4", "x");
        assertThat(j.sinter(k[0], k[3])).isEmpty();
        assertThat(j.sintercard(k[0], k[1], k[2])).isEqualTo(3);
        assertThat(j.sintercard(2, k[0], k[1], k[2])).isEqualTo(2);
        assertThat(lettuce.sintercard(k[0], k[1])).isEqualTo(4);
        assertThat(j.sunion(k[0], k[1], k[3])).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "x", "y");
        assertThat(j.sdiff(k[0], k[1], k[3])).containsExactly("1");
        assertThat(j.sdiff(k[1], k[0])).containsExactlyInAnyOrder("5", "y");
        assertThat(j.sdiff(k[3], k[0])).isEmpty();

        assertThat(j.sinterstore(k[3], k[0], k[1], k[2])).isEqualTo(3);
        assertThat(j.smembers(k[3])).containsExactlyInAnyOrder("3", "4", "x");
        assertThat(j.objectEncoding(k[3])).isEqualTo("hashtable");
        assertThat(j.sunionstore(k[3], k[0], k[2])).isEqualTo(6);
        assertThat(j.sdiffstore(k[3], k[0], k[1])).isEqualTo(1);
        assertThat(j.objectEncoding(k[3])).as("a stored result of integers is an intset").isEqualTo("intset");
        assertThat(j.sdiffstore(k[3], k[2], k[2])).isZero();
        assertThat(j.exists(k[3])).as("an empty result deletes the destination").isFalse();
        // A destination that is also a source.
        assertThat(j.sunionstore(k[0], k[0], k[2])).isEqualTo(6);
        assertThat(j.smembers(k[0])).containsExactlyInAnyOrder("1", "2", "3", "4", "6", "x");
    }

    @Test
    void smoveBetweenShards() {
        String[] k = keysOnEveryShard("mv");
        j.sadd(k[0], "1", "2", "a");
        assertThat(j.smove(k[0], k[1], "1")).isEqualTo(1);
        assertThat(j.objectEncoding(k[1])).isEqualTo("intset");
        assertThat(j.smove(k[0], k[1], "a")).isEqualTo(1);
        assertThat(j.objectEncoding(k[1])).isEqualTo("hashtable");
        assertThat(j.smove(k[0], k[1], "zz")).isZero();
        assertThat(j.smove(k[2], k[1], "1")).isZero();
        assertThat(j.smove(k[0], k[0], "2")).isEqualTo(1);
        assertThat(j.smove(k[0], k[1], "2")).isEqualTo(1);
        assertThat(j.exists(k[0])).isFalse();
        assertThat(j.smembers(k[1])).containsExactlyInAnyOrder("1", "2", "a");
        j.sadd(k[2], "1");
        assertThat(j.smove(k[1], k[2], "1")).as("already in the destination: still moved").isEqualTo(1);
        assertThat(j.smembers(k[2])).containsExactly("1");
        assertThat(j.smembers(k[1])).containsExactlyInAnyOrder("2", "a");
    }

    /**
     * Members move between two sets on different shards while readers look at both: a cross-shard
     * SMOVE is atomic, so the union always has every member and the intersection is always empty.
     */
    @Test
    void crossShardMovesAreAtomicToReaders() throws Exception {
        String a = keyOn(0, "atom"), b = keyOn(3, "atom");
        j.sadd(a, members(200, "m"));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> broken = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int seed = t;
            threads.add(new Thread(() -> {
                try (Jedis w = node.jedis()) {
                    java.util.Random rnd = new java.util.Random(seed);
                    while (!stop.get()) {
                        String m = "m" + rnd.nextInt(200);
                        if (w.smove(a, b, m) == 0) w.smove(b, a, m);
                    }
                }
            }));
        }
        threads.add(new Thread(() -> {
            try (Jedis r = node.jedis()) {
                while (!stop.get()) {
                    long union = r.sunion(a, b).size(), inter = r.sintercard(a, b);
                    if (union != 200 || inter != 0) broken.compareAndSet(null, "union " + union + ", intersection " + inter);
                }
            }
        }));
        threads.forEach(Thread::start);
        Thread.sleep(1500);
        stop.set(true);
        for (Thread t : threads) t.join();
        assertThat(broken.get()).isNull();
        assertThat(j.scard(a) + j.scard(b)).isEqualTo(200);
    }

    @Test
    void popAndRandomMembers() {
        assertThat(j.spop("nokey")).isNull();
        assertThat(j.spop("nokey", 3)).isEmpty();
        assertThat(j.srandmember("nokey")).isNull();
        assertThat(j.srandmember("nokey", 3)).isEmpty();
        for (String prefix : new String[] {"", "m"}) {
            for (int n : new int[] {10, 2000}) {
                j.del("p");
                Set<String> all = Set.of(members(n, prefix));
                j.sadd("p", members(n, prefix));
                assertThat(all).contains(j.srandmember("p"));
                assertThat(j.srandmember("p", 0)).isEmpty();
                assertThat(j.srandmember("p", -3 * n)).hasSize(3 * n);
                assertThat(new HashSet<>(j.srandmember("p", 2 * n))).isEqualTo(all);
                for (int count : new int[] {n - 1, n / 2, 3}) {
                    List<String> picked = j.srandmember("p", count);
                    assertThat(picked).hasSize(count).doesNotHaveDuplicates();
                    assertThat(all).containsAll(picked);
                }
                Set<String> popped = j.spop("p", n / 2);
                assertThat(popped).hasSize(n / 2);
                assertThat(all).containsAll(popped);
                assertThat(j.scard("p")).isEqualTo(n - n / 2);
                for (String m : popped) assertThat(j.sismember("p", m)).isFalse();
                String one = j.spop("p");
                assertThat(j.sismember("p", one)).isFalse();
                Set<String> rest = j.spop("p", n);
                assertThat(rest).hasSize(n - n / 2 - 1);
                assertThat(j.exists("p")).isFalse();
            }
        }
        j.sadd("u", members(10, "u"));
        Map<String, Integer> counts = new HashMap<>();
        for (String m : j.srandmember("u", -10_000)) counts.merge(m, 1, Integer::sum);
        assertThat(counts.values()).hasSize(10).allSatisfy(c -> assertThat(c).isBetween(800, 1200));
    }

    @Test
    void scanReturnsEveryMemberPresentThroughoutWhileTheSetChanges() throws Exception {
        String[] stable = members(3000, "stable:");
        j.sadd("ss", stable);
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (Jedis w = node.jedis()) {
                int i = 0;
                while (!stop.get()) {
                    w.sadd("ss", "churn:" + i);
                    if (i % 2 == 0) w.srem("ss", "churn:" + (i / 2));
                    i++;
                }
            }
        });
        writer.start();
        try {
            Set<String> seen = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> r = j.sscan("ss", cursor, new ScanParams().count(25));
                seen.addAll(r.getResult());
                cursor = r.getCursor();
            } while (!cursor.equals("0"));
            assertThat(seen).contains(stable);
        } finally {
            stop.set(true);
            writer.join();
        }
        j.sadd("ints", "1", "2", "10", "20");
        ValueScanCursor<String> small = lettuce.sscan("ints", ScanCursor.INITIAL, io.lettuce.core.ScanArgs.Builder.matches("1*"));
        assertThat(small.isFinished()).isTrue();
        assertThat(small.getValues()).containsExactly("1", "10");
    }

    @Test
    void keyspaceEventsInRedisOrder() throws Exception {
        String src = keyOn(1, "evsrc"), dst = keyOn(2, "evdst"), other = keyOn(3, "evother");
        try (io.moon.node.testing.RawClient sub = node.raw()) {
            raw.call("CONFIG", "SET", "notify-keyspace-events", "Egs");
            try {
                sub.command("PSUBSCRIBE", "__keyevent@0__:*");
                sub.read();
                raw.call("SADD", src, "a", "b");
                raw.call("SADD", src, "a"); // nothing added: no event
                raw.call("SMOVE", src, dst, "a");
                raw.call("SMOVE", src, dst, "b"); // empties the source
                raw.call("SREM", dst, "a");
                raw.call("SINTERSTORE", other, dst);
                raw.call("SUNIONSTORE", other, dst);
                raw.call("SDIFFSTORE", other, dst, dst); // empty result deletes it
                raw.call("SPOP", dst);
                List<String> events = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    List<?> m = (List<?>) sub.read();
                    events.add(((String) m.get(2)).substring("__keyevent@0__:".length()) + " " + m.get(3));
                }
                assertThat(events).containsExactly("sadd " + src, "srem " + src, "sadd " + dst, "srem " + src,
                        "del " + src, "sadd " + dst, "srem " + dst, "sinterstore " + other, "sunionstore " + other,
                        "del " + other, "spop " + dst, "del " + dst);
            } finally {
                raw.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    @Test
    void watchSeesOnlyRealChanges() throws Exception {
        j.sadd("w", "a");
        j.sadd("wsrc", "a", "b");
        try (io.moon.node.testing.RawClient other = node.raw()) {
            raw.call("WATCH", "w");
            raw.call("MULTI");
            raw.call("SCARD", "w");
            other.call("SADD", "w", "a"); // already there
            other.call("SREM", "w", "nope");
            other.call("SMOVE", "wsrc", "w", "a"); // w has a already: not touched, as Redis
            assertThat(raw.call("EXEC")).isEqualTo(List.of(1L));

            raw.call("WATCH", "w");
            raw.call("MULTI");
            raw.call("SCARD", "w");
            other.call("SMOVE", "wsrc", "w", "b");
            assertThat(raw.call("EXEC")).isNull();
        }
    }
}
