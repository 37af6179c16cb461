package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.RawClient.Err;
import io.moon.node.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Blocking list commands on a 4-shard node: who is served, in which order, by what, and what
 * happens to clients that stop waiting. Keys are chosen on given shards ({@link ShardKeys}).
 */
class ListBlockingIT {
    static TestNode node;
    static Jedis jedis;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        node = TestNode.start("shards", "4");
        jedis = node.jedis();
    }

    @AfterAll
    static void stop() {
        jedis.close();
        node.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (RawClient c : clients) c.close();
        clients.clear();
        awaitBlocked(0);
        jedis.flushAll();
    }

    private RawClient client() {
        RawClient c = node.raw();
        clients.add(c);
        return c;
    }

    private static String key(int shard, String prefix) { return ShardKeys.on(node.node(), shard, prefix); }

    private static long blockedClients() {
        for (String line : jedis.info("clients").split("\r\n")) {
            if (line.startsWith("blocked_clients:")) return Long.parseLong(line.substring(16));
        }
        throw new AssertionError("no blocked_clients in INFO");
    }

    private static void awaitBlocked(long n) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> blockedClients() == n);
    }

    /** Sends a command that blocks and waits until the node counts {@code blockedAfter} blocked clients. */
    private RawClient blockOn(long blockedAfter, String... command) throws Exception {
        RawClient c = client();
        c.command(command);
        awaitBlocked(blockedAfter);
        return c;
    }

    @Test
    void aPushFromAnyShardServesTheWaiter() throws Exception {
        for (int shard = 0; shard < 4; shard++) {
            String k = key(shard, "wake");
            RawClient waiter = blockOn(1, "BLPOP", k, "0");
            assertThat(jedis.rpush(k, "v" + shard)).isEqualTo(1);
            assertThat(waiter.read()).isEqualTo(List.of(k, "v" + shard));
            assertThat(jedis.exists(k)).isFalse();
        }
    }

    @Test
    void waitersOnOneKeyAreServedInTheOrderTheyBlocked() throws Exception {
        String k = key(2, "fifo");
        List<RawClient> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) waiters.add(blockOn(i + 1, i % 2 == 0 ? "BLPOP" : "BRPOP", k, "0"));
        jedis.rpush(k, "e0", "e1", "e2", "e3", "e4");
        // Each waiter takes one element in turn, from its own end of what is left.
        assertThat(waiters.get(0).read()).isEqualTo(List.of(k, "e0"));
        assertThat(waiters.get(1).read()).isEqualTo(List.of(k, "e4"));
        assertThat(waiters.get(2).read()).isEqualTo(List.of(k, "e1"));
        assertThat(waiters.get(3).read()).isEqualTo(List.of(k, "e3"));
        assertThat(waiters.get(4).read()).isEqualTo(List.of(k, "e2"));
        assertThat(jedis.exists(k)).isFalse();
    }

    @Test
    void theFirstKeyWithElementsWins() throws Exception {
        String a = key(0, "first"), b = key(1, "first"), c = key(2, "first");
        jedis.rpush(b, "b1");
        jedis.rpush(c, "c1");
        try (RawClient r = node.raw()) {
            assertThat(r.call("BLPOP", a, b, c, "0")).isEqualTo(List.of(b, "b1"));
            assertThat(r.call("BLMPOP", "0", "3", a, b, c, "LEFT", "COUNT", "5")).isEqualTo(List.of(c, List.of("c1")));
        }
    }

    @Test
    void aClientWaitingOnKeysOfSeveralShardsIsServedByEitherAndForgottenByTheOther() throws Exception {
        String k1 = key(0, "multi"), k2 = key(3, "multi");
        RawClient waiter = blockOn(1, "BLPOP", k1, k2, "0");
        jedis.rpush(k2, "from-k2");
        assertThat(waiter.read()).isEqualTo(List.of(k2, "from-k2"));
        awaitBlocked(0);
        jedis.rpush(k1, "stays");
        assertThat(jedis.lrange(k1, 0, -1)).containsExactly("stays");
        jedis.del(k1);

        waiter.command("BRPOP", k1, k2, "0");
        awaitBlocked(1);
        jedis.rpush(k1, "x", "from-k1");
        assertThat(waiter.read()).isEqualTo(List.of(k1, "from-k1"));
        awaitBlocked(0);
        jedis.rpush(k2, "stays");
        assertThat(jedis.llen(k2)).isEqualTo(1);
    }

    @Test
    void orderIsKeptBetweenClientsWaitingOnKeysOfDifferentShards() throws Exception {
        String k1 = key(1, "order"), k2 = key(2, "order");
        RawClient first = blockOn(1, "BLPOP", k1, k2, "0");
        RawClient second = blockOn(2, "BLPOP", k1, "0");
        RawClient third = blockOn(3, "BLMPOP", "0", "2", k2, k1, "LEFT", "COUNT", "2");
        jedis.rpush(k1, "a");
        assertThat(first.read()).isEqualTo(List.of(k1, "a"));
        awaitBlocked(2);
        jedis.rpush(k1, "b");
        assertThat(second.read()).isEqualTo(List.of(k1, "b"));
        jedis.rpush(k1, "c", "d", "e");
        assertThat(third.read()).isEqualTo(List.of(k1, List.of("c", "d")));
        assertThat(jedis.lrange(k1, 0, -1)).containsExactly("e");
    }

    @Test
    void pushesInsideMultiServeOnlyAfterExec() throws Exception {
        String k = key(1, "tx");
        RawClient waiter = blockOn(1, "BLPOP", k, "0");
        try (RawClient tx = node.raw()) {
            tx.call("MULTI");
            tx.call("LPUSH", k, "a");
            tx.call("LPUSH", k, "b");
            tx.call("LPUSH", k, "c");
            assertThat(blockedClients()).isEqualTo(1);
            assertThat(tx.call("EXEC")).isEqualTo(List.of(1L, 2L, 3L));
        }
        assertThat(waiter.read()).isEqualTo(List.of(k, "c"));
        assertThat(jedis.lrange(k, 0, -1)).containsExactly("b", "a");
    }

    @Test
    void pushThenDeleteInsideMultiServesNobody() throws Exception {
        String k = key(0, "txdel"), other = key(3, "txdel");
        RawClient waiter = blockOn(1, "BLPOP", k, other, "0");
        try (RawClient tx = node.raw()) {
            List<String[][]> bodies = List.of(new String[][] {{"LPUSH", k, "a"}, {"DEL", k}},
                    new String[][] {{"LPUSH", k, "a"}, {"DEL", k}, {"SET", k, "now-a-string"}},
                    new String[][] {{"RPUSH", other, "a"}, {"RPOP", other}});
            for (String[][] body : bodies) {
                tx.call("MULTI");
                for (String[] cmd : body) tx.call(cmd);
                tx.call("EXEC");
                Thread.sleep(50);
                assertThat(blockedClients()).as("still blocked after %s", String.join(" ", body[body.length - 1])).isEqualTo(1);
            }
        }
        // A key holding another type is passed over: the next push on the other key serves.
        jedis.rpush(other, "served");
        assertThat(waiter.read()).isEqualTo(List.of(other, "served"));
        assertThat(jedis.get(k)).isEqualTo("now-a-string");
    }

    @Test
    void renameMoveAndSwapdbCreatingTheKeyServeTheWaiter() throws Exception {
        String k = key(0, "moved"), src = key(2, "moved");
        RawClient waiter = blockOn(1, "BLPOP", k, "0");
        jedis.rpush(src, "a", "b");
        assertThat(jedis.rename(src, k)).isEqualTo("OK");
        assertThat(waiter.read()).isEqualTo(List.of(k, "a"));
        jedis.del(k);

        waiter.command("BRPOP", k, "0");
        awaitBlocked(1);
        jedis.select(5);
        jedis.rpush(k, "in-db5");
        assertThat(jedis.move(k, 0)).isEqualTo(1);
        jedis.select(0);
        assertThat(waiter.read()).isEqualTo(List.of(k, "in-db5"));

        waiter.command("BLPOP", k, "0");
        awaitBlocked(1);
        jedis.select(7);
        jedis.rpush(k, "in-db7");
        jedis.select(0);
        assertThat(jedis.swapDB(0, 7)).isEqualTo("OK");
        assertThat(waiter.read()).isEqualTo(List.of(k, "in-db7"));
        jedis.swapDB(0, 7);
    }

    @Test
    void aMoveServesTheClientWaitingOnItsDestinationOnTheSameOrAnotherShard() throws Exception {
        for (int dstShard : new int[] {1, 2}) {
            String src = key(1, "chain-src"), dst = key(dstShard, "chain-dst");
            RawClient onDst = blockOn(1, "BLPOP", dst, "0");
            RawClient mover = blockOn(2, "BLMOVE", src, dst, "LEFT", "RIGHT", "0");
            jedis.rpush(src, "x");
            assertThat(mover.read()).isEqualTo("x");
            assertThat(onDst.read()).isEqualTo(List.of(dst, "x"));
            assertThat(jedis.exists(src, dst)).isZero();
        }
    }

    @Test
    void aMoverToAnotherShardKeepsItsTurn() throws Exception {
        String src = key(0, "turn-src"), dst = key(3, "turn-dst");
        RawClient mover = blockOn(1, "BRPOPLPUSH", src, dst, "0");
        RawClient popper = blockOn(2, "BLPOP", src, "0");
        jedis.rpush(src, "a");
        assertThat(mover.read()).isEqualTo("a");
        assertThat(jedis.lrange(dst, 0, -1)).containsExactly("a");
        awaitBlocked(1);
        jedis.rpush(src, "b");
        assertThat(popper.read()).isEqualTo(List.of(src, "b"));
        // A pushed list of several elements serves the mover and then the popper at once.
        mover.command("BLMOVE", src, dst, "LEFT", "LEFT", "0");
        awaitBlocked(1);
        popper.command("BLPOP", src, "0");
        awaitBlocked(2);
        jedis.rpush(src, "c", "d");
        assertThat(mover.read()).isEqualTo("c");
        assertThat(popper.read()).isEqualTo(List.of(src, "d"));
        assertThat(jedis.lrange(dst, 0, -1)).containsExactly("c", "a");
    }

    @Test
    void chainsOfMovesAcrossShardsEndWhereTheLastWaiterPuts() throws Exception {
        String a = key(0, "ring"), b = key(1, "ring"), c = key(2, "ring");
        RawClient ab = blockOn(1, "BLMOVE", a, b, "RIGHT", "LEFT", "0");
        RawClient bc = blockOn(2, "BLMOVE", b, c, "RIGHT", "LEFT", "0");
        RawClient ca = blockOn(3, "BLMOVE", c, a, "RIGHT", "LEFT", "0");
        jedis.rpush(a, "token");
        assertThat(ab.read()).isEqualTo("token");
        assertThat(bc.read()).isEqualTo("token");
        assertThat(ca.read()).isEqualTo("token");
        assertThat(jedis.lrange(a, 0, -1)).containsExactly("token");
        assertThat(jedis.exists(b, c)).isZero();
    }

    @Test
    void aDestinationOfAnotherTypeAnswersWrongTypeWhenServedAndKeepsTheElement() throws Exception {
        String src = key(2, "wt-src"), dst = key(2, "wt-dst"), farDst = key(0, "wt-dst");
        jedis.set(dst, "string");
        jedis.set(farDst, "string");
        RawClient near = blockOn(1, "BRPOPLPUSH", src, dst, "0");
        RawClient far = blockOn(2, "BLMOVE", src, farDst, "LEFT", "LEFT", "0");
        RawClient fine = blockOn(3, "BLMOVE", src, key(1, "wt-ok"), "LEFT", "LEFT", "0");
        jedis.rpush(src, "a", "b", "c");
        assertThat(near.read()).isInstanceOf(Err.class).asString().startsWith("-WRONGTYPE");
        assertThat(far.read()).isInstanceOf(Err.class).asString().startsWith("-WRONGTYPE");
        assertThat(fine.read()).isEqualTo("a");
        assertThat(jedis.lrange(src, 0, -1)).containsExactly("b", "c");
    }

    @Test
    void timeoutsAreSecondsWithFractionsAndZeroWaitsForever() throws Exception {
        String k = key(3, "timeout");
        try (RawClient r = node.raw()) {
            long t0 = System.nanoTime();
            assertThat(r.call("BLPOP", k, "0.2")).isNull();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(190L, 2000L);
            t0 = System.nanoTime();
            assertThat(r.call("BLMOVE", k, "x", "LEFT", "LEFT", "0.05")).isNull();
            assertThat(r.call("BLMPOP", "0.001", "1", k, "LEFT")).isNull();
            assertThat(r.call("BRPOPLPUSH", k, "x", "1e-3")).isNull();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2000L);
            r.call("HELLO", "3");
            r.command("BRPOP", k, "0.01");
            assertThat(r.read()).isNull(); // RESP3 "_"
        }
        try (RawClient r = node.raw()) {
            r.command("BLPOP", k, "0.01");
            assertThat(r.read()).isNull(); // RESP2 "*-1"
        }
        RawClient forever = blockOn(1, "BLPOP", k, "0");
        Thread.sleep(300);
        assertThat(blockedClients()).isEqualTo(1);
        jedis.lpush(k, "late");
        assertThat(forever.read()).isEqualTo(List.of(k, "late"));
    }

    @Test
    void badTimeoutsAreRefusedBeforeAnythingElse() throws Exception {
        try (RawClient r = node.raw()) {
            r.call("SET", "str", "x");
            assertThat(r.call("BLPOP", "str", "-1")).isEqualTo(new Err("ERR timeout is negative"));
            assertThat(r.call("BLPOP", "str", "abc")).isEqualTo(new Err("ERR timeout is not a float or out of range"));
            assertThat(r.call("BRPOP", "str", "inf")).isEqualTo(new Err("ERR timeout is negative"));
            assertThat(r.call("BLMOVE", "a", "b", "LEFT", "LEFT", "nan"))
                    .isEqualTo(new Err("ERR timeout is not a float or out of range"));
            assertThat(r.call("BLPOP", "str", "0")).asString().startsWith("-WRONGTYPE");
        }
    }

    @Test
    void aClientThatGoesAwayIsNotServed() throws Exception {
        String k = key(1, "gone");
        RawClient leaver = blockOn(1, "BLPOP", k, "0");
        RawClient stayer = blockOn(2, "BLPOP", k, "0");
        leaver.close();
        awaitBlocked(1);
        jedis.rpush(k, "only");
        assertThat(stayer.read()).isEqualTo(List.of(k, "only"));

        RawClient killed = blockOn(1, "BRPOPLPUSH", k, key(2, "gone"), "0");
        killed.command("CLIENT", "ID"); // not answered: it waits behind the blocked command
        long id = -1;
        for (String line : jedis.clientList().split("\n")) {
            if (line.contains("flags=b")) id = Long.parseLong(line.substring(3, line.indexOf(' ')));
        }
        assertThat(jedis.clientKill(new redis.clients.jedis.params.ClientKillParams().id(String.valueOf(id)))).isEqualTo(1);
        assertThat(blockedClients()).isZero();
        jedis.rpush(k, "kept");
        assertThat(jedis.lrange(k, 0, -1)).containsExactly("kept");
        assertThat(killed.closedByServer()).isTrue();
    }

    @Test
    void insideMultiBlockingCommandsAnswerAtOnce() throws Exception {
        String k = key(2, "inmulti");
        try (RawClient r = node.raw()) {
            r.call("RPUSH", k, "a");
            r.call("MULTI");
            for (String[] cmd : List.of(new String[] {"BLPOP", k, "0"}, new String[] {"BLPOP", k, "0"},
                    new String[] {"BRPOPLPUSH", k, "x", "0"}, new String[] {"BLMPOP", "0", "1", k, "LEFT"},
                    new String[] {"BLMOVE", k, "x", "LEFT", "LEFT", "0"})) {
                assertThat(r.call(cmd)).isEqualTo("QUEUED");
            }
            List<Object> expected = new ArrayList<>();
            expected.add(List.of(k, "a"));
            expected.addAll(Collections.nCopies(4, null));
            assertThat(r.call("EXEC")).isEqualTo(expected);
        }
    }

    @Test
    void commandsPipelinedAfterABlockedOneWaitForIt() throws Exception {
        String k = key(0, "pipe"), marker = key(3, "pipe");
        RawClient r = client();
        r.send(RawClient.encode("BLPOP", k, "0") + RawClient.encode("SET", marker, "1") + RawClient.encode("PING"));
        awaitBlocked(1);
        r.send(RawClient.encode("INCR", marker));
        Thread.sleep(100);
        assertThat(jedis.exists(marker)).isFalse();
        jedis.rpush(k, "go");
        assertThat(r.read()).isEqualTo(List.of(k, "go"));
        assertThat(r.read()).isEqualTo("OK");
        assertThat(r.read()).isEqualTo("PONG");
        assertThat(r.read()).isEqualTo(2L);
    }

    @Test
    void repliesOfCommandsBeforeABlockedOneGoOutAtOnce() throws Exception {
        // Keys on every shard: whichever the client's own is, most of these go to other loops.
        String k = key(1, "before");
        RawClient r = client();
        StringBuilder pipeline = new StringBuilder();
        for (int s = 0; s < 4; s++) pipeline.append(RawClient.encode("SET", key(s, "before-set"), "v" + s));
        pipeline.append(RawClient.encode("BLPOP", k, "0")).append(RawClient.encode("PING"));
        r.send(pipeline.toString());
        for (int s = 0; s < 4; s++) assertThat(r.read()).isEqualTo("OK");
        awaitBlocked(1);
        jedis.rpush(k, "x");
        assertThat(r.read()).isEqualTo(List.of(k, "x"));
        assertThat(r.read()).isEqualTo("PONG");
    }

    @Test
    void clientUnblockEndsTheWaitWithTheTimeoutReplyOrAnError() throws Exception {
        String k = key(1, "unblock");
        RawClient r = client();
        long id = (Long) r.call("CLIENT", "ID");
        try (RawClient admin = node.raw()) {
            r.command("BLPOP", k, "0");
            awaitBlocked(1);
            assertThat(admin.call("CLIENT", "UNBLOCK", String.valueOf(id))).isEqualTo(1L);
            assertThat(r.read()).isNull();
            r.command("BLMOVE", k, "x", "LEFT", "LEFT", "0");
            awaitBlocked(1);
            assertThat(admin.call("CLIENT", "UNBLOCK", String.valueOf(id), "TIMEOUT")).isEqualTo(1L);
            assertThat(r.read()).isNull();
            r.command("BLMPOP", "0", "1", k, "RIGHT");
            awaitBlocked(1);
            assertThat(admin.call("CLIENT", "LIST", "ID", String.valueOf(id))).asString().contains("flags=b");
            assertThat(admin.call("CLIENT", "UNBLOCK", String.valueOf(id), "ERROR")).isEqualTo(1L);
            assertThat(r.read()).isEqualTo(new Err("UNBLOCKED client unblocked via CLIENT UNBLOCK"));
            assertThat(admin.call("CLIENT", "UNBLOCK", String.valueOf(id))).isEqualTo(0L);
            assertThat(admin.call("CLIENT", "UNBLOCK", "abc")).isEqualTo(new Err("ERR value is not an integer or out of range"));
            assertThat(admin.call("CLIENT", "UNBLOCK", "1", "later"))
                    .isEqualTo(new Err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"));
            assertThat(admin.call("CLIENT", "UNBLOCK", "1", "error", "x")).asString().startsWith("-ERR unknown subcommand");
            // Still a working client afterwards.
            r.command("BLPOP", k, "0");
            awaitBlocked(1);
            jedis.rpush(k, "after");
            assertThat(r.read()).isEqualTo(List.of(k, "after"));
        }
    }

    @Test
    void blockedCommandsAreCountedOnceInCommandStats() throws Exception {
        String k = key(2, "stats");
        jedis.configResetStat();
        RawClient r = blockOn(1, "BLPOP", k, "0");
        jedis.rpush(k, "x");
        r.read();
        assertThat(r.call("BLPOP", k, "0.01")).isNull();
        String stats = jedis.info("commandstats");
        assertThat(stats).contains("cmdstat_blpop:calls=2,");
    }

    /**
     * Movers shift elements between keys of different shards with BLMOVE (short timeouts, some of
     * them closing their connection mid-wait) while producers push, in MULTI too: at the end every
     * element is in exactly one list, none lost or doubled.
     */
    @Test
    void concurrentMovesAcrossShardsConserveElements() throws Exception {
        String[] keys = {key(0, "mv"), key(1, "mv"), key(2, "mv"), key(3, "mv")};
        int producers = 3, perProducer = 1500, movers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(producers + movers);
        try {
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            List<Future<?>> moving = new ArrayList<>();
            for (int m = 0; m < movers; m++) {
                int id = m;
                moving.add(pool.submit(() -> {
                    java.util.Random rnd = new java.util.Random(id);
                    RawClient r = node.raw();
                    try {
                        while (!done.get()) {
                            String from = keys[rnd.nextInt(4)], to = keys[rnd.nextInt(4)];
                            if (rnd.nextInt(50) == 0) {
                                r.command("BLMOVE", from, to, "LEFT", "RIGHT", "0");
                                r.close(); // gone while (perhaps) blocked
                                r = node.raw();
                                continue;
                            }
                            r.call("BLMOVE", from, to, rnd.nextBoolean() ? "LEFT" : "RIGHT", rnd.nextBoolean() ? "LEFT" : "RIGHT",
                                    rnd.nextBoolean() ? "0.01" : "0.05");
                        }
                    } finally {
                        r.close();
                    }
                    return null;
                }));
            }
            List<Future<?>> pushes = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                pushes.add(pool.submit(() -> {
                    try (Jedis j = node.jedis()) {
                        for (int i = 0; i < perProducer; i += 2) {
                            if (i % 10 == 0) {
                                redis.clients.jedis.Transaction t = j.multi();
                                t.rpush(keys[i % 4], id + ":" + i);
                                t.lpush(keys[(i + 1) % 4], id + ":" + (i + 1));
                                t.exec();
                            } else {
                                j.rpush(keys[(id + i) % 4], id + ":" + i, id + ":" + (i + 1));
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : pushes) f.get(60, TimeUnit.SECONDS);
            Thread.sleep(300);
            done.set(true);
            for (Future<?> f : moving) f.get(60, TimeUnit.SECONDS);
            awaitBlocked(0);
            List<String> all = new ArrayList<>();
            for (String k : keys) all.addAll(jedis.lrange(k, 0, -1));
            assertThat(all).hasSize(producers * perProducer);
            assertThat(new HashSet<>(all)).hasSize(producers * perProducer);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Producers push unique elements to keys on every shard while consumers BLPOP/BLMPOP them. */
    @Test
    void concurrentProducersAndConsumersLoseAndDuplicateNothing() throws Exception {
        String[] keys = {key(0, "stress"), key(1, "stress"), key(2, "stress"), key(3, "stress")};
        int producers = 4, perProducer = 2000, consumers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(producers + consumers);
        try {
            List<Future<List<String>>> got = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                int id = c;
                got.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    try (RawClient r = node.raw()) {
                        while (true) {
                            Object reply = id % 2 == 0
                                    ? r.call("BLPOP", keys[id % 4], keys[(id + 1) % 4], keys[(id + 2) % 4], keys[(id + 3) % 4], "0.5")
                                    : r.call("BLMPOP", "0.5", "4", keys[0], keys[1], keys[2], keys[3], "RIGHT", "COUNT", "3");
                            if (reply == null) return mine;
                            List<?> pair = (List<?>) reply;
                            if (pair.get(1) instanceof List<?> many) for (Object e : many) mine.add((String) e);
                            else mine.add((String) pair.get(1));
                        }
                    }
                }));
            }
            List<Future<?>> pushes = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                pushes.add(pool.submit(() -> {
                    try (Jedis j = node.jedis()) {
                        for (int i = 0; i < perProducer; i++) {
                            String k = keys[(id + i) % 4];
                            if (i % 3 == 0) j.lpush(k, id + ":" + i);
                            else j.rpush(k, id + ":" + i);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : pushes) f.get(60, TimeUnit.SECONDS);
            Set<String> all = new HashSet<>();
            int total = 0;
            for (Future<List<String>> f : got) {
                List<String> mine = f.get(60, TimeUnit.SECONDS);
                total += mine.size();
                all.addAll(mine);
            }
            for (String k : keys) {
                for (String e : jedis.lrange(k, 0, -1)) {
                    all.add(e);
                    total++;
                }
            }
            assertThat(total).isEqualTo(producers * perProducer);
            assertThat(all).hasSize(producers * perProducer);
        } finally {
            pool.shutdownNow();
        }
    }
}
