package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.RedisServer;
import io.moon.node.testing.TestNode;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * MIGRATE from a 4-shard node to two kinds of target, another Moon node and a real redis-server
 * 7.0: every type in each of its encodings with its TTL, keys on every shard at once, COPY,
 * REPLACE, a key already at the target, AUTH and AUTH2, the target database, a target that is
 * down or never answers (while the node keeps serving), cached connections reused, retried and
 * closed when idle, MIGRATE inside MULTI and scripts, and the deletions surviving a restart.
 */
class MigrateCommandIT extends FourShardClients {
    static TestNode moonTarget;
    static RedisServer redisTarget;

    @BeforeAll
    static void startTargets() throws Exception {
        moonTarget = TestNode.start("shards", "2");
        redisTarget = RedisServer.start();
    }

    @AfterAll
    static void stopTargets() {
        if (moonTarget != null) moonTarget.close();
        if (redisTarget != null) redisTarget.close();
    }

    @BeforeEach
    void flushTargets() {
        for (String t : List.of("moon", "redis")) {
            try (Jedis tj = target(t)) {
                tj.flushAll();
            }
        }
    }

    private static int port(String target) { return target.equals("moon") ? moonTarget.port() : redisTarget.port(); }

    private static Jedis target(String target) { return target.equals("moon") ? moonTarget.jedis() : redisTarget.jedis(); }

    private Object migrate(String target, String... rest) throws Exception {
        List<String> args = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", String.valueOf(port(target))));
        args.addAll(List.of(rest));
        return raw.call(args.toArray(new String[0]));
    }

    private static String describe(Jedis c, String key) { return EveryType.describe(c, key); }

    @ParameterizedTest
    @ValueSource(strings = {"moon", "redis"})
    void everyTypeMovesWithItsTtlFromEveryShard(String target) throws Exception {
        Map<String, String> before = EveryType.fill(j, FourShardClients::keyOn);
        List<String> args = new ArrayList<>(List.of("", "0", "5000", "KEYS"));
        args.addAll(before.keySet());
        assertThat(migrate(target, args.toArray(new String[0]))).isEqualTo("OK");
        try (Jedis tj = target(target)) {
            for (Map.Entry<String, String> e : before.entrySet()) {
                assertThat(j.exists(e.getKey())).as("%s left the source", e.getKey()).isFalse();
                assertThat(describe(tj, e.getKey())).as("%s at the target", e.getKey()).isEqualTo(e.getValue());
            }
            String ttlKey = keyOn(3, "ttl");
            assertThat(tj.pttl(ttlKey)).isBetween(80_000L, 100_000L);
            assertThat(tj.ttl(keyOn(0, "str"))).isEqualTo(-1);
        }
        // The one-key form, back from the target to the source, for the round trip.
        String key = keyOn(2, "hsmall");
        try (RawClient t = new RawClient("127.0.0.1", port(target))) {
            assertThat(t.call("MIGRATE", "127.0.0.1", String.valueOf(node.port()), key, "0", "5000")).isEqualTo("OK");
        }
        assertThat(describe(j, key)).isEqualTo(before.get(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"moon", "redis"})
    void largeValuesGoOverInManyChunks(String target) throws Exception {
        String list = keyOn(0, "biglist"), string = keyOn(1, "bigstring");
        String[] items = new String[1000];
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < items.length; i++) items[i] = "item " + round + " " + i;
            j.rpush(list, items);
        }
        byte[] big = new byte[3 << 20];
        new java.util.Random(1).nextBytes(big);
        j.set(string.getBytes(), big);
        assertThat(j.dump(list).length).isGreaterThan(64 * 1024);
        assertThat(migrate(target, "", "0", "10000", "KEYS", list, string)).isEqualTo("OK");
        assertThat(j.exists(list, string)).isZero();
        try (Jedis tj = target(target)) {
            assertThat(tj.llen(list)).isEqualTo(200_000);
            assertThat(tj.lindex(list, 123_456)).isEqualTo("item 123 456");
            assertThat(tj.get(string.getBytes())).isEqualTo(big);
            assertThat(tj.ttl(list)).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"moon", "redis"})
    void aKeyAlreadyThereNeedsReplaceAndCopyKeepsTheSource(String target) throws Exception {
        j.rpush("k", "new", "list");
        try (Jedis tj = target(target)) {
            tj.set("k", "old");
            assertThat(migrate(target, "k", "0", "5000"))
                    .isEqualTo(new RawClient.Err("ERR Target instance replied with error: BUSYKEY Target key name already exists."));
            assertThat(tj.get("k")).isEqualTo("old");
            assertThat(j.lrange("k", 0, -1)).containsExactly("new", "list");

            assertThat(migrate(target, "k", "0", "5000", "COPY")).isInstanceOf(RawClient.Err.class);
            assertThat(migrate(target, "k", "0", "5000", "COPY", "REPLACE")).isEqualTo("OK");
            assertThat(tj.lrange("k", 0, -1)).containsExactly("new", "list");
            assertThat(j.lrange("k", 0, -1)).as("COPY keeps the source").containsExactly("new", "list");

            j.set("k", "newest");
            assertThat(migrate(target, "k", "0", "5000", "REPLACE")).isEqualTo("OK");
            assertThat(tj.get("k")).isEqualTo("newest");
            assertThat(j.exists("k")).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"moon", "redis"})
    void manyKeysMoveThoseTheTargetTookAndReportTheFirstError(String target) throws Exception {
        String a = keyOn(0, "a"), b = keyOn(1, "b"), c = keyOn(2, "c"), missing = keyOn(3, "missing");
        j.set(a, "A");
        j.set(b, "B");
        j.set(c, "C");
        try (Jedis tj = target(target)) {
            tj.set(b, "busy");
            assertThat(migrate(target, "", "0", "5000", "KEYS", a, missing, b, c))
                    .isEqualTo(new RawClient.Err("ERR Target instance replied with error: BUSYKEY Target key name already exists."));
            assertThat(tj.get(a)).isEqualTo("A");
            assertThat(tj.get(b)).isEqualTo("busy");
            assertThat(tj.get(c)).isEqualTo("C");
            assertThat(tj.exists(missing)).isFalse();
            assertThat(j.exists(a)).isFalse();
            assertThat(j.get(b)).as("refused by the target, so kept").isEqualTo("B");
            assertThat(j.exists(c)).isFalse();
        }
        assertThat(migrate(target, "", "0", "5000", "KEYS", missing, "nokey")).isEqualTo("NOKEY");
        assertThat(migrate(target, missing, "0", "5000")).isEqualTo("NOKEY");
    }

    @ParameterizedTest
    @ValueSource(strings = {"moon", "redis"})
    void theTargetDatabaseIsSelectedWhenItChanges(String target) throws Exception {
        j.set("k1", "v1");
        j.set("k2", "v2");
        j.set("k3", "v3");
        assertThat(migrate(target, "k1", "5", "5000")).isEqualTo("OK");
        assertThat(migrate(target, "k2", "5", "5000")).isEqualTo("OK");
        assertThat(migrate(target, "k3", "0", "5000")).isEqualTo("OK");
        try (Jedis tj = target(target)) {
            assertThat(tj.get("k3")).isEqualTo("v3");
            tj.select(5);
            assertThat(tj.mget("k1", "k2", "k3")).containsExactly("v1", "v2", null);
        }
        j.set("k4", "v4");
        assertThat(migrate(target, "k4", "99", "5000"))
                .isEqualTo(new RawClient.Err("ERR Target instance replied with error: ERR DB index is out of range"));
        assertThat(j.get("k4")).isEqualTo("v4");
        // After an error the connection selects again: this one must land in database 5.
        assertThat(migrate(target, "k4", "5", "5000")).isEqualTo("OK");
        try (Jedis tj = target(target)) {
            tj.select(5);
            assertThat(tj.get("k4")).isEqualTo("v4");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"moon", "redis"})
    void authAndAuth2ReachAProtectedTarget(String target) throws Exception {
        try (RawClient t = new RawClient("127.0.0.1", port(target))) {
            // A connection made while no password was needed stays authenticated (Redis's
            // createClient): drop the cached one so that MIGRATE connects anew.
            t.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
            assertThat(t.call("CONFIG", "SET", "requirepass", "sesame")).isEqualTo("OK");
        }
        try {
            j.set("k", "v");
            assertThat(migrate(target, "k", "0", "5000"))
                    .isEqualTo(new RawClient.Err("ERR Target instance replied with error: NOAUTH Authentication required."));
            assertThat(migrate(target, "k", "0", "5000", "AUTH", "wrong")).isEqualTo(new RawClient.Err(
                    "ERR Target instance replied with error: WRONGPASS invalid username-password pair or user is disabled."));
            assertThat(j.get("k")).isEqualTo("v");
            assertThat(migrate(target, "k", "0", "5000", "AUTH", "sesame")).isEqualTo("OK");
            j.set("k2", "v2");
            assertThat(migrate(target, "k2", "0", "5000", "AUTH2", "default", "sesame")).isEqualTo("OK");
            try (Jedis tj = target(target)) {
                tj.auth("sesame");
                assertThat(tj.mget("k", "k2")).containsExactly("v", "v2");
            }
        } finally {
            try (Jedis tj = target(target)) {
                tj.auth("sesame");
                tj.configSet("requirepass", "");
            }
        }
    }

    @Test
    void passwordsAreRedactedInTheSlowLog() throws Exception {
        j.configSet("slowlog-log-slower-than", "0");
        try {
            j.slowlogReset();
            j.set("k", "v");
            migrate("moon", "k", "0", "5000", "AUTH2", "user", "pass", "KEYS");
            List<String> logged = new ArrayList<>();
            for (Object entry : (List<?>) raw.call("SLOWLOG", "GET", "10")) {
                List<?> args = (List<?>) ((List<?>) entry).get(3);
                if ("MIGRATE".equalsIgnoreCase(String.valueOf(args.get(0)))) for (Object a : args) logged.add(String.valueOf(a));
            }
            assertThat(logged).containsExactly("MIGRATE", "127.0.0.1", String.valueOf(moonTarget.port()), "k", "0", "5000",
                    "AUTH2", "(redacted)", "(redacted)", "KEYS");
        } finally {
            j.configSet("slowlog-log-slower-than", "10000");
        }
    }

    @Test
    void aTargetThatIsDownIsAnIoErrorAndKeepsTheKeys() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        j.set("k", "v");
        // As Redis 7.0: the connect is not checked, the first write fails (twice: one retry).
        assertThat(raw.call("MIGRATE", "127.0.0.1", String.valueOf(closedPort), "k", "0", "1000"))
                .isEqualTo(new RawClient.Err("IOERR error or timeout writing to target instance"));
        assertThat(raw.call("MIGRATE", "no-such-host.invalid", "6379", "k", "0", "1000"))
                .isEqualTo(new RawClient.Err("IOERR error or timeout connecting to the client"));
        assertThat(raw.call("MIGRATE", "127.0.0.1", "not-a-port", "k", "0", "1000"))
                .isEqualTo(new RawClient.Err("IOERR error or timeout writing to target instance"));
        assertThat(j.get("k")).isEqualTo("v");
    }

    @ParameterizedTest
    @ValueSource(strings = {"moon", "redis"})
    void aTargetThatWentDownAfterwardsIsAnIoError(String kind) throws Exception {
        AutoCloseable target;
        int port;
        if (kind.equals("moon")) {
            TestNode t = TestNode.start("shards", "1");
            target = t;
            port = t.port();
        } else {
            RedisServer t = RedisServer.start();
            target = t;
            port = t.port();
        }
        j.set("k1", "v1");
        j.set("k2", "v2");
        try {
            assertThat(raw.call("MIGRATE", "127.0.0.1", String.valueOf(port), "k1", "0", "2000")).isEqualTo("OK");
        } finally {
            target.close();
        }
        // The cached connection is dead and so is a new one: the retry fails too, at its write.
        assertThat(raw.call("MIGRATE", "127.0.0.1", String.valueOf(port), "k2", "0", "2000"))
                .isEqualTo(new RawClient.Err("IOERR error or timeout writing to target instance"));
        assertThat(j.get("k2")).isEqualTo("v2");
        assertThat(j.exists("k1")).isFalse();
    }

    @Test
    void aTargetThatNeverAnswersTimesOutWhileOtherShardsKeepServing() throws Exception {
        String key = keyOn(0, "slow"), other = keyOn(1, "other");
        j.set(key, "v");
        j.set(other, "w");
        // Own threads: the common pool may have a single thread on a small machine.
        try (ServerSocket silent = new ServerSocket(0); ExecutorService threads = Executors.newFixedThreadPool(2)) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            long start = System.nanoTime();
            CompletableFuture<Object> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    return raw.call("MIGRATE", "127.0.0.1", String.valueOf(silent.getLocalPort()), key, "0", "2000");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            try (Socket s = accepted.get(10, TimeUnit.SECONDS); Jedis other1 = node.jedis()) {
                long t0 = System.nanoTime();
                assertThat(other1.get(other)).isEqualTo("w");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("another shard answers meanwhile")
                        .isLessThan(Duration.ofMillis(1000));
                assertThat(reply).isNotDone();
                // The migrating key's shard waits for MIGRATE, as all of Redis does.
                assertThat(other1.get(key)).isEqualTo("v");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
                assertThat(reply.get(10, TimeUnit.SECONDS))
                        .isEqualTo(new RawClient.Err("IOERR error or timeout reading to target instance"));
            }
        }
        assertThat(j.get(key)).isEqualTo("v");
    }

    @Test
    void cachedConnectionsAreReusedRetriedAndClosedWhenIdle() throws Exception {
        try (Jedis tj = moonTarget.jedis()) {
            j.set("k1", "v1");
            assertThat(migrate("moon", "k1", "0", "5000")).isEqualTo("OK");
            assertThat(cachedSockets()).isPositive();
            long clients = connectedClients(tj);
            j.set("k2", "v2");
            assertThat(migrate("moon", "k2", "0", "5000")).isEqualTo("OK");
            assertThat(connectedClients(tj)).as("the cached connection was reused").isEqualTo(clients);
            // The target drops the cached connection: the next MIGRATE retries on a new one.
        }
        try (RawClient t = new RawClient("127.0.0.1", moonTarget.port())) {
            assertThat((Long) t.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")).isPositive();
        }
        j.set("k3", "v3");
        assertThat(migrate("moon", "k3", "0", "5000")).isEqualTo("OK");
        try (Jedis tj = moonTarget.jedis()) {
            assertThat(tj.mget("k1", "k2", "k3")).containsExactly("v1", "v2", "v3");
            // This client and the cached connection (the target may register a new connection a
            // moment after it is accepted, so wait for it to show).
            await().atMost(Duration.ofSeconds(10)).until(() -> connectedClients(tj) == 2);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(cachedSockets()).isZero();
                assertThat(connectedClients(tj)).as("the idle cached connection was closed").isEqualTo(1);
            });
        }
    }

    private static long connectedClients(Jedis c) { return infoField(c, "clients", "connected_clients"); }

    private long cachedSockets() { return infoField(j, "stats", "migrate_cached_sockets"); }

    private static long infoField(Jedis c, String section, String name) {
        for (String line : c.info(section).split("\r\n")) {
            if (line.startsWith(name + ":")) return Long.parseLong(line.substring(name.length() + 1));
        }
        throw new IllegalStateException("no " + name + " in INFO " + section);
    }

    @Test
    void badArgumentsAreRefusedBeforeConnecting() throws Exception {
        j.set("k", "v");
        String port = String.valueOf(moonTarget.port());
        assertThat(error("MIGRATE", "127.0.0.1", port, "k", "0", "5000", "KEYS", "k"))
                .isEqualTo("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
        assertThat(error("MIGRATE", "127.0.0.1", port, "k", "0", "5000", "BOGUS")).isEqualTo("ERR syntax error");
        assertThat(error("MIGRATE", "127.0.0.1", port, "k", "0", "5000", "AUTH")).isEqualTo("ERR syntax error");
        assertThat(error("MIGRATE", "127.0.0.1", port, "k", "0", "5000", "AUTH2", "user")).isEqualTo("ERR syntax error");
        assertThat(error("MIGRATE", "127.0.0.1", port, "k", "x", "5000")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(error("MIGRATE", "127.0.0.1", port, "k", "0", "1.5")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(error("MIGRATE", "127.0.0.1", port, "k", "0"))
                .isEqualTo("ERR wrong number of arguments for 'migrate' command");
        assertThat(raw.call("MIGRATE", "127.0.0.1", port, "", "0", "5000", "KEYS")).isEqualTo("NOKEY");
        assertThat(j.get("k")).isEqualTo("v");
        try (Jedis tj = moonTarget.jedis()) {
            assertThat(tj.dbSize()).isZero();
        }
    }

    @Test
    void migrateRunsInsideMultiAndScripts() throws Exception {
        String port = String.valueOf(moonTarget.port());
        j.set("m1", "v1");
        j.set(keyOn(2, "m2"), "v2");
        assertThat(raw.call("MULTI")).isEqualTo("OK");
        assertThat(raw.call("MIGRATE", "127.0.0.1", port, "m1", "0", "5000")).isEqualTo("QUEUED");
        assertThat(raw.call("SET", "m1", "again")).isEqualTo("QUEUED");
        assertThat(raw.call("EXEC")).isEqualTo(List.of("OK", "OK"));
        assertThat(raw.call("EVAL", "return redis.call('migrate', ARGV[1], ARGV[2], KEYS[1], 0, 5000)", "1",
                keyOn(2, "m2"), "127.0.0.1", port)).isEqualTo("OK");
        assertThat(j.get("m1")).isEqualTo("again");
        assertThat(j.exists(keyOn(2, "m2"))).isFalse();
        try (Jedis tj = moonTarget.jedis()) {
            assertThat(tj.mget("m1", keyOn(2, "m2"))).containsExactly("v1", "v2");
        }
    }

    @Test
    void theDeletionsAreLoggedAndSurviveARestart() throws Exception {
        TestNode source = TestNode.start("shards", "4", "appendonly", "yes");
        java.nio.file.Path dir = source.dir();
        String port = String.valueOf(moonTarget.port());
        try (Jedis s = source.jedis()) {
            for (int i = 0; i < 8; i++) s.set("key" + i, "v" + i);
            s.set("copied", "c");
            try (RawClient r = source.raw()) {
                assertThat(r.call("MIGRATE", "127.0.0.1", port, "", "0", "5000", "KEYS", "key0", "key1", "key2",
                        "key3", "key4", "key5")).isEqualTo("OK");
                assertThat(r.call("MIGRATE", "127.0.0.1", port, "copied", "0", "5000", "COPY")).isEqualTo("OK");
            }
        } finally {
            source.close();
        }
        TestNode again = TestNode.start("shards", "4", "appendonly", "yes", "dir", dir.toString());
        try (Jedis s = again.jedis()) {
            assertThat(s.keys("*")).containsExactlyInAnyOrder("key6", "key7", "copied");
        } finally {
            again.close();
        }
    }

    @Test
    void theSourceSendsDelEvents() throws Exception {
        j.configSet("notify-keyspace-events", "Eg");
        try (RawClient sub = node.raw()) {
            sub.call("SUBSCRIBE", "__keyevent@0__:del");
            j.set("k", "v");
            assertThat(migrate("moon", "k", "0", "5000")).isEqualTo("OK");
            assertThat(sub.read()).isEqualTo(List.of("message", "__keyevent@0__:del", "k"));
        } finally {
            j.configSet("notify-keyspace-events", "");
        }
    }
}
