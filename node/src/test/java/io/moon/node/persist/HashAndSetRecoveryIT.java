package io.moon.node.persist;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.cluster.KeySlot;
import io.moon.node.testing.NodeProcess;
import io.moon.node.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/**
 * Hashes and sets survive a SIGKILL (write-ahead log replay) and a restart from a snapshot, with
 * their contents, expiry and encodings: random pops are logged as what they removed, HINCRBYFLOAT
 * as its result, and writes spread over shards (SMOVE, *STORE, a multi-shard EXEC) as the end
 * state of every key they wrote.
 */
class HashAndSetRecoveryIT {
    @TempDir
    Path tmp;

    private static final int SHARDS = 4;

    private static int shardOf(String key) {
        return (int) ((long) KeySlot.slot(key.getBytes()) * SHARDS / KeySlot.SLOTS);
    }

    /** The first of prefix0, prefix1, ... on the given shard. */
    private static String keyOn(int shard, String prefix) {
        for (int i = 0; ; i++) if (shardOf(prefix + i) == shard) return prefix + i;
    }

    /** Writes one of everything and returns what each key must hold afterwards. */
    private static Map<String, Object> writeEverything(Jedis j) {
        Map<String, Object> expect = new HashMap<>();
        Map<String, String> big = new HashMap<>();
        for (int i = 0; i < 700; i++) big.put("field" + i, "value" + i);
        j.hset("h:big", big);
        j.hdel("h:big", "field0");
        big.remove("field0");
        expect.put("h:big", big);
        j.hset("h:small", Map.of("a", "1", "b", "2"));
        j.hincrByFloat("h:small", "f", 1.1);
        j.hincrByFloat("h:small", "f", 2.2);
        j.hincrBy("h:small", "a", 41);
        j.expire("h:small", 10_000);
        expect.put("h:small", Map.of("a", "42", "b", "2", "f", j.hget("h:small", "f")));

        j.sadd("s:ints", "1", "2", "3", "4", "5");
        String popped = j.spop("s:ints");
        Set<String> ints = new HashSet<>(Set.of("1", "2", "3", "4", "5"));
        ints.remove(popped);
        ints.removeAll(j.spop("s:ints", 2));
        expect.put("s:ints", ints);
        String[] many = new String[300];
        for (int i = 0; i < many.length; i++) many[i] = "m" + i;
        j.sadd("s:strs", many);
        Set<String> strs = new HashSet<>(Set.of(many));
        strs.removeAll(j.spop("s:strs", 100));
        expect.put("s:strs", strs);
        j.sadd("s:gone", "x");
        j.spop("s:gone", 5);

        String src = keyOn(0, "src"), dst = keyOn(3, "dst"), other = keyOn(2, "other");
        j.sadd(src, "a", "b", "c");
        j.smove(src, dst, "a");
        j.sunionstore(other, src, dst);
        expect.put(src, Set.of("b", "c"));
        expect.put(dst, Set.of("a"));
        expect.put(other, Set.of("a", "b", "c"));

        String th = keyOn(1, "txh"), ts = keyOn(2, "txs");
        Transaction tx = j.multi();
        tx.hset(th, "k", "v");
        tx.sadd(ts, "1", "x");
        tx.pexpire(ts, 10_000_000);
        tx.exec();
        expect.put(th, Map.of("k", "v"));
        expect.put(ts, Set.of("1", "x"));
        return expect;
    }

    private static void check(Jedis j, Map<String, Object> expect) {
        for (Map.Entry<String, Object> e : expect.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m) assertThat(j.hgetAll(e.getKey())).as(e.getKey()).isEqualTo(m);
            else assertThat(j.smembers(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(j.exists("s:gone")).isFalse();
        assertThat(j.ttl("h:small")).isBetween(9_000L, 10_000L);
        assertThat(j.objectEncoding("h:small")).isEqualTo("listpack");
        assertThat(j.objectEncoding("h:big")).isEqualTo("hashtable");
        assertThat(j.objectEncoding("s:ints")).isEqualTo("intset");
        assertThat(j.objectEncoding("s:strs")).isEqualTo("hashtable");
    }

    /**
     * Writes everything on a node, optionally SAVEs (then changes one more field, which only the
     * log has), SIGKILLs it, restarts it on the same directory and checks every key.
     */
    @SuppressWarnings("unchecked")
    private void writeKillRestartCheck(boolean saveFirst) throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", Integer.toString(SHARDS),
                "appendfsync", "always")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            Map<String, Object> expect;
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                expect = writeEverything(j);
                check(j, expect);
                if (saveFirst) {
                    assertThat(j.save()).isEqualTo("OK");
                    j.hset("h:small", "after", "snapshot");
                    Map<String, String> small = new HashMap<>((Map<String, String>) expect.get("h:small"));
                    small.put("after", "snapshot");
                    expect.put("h:small", small);
                }
            }
            node.kill();
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                check(j, expect);
            }
            assertThat(node.logText()).doesNotContain("could not be written to the log").doesNotContain("ERROR");
        }
    }

    @Test
    void everyAcknowledgedChangeSurvivesAKill() throws Exception {
        writeKillRestartCheck(false);
    }

    @Test
    void aSnapshotCarriesHashesAndSets() throws Exception {
        writeKillRestartCheck(true);
    }

    /** A dump.rdb saved by redis-server 7.0 with every hash and set encoding loads with the same encodings. */
    @Test
    void aRedisDumpOfHashesAndSetsImports() throws Exception {
        Assumptions.assumeTrue(RedisServer.binary() != null, "no redis-server on the PATH");
        Path dumpDir = tmp.resolve("redis");
        Files.createDirectories(dumpDir);
        try (RedisServer redis = RedisServer.startIn(dumpDir); Jedis r = redis.jedis()) {
            r.hset("h:small", Map.of("a", "1", "n", "12345", "s", "x".repeat(60)));
            for (int i = 0; i < 600; i++) r.hset("h:big", "f" + i, "v" + i);
            r.sadd("s:ints", "1", "-70000", "5000000000");
            r.sadd("s:strs", "a", "b", "c");
            for (int i = 0; i < 700; i++) r.sadd("s:bigints", Integer.toString(i));
            r.pexpire("h:small", 100_000_000);
            assertThat(r.save()).isEqualTo("OK");
            // The server's directory goes with it: keep the dump.
            Files.copy(dumpDir.resolve("dump.rdb"), tmp.resolve("dump.rdb"));
        }
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", Integer.toString(SHARDS),
                "import-rdb", tmp.resolve("dump.rdb").toString())) {
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                assertThat(j.hgetAll("h:small")).isEqualTo(Map.of("a", "1", "n", "12345", "s", "x".repeat(60)));
                assertThat(j.objectEncoding("h:small")).isEqualTo("listpack");
                assertThat(j.pttl("h:small")).isGreaterThan(90_000_000L);
                assertThat(j.hlen("h:big")).isEqualTo(600);
                assertThat(j.hget("h:big", "f599")).isEqualTo("v599");
                assertThat(j.objectEncoding("h:big")).isEqualTo("hashtable");
                assertThat(j.smembers("s:ints")).containsExactlyInAnyOrder("1", "-70000", "5000000000");
                assertThat(j.objectEncoding("s:ints")).isEqualTo("intset");
                assertThat(j.smembers("s:strs")).containsExactlyInAnyOrder("a", "b", "c");
                assertThat(j.objectEncoding("s:strs")).isEqualTo("hashtable");
                assertThat(j.scard("s:bigints")).isEqualTo(700);
                assertThat(j.objectEncoding("s:bigints")).isEqualTo("hashtable");
            }
        }
    }
}
