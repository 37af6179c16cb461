package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.RawClient.Err;
import io.moon.node.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/** MULTI/EXEC/DISCARD/WATCH/UNWATCH on a 4-shard node, with keys on several shards. */
class TransactionCommandsIT {
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
    void execRunsQueuedCommandsAcrossShardsInOrder() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("MULTI")).isEqualTo("OK");
            for (int k = 0; k < 10; k++) assertThat(c.call("SET", "tx:" + k, "v" + k)).isEqualTo("QUEUED");
            assertThat(c.call("INCR", "tx:counter")).isEqualTo("QUEUED");
            assertThat(c.call("INCR", "tx:counter")).isEqualTo("QUEUED");
            assertThat(c.call("GET", "tx:3")).isEqualTo("QUEUED");
            assertThat(c.call("INCR", "tx:3")).isEqualTo("QUEUED"); // fails at run time, the rest goes on
            assertThat(c.call("PING")).isEqualTo("QUEUED");
            @SuppressWarnings("unchecked") List<Object> r = (List<Object>) c.call("EXEC");
            assertThat(r).hasSize(15);
            assertThat(r.subList(0, 10)).containsOnly("OK");
            assertThat(r.get(10)).isEqualTo(1L);
            assertThat(r.get(11)).isEqualTo(2L);
            assertThat(r.get(12)).isEqualTo("v3");
            assertThat(r.get(13)).isEqualTo(new Err("ERR value is not an integer or out of range"));
            assertThat(r.get(14)).isEqualTo("PONG");
        }
    }

    @Test
    void errorsWhileQueueingAbortTheExec() throws Exception {
        try (RawClient c = node.raw()) {
            c.call("SET", "abort:k", "before");
            assertThat(c.call("MULTI")).isEqualTo("OK");
            assertThat(c.call("SET", "abort:k", "after")).isEqualTo("QUEUED");
            assertThat(c.call("NOSUCHCOMMAND")).isInstanceOf(Err.class);
            assertThat(c.call("GET")).isEqualTo(new Err("ERR wrong number of arguments for 'get' command"));
            assertThat(c.call("EXEC")).isEqualTo(new Err("EXECABORT Transaction discarded because of previous errors."));
            assertThat(c.call("GET", "abort:k")).isEqualTo("before");
        }
    }

    @Test
    void misuseErrors() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("EXEC")).isEqualTo(new Err("ERR EXEC without MULTI"));
            assertThat(c.call("DISCARD")).isEqualTo(new Err("ERR DISCARD without MULTI"));
            assertThat(c.call("MULTI")).isEqualTo("OK");
            assertThat(c.call("MULTI")).isEqualTo(new Err("ERR MULTI calls can not be nested"));
            assertThat(c.call("WATCH", "x")).isEqualTo(new Err("ERR WATCH inside MULTI is not allowed"));
            assertThat(c.call("DISCARD")).isEqualTo("OK");
            assertThat(c.call("MULTI")).isEqualTo("OK");
            assertThat(c.call("EXEC", "extra")).isEqualTo(new Err(
                    "EXECABORT Transaction discarded because of: ERR wrong number of arguments for 'exec' command"));
            assertThat(c.call("EXEC")).isEqualTo(new Err("ERR EXEC without MULTI"));
        }
    }

    @Test
    void discardDropsTheQueue() throws Exception {
        try (RawClient c = node.raw()) {
            c.call("SET", "disc:k", "1");
            c.call("MULTI");
            c.call("SET", "disc:k", "2");
            assertThat(c.call("DISCARD")).isEqualTo("OK");
            assertThat(c.call("GET", "disc:k")).isEqualTo("1");
        }
    }

    @Test
    void watchedKeyChangedByAnotherClientFailsExec() throws Exception {
        try (RawClient c = node.raw(); RawClient other = node.raw()) {
            c.call("SET", "w:k", "1");
            assertThat(c.call("WATCH", "w:k", "w:other:1", "w:other:2")).isEqualTo("OK");
            other.call("SET", "w:k", "2");
            c.call("MULTI");
            c.call("SET", "w:k", "3");
            assertThat(c.call("EXEC")).isNull();
            assertThat(c.call("GET", "w:k")).isEqualTo("2");
            // The failed EXEC ended the watch: the next transaction runs.
            c.call("MULTI");
            c.call("SET", "w:k", "4");
            assertThat(c.call("EXEC")).isEqualTo(List.of("OK"));
        }
    }

    @Test
    void untouchedWatchLetsExecRunAndUnwatchForgets() throws Exception {
        try (RawClient c = node.raw(); RawClient other = node.raw()) {
            c.call("SET", "u:k", "1");
            c.call("WATCH", "u:k");
            c.call("MULTI");
            c.call("INCR", "u:k");
            assertThat(c.call("EXEC")).isEqualTo(List.of(2L));
            c.call("WATCH", "u:k");
            assertThat(c.call("UNWATCH")).isEqualTo("OK");
            other.call("SET", "u:k", "9");
            c.call("MULTI");
            c.call("INCR", "u:k");
            assertThat(c.call("EXEC")).isEqualTo(List.of(10L));
        }
    }

    @Test
    void deleteExpiryAndFlushTouchWatchedKeys() throws Exception {
        try (RawClient c = node.raw(); RawClient other = node.raw()) {
            c.call("SET", "t:del", "1");
            c.call("WATCH", "t:del");
            other.call("DEL", "t:del");
            c.call("MULTI");
            c.call("PING");
            assertThat(c.call("EXEC")).isNull();

            c.call("SET", "t:exp", "1", "PX", "50");
            c.call("WATCH", "t:exp");
            Thread.sleep(120);
            c.call("MULTI");
            c.call("PING");
            assertThat(c.call("EXEC")).as("a watched key that expired fails EXEC").isNull();

            c.call("SELECT", "7");
            c.call("SET", "t:flush", "1");
            c.call("WATCH", "t:flush");
            other.call("SELECT", "7");
            other.call("FLUSHDB");
            c.call("MULTI");
            c.call("PING");
            assertThat(c.call("EXEC")).isNull();

            c.call("WATCH", "t:never-existed");
            other.call("FLUSHALL");
            c.call("MULTI");
            c.call("PING");
            assertThat(c.call("EXEC")).as("flushing a key that was not there changes nothing").isEqualTo(List.of("PONG"));
        }
    }

    @Test
    void selectInsideMultiAppliesToLaterCommands() throws Exception {
        try (RawClient c = node.raw()) {
            c.call("MULTI");
            c.call("SELECT", "3");
            c.call("SET", "sel:tx", "in3");
            @SuppressWarnings("unchecked") List<Object> r = (List<Object>) c.call("EXEC");
            assertThat(r).containsExactly("OK", "OK");
            assertThat(c.call("GET", "sel:tx")).isEqualTo("in3");
            c.call("SELECT", "0");
            assertThat(c.call("GET", "sel:tx")).isNull();
        }
    }

    @Test
    void jedisTransaction() {
        try (Jedis j = node.jedis()) {
            Transaction t = j.multi();
            t.set("jt:a", "1");
            t.incrBy("jt:b", 5);
            t.mget("jt:a", "jt:b");
            List<Object> r = t.exec();
            assertThat(r).hasSize(3);
            assertThat(r.get(1)).isEqualTo(5L);
        }
    }

    /**
     * Transactions that move one unit between two keys on different shards keep the sum
     * constant for every reader that reads both keys in a transaction: EXEC is isolated.
     */
    @Test
    void execIsIsolatedAcrossShards() throws Exception {
        String a = "iso:{a}", b = "iso:{b}";
        assertThat(node.node().shardIndexOfSlot(io.moon.node.cluster.KeySlot.slot(a.getBytes())))
                .isNotEqualTo(node.node().shardIndexOfSlot(io.moon.node.cluster.KeySlot.slot(b.getBytes())));
        try (Jedis j = node.jedis()) {
            j.mset(a, "1000", b, "1000");
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> violation = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            threads.add(new Thread(() -> {
                try (Jedis j = node.jedis()) {
                    while (!stop.get()) {
                        Transaction t = j.multi();
                        t.decr(a);
                        t.incr(b);
                        t.exec();
                    }
                }
            }));
        }
        threads.add(new Thread(() -> {
            try (Jedis j = node.jedis()) {
                while (!stop.get()) {
                    Transaction t = j.multi();
                    t.get(a);
                    t.get(b);
                    List<Object> r = t.exec();
                    long sum = Long.parseLong((String) r.get(0)) + Long.parseLong((String) r.get(1));
                    if (sum != 2000) violation.compareAndSet(null, r.toString());
                }
            }
        }));
        threads.forEach(Thread::start);
        Thread.sleep(2000);
        stop.set(true);
        for (Thread t : threads) t.join(10_000);
        assertThat(violation.get()).isNull();
    }

    /** Optimistic locking as clients use it: concurrent WATCH/GET/MULTI/SET increments lose nothing. */
    @Test
    void watchBasedIncrementsNeverLoseUpdates() throws Exception {
        try (Jedis j = node.jedis()) {
            j.set("cas:n", "0");
        }
        int threads = 4, perThread = 200;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(new Thread(() -> {
                try (Jedis j = node.jedis()) {
                    for (int done = 0; done < perThread; ) {
                        j.watch("cas:n");
                        long v = Long.parseLong(j.get("cas:n"));
                        Transaction tx = j.multi();
                        tx.set("cas:n", Long.toString(v + 1));
                        if (tx.exec() != null) done++;
                    }
                }
            }));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) t.join(60_000);
        try (Jedis j = node.jedis()) {
            assertThat(j.get("cas:n")).isEqualTo(Integer.toString(threads * perThread));
        }
    }
}
