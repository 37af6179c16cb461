package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lettuce.core.GetExArgs;
import io.lettuce.core.LcsArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StringMatchResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.moon.node.cluster.KeySlot;
import io.moon.node.server.Shard;
import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import io.moon.node.store.ObjectEntry;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.LCSParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.LCSMatchResult;

/**
 * The string family against a real 4-shard node: every command's normal cases and bad input,
 * with Redis 7.0.15's replies and error texts, through Jedis, Lettuce and raw RESP. Keys of other
 * types are planted straight into the keyspace (on the owning shard's loop) until those families
 * exist, so WRONGTYPE paths are covered now.
 */
class StringCommandsIT {
    static TestNode node;
    static RedisClient lettuceClient;
    static StatefulRedisConnection<String, String> lettuceConnection;
    Jedis j;
    RawClient raw;
    RedisCommands<String, String> lettuce;

    @BeforeAll
    static void start() {
        node = TestNode.start("shards", "4");
        lettuceClient = RedisClient.create(node.uri());
        lettuceConnection = lettuceClient.connect();
    }

    @AfterAll
    static void stop() {
        lettuceConnection.close();
        lettuceClient.shutdown();
        node.close();
    }

    @BeforeEach
    void open() {
        j = node.jedis();
        j.flushAll();
        raw = node.raw();
        lettuce = lettuceConnection.sync();
    }

    @AfterEach
    void close() throws Exception {
        j.close();
        raw.close();
    }

    // ---------------------------------------------------------------- helpers

    /** Sends a command as raw RESP and returns the decoded reply (errors as RawClient.Err). */
    Object call(String... args) throws Exception {
        return raw.call(args);
    }

    /** The error text of a command that must fail. */
    String error(String... args) throws Exception {
        Object r = raw.call(args);
        assertThat(r).as("reply to %s", String.join(" ", args)).isInstanceOf(RawClient.Err.class);
        return ((RawClient.Err) r).message();
    }

    static <T> T onShardOf(String key, Function<Db, T> action) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        Shard shard = node.node().shardOfSlot(KeySlot.slot(k));
        try {
            return shard.loop().submit(() -> action.apply(shard.keyspace().db(0))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores a key of a non-string type, as the list, set and hash families will. */
    static void plantNonString(String key) {
        onShardOf(key, db -> {
            db.set(new ObjectEntry(key.getBytes(StandardCharsets.UTF_8), new Object()));
            return null;
        });
    }

    static boolean isNonString(String key) {
        return onShardOf(key, db -> db.peek(key.getBytes(StandardCharsets.UTF_8)) instanceof ObjectEntry);
    }

    /** The key's expiry in Unix ms, NO_EXPIRE (-1) without one, -2 when the key is missing. */
    static long expireAtOf(String key) {
        return onShardOf(key, db -> {
            Object e = db.peek(key.getBytes(StandardCharsets.UTF_8));
            return e == null ? -2L : Entries.expireAt(e);
        });
    }

    /** Names with the prefix that fall on n different shards. */
    static String[] keysOnDistinctShards(String prefix, int n) {
        List<String> keys = new ArrayList<>();
        Set<Integer> shards = new HashSet<>();
        for (int i = 0; keys.size() < n; i++) {
            String k = prefix + i;
            if (shards.add(node.node().shardIndexOfSlot(KeySlot.slot(k.getBytes(StandardCharsets.UTF_8))))) keys.add(k);
        }
        return keys.toArray(new String[0]);
    }

    static String wrongArgs(String command) {
        return "ERR wrong number of arguments for '" + command + "' command";
    }

    static void assertExpiresIn(String key, long ms) {
        assertThat(expireAtOf(key)).isCloseTo(System.currentTimeMillis() + ms, within(3000L));
    }

    // ---------------------------------------------------------------- GET / SET

    @Test
    void setAndGetKeepEveryByte() throws Exception {
        assertThat(j.set("k", "foobar")).isEqualTo("OK");
        assertThat(j.get("k")).isEqualTo("foobar");
        assertThat(j.set("empty", "")).isEqualTo("OK");
        assertThat(j.get("empty")).isEqualTo("");
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) binary[i] = (byte) i;
        j.set("bin".getBytes(), binary);
        assertThat(j.get("bin".getBytes())).isEqualTo(binary);
        String big = "abcd".repeat(1_000_000);
        j.set("big", big);
        assertThat(j.get("big")).isEqualTo(big);
        assertThat(j.get("missing")).isNull();
        assertThat(error("GET")).isEqualTo(wrongArgs("get"));
        assertThat(error("GET", "a", "b")).isEqualTo(wrongArgs("get"));
    }

    @Test
    void getOnAnotherTypeIsWrongType() {
        plantNonString("other");
        assertThatThrownBy(() -> j.get("other")).isInstanceOf(JedisDataException.class)
                .hasMessage(RedisError.WRONGTYPE);
    }

    @Test
    void setNxAndXx() {
        assertThat(j.set("k", "1", SetParams.setParams().xx())).isNull();
        assertThat(j.exists("k")).isFalse();
        assertThat(j.set("k", "1", SetParams.setParams().nx())).isEqualTo("OK");
        assertThat(j.set("k", "2", SetParams.setParams().nx())).isNull();
        assertThat(j.get("k")).isEqualTo("1");
        assertThat(j.set("k", "3", SetParams.setParams().xx())).isEqualTo("OK");
        assertThat(j.get("k")).isEqualTo("3");
        assertThat(lettuce.set("k", "4", SetArgs.Builder.nx())).isNull();
        assertThat(lettuce.set("k", "4", SetArgs.Builder.xx())).isEqualTo("OK");
        assertThat(lettuce.get("k")).isEqualTo("4");
    }

    @Test
    void setGetAnswersTheOldValue() {
        assertThat(j.setGet("k", "bar")).isNull();
        assertThat(j.setGet("k", "bar2")).isEqualTo("bar");
        assertThat(j.get("k")).isEqualTo("bar2");
        // With XX and NX the old value is answered whether or not the set happens.
        assertThat(j.setGet("k", "baz", SetParams.setParams().xx())).isEqualTo("bar2");
        assertThat(j.get("k")).isEqualTo("baz");
        assertThat(j.setGet("k", "no", SetParams.setParams().nx())).isEqualTo("baz");
        assertThat(j.get("k")).isEqualTo("baz");
        assertThat(j.setGet("fresh", "v", SetParams.setParams().xx())).isNull();
        assertThat(j.exists("fresh")).isFalse();
        assertThat(j.setGet("fresh", "v", SetParams.setParams().nx())).isNull();
        assertThat(j.get("fresh")).isEqualTo("v");
        assertThat(lettuce.setGet("fresh", "w")).isEqualTo("v");
    }

    @Test
    void setGetOnAnotherTypeIsWrongTypeAndChangesNothing() throws Exception {
        plantNonString("other");
        assertThat(error("SET", "other", "v", "GET")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(isNonString("other")).isTrue();
        // Without GET, SET replaces a key of any type.
        assertThat(call("SET", "other", "v")).isEqualTo("OK");
        assertThat(j.get("other")).isEqualTo("v");
    }

    @Test
    void setExpiryOptions() throws Exception {
        j.set("ex", "v", SetParams.setParams().ex(100));
        assertExpiresIn("ex", 100_000);
        j.set("px", "v", SetParams.setParams().px(50_000));
        assertExpiresIn("px", 50_000);
        long at = System.currentTimeMillis() / 1000 + 200;
        j.set("exat", "v", SetParams.setParams().exAt(at));
        assertThat(expireAtOf("exat")).isEqualTo(at * 1000);
        j.set("pxat", "v", SetParams.setParams().pxAt(at * 1000 + 123));
        assertThat(expireAtOf("pxat")).isEqualTo(at * 1000 + 123);
        // KEEPTTL keeps it, a plain SET drops it.
        j.set("pxat", "w", SetParams.setParams().keepTtl());
        assertThat(expireAtOf("pxat")).isEqualTo(at * 1000 + 123);
        j.set("pxat", "x");
        assertThat(expireAtOf("pxat")).isEqualTo(Entries.NO_EXPIRE);
        lettuce.set("lx", "v", SetArgs.Builder.xx().ex(10));
        assertThat(expireAtOf("lx")).isEqualTo(-2);
        lettuce.set("lx", "v", SetArgs.Builder.px(30_000));
        assertExpiresIn("lx", 30_000);
    }

    @Test
    void setWithShortExpiryDisappears() {
        j.set("short", "v", SetParams.setParams().px(100));
        assertThat(j.get("short")).isEqualTo("v");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> j.get("short") == null);
        // An absolute time in the past is accepted and the key is gone at once.
        j.set("past", "v", SetParams.setParams().pxAt(1));
        assertThat(j.get("past")).isNull();
    }

    @Test
    void setOptionsMayRepeatButNotConflict() throws Exception {
        assertThat(call("SET", "k", "v1", "GET", "GET")).isNull();
        assertThat(call("SET", "k", "v2", "nx", "NX")).isNull();
        assertThat(call("SET", "k", "v3", "KEEPTTL", "keepttl")).isEqualTo("OK");
        assertThat(call("SET", "k", "v4", "EX", "10", "ex", "20")).isEqualTo("OK");
        assertExpiresIn("k", 20_000);
        for (String[] bad : new String[][] {
                {"NX", "XX"}, {"XX", "NX"}, {"EX", "10", "PX", "100"}, {"PX", "100", "EX", "10"},
                {"EX", "10", "EXAT", "10"}, {"PXAT", "10", "PX", "10"}, {"EX", "10", "KEEPTTL"},
                {"KEEPTTL", "PX", "10"}, {"PERSIST"}, {"EX"}, {"NX", "PX"}, {"foo"}, {"EX", "10", "foo"}}) {
            List<String> args = new ArrayList<>(List.of("SET", "k", "changed"));
            args.addAll(List.of(bad));
            assertThat(error(args.toArray(new String[0]))).as(String.join(" ", bad)).isEqualTo(RedisError.SYNTAX);
        }
        assertThat(j.get("k")).isEqualTo("v4");
        assertThat(error("SET", "k")).isEqualTo(wrongArgs("set"));
    }

    @Test
    void setRefusesBadExpireTimesBeforeChangingAnything() throws Exception {
        j.set("k", "old");
        String invalid = "ERR invalid expire time in 'set' command";
        assertThat(error("SET", "k", "v", "EX", "0")).isEqualTo(invalid);
        assertThat(error("SET", "k", "v", "EX", "-1")).isEqualTo(invalid);
        assertThat(error("SET", "k", "v", "PX", "0")).isEqualTo(invalid);
        assertThat(error("SET", "k", "v", "EXAT", "-5")).isEqualTo(invalid);
        assertThat(error("SET", "k", "v", "PXAT", "0")).isEqualTo(invalid);
        // Seconds that overflow when turned into ms, and relative times that overflow with now.
        assertThat(error("SET", "k", "v", "EX", "9223372036854776")).isEqualTo(invalid);
        assertThat(error("SET", "k", "v", "EX", "9223372036854775")).isEqualTo(invalid);
        assertThat(error("SET", "k", "v", "PX", "9223372036854775807")).isEqualTo(invalid);
        assertThat(error("SET", "k", "v", "EX", "ten")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("SET", "k", "v", "PX", "1.5")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("SET", "k", "v", "EX", "99999999999999999999")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(j.get("k")).isEqualTo("old");
        // An absolute time as large as fits is valid.
        assertThat(call("SET", "k", "v", "PXAT", "9223372036854775807")).isEqualTo("OK");
        assertThat(expireAtOf("k")).isEqualTo(Long.MAX_VALUE);
    }

    // ---------------------------------------------------------------- SETNX SETEX PSETEX GETSET

    @Test
    void setnx() throws Exception {
        assertThat(j.setnx("k", "foobared")).isEqualTo(1);
        assertThat(j.setnx("k", "blabla")).isEqualTo(0);
        assertThat(j.get("k")).isEqualTo("foobared");
        plantNonString("other");
        assertThat(call("SETNX", "other", "v")).isEqualTo(0L);
        assertThat(isNonString("other")).isTrue();
        j.set("gone", "v", SetParams.setParams().pxAt(1));
        assertThat(j.setnx("gone", "new")).isEqualTo(1);
        assertThat(error("SETNX", "k")).isEqualTo(wrongArgs("setnx"));
        assertThat(error("SETNX", "k", "v", "NX")).isEqualTo(wrongArgs("setnx"));
    }

    @Test
    void setexAndPsetex() throws Exception {
        assertThat(j.setex("s", 100, "v")).isEqualTo("OK");
        assertThat(j.get("s")).isEqualTo("v");
        assertExpiresIn("s", 100_000);
        assertThat(j.psetex("p", 40_000, "w")).isEqualTo("OK");
        assertExpiresIn("p", 40_000);
        plantNonString("other");
        assertThat(j.setex("other", 10, "x")).isEqualTo("OK");
        assertThat(j.get("other")).isEqualTo("x");

        assertThat(error("SETEX", "s", "0", "v")).isEqualTo("ERR invalid expire time in 'setex' command");
        assertThat(error("SETEX", "s", "-10", "v")).isEqualTo("ERR invalid expire time in 'setex' command");
        assertThat(error("SETEX", "s", "9223372036854775807", "v")).isEqualTo("ERR invalid expire time in 'setex' command");
        assertThat(error("PSETEX", "s", "0", "v")).isEqualTo("ERR invalid expire time in 'psetex' command");
        assertThat(error("PSETEX", "s", "9223372036854775807", "v")).isEqualTo("ERR invalid expire time in 'psetex' command");
        assertThat(error("SETEX", "s", "10s", "v")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("PSETEX", "s", "", "v")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(j.get("s")).isEqualTo("v");
        assertThat(error("SETEX", "s", "10")).isEqualTo(wrongArgs("setex"));
        assertThat(error("PSETEX", "s", "10", "v", "x")).isEqualTo(wrongArgs("psetex"));
    }

    @Test
    void getsetAnswersOldValueAndDropsExpiry() throws Exception {
        assertThat(j.getSet("k", "xyz")).isNull();
        assertThat(j.get("k")).isEqualTo("xyz");
        j.setex("k", 100, "bar");
        assertThat(j.getSet("k", "baz")).isEqualTo("bar");
        assertThat(j.get("k")).isEqualTo("baz");
        assertThat(expireAtOf("k")).isEqualTo(Entries.NO_EXPIRE);
        plantNonString("other");
        assertThat(error("GETSET", "other", "v")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(isNonString("other")).isTrue();
        assertThat(error("GETSET", "k")).isEqualTo(wrongArgs("getset"));
    }

    // ---------------------------------------------------------------- GETDEL GETEX

    @Test
    void getdel() throws Exception {
        j.set("k", "bar");
        assertThat(j.getDel("k")).isEqualTo("bar");
        assertThat(j.exists("k")).isFalse();
        assertThat(j.getDel("k")).isNull();
        assertThat(lettuce.getdel("k")).isNull();
        plantNonString("other");
        assertThat(error("GETDEL", "other")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(isNonString("other")).isTrue();
        assertThat(error("GETDEL", "a", "b")).isEqualTo(wrongArgs("getdel"));
    }

    @Test
    void getexSetsOrClearsExpiry() throws Exception {
        j.set("k", "bar");
        assertThat(j.getEx("k", GetExParams.getExParams())).isEqualTo("bar");
        assertThat(expireAtOf("k")).isEqualTo(Entries.NO_EXPIRE);
        assertThat(j.getEx("k", GetExParams.getExParams().ex(100))).isEqualTo("bar");
        assertExpiresIn("k", 100_000);
        assertThat(lettuce.getex("k", GetExArgs.Builder.px(20_000))).isEqualTo("bar");
        assertExpiresIn("k", 20_000);
        long at = System.currentTimeMillis() / 1000 + 300;
        assertThat(j.getEx("k", GetExParams.getExParams().exAt(at))).isEqualTo("bar");
        assertThat(expireAtOf("k")).isEqualTo(at * 1000);
        assertThat(j.getEx("k", GetExParams.getExParams().pxAt(at * 1000 + 7))).isEqualTo("bar");
        assertThat(expireAtOf("k")).isEqualTo(at * 1000 + 7);
        // No option leaves the expiry alone; PERSIST removes it.
        assertThat(call("GETEX", "k")).isEqualTo("bar");
        assertThat(expireAtOf("k")).isEqualTo(at * 1000 + 7);
        assertThat(j.getEx("k", GetExParams.getExParams().persist())).isEqualTo("bar");
        assertThat(expireAtOf("k")).isEqualTo(Entries.NO_EXPIRE);
        assertThat(call("GETEX", "k", "PERSIST", "persist")).isEqualTo("bar");
        assertThat(call("GETEX", "k", "EX", "5", "EX", "50")).isEqualTo("bar");
        assertExpiresIn("k", 50_000);
        // An absolute time already past answers the value and deletes the key.
        assertThat(call("GETEX", "k", "PXAT", "1")).isEqualTo("bar");
        assertThat(j.exists("k")).isFalse();
        assertThat(j.getEx("k", GetExParams.getExParams().ex(10))).isNull();
    }

    @Test
    void getexErrors() throws Exception {
        // A missing key answers nil before the expire value is looked at.
        assertThat(call("GETEX", "missing", "EX", "-1")).isNull();
        assertThat(call("GETEX", "missing", "EX", "abc")).isNull();
        j.set("k", "v");
        assertThat(error("GETEX", "k", "EX", "-1")).isEqualTo("ERR invalid expire time in 'getex' command");
        assertThat(error("GETEX", "k", "PX", "0")).isEqualTo("ERR invalid expire time in 'getex' command");
        assertThat(error("GETEX", "k", "EX", "abc")).isEqualTo(RedisError.NOT_INTEGER);
        for (String[] bad : new String[][] {
                {"non-existent-option"}, {"NX"}, {"XX"}, {"GET"}, {"KEEPTTL"}, {"EX"}, {"EX", "1", "PX", "1"},
                {"PERSIST", "EX", "1"}, {"EX", "1", "PERSIST"}, {"EXAT", "1", "PXAT", "1"}}) {
            List<String> args = new ArrayList<>(List.of("GETEX", "missing"));
            args.addAll(List.of(bad));
            assertThat(error(args.toArray(new String[0]))).as(String.join(" ", bad)).isEqualTo(RedisError.SYNTAX);
        }
        plantNonString("other");
        assertThat(error("GETEX", "other")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("GETEX", "other", "EX", "-1")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("GETEX")).isEqualTo(wrongArgs("getex"));
        assertThat(expireAtOf("k")).isEqualTo(Entries.NO_EXPIRE);
    }

    // ---------------------------------------------------------------- MGET MSET MSETNX

    @Test
    void mgetAndMsetAcrossShards() throws Exception {
        String[] k = keysOnDistinctShards("m", 4);
        assertThat(j.mset(k[0], "a", k[1], "b", k[2], "c")).isEqualTo("OK");
        assertThat(j.mget(k[0], k[1], k[2], k[3])).containsExactly("a", "b", "c", null);
        plantNonString(k[3]);
        assertThat(j.mget(k[3], k[0])).containsExactly(null, "a");
        j.setex(k[0], 100, "x");
        j.mset(k[0], "y", k[0], "z");
        assertThat(j.get(k[0])).isEqualTo("z");
        assertThat(expireAtOf(k[0])).isEqualTo(Entries.NO_EXPIRE);
        assertThat(j.mset("x{t}", "10", "y{t}", "foo bar", "z{t}", "x x\n\n\r\n")).isEqualTo("OK");
        assertThat(lettuce.mget("x{t}", "y{t}", "z{t}")).extracting(kv -> kv.getValue())
                .containsExactly("10", "foo bar", "x x\n\n\r\n");
        assertThat(error("MSET", k[0], "1", k[1])).isEqualTo(wrongArgs("mset"));
        assertThat(error("MSET", k[0])).isEqualTo(wrongArgs("mset"));
        assertThat(error("MGET")).isEqualTo(wrongArgs("mget"));
        assertThat(j.get(k[1])).isEqualTo("b");
    }

    @Test
    void msetnxIsAllOrNothingAcrossShards() throws Exception {
        String[] k = keysOnDistinctShards("nx", 4);
        j.set(k[3], "exists");
        assertThat(j.msetnx(k[0], "a", k[1], "b", k[2], "c", k[3], "d")).isEqualTo(0);
        assertThat(j.mget(k[0], k[1], k[2], k[3])).containsExactly(null, null, null, "exists");
        assertThat(j.msetnx(k[0], "a", k[1], "b", k[2], "c")).isEqualTo(1);
        assertThat(j.mget(k[0], k[1], k[2])).containsExactly("a", "b", "c");
        Map<String, String> more = new LinkedHashMap<>();
        more.put("l{1}", "1");
        more.put(k[2], "2");
        assertThat(lettuce.msetnx(more)).isFalse();
        assertThat(j.exists("l{1}")).isFalse();
        // A key of another type exists too.
        plantNonString("typed");
        assertThat(j.msetnx("fresh", "1", "typed", "2")).isEqualTo(0);
        assertThat(j.exists("fresh")).isFalse();
        // The same key twice: both writes happen, the last wins.
        assertThat(j.msetnx("twice", "xxx", "twice", "yyy")).isEqualTo(1);
        assertThat(j.get("twice")).isEqualTo("yyy");
        assertThat(j.msetnx("twice", "a", "twice", "b")).isEqualTo(0);
        assertThat(error("MSETNX", k[0], "1", k[1])).isEqualTo(wrongArgs("msetnx"));
        assertThat(error("MSETNX", k[0])).isEqualTo(wrongArgs("msetnx"));
    }

    @Test
    void msetnxRacingWritersNeverBothWin() throws Exception {
        String[] k = keysOnDistinctShards("race", 2);
        for (int round = 0; round < 100; round++) {
            j.del(k[0], k[1]);
            long[] won = new long[2];
            Thread[] writers = new Thread[2];
            for (int w = 0; w < 2; w++) {
                int id = w;
                writers[w] = new Thread(() -> {
                    try (Jedis c = node.jedis()) {
                        won[id] = c.msetnx(k[0], "w" + id, k[1], "w" + id);
                    }
                });
                writers[w].start();
            }
            for (Thread t : writers) t.join();
            assertThat(won[0] + won[1]).isEqualTo(1);
            List<String> values = j.mget(k[0], k[1]);
            assertThat(values.get(0)).isEqualTo(values.get(1)).isEqualTo(won[0] == 1 ? "w0" : "w1");
        }
    }

    // ---------------------------------------------------------------- APPEND STRLEN

    @Test
    void appendAndStrlen() throws Exception {
        assertThat(j.append("k", "hello")).isEqualTo(5);
        assertThat(j.append("k", " world")).isEqualTo(11);
        assertThat(j.get("k")).isEqualTo("hello world");
        assertThat(j.append("k", "")).isEqualTo(11);
        assertThat(j.strlen("k")).isEqualTo(11);
        assertThat(j.strlen("missing")).isEqualTo(0);
        j.set("n", "-555");
        assertThat(j.strlen("n")).isEqualTo(4);
        assertThat(j.append("empty", "")).isEqualTo(0);
        assertThat(j.exists("empty")).isTrue();
        j.setex("ttl", 100, "a");
        j.append("ttl", "b");
        assertThat(j.get("ttl")).isEqualTo("ab");
        assertExpiresIn("ttl", 100_000);
        plantNonString("other");
        assertThat(error("APPEND", "other", "x")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("STRLEN", "other")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("APPEND", "k")).isEqualTo(wrongArgs("append"));
        assertThat(error("STRLEN", "k", "x")).isEqualTo(wrongArgs("strlen"));
    }

    // ---------------------------------------------------------------- INCR family

    @Test
    void incrAndDecr() throws Exception {
        assertThat(j.incr("n")).isEqualTo(1);
        assertThat(j.get("n")).isEqualTo("1");
        assertThat(j.incr("n")).isEqualTo(2);
        j.set("n", "100");
        assertThat(j.incr("n")).isEqualTo(101);
        j.set("n", "17179869184");
        assertThat(j.incr("n")).isEqualTo(17179869185L);
        j.set("n", "17179869184");
        assertThat(j.incrBy("n", 17179869184L)).isEqualTo(34359738368L);
        j.set("n", "17179869184");
        assertThat(j.decrBy("n", 17179869185L)).isEqualTo(-1);
        assertThat(j.decr("d")).isEqualTo(-1);
        assertThat(lettuce.incrby("d", -10)).isEqualTo(-11);
        assertThat(lettuce.decrby("d", -12)).isEqualTo(1);
        j.setex("ttl", 100, "5");
        assertThat(j.incr("ttl")).isEqualTo(6);
        assertExpiresIn("ttl", 100_000);
    }

    @Test
    void incrRefusesWhatIsNotAnInteger() throws Exception {
        for (String bad : new String[] {"    11", "11    ", " 11 ", "1.5", "11a", "", "+1", "01", "-0", "0x10",
                "9223372036854775808", "-9223372036854775809", "123456789012345678901"}) {
            j.set("n", bad);
            assertThat(error("INCR", "n")).as("'%s'", bad).isEqualTo(RedisError.NOT_INTEGER);
            assertThat(j.get("n")).isEqualTo(bad);
        }
        j.set("n", "5");
        assertThat(error("INCRBY", "n", "1.5")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("INCRBY", "n", "x")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("DECRBY", "n", "9223372036854775808")).isEqualTo(RedisError.NOT_INTEGER);
        plantNonString("other");
        for (String cmd : new String[] {"INCR", "DECR"}) assertThat(error(cmd, "other")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("INCRBY", "other", "1")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("DECRBY", "other", "1")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("INCR")).isEqualTo(wrongArgs("incr"));
        assertThat(error("INCRBY", "n")).isEqualTo(wrongArgs("incrby"));
        assertThat(error("DECRBY", "n", "1", "2")).isEqualTo(wrongArgs("decrby"));
    }

    @Test
    void incrOverflowIsRefused() throws Exception {
        j.set("n", "9223372036854775807");
        assertThat(error("INCR", "n")).isEqualTo(RedisError.OVERFLOW);
        assertThat(error("INCRBY", "n", "1")).isEqualTo(RedisError.OVERFLOW);
        assertThat(j.decrBy("n", 9223372036854775807L)).isEqualTo(0);
        j.set("n", "-9223372036854775808");
        assertThat(error("DECR", "n")).isEqualTo(RedisError.OVERFLOW);
        assertThat(error("INCRBY", "n", "-1")).isEqualTo(RedisError.OVERFLOW);
        assertThat(error("DECRBY", "n", "9223372036854775807")).isEqualTo(RedisError.OVERFLOW);
        assertThat(j.get("n")).isEqualTo("-9223372036854775808");
        assertThat(j.incrBy("n", Long.MAX_VALUE)).isEqualTo(-1);
        j.set("x", "0");
        assertThat(error("DECRBY", "x", "-9223372036854775808")).isEqualTo("ERR decrement would overflow");
    }

    // ---------------------------------------------------------------- INCRBYFLOAT

    @Test
    void incrbyfloatPrintsLikeRedis() throws Exception {
        assertThat(call("INCRBYFLOAT", "f", "0.1")).isEqualTo("0.1");
        assertThat(call("INCRBYFLOAT", "f", "0.1")).isEqualTo("0.2");
        assertThat(call("INCRBYFLOAT", "f", "0.1")).isEqualTo("0.3");
        assertThat(j.get("f")).isEqualTo("0.3");
        assertThat(call("INCRBYFLOAT", "n", "1")).isEqualTo("1");
        assertThat(call("INCRBYFLOAT", "n", "0.25")).isEqualTo("1.25");
        j.set("n", "1.5");
        assertThat(call("INCRBYFLOAT", "n", "1.5")).isEqualTo("3");
        j.set("n", "17179869184");
        assertThat(call("INCRBYFLOAT", "n", "1.5")).isEqualTo("17179869185.5");
        j.set("n", "1");
        assertThat(call("INCRBYFLOAT", "n", "-1.1")).isEqualTo("-0.1");
        j.set("n", "10.5");
        assertThat(call("INCRBYFLOAT", "n", "-0.1")).isEqualTo("10.4");
        // Long double arithmetic and %.17Lf printing (LongDoubleTest has the details).
        assertThat(call("INCRBYFLOAT", "big", "9007199254740993")).isEqualTo("9007199254740993");
        assertThat(call("INCRBYFLOAT", "big", "0.5")).isEqualTo("9007199254740993.5");
        assertThat(call("INCRBYFLOAT", "tie", "0.000003814697265625")).isEqualTo("0.00000381469726562");
        assertThat(call("INCRBYFLOAT", "z", String.valueOf(1.0 / 41))).isNotEqualTo("0");
        assertThat(call("INCRBYFLOAT", "z", String.valueOf(-1.0 / 41))).isEqualTo("0");
        assertThat(call("INCRBYFLOAT", "g", "0x1p-2")).isEqualTo("0.25");
        assertThat(lettuce.incrbyfloat("l", 2.5)).isEqualTo(2.5);
        assertThat(j.incrByFloat("l", -0.5)).isEqualTo(2.0);
        assertThat(j.get("l")).isEqualTo("2");
        j.setex("ttl", 100, "1");
        call("INCRBYFLOAT", "ttl", "1");
        assertExpiresIn("ttl", 100_000);
    }

    @Test
    void incrbyfloatErrors() throws Exception {
        j.set("f", "0");
        for (String inf : new String[] {"+inf", "-inf", "inf", "Infinity"}) {
            assertThat(error("INCRBYFLOAT", "f", inf)).isEqualTo("ERR increment would produce NaN or Infinity");
        }
        for (String bad : new String[] {"nan", "abc", "1 ", " 1", "", "1e5000", "1e-5000", "0x", "1e", "--1", "1,5"}) {
            assertThat(error("INCRBYFLOAT", "f", bad)).as("'%s'", bad).isEqualTo(RedisError.NOT_FLOAT);
        }
        j.set("max", "1.18973149535723176502e+4932");
        assertThat(error("INCRBYFLOAT", "max", "1.18973149535723176502e+4932"))
                .isEqualTo("ERR increment would produce NaN or Infinity");
        j.set("inf", "inf");
        assertThat(error("INCRBYFLOAT", "inf", "1")).isEqualTo("ERR increment would produce NaN or Infinity");
        for (String stored : new String[] {"    11", "11    ", " 11 ", "abc", "1\u00002"}) {
            j.set("s", stored);
            assertThat(error("INCRBYFLOAT", "s", "1")).isEqualTo(RedisError.NOT_FLOAT);
            assertThat(j.get("s")).isEqualTo(stored);
        }
        plantNonString("other");
        assertThat(error("INCRBYFLOAT", "other", "abc")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("INCRBYFLOAT", "f")).isEqualTo(wrongArgs("incrbyfloat"));
        assertThat(j.get("f")).isEqualTo("0");
    }

    // ---------------------------------------------------------------- GETRANGE SUBSTR SETRANGE

    @Test
    void getrangeEdgeOffsets() throws Exception {
        j.set("k", "Hello World");
        assertThat(j.getrange("k", 0, 3)).isEqualTo("Hell");
        assertThat(j.getrange("k", 0, -1)).isEqualTo("Hello World");
        assertThat(j.getrange("k", -4, -1)).isEqualTo("orld");
        assertThat(j.getrange("k", 5, 3)).isEqualTo("");
        assertThat(j.getrange("k", 5, 5000)).isEqualTo(" World");
        assertThat(j.getrange("k", -5000, 10000)).isEqualTo("Hello World");
        assertThat(j.getrange("k", -1, -5)).isEqualTo("");
        // Both ends before the start clamp to the first byte, unless start comes after end.
        assertThat(j.getrange("k", -100, -50)).isEqualTo("H");
        assertThat(j.getrange("k", -50, -100)).isEqualTo("");
        assertThat(j.getrange("k", 0, -100)).isEqualTo("H");
        assertThat(j.getrange("k", 11, 11)).isEqualTo("");
        assertThat(j.getrange("k", 10, 10)).isEqualTo("d");
        assertThat(j.getrange("k", 0, 4294967297L)).isEqualTo("Hello World");
        assertThat(j.getrange("k", Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo("");
        assertThat(j.getrange("k", Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo("Hello World");
        assertThat(j.substr("k", 6, 8)).isEqualTo("Wor");
        assertThat(lettuce.getrange("k", -3, -2)).isEqualTo("rl");
        j.set("n", "1234");
        assertThat(j.getrange("n", -3, -1)).isEqualTo("234");
        j.set("e", "");
        assertThat(j.getrange("e", 0, -1)).isEqualTo("");
        assertThat(j.getrange("e", -1, 0)).isEqualTo("");
        assertThat(j.getrange("missing", 0, -1)).isEqualTo("");
        assertThat(error("GETRANGE", "missing", "x", "1")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("GETRANGE", "k", "0", "1.5")).isEqualTo(RedisError.NOT_INTEGER);
        plantNonString("other");
        assertThat(error("GETRANGE", "other", "0", "1")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("SUBSTR", "other", "0", "1")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("GETRANGE", "k", "0")).isEqualTo(wrongArgs("getrange"));
        assertThat(error("SUBSTR", "k", "0", "1", "2")).isEqualTo(wrongArgs("substr"));
    }

    @Test
    void getrangeFuzzingAgainstSlices() {
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 500; round++) {
            byte[] value = new byte[random.nextInt(1024)];
            random.nextBytes(value);
            j.set("bin".getBytes(), value);
            int start = random.nextInt(1500), end = random.nextInt(1500);
            int last = Math.min(end, value.length - 1);
            byte[] expected = start > last ? new byte[0] : java.util.Arrays.copyOfRange(value, start, last + 1);
            assertThat(j.getrange("bin".getBytes(), start, end)).isEqualTo(expected);
        }
    }

    @Test
    void setrangePadsAndPatches() throws Exception {
        assertThat(j.setrange("k", 0, "foo")).isEqualTo(3);
        assertThat(j.get("k")).isEqualTo("foo");
        assertThat(j.setrange("k", 1, "b")).isEqualTo(3);
        assertThat(j.get("k")).isEqualTo("fbo");
        assertThat(j.setrange("k", 4, "bar")).isEqualTo(7);
        assertThat(j.get("k")).isEqualTo("fbo\0bar");
        assertThat(j.setrange("k", 0, "")).isEqualTo(7);
        assertThat(j.setrange("k", 100, "")).isEqualTo(7);
        assertThat(j.setrange("pad", 1, "foo")).isEqualTo(4);
        assertThat(j.get("pad")).isEqualTo("\0foo");
        assertThat(j.setrange("none", 0, "")).isEqualTo(0);
        assertThat(j.setrange("none", 10, "")).isEqualTo(0);
        assertThat(j.exists("none")).isFalse();
        j.set("n", "1234");
        assertThat(lettuce.setrange("n", 5, "2")).isEqualTo(6);
        assertThat(j.get("n")).isEqualTo("1234\0002");
        j.setex("ttl", 100, "abc");
        j.setrange("ttl", 1, "X");
        assertThat(j.get("ttl")).isEqualTo("aXc");
        assertExpiresIn("ttl", 100_000);
    }

    @Test
    void setrangeErrors() throws Exception {
        j.set("k", "hello");
        assertThat(error("SETRANGE", "k", "-1", "world")).isEqualTo("ERR offset is out of range");
        assertThat(error("SETRANGE", "k", "x", "world")).isEqualTo(RedisError.NOT_INTEGER);
        String tooBig = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
        assertThat(error("SETRANGE", "k", String.valueOf(512L * 1024 * 1024 - 4), "world")).isEqualTo(tooBig);
        assertThat(error("SETRANGE", "missing", String.valueOf(512L * 1024 * 1024 - 4), "world")).isEqualTo(tooBig);
        assertThat(error("SETRANGE", "k", "9223372036854775807", "A")).isEqualTo(tooBig);
        assertThat(error("SETRANGE", "k", "2147483647", "A")).isEqualTo(tooBig);
        assertThat(j.exists("missing")).isFalse();
        assertThat(j.get("k")).isEqualTo("hello");
        // The limit applies only when something would be written.
        assertThat(call("SETRANGE", "k", "9223372036854775807", "")).isEqualTo(5L);
        plantNonString("other");
        assertThat(error("SETRANGE", "other", "0", "bar")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("SETRANGE", "other", "0", "")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("SETRANGE", "k", "0")).isEqualTo(wrongArgs("setrange"));
    }

    @Test
    void growthIsBoundByProtoMaxBulkLen() throws Exception {
        try (TestNode small = TestNode.start("shards", "2", "proto-max-bulk-len", "1mb");
             RawClient c = small.raw()) {
            int limit = 1 << 20;
            String tooBig = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
            assertThat(c.call("SETRANGE", "k", String.valueOf(limit - 1), "x")).isEqualTo((long) limit);
            assertThat(c.call("SETRANGE", "k", String.valueOf(limit), "x")).isEqualTo(new RawClient.Err(tooBig));
            assertThat(c.call("APPEND", "k", "y")).isEqualTo(new RawClient.Err(tooBig));
            assertThat(c.call("STRLEN", "k")).isEqualTo((long) limit);
            assertThat(c.call("APPEND", "k", "")).isEqualTo((long) limit);
            // LCS refuses when Redis's table of 4-byte cells would pass the limit.
            c.call("SET", "a", "x".repeat(600));
            assertThat(c.call("LCS", "a", "a", "LEN")).isEqualTo(new RawClient.Err(
                    "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"));
            c.call("SET", "b", "x".repeat(400));
            assertThat(c.call("LCS", "b", "b", "LEN")).isEqualTo(400L);
        }
    }

    // ---------------------------------------------------------------- LCS

    static final String RNA1 = "CACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTGTCACTCGGCTGCATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTGCTTACGGTTTCGTCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTTCGTCCGGGTGTG";
    static final String RNA2 = "ATTAAAGGTTTATACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTGTCACTCGGCTGCATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTGCTTACGGTTTCGTCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTT";
    static final String RNA_LCS = "ACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTGTCACTCGGCTGCATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTGCTTACGGTTTCGTCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTT";

    @Test
    void lcsAcrossShards() {
        String[] k = keysOnDistinctShards("virus", 2);
        j.mset(k[0], RNA1, k[1], RNA2);
        assertThat(j.lcs(k[0], k[1], LCSParams.LCSParams()).getMatchString()).isEqualTo(RNA_LCS);
        assertThat(j.lcs(k[0], k[1], LCSParams.LCSParams().len()).getLen()).isEqualTo(RNA_LCS.length());
        LCSMatchResult idx = j.lcs(k[0], k[1], LCSParams.LCSParams().idx().withMatchLen());
        assertThat(idx.getLen()).isEqualTo(RNA_LCS.length());
        assertThat(idx.getMatches()).extracting(m -> List.of(m.getA().getStart(), m.getA().getEnd(),
                m.getB().getStart(), m.getB().getEnd(), m.getMatchLen()))
                .containsExactly(List.of(238L, 238L, 239L, 239L, 1L), List.of(236L, 236L, 238L, 238L, 1L),
                        List.of(229L, 230L, 236L, 237L, 2L), List.of(224L, 224L, 235L, 235L, 1L),
                        List.of(1L, 222L, 13L, 234L, 222L));
        StringMatchResult min = lettuce.lcs(LcsArgs.Builder.keys(k[0], k[1]).withIdx().withMatchLen().minMatchLen(5));
        assertThat(min.getMatches()).hasSize(1);
        assertThat(min.getMatches().get(0).getA().getStart()).isEqualTo(1);
        assertThat(min.getMatches().get(0).getB().getEnd()).isEqualTo(234);
        assertThat(min.getMatches().get(0).getMatchLen()).isEqualTo(222);
        assertThat(min.getLen()).isEqualTo(RNA_LCS.length());
    }

    @Test
    void lcsRepliesInBothProtocols() throws Exception {
        j.mset("a{x}", "ohmytext", "b{x}", "mynewtext");
        assertThat(call("LCS", "a{x}", "b{x}")).isEqualTo("mytext");
        assertThat(call("LCS", "a{x}", "b{x}", "LEN")).isEqualTo(6L);
        assertThat(call("LCS", "a{x}", "b{x}", "IDX", "MINMATCHLEN", "4")).isEqualTo(
                List.of("matches", List.of(List.of(List.of(4L, 7L), List.of(5L, 8L))), "len", 6L));
        assertThat(call("LCS", "a{x}", "b{x}", "idx", "withmatchlen")).isEqualTo(List.of("matches", List.of(
                List.of(List.of(4L, 7L), List.of(5L, 8L), 4L), List.of(List.of(2L, 3L), List.of(0L, 1L), 2L)), "len", 6L));
        // Options that do not apply are accepted and ignored; a negative MINMATCHLEN means 0.
        assertThat(call("LCS", "a{x}", "b{x}", "WITHMATCHLEN", "MINMATCHLEN", "3")).isEqualTo("mytext");
        assertThat(call("LCS", "a{x}", "b{x}", "IDX", "MINMATCHLEN", "-5")).isEqualTo(call("LCS", "a{x}", "b{x}", "IDX"));
        call("HELLO", "3");
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("matches", List.of(List.of(List.of(4L, 7L), List.of(5L, 8L))));
        map.put("len", 6L);
        assertThat(call("LCS", "a{x}", "b{x}", "IDX", "MINMATCHLEN", "4")).isEqualTo(map);
        assertThat(call("LCS", "a{x}", "missing{x}", "IDX")).isEqualTo(Map.of("matches", List.of(), "len", 0L));
    }

    @Test
    void lcsOfMissingKeysIsEmpty() throws Exception {
        j.set("a", "abc");
        assertThat(call("LCS", "a", "missing")).isEqualTo("");
        assertThat(call("LCS", "missing", "missing2", "LEN")).isEqualTo(0L);
        assertThat(call("LCS", "missing", "missing2", "IDX")).isEqualTo(List.of("matches", List.of(), "len", 0L));
    }

    @Test
    void lcsErrors() throws Exception {
        j.set("a", "abc");
        j.set("b", "abd");
        assertThat(error("LCS", "a", "b", "LEN", "IDX"))
                .isEqualTo("ERR If you want both the length and indexes, please just use IDX.");
        assertThat(error("LCS", "a", "b", "foo")).isEqualTo(RedisError.SYNTAX);
        assertThat(error("LCS", "a", "b", "MINMATCHLEN")).isEqualTo(RedisError.SYNTAX);
        assertThat(error("LCS", "a", "b", "MINMATCHLEN", "x")).isEqualTo(RedisError.NOT_INTEGER);
        plantNonString("other");
        // The type is checked before the options are read.
        assertThat(error("LCS", "a", "other", "foo")).isEqualTo("ERR The specified keys must contain string values");
        assertThat(error("LCS", "other", "missing")).isEqualTo("ERR The specified keys must contain string values");
        assertThat(error("LCS", "a")).isEqualTo(wrongArgs("lcs"));
    }
}
