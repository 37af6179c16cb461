package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.cluster.KeySlot;
import io.moon.node.testing.NodeProcess;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListDirection;

/**
 * Lists survive a crash: every way a list command is logged (as sent, rewritten as Redis
 * propagates it, per key across shards, a key's end state) replays to the same lists after a
 * SIGKILL of a 4-shard node under appendfsync always.
 */
class ListDurabilityIT {
    @TempDir
    Path tmp;

    /** A key name on the given shard of a 4-shard node (slot -> shard as the node maps it). */
    private static String on(int shard, String prefix) {
        for (int i = 0; ; i++) {
            String k = prefix + i;
            if (KeySlot.slot(k.getBytes(StandardCharsets.UTF_8)) * 4 / 16384 == shard) return k;
        }
    }

    @Test
    void everyKindOfListWriteReplaysAfterACrash() throws Exception {
        String a0 = on(0, "a"), b0 = on(0, "b"), c1 = on(1, "c"), d2 = on(2, "d"), e3 = on(3, "e");
        Map<String, List<String>> expected = new LinkedHashMap<>();
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "4", "appendfsync", "always")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                j.rpush(a0, "1", "2", "3", "4", "5", "6");
                j.lpush(b0, "x", "y");
                j.lpop(a0, 2);
                j.lset(a0, 0, "three");
                j.linsert(a0, redis.clients.jedis.args.ListPosition.AFTER, "three", "3.5");
                j.lrem(a0, 1, "5");
                j.ltrim(a0, 0, 2);
                j.lmove(a0, b0, ListDirection.LEFT, ListDirection.RIGHT); // one shard
                j.rpush(c1, "c1", "c2", "c3");
                j.lmove(c1, d2, ListDirection.RIGHT, ListDirection.LEFT); // two shards
                j.rpoplpush(c1, e3);
                j.blpop(1, d2, c1); // pops at once
                j.rpush(d2, "d1", "d2");
                j.lmpop(ListDirection.RIGHT, 1, e3, d2);
                // Served after blocking: in place, then by a move to another shard.
                try (RawClient waiter = new RawClient("127.0.0.1", node.port());
                     RawClient mover = new RawClient("127.0.0.1", node.port())) {
                    waiter.command("BRPOP", on(1, "w"), on(2, "empty"), "0");
                    mover.command("BLMOVE", on(3, "m"), a0, "LEFT", "LEFT", "0");
                    Thread.sleep(200);
                    j.rpush(on(1, "w"), "w1", "w2");
                    assertThat(waiter.read()).isEqualTo(List.of(on(1, "w"), "w2"));
                    j.rpush(on(3, "m"), "moved");
                    assertThat(mover.read()).isEqualTo("moved");
                }
                Transaction t = j.multi();
                t.rpush(c1, "tx1");
                t.lpush(e3, "tx2");
                t.rpop(b0);
                t.exec();
                j.rpush(on(2, "r"), "r1", "r2", "r3");
                j.pexpire(on(2, "r"), 3_600_000);
                j.rename(on(2, "r"), on(0, "renamed"));
                for (String k : List.of(a0, b0, c1, d2, e3, on(1, "w"), on(3, "m"), on(0, "renamed"))) {
                    expected.put(k, j.lrange(k, 0, -1));
                }
                assertThat(j.ttl(on(0, "renamed"))).isPositive();
            }
            assertThat(expected.values()).allSatisfy(l -> assertThat(l).isNotNull());
            node.kill();
            assertThat(node.start()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                for (Map.Entry<String, List<String>> e : expected.entrySet()) {
                    assertThat(j.lrange(e.getKey(), 0, -1)).as(e.getKey()).isEqualTo(e.getValue());
                }
                assertThat(j.ttl(on(0, "renamed"))).isPositive();
            }
            assertThat(node.logText()).doesNotContain("could not be written to the log");
        }
    }

    /** Lists of every shape in a database: small, many nodes, integers, long elements, expiring. */
    private static Map<String, List<String>> fill(Jedis j) {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        j.rpush("small", "a", "1", "-7", "");
        java.util.List<String> big = new java.util.ArrayList<>();
        for (int i = 0; i < 5000; i++) big.add(i % 3 == 0 ? Long.toString(i * 1_000_003L) : "element-" + i);
        j.rpush("big", big.toArray(new String[0]));
        j.rpush("long", "x".repeat(20_000), "y".repeat(70_000), "z");
        j.rpush("expiring", "e");
        j.pexpire("expiring", 3_600_000);
        for (String k : List.of("small", "big", "long", "expiring")) expected.put(k, j.lrange(k, 0, -1));
        return expected;
    }

    @Test
    void listsSurviveASnapshotWithoutLogs() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("snap"), "shards", "4", "appendonly", "no", "save", "")) {
            assertThat(node.start()).isTrue();
            Map<String, List<String>> expected;
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 60_000)) {
                expected = fill(j);
                assertThat(j.save()).isEqualTo("OK");
            }
            node.kill();
            assertThat(node.start()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                for (Map.Entry<String, List<String>> e : expected.entrySet()) {
                    assertThat(j.lrange(e.getKey(), 0, -1)).as(e.getKey()).isEqualTo(e.getValue());
                }
                assertThat(j.pttl("expiring")).isPositive();
                assertThat(j.objectEncoding("big")).isEqualTo("quicklist");
            }
        }
    }

    /** A dump.rdb that redis-server 7.0 wrote (quicklist 2 nodes of listpacks) loads into a node. */
    @Test
    void listsOfARedisDumpAreImported() throws Exception {
        Path redisDir = tmp.resolve("redis");
        java.nio.file.Files.createDirectories(redisDir);
        Map<String, List<String>> expected;
        try (RedisServer redis = RedisServer.startIn(redisDir, "--list-max-listpack-size", "8");
             Jedis j = new Jedis("127.0.0.1", redis.port(), 60_000)) {
            expected = fill(j);
            assertThat(j.save()).isEqualTo("OK");
            java.nio.file.Files.copy(redisDir.resolve("dump.rdb"), tmp.resolve("lists.rdb"));
        }
        Path data = tmp.resolve("imported");
        java.nio.file.Files.createDirectories(data);
        java.nio.file.Files.copy(tmp.resolve("lists.rdb"), data.resolve("dump.rdb"));
        try (NodeProcess node = new NodeProcess(data, "shards", "4")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                for (Map.Entry<String, List<String>> e : expected.entrySet()) {
                    assertThat(j.lrange(e.getKey(), 0, -1)).as(e.getKey()).isEqualTo(e.getValue());
                }
                assertThat(j.pttl("expiring")).isPositive();
                j.rpush("big", "after");
                assertThat(j.lindex("big", -1)).isEqualTo("after");
            }
        }
    }
}
