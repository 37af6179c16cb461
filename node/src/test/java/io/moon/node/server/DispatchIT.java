package io.moon.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * The dispatch path end to end on a 4-shard node: request order across shards in deep
 * pipelines, atomic and isolated multi-shard commands under concurrency.
 */
class DispatchIT {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start("shards", "4");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void deepPipelineMixingShardsKeepsRequestOrder() {
        try (Jedis j = node.jedis()) {
            Pipeline p = j.pipelined();
            List<Response<?>> rs = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                String k = "order:" + i;
                rs.add(p.set(k, "v" + i));
                rs.add(p.get(k));
                rs.add(p.incr("order:n:" + (i % 7)));
                if (i % 50 == 0) rs.add(p.mget("order:" + i, "order:" + (i / 2), "missing:" + i));
                if (i % 97 == 0) rs.add(p.mset("order:x:" + i, "x", "order:y:" + i, "y"));
                rs.add(p.sendCommand(redis.clients.jedis.Protocol.Command.ECHO, "e" + i));
            }
            p.sync();
            long[] counters = new long[7];
            int r = 0;
            for (int i = 0; i < 5000; i++) {
                assertThat(rs.get(r++).get()).isEqualTo("OK");
                assertThat(rs.get(r++).get()).isEqualTo("v" + i);
                assertThat(rs.get(r++).get()).isEqualTo(++counters[i % 7]);
                if (i % 50 == 0) {
                    assertThat(rs.get(r++).get()).isEqualTo(java.util.Arrays.asList("v" + i, "v" + (i / 2), null));
                }
                if (i % 97 == 0) assertThat(rs.get(r++).get()).isEqualTo("OK");
                assertThat(new String((byte[]) rs.get(r++).get())).isEqualTo("e" + i);
            }
        }
    }

    @Test
    void lettucePipelinedAcrossShardsKeepsOrder() throws Exception {
        RedisClient client = RedisClient.create(node.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.setAutoFlushCommands(false);
            RedisAsyncCommands<String, String> a = c.async();
            List<RedisFuture<String>> gets = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                a.set("lt:" + i, Integer.toString(i));
                gets.add(a.get("lt:" + (i / 2)));
            }
            c.flushCommands();
            for (int i = 0; i < 2000; i++) {
                assertThat(gets.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(Integer.toString(i / 2));
            }
        } finally {
            client.shutdown();
        }
    }

    /**
     * Writers set 8 keys spread over the shards to one value per MSET; readers MGET them. A
     * reader must never see two values: MSET is all-or-nothing for every other client.
     */
    @Test
    void msetIsAtomicAndIsolatedAcrossShards() throws Exception {
        String[] keys = new String[8];
        for (int i = 0; i < keys.length; i++) keys[i] = "atom:" + i + ":" + (i * 7919);
        assertThat(shardsOf(keys)).as("keys must span several shards").isGreaterThan(2);
        try (Jedis j = node.jedis()) {
            j.mset(interleave(keys, "0"));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> violation = new AtomicReference<>();
        AtomicLong reads = new AtomicLong(), writes = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int id = w;
            threads.add(new Thread(() -> {
                try (Jedis j = node.jedis()) {
                    for (long n = 1; !stop.get(); n++) {
                        j.mset(interleave(keys, id + ":" + n));
                        writes.incrementAndGet();
                    }
                }
            }));
        }
        for (int r = 0; r < 3; r++) {
            threads.add(new Thread(() -> {
                try (Jedis j = node.jedis()) {
                    while (!stop.get()) {
                        List<String> vs = j.mget(keys);
                        if (vs.stream().distinct().count() != 1) violation.compareAndSet(null, vs.toString());
                        reads.incrementAndGet();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        Thread.sleep(3000);
        stop.set(true);
        for (Thread t : threads) t.join(10_000);
        assertThat(violation.get()).as("a reader saw a mixed view").isNull();
        assertThat(reads.get()).isGreaterThan(100);
        assertThat(writes.get()).isGreaterThan(100);
    }

    @Test
    void multiKeyCountsAcrossShards() {
        try (Jedis j = node.jedis()) {
            String[] keys = {"mk:a", "mk:b", "mk:c", "mk:d", "mk:e", "mk:f"};
            assertThat(shardsOf(keys)).isGreaterThan(1);
            j.mset(interleave(keys, "1"));
            assertThat(j.exists(keys)).isEqualTo(6);
            assertThat(j.exists("mk:a", "mk:a", "mk:none")).isEqualTo(2);
            assertThat(j.del("mk:a", "mk:b", "mk:none")).isEqualTo(2);
            assertThat(j.unlink("mk:c", "mk:d")).isEqualTo(2);
            assertThat(j.exists(keys)).isEqualTo(2);
        }
    }

    @Test
    void inlineCommandsAndQuotes() throws Exception {
        try (RawClient c = node.raw()) {
            c.send("SET inline:k \"hello world\"\r\nGET inline:k\r\n\r\nPING\r\n");
            assertThat(c.read()).isEqualTo("OK");
            assertThat(c.read()).isEqualTo("hello world");
            assertThat(c.read()).isEqualTo("PONG");
        }
    }

    @Test
    void protocolErrorIsAnsweredAfterEarlierRepliesThenClosed() throws Exception {
        try (RawClient c = node.raw()) {
            c.send("*3\r\n$3\r\nSET\r\n$5\r\npe:k1\r\n$1\r\nv\r\n*1\r\n$-5\r\n");
            assertThat(c.read()).isEqualTo("OK");
            assertThat(c.read()).isEqualTo(new RawClient.Err("ERR Protocol error: invalid bulk length"));
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawClient c = node.raw()) {
            c.send("*1\r\nfoo\r\n");
            assertThat(c.read()).isEqualTo(new RawClient.Err("ERR Protocol error: expected '$', got 'f'"));
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawClient c = node.raw()) {
            c.send("SET \"unterminated\r\n");
            assertThat(c.read()).isEqualTo(new RawClient.Err("ERR Protocol error: unbalanced quotes in request"));
            assertThat(c.closedByServer()).isTrue();
        }
        try (Jedis j = node.jedis()) {
            assertThat(j.get("pe:k1")).isEqualTo("v");
        }
    }

    @Test
    void unknownCommandAndArityErrorsUseRedisText() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("NOSUCH", "a", "b")).isEqualTo(
                    new RawClient.Err("ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' "));
            assertThat(c.call("GET")).isEqualTo(new RawClient.Err("ERR wrong number of arguments for 'get' command"));
            assertThat(c.call("get", "a", "b")).isEqualTo(new RawClient.Err("ERR wrong number of arguments for 'get' command"));
            assertThat(c.call("ping")).isEqualTo("PONG");
        }
    }

    @Test
    void largeValuesRoundTrip() throws Exception {
        byte[] big = new byte[20 << 20];
        new Random(1).nextBytes(big);
        try (Jedis j = node.jedis()) {
            assertThat(j.set("big:1".getBytes(), big)).isEqualTo("OK");
            assertThat(j.get("big:1".getBytes())).isEqualTo(big);
        }
    }

    @Test
    void garbageNeverKillsTheNode() throws Exception {
        Random rnd = new Random(42);
        for (int round = 0; round < 50; round++) {
            try (RawClient c = node.raw()) {
                byte[] junk = new byte[rnd.nextInt(4096) + 1];
                rnd.nextBytes(junk);
                if (round % 3 == 0) junk[0] = '*';
                if (round % 3 == 1) junk[0] = '$';
                c.send(junk);
            } catch (java.io.IOException ignored) {
                // the node may close on us mid-send; that is fine
            }
        }
        try (Jedis j = node.jedis()) {
            assertThat(j.ping()).isEqualTo("PONG");
        }
    }

    private static int shardsOf(String... keys) {
        return (int) java.util.Arrays.stream(keys)
                .map(k -> node.node().shardIndexOfSlot(io.moon.node.cluster.KeySlot.slot(k.getBytes())))
                .distinct().count();
    }

    private static String[] interleave(String[] keys, String value) {
        String[] kv = new String[keys.length * 2];
        for (int i = 0; i < keys.length; i++) {
            kv[2 * i] = keys[i];
            kv[2 * i + 1] = value;
        }
        return kv;
    }

    @SuppressWarnings("unused")
    private static Map<String, String> none() { return Map.of(); }
}
