package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.testing.NodeProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.SortedSetOption;
import redis.clients.jedis.params.ZParams;
import redis.clients.jedis.params.ZRangeParams;
import redis.clients.jedis.resps.Tuple;

/**
 * Every sorted-set write goes through the write-ahead log and comes back after a SIGKILL: random
 * writes over keys spread on every shard (so stores and pops span shards and are logged by their
 * effect), blocking pops served after they blocked, both encodings. Snapshots keep content and
 * encodings, alone (graceful stop) and followed by the log (kill after SAVE).
 */
class SortedSetRecoveryIT {
    /** Threads for clients that block (the common pool may have a single thread on a small machine). */
    static final ExecutorService WAITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "blocked-client");
        t.setDaemon(true);
        return t;
    });

    @TempDir
    Path tmp;

    private static final int KEYS = 12;

    @ParameterizedTest(name = "shards {0}")
    @ValueSource(ints = {1, 4})
    void everyAcknowledgedZsetWriteSurvivesAKill(int shards) throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", Integer.toString(shards),
                "appendfsync", "always", "zset-max-listpack-entries", "16")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            Map<String, List<Tuple>> before;
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                randomWrites(j, new Random(shards));
                blockingPops(node, j);
                before = snapshot(j);
            }
            assertThat(before).hasSizeGreaterThan(KEYS / 2);
            node.kill();
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                assertThat(snapshot(j)).isEqualTo(before);
            }
            assertThat(node.logText()).doesNotContain("could not be written to the log").doesNotContain("replaying");
        }
    }

    @ParameterizedTest(name = "shards {0}")
    @ValueSource(ints = {1, 4})
    void snapshotsKeepContentAndEncodings(int shards) throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("snap"), "shards", Integer.toString(shards),
                "appendfsync", "always", "zset-max-listpack-entries", "16")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            Map<String, List<Tuple>> before;
            Map<String, String> encodings;
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                randomWrites(j, new Random(shards + 10));
                j.zadd("long-member", 1, "m".repeat(100));
                assertThat(j.save()).isEqualTo("OK");
                randomWrites(j, new Random(shards + 20)); // after the snapshot: from the log
                before = snapshot(j);
                encodings = encodings(j);
            }
            assertThat(encodings).containsValues("listpack", "skiplist");
            node.kill(); // snapshot + log replay
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                assertThat(snapshot(j)).isEqualTo(before);
                assertThat(encodings(j)).isEqualTo(encodings);
            }
            assertThat(node.stop()).isIn(0, 143); // graceful: a final snapshot, no log to replay
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                assertThat(snapshot(j)).isEqualTo(before);
                assertThat(encodings(j)).isEqualTo(encodings);
            }
            assertThat(node.logText()).doesNotContain("Snapshot failed").doesNotContain("no RDB form");
        }
    }

    private static Map<String, String> encodings(Jedis j) {
        Map<String, String> out = new TreeMap<>();
        for (String k : j.keys("*")) out.put(k, j.objectEncoding(k));
        return out;
    }

    private static String key(Random rnd) { return "z" + rnd.nextInt(KEYS); }

    private static void randomWrites(Jedis j, Random rnd) {
        for (int i = 0; i < 3000; i++) {
            String k = key(rnd), m = "m" + rnd.nextInt(40);
            double s = rnd.nextInt(5) == 0 ? rnd.nextGaussian() : rnd.nextInt(20);
            switch (rnd.nextInt(14)) {
                case 0, 1, 2, 3 -> j.zadd(k, s, m);
                case 4 -> j.zincrby(k, s, m);
                case 5 -> j.zrem(k, m);
                case 6 -> j.zremrangeByScore(k, s - 2, s);
                case 7 -> j.zremrangeByRank(k, 0, rnd.nextInt(3));
                case 8 -> j.zpopmax(k, 2);
                case 9 -> j.zmpop(SortedSetOption.MIN, 3, key(rnd), key(rnd));
                case 10 -> j.zunionstore(key(rnd), new ZParams().weights(1, 2), key(rnd), k);
                case 11 -> j.zinterstore(key(rnd), key(rnd), k);
                case 12 -> j.zdiffstore(key(rnd), k, key(rnd));
                default -> j.zrangestore(key(rnd), k, ZRangeParams.zrangeByScoreParams(0, 10).limit(0, 20));
            }
        }
    }

    /** Pops served after the client blocked: logged as the pops that happened. */
    private static void blockingPops(NodeProcess node, Jedis j) throws Exception {
        for (int round = 0; round < 3; round++) {
            String a = "wait" + round + "a", b = "wait" + round + "b";
            try (Jedis w1 = new Jedis("127.0.0.1", node.port(), 10_000); Jedis w2 = new Jedis("127.0.0.1", node.port(), 10_000)) {
                CompletableFuture<?> p1 = CompletableFuture.supplyAsync(() -> w1.bzpopmin(10, a, b), WAITERS);
                CompletableFuture<?> p2 = CompletableFuture.supplyAsync(() -> w2.bzmpop(10, SortedSetOption.MAX, 2, b, a), WAITERS);
                long deadline = System.currentTimeMillis() + 5000;
                while (!j.info("clients").contains("blocked_clients:2\r")) {
                    if (p1.isDone()) p1.get(); // surfaces an early failure
                    if (p2.isDone()) p2.get();
                    assertThat(System.currentTimeMillis()).as("both clients blocked").isLessThan(deadline);
                    Thread.sleep(10);
                }
                j.zadd(b, Map.of("x", 1.0, "y", 2.0, "z", 3.0, "w", 4.0));
                p1.get(10, TimeUnit.SECONDS);
                p2.get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Map<String, List<Tuple>> snapshot(Jedis j) {
        Map<String, List<Tuple>> out = new TreeMap<>();
        for (String k : j.keys("*")) {
            assertThat(j.type(k)).isEqualTo("zset");
            out.put(k, new ArrayList<>(j.zrangeWithScores(k, 0, -1)));
        }
        return out;
    }
}
