package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.ZStoreArgs;
import io.moon.node.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.SortedSetOption;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.params.ZParams;
import redis.clients.jedis.params.ZRangeParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.KeyValue;

/**
 * The sorted-set family against a real 4-shard node: every command's normal cases and bad input
 * with Redis 7.0.15's replies and error texts, through Jedis, Lettuce and raw RESP (RESP2 and
 * RESP3), multi-key commands with keys on different shards, both encodings, blocking pops,
 * keyspace events, WATCH.
 */
class SortedSetCommandsIT extends FourShardClients {
    /** Threads for clients that block (the common pool may have a single thread on a small machine). */
    static final ExecutorService WAITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "blocked-client");
        t.setDaemon(true);
        return t;
    });

    @BeforeEach
    void defaultEncodings() {
        j.configSet("zset-max-listpack-entries", "128");
        j.configSet("zset-max-listpack-value", "64");
    }

    /** A key on each of the four shards. */
    String[] keysOnEveryShard(String prefix) {
        String[] keys = new String[4];
        for (int s = 0; s < 4; s++) keys[s] = ShardKeys.on(node.node(), s, prefix);
        return keys;
    }

    static List<String> members(List<Tuple> tuples) { return tuples.stream().map(Tuple::getElement).toList(); }

    // ---------------------------------------------------------------- ZADD, ZINCRBY

    @Test
    void zaddAddsUpdatesAndCountsWithEveryOption() throws Exception {
        assertThat(j.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0))).isEqualTo(3);
        assertThat(j.zadd("z", 10, "a")).isZero();
        assertThat(j.zscore("z", "a")).isEqualTo(10.0);
        assertThat(j.zadd("z", Map.of("a", 11.0, "d", 4.0), ZAddParams.zAddParams().ch())).isEqualTo(2);
        assertThat(j.zadd("z", 50, "e", ZAddParams.zAddParams().xx())).isZero();
        assertThat(j.zscore("z", "e")).isNull();
        assertThat(j.zadd("z", 50, "a", ZAddParams.zAddParams().nx())).isZero();
        assertThat(j.zscore("z", "a")).isEqualTo(11.0);
        assertThat(j.zadd("z", 5, "a", ZAddParams.zAddParams().gt().ch())).isZero();
        assertThat(j.zadd("z", 15, "a", ZAddParams.zAddParams().gt().ch())).isEqualTo(1);
        assertThat(j.zadd("z", 20, "a", ZAddParams.zAddParams().lt().ch())).isZero();
        assertThat(j.zadd("z", 1, "new", ZAddParams.zAddParams().gt())).isEqualTo(1); // GT/LT still add new members
        assertThat(j.zaddIncr("z", 5, "a", ZAddParams.zAddParams())).isEqualTo(20.0);
        assertThat(j.zaddIncr("z", -5, "a", ZAddParams.zAddParams().gt())).isNull();
        assertThat(raw.call("ZADD", "z", "XX", "INCR", "1", "missing")).isNull();
        // XX on a missing key creates nothing.
        assertThat(raw.call("ZADD", "nokey", "XX", "1", "a")).isEqualTo(0L);
        assertThat(raw.call("ZADD", "nokey", "XX", "INCR", "1", "a")).isNull();
        assertThat(j.exists("nokey")).isFalse();
        // Lettuce: options as arguments, scored values.
        assertThat(lettuce.zadd("lz", ZAddArgs.Builder.nx(), ScoredValue.just(1.5, "x"), ScoredValue.just(2.5, "y"))).isEqualTo(2);
        assertThat(lettuce.zaddincr("lz", 1, "x")).isEqualTo(2.5);
        assertThat(lettuce.zrangeWithScores("lz", 0, -1)).containsExactly(ScoredValue.just(2.5, "x"), ScoredValue.just(2.5, "y"));
    }

    @Test
    void zaddRefusesBadInputBeforeChangingAnything() throws Exception {
        j.zadd("z", 1, "a");
        assertThat(error("ZADD", "z", "1", "a", "2")).isEqualTo("ERR syntax error");
        assertThat(error("ZADD", "z", "NX", "1", "a", "2")).isEqualTo("ERR syntax error");
        assertThat(error("ZADD", "z", "NX", "XX", "1", "a")).isEqualTo("ERR XX and NX options at the same time are not compatible");
        assertThat(error("ZADD", "z", "GT", "LT", "1", "a")).isEqualTo("ERR GT, LT, and/or NX options at the same time are not compatible");
        assertThat(error("ZADD", "z", "GT", "NX", "1", "a")).isEqualTo("ERR GT, LT, and/or NX options at the same time are not compatible");
        assertThat(error("ZADD", "z", "INCR", "1", "a", "2", "b")).isEqualTo("ERR INCR option supports a single increment-element pair");
        // A bad score anywhere: nothing is added, even the good pairs before it.
        assertThat(error("ZADD", "z", "5", "x", "abc", "y")).isEqualTo("ERR value is not a valid float");
        assertThat(error("ZADD", "z", "nan", "x")).isEqualTo("ERR value is not a valid float");
        assertThat(error("ZADD", "z", "", "x")).isEqualTo("ERR value is not a valid float");
        assertThat(error("ZADD", "z", " 1", "x")).isEqualTo("ERR value is not a valid float");
        assertThat(error("ZADD", "z", "1e400", "x")).isEqualTo("ERR value is not a valid float");
        assertThat(j.zcard("z")).isEqualTo(1);
        assertThat(error("ZADD", "z")).isEqualTo("ERR wrong number of arguments for 'zadd' command");
        // strtod's grammar: hexadecimal, infinities, exponents.
        assertThat(raw.call("ZADD", "z", "0x10", "hex", "-inf", "low", "1E3", "exp")).isEqualTo(3L);
        assertThat(j.zscore("z", "hex")).isEqualTo(16.0);
        assertThat(j.zscore("z", "low")).isEqualTo(Double.NEGATIVE_INFINITY);
        // An increment that lands on NaN is refused and changes nothing.
        j.zadd("inf", Double.POSITIVE_INFINITY, "m");
        assertThat(error("ZINCRBY", "inf", "-inf", "m")).isEqualTo("ERR resulting score is not a number (NaN)");
        assertThat(error("ZADD", "inf", "INCR", "-inf", "m")).isEqualTo("ERR resulting score is not a number (NaN)");
        assertThat(j.zscore("inf", "m")).isEqualTo(Double.POSITIVE_INFINITY);
        j.set("str", "x");
        assertThat(error("ZADD", "str", "1", "a")).startsWith("WRONGTYPE");
        assertThat(error("ZINCRBY", "str", "1", "a")).startsWith("WRONGTYPE");
    }

    @Test
    void zincrbyCreatesIncrementsAndAnswersTheNewScore() throws Exception {
        assertThat(j.zincrby("z", 2.5, "a")).isEqualTo(2.5);
        assertThat(j.zincrby("z", -1, "a")).isEqualTo(1.5);
        assertThat(lettuce.zincrby("z", 0.1, "a")).isEqualTo(1.6);
        assertThat(raw.call("ZINCRBY", "z", "1", "b")).isEqualTo("1");
        assertThat(error("ZINCRBY", "z", "x", "a")).isEqualTo("ERR value is not a valid float");
        assertThat(error("ZINCRBY", "z", "1", "a", "b")).isEqualTo("ERR wrong number of arguments for 'zincrby' command");
    }

    // ---------------------------------------------------------------- reads

    @Test
    void scoresRanksAndCounts() throws Exception {
        j.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 0.1));
        assertThat(j.zcard("z")).isEqualTo(4);
        assertThat(j.zcard("nokey")).isZero();
        assertThat(raw.call("ZSCORE", "z", "d")).isEqualTo("0.10000000000000001"); // %.17g, as Redis
        assertThat(raw.call("ZSCORE", "z", "nope")).isNull();
        assertThat(raw.call("ZSCORE", "nokey", "a")).isNull();
        assertThat(j.zmscore("z", "a", "nope", "c")).containsExactly(1.0, null, 3.0);
        assertThat(raw.call("ZMSCORE", "nokey", "a", "b")).isEqualTo(java.util.Arrays.asList(null, null));
        assertThat(error("ZMSCORE", "z")).isEqualTo("ERR wrong number of arguments for 'zmscore' command");
        assertThat(j.zrank("z", "a")).isEqualTo(1);
        assertThat(j.zrevrank("z", "a")).isEqualTo(2);
        assertThat(j.zrank("z", "nope")).isNull();
        assertThat(raw.call("ZRANK", "nokey", "a")).isNull();
        assertThat(j.zcount("z", "(1", "3")).isEqualTo(2);
        assertThat(j.zcount("z", "-inf", "+inf")).isEqualTo(4);
        assertThat(j.zcount("z", "3", "1")).isZero();
        assertThat(lettuce.zcount("z", Range.create(0.0, 2.0))).isEqualTo(3);
        assertThat(j.zcount("nokey", "0", "1")).isZero();
        assertThat(error("ZCOUNT", "z", "a", "1")).isEqualTo("ERR min or max is not a float");
        assertThat(error("ZCOUNT", "z", "1", "(x")).isEqualTo("ERR min or max is not a float");
        assertThat(error("ZCOUNT", "z", "nan", "1")).isEqualTo("ERR min or max is not a float");
        j.zadd("lex", Map.of("a", 0.0, "b", 0.0, "c", 0.0, "d", 0.0));
        assertThat(j.zlexcount("lex", "[b", "(d")).isEqualTo(2);
        assertThat(j.zlexcount("lex", "-", "+")).isEqualTo(4);
        assertThat(j.zlexcount("lex", "+", "-")).isZero();
        assertThat(error("ZLEXCOUNT", "lex", "b", "[d")).isEqualTo("ERR min or max not valid string range item");
        assertThat(error("ZLEXCOUNT", "lex", "[b", "+x")).isEqualTo("ERR min or max not valid string range item");
        j.set("str", "x");
        for (String[] cmd : new String[][] {{"ZCARD", "str"}, {"ZSCORE", "str", "a"}, {"ZMSCORE", "str", "a"},
            {"ZRANK", "str", "a"}, {"ZREVRANK", "str", "a"}, {"ZCOUNT", "str", "0", "1"}, {"ZLEXCOUNT", "str", "-", "+"}}) {
            assertThat(error(cmd)).as(cmd[0]).startsWith("WRONGTYPE");
        }
    }

    @Test
    void scoresInResp3AreDoubles() throws Exception {
        j.zadd("z", Map.of("a", 1.5, "b", Double.POSITIVE_INFINITY));
        raw.call("HELLO", "3");
        assertThat(raw.call("ZSCORE", "z", "a")).isEqualTo(1.5);
        assertThat(raw.call("ZSCORE", "z", "b")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(raw.call("ZSCORE", "z", "nope")).isNull();
        assertThat(raw.call("ZRANGE", "z", "0", "-1", "WITHSCORES"))
                .isEqualTo(List.of(List.of("a", 1.5), List.of("b", Double.POSITIVE_INFINITY)));
        assertThat(raw.call("ZINCRBY", "z", "1", "a")).isEqualTo(2.5);
        assertThat(raw.call("ZPOPMIN", "z")).isEqualTo(List.of("a", 2.5));
        assertThat(raw.call("ZPOPMIN", "z", "1")).isEqualTo(List.of(List.of("b", Double.POSITIVE_INFINITY)));
        assertThat(raw.call("ZPOPMIN", "z", "1")).isEqualTo(List.of());
    }

    // ---------------------------------------------------------------- ranges

    @Test
    void rangesByRankScoreAndLexInBothDirections() throws Exception {
        j.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0, "e", 5.0));
        assertThat(j.zrange("z", 0, -1)).containsExactly("a", "b", "c", "d", "e");
        assertThat(j.zrange("z", -2, 100)).containsExactly("d", "e");
        assertThat(j.zrange("z", 3, 1)).isEmpty();
        assertThat(j.zrevrange("z", 0, 1)).containsExactly("e", "d");
        assertThat(members(j.zrangeWithScores("z", 0, 0))).containsExactly("a");
        assertThat(j.zrange("z", ZRangeParams.zrangeByScoreParams(2, 4).rev())).isEmpty(); // REV wants max first
        assertThat(j.zrange("z", ZRangeParams.zrangeByScoreParams(4, 2).rev())).containsExactly("d", "c", "b");
        assertThat(j.zrange("z", ZRangeParams.zrangeByScoreParams(1, 5).limit(1, 2))).containsExactly("b", "c");
        assertThat(j.zrangeByScore("z", "(1", "(4")).containsExactly("b", "c");
        assertThat(j.zrevrangeByScore("z", "+inf", "-inf", 1, 2)).containsExactly("d", "c");
        assertThat(raw.call("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "-1", "2")).isEqualTo(List.of());
        assertThat(raw.call("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "4", "-1")).isEqualTo(List.of("e"));
        assertThat(raw.call("ZRANGEBYSCORE", "z", "2", "3", "WITHSCORES")).isEqualTo(List.of("b", "2", "c", "3"));
        assertThat(lettuce.zrangebyscore("z", Range.create(2.0, 5.0), Limit.create(1, 1))).containsExactly("c");
        j.zadd("lex", Map.of("a", 0.0, "b", 0.0, "c", 0.0, "d", 0.0));
        assertThat(j.zrangeByLex("lex", "[b", "+")).containsExactly("b", "c", "d");
        assertThat(j.zrevrangeByLex("lex", "(d", "-")).containsExactly("c", "b", "a");
        assertThat(j.zrangeByLex("lex", "-", "+", 1, 2)).containsExactly("b", "c");
        assertThat(raw.call("ZRANGE", "lex", "[c", "[a", "BYLEX", "REV")).isEqualTo(List.of("c", "b", "a"));
        assertThat(raw.call("ZRANGE", "nokey", "0", "-1")).isEqualTo(List.of());
        // Bad input, with Redis's texts.
        assertThat(error("ZRANGE", "z", "0", "1", "LIMIT", "0", "1"))
                .isEqualTo("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        assertThat(error("ZRANGE", "lex", "-", "+", "BYLEX", "WITHSCORES"))
                .isEqualTo("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        assertThat(error("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX")).isEqualTo("ERR syntax error");
        assertThat(error("ZRANGE", "z", "a", "1")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(error("ZRANGE", "z", "0", "1", "LIMIT", "x", "1")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(error("ZRANGEBYSCORE", "z", "0", "1", "BYSCORE")).isEqualTo("ERR syntax error");
        assertThat(error("ZREVRANGE", "z", "0", "1", "REV")).isEqualTo("ERR syntax error");
        assertThat(error("ZRANGEBYLEX", "lex", "a", "c")).isEqualTo("ERR min or max not valid string range item");
        assertThat(error("ZRANGE", "z", "0")).isEqualTo("ERR wrong number of arguments for 'zrange' command");
        j.set("str", "x");
        assertThat(error("ZRANGE", "str", "0", "1")).startsWith("WRONGTYPE");
    }

    @Test
    void zrangestoreWritesTheRangeUnderAKeyOnAnotherShard() throws Exception {
        String[] k = keysOnEveryShard("rs");
        j.zadd(k[0], Map.of("a", 1.0, "b", 2.0, "c", 3.0));
        assertThat(j.zrangestore(k[1], k[0], ZRangeParams.zrangeParams(0, 1))).isEqualTo(2);
        assertThat(j.zrangeWithScores(k[1], 0, -1)).containsExactly(new Tuple("a", 1.0), new Tuple("b", 2.0));
        assertThat(raw.call("ZRANGESTORE", k[2], k[0], "+inf", "(1", "BYSCORE", "REV", "LIMIT", "0", "1")).isEqualTo(1L);
        assertThat(j.zrange(k[2], 0, -1)).containsExactly("c");
        // An empty range deletes the destination, also when the source is missing.
        j.expire(k[1], 100);
        assertThat(raw.call("ZRANGESTORE", k[1], k[0], "5", "6")).isEqualTo(0L);
        assertThat(j.exists(k[1])).isFalse();
        j.zadd(k[1], 1, "x");
        assertThat(raw.call("ZRANGESTORE", k[1], k[3], "0", "-1")).isEqualTo(0L);
        assertThat(j.exists(k[1])).isFalse();
        // The destination is replaced whatever it held, expiry dropped.
        j.set(k[3], "string");
        j.expire(k[3], 100);
        assertThat(raw.call("ZRANGESTORE", k[3], k[0], "0", "0")).isEqualTo(1L);
        assertThat(j.type(k[3])).isEqualTo("zset");
        assertThat(j.ttl(k[3])).isEqualTo(-1);
        assertThat(error("ZRANGESTORE", k[1], k[0], "0", "1", "WITHSCORES")).isEqualTo("ERR syntax error");
        assertThat(error("ZRANGESTORE", k[1], k[3] + "x", "0")).isEqualTo("ERR wrong number of arguments for 'zrangestore' command");
        j.set(k[2], "str");
        assertThat(error("ZRANGESTORE", k[1], k[2], "0", "-1")).startsWith("WRONGTYPE");
        // The destination's encoding follows the stored size, as Redis's zrangeResultBeginStore.
        j.configSet("zset-max-listpack-entries", "1");
        assertThat(raw.call("ZRANGESTORE", k[1], k[0], "0", "-1")).isEqualTo(3L);
        assertThat(j.objectEncoding(k[1])).isEqualTo("skiplist");
        assertThat(raw.call("ZRANGESTORE", k[1], k[0], "0", "0")).isEqualTo(1L);
        assertThat(j.objectEncoding(k[1])).isEqualTo("listpack");
    }

    @Test
    void removeRangesByRankScoreAndLex() throws Exception {
        j.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0, "e", 5.0));
        assertThat(j.zremrangeByRank("z", 0, 0)).isEqualTo(1);
        assertThat(j.zremrangeByRank("z", -1, -1)).isEqualTo(1);
        assertThat(j.zremrangeByRank("z", 10, 20)).isZero();
        assertThat(j.zremrangeByScore("z", "(2", "3")).isEqualTo(1);
        assertThat(j.zrange("z", 0, -1)).containsExactly("b", "d");
        assertThat(j.zremrangeByScore("z", "-inf", "+inf")).isEqualTo(2);
        assertThat(j.exists("z")).isFalse();
        j.zadd("lex", Map.of("a", 0.0, "b", 0.0, "c", 0.0));
        assertThat(j.zremrangeByLex("lex", "(a", "+")).isEqualTo(2);
        assertThat(j.zrange("lex", 0, -1)).containsExactly("a");
        assertThat(j.zremrangeByLex("nokey", "-", "+")).isZero();
        assertThat(error("ZREMRANGEBYRANK", "lex", "a", "1")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(error("ZREMRANGEBYSCORE", "lex", "a", "1")).isEqualTo("ERR min or max is not a float");
        assertThat(error("ZREMRANGEBYLEX", "lex", "a", "[b")).isEqualTo("ERR min or max not valid string range item");
    }

    @Test
    void zremRemovesMembersAndTheEmptiedKey() throws Exception {
        j.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0));
        assertThat(j.zrem("z", "a", "nope")).isEqualTo(1);
        assertThat(j.zrem("z", "b", "c", "b")).isEqualTo(2);
        assertThat(j.exists("z")).isFalse();
        assertThat(j.zrem("z", "a")).isZero();
        assertThat(error("ZREM", "z")).isEqualTo("ERR wrong number of arguments for 'zrem' command");
        j.set("str", "x");
        assertThat(error("ZREM", "str", "a")).startsWith("WRONGTYPE");
    }

    // ---------------------------------------------------------------- algebra across shards

    @Test
    void unionInterDiffWithKeysOnEveryShard() throws Exception {
        String[] k = keysOnEveryShard("alg");
        j.zadd(k[0], Map.of("a", 1.0, "b", 2.0, "c", 3.0));
        j.zadd(k[1], Map.of("b", 10.0, "c", 20.0, "d", 30.0));
        j.zadd(k[2], Map.of("c", 100.0));
        assertThat(j.zunion(new ZParams(), k[0], k[1])).containsExactly("a", "b", "c", "d");
        assertThat(j.zunionWithScores(new ZParams().weights(2, 1), k[0], k[1]))
                .containsExactly(new Tuple("a", 2.0), new Tuple("b", 14.0), new Tuple("c", 26.0), new Tuple("d", 30.0));
        assertThat(j.zunionWithScores(new ZParams().aggregate(ZParams.Aggregate.MIN), k[0], k[1], k[2]))
                .containsExactly(new Tuple("a", 1.0), new Tuple("b", 2.0), new Tuple("c", 3.0), new Tuple("d", 30.0));
        assertThat(j.zinterWithScores(new ZParams().aggregate(ZParams.Aggregate.MAX), k[0], k[1], k[2]))
                .containsExactly(new Tuple("c", 100.0));
        assertThat(j.zintercard(k[0], k[1])).isEqualTo(2);
        assertThat(j.zintercard(1, k[0], k[1])).isEqualTo(1);
        assertThat(j.zdiffWithScores(k[0], k[1])).containsExactly(new Tuple("a", 1.0));
        assertThat(raw.call("ZDIFF", "2", k[0], k[0])).isEqualTo(List.of());
        assertThat(raw.call("ZINTER", "2", k[0], k[3])).isEqualTo(List.of());
        assertThat(lettuce.zunionstore(k[3], ZStoreArgs.Builder.weights(1, 10), k[0], k[1])).isEqualTo(4);
        assertThat(j.zrangeWithScores(k[3], 0, -1)).containsExactly(new Tuple("a", 1.0), new Tuple("b", 102.0),
                new Tuple("c", 203.0), new Tuple("d", 300.0));
        assertThat(j.zinterstore(k[2], k[0], k[1])).isEqualTo(2);
        assertThat(j.zrangeWithScores(k[2], 0, -1)).containsExactly(new Tuple("b", 12.0), new Tuple("c", 23.0));
        assertThat(j.zdiffstore(k[3], k[1], k[0])).isEqualTo(1);
        assertThat(j.zrange(k[3], 0, -1)).containsExactly("d");
        // An empty result deletes the destination.
        assertThat(j.zinterstore(k[3], k[0], "missing")).isZero();
        assertThat(j.exists(k[3])).isFalse();
        // +inf + -inf sums to 0, as Redis keeps it.
        j.zadd("{x}p", Double.POSITIVE_INFINITY, "m");
        j.zadd("{x}n", Double.NEGATIVE_INFINITY, "m");
        assertThat(j.zunionWithScores(new ZParams(), "{x}p", "{x}n")).containsExactly(new Tuple("m", 0.0));
        // RESP3: [member, score] pairs.
        raw.call("HELLO", "3");
        assertThat(raw.call("ZINTER", "2", k[0], k[1], "WITHSCORES")).isEqualTo(List.of(List.of("b", 12.0), List.of("c", 23.0)));
    }

    @Test
    void algebraRefusesBadArguments() throws Exception {
        j.zadd("{a}1", 1, "x");
        assertThat(error("ZUNION", "0", "{a}1")).isEqualTo("ERR at least 1 input key is needed for 'zunion' command");
        assertThat(error("ZUNIONSTORE", "d", "0", "{a}1")).isEqualTo("ERR at least 1 input key is needed for 'zunionstore' command");
        assertThat(error("ZINTER", "x", "{a}1")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(error("ZINTER", "3", "{a}1", "{a}2")).isEqualTo("ERR syntax error");
        assertThat(error("ZUNION", "1", "{a}1", "WEIGHTS", "x")).isEqualTo("ERR weight value is not a float");
        assertThat(error("ZUNION", "2", "{a}1", "{a}2", "WEIGHTS", "1")).isEqualTo("ERR syntax error");
        assertThat(error("ZUNION", "1", "{a}1", "AGGREGATE", "avg")).isEqualTo("ERR syntax error");
        assertThat(error("ZDIFF", "1", "{a}1", "WEIGHTS", "1")).isEqualTo("ERR syntax error");
        assertThat(error("ZUNIONSTORE", "d", "1", "{a}1", "WITHSCORES")).isEqualTo("ERR syntax error");
        assertThat(error("ZINTERCARD", "1", "{a}1", "LIMIT", "-1")).isEqualTo("ERR LIMIT can't be negative");
        assertThat(error("ZINTERCARD", "1", "{a}1", "WITHSCORES")).isEqualTo("ERR syntax error");
        j.set("{a}str", "x");
        assertThat(error("ZUNION", "2", "{a}1", "{a}str")).startsWith("WRONGTYPE");
        assertThat(error("ZINTERSTORE", "{a}d", "2", "{a}str", "{a}1")).startsWith("WRONGTYPE");
    }

    @Test
    void storeResultsShrinkToAListpackWhenSmall() throws Exception {
        j.configSet("zset-max-listpack-entries", "0");
        j.zadd("{s}1", Map.of("a", 1.0, "b", 2.0));
        assertThat(j.objectEncoding("{s}1")).isEqualTo("skiplist");
        j.configSet("zset-max-listpack-entries", "128");
        j.zunionstore("{s}2", "{s}1");
        assertThat(j.objectEncoding("{s}2")).isEqualTo("listpack");
        assertThat(j.zrangeWithScores("{s}2", 0, -1)).containsExactly(new Tuple("a", 1.0), new Tuple("b", 2.0));
    }

    // ---------------------------------------------------------------- pops

    @Test
    void popsFromOneKeyOrTheFirstNonEmptyOfMany() throws Exception {
        String[] k = keysOnEveryShard("pop");
        j.zadd(k[2], Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0));
        assertThat(j.zpopmin(k[2])).isEqualTo(new Tuple("a", 1.0));
        assertThat(j.zpopmax(k[2], 2)).containsExactly(new Tuple("d", 4.0), new Tuple("c", 3.0));
        assertThat(raw.call("ZPOPMIN", k[2], "0")).isEqualTo(List.of());
        assertThat(raw.call("ZPOPMIN", k[0])).isEqualTo(List.of());
        assertThat(error("ZPOPMIN", k[2], "-1")).isEqualTo("ERR value is out of range, must be positive");
        assertThat(error("ZPOPMIN", k[2], "x")).isEqualTo("ERR value is out of range, must be positive");
        assertThat(error("ZPOPMIN", k[2], "1", "2")).isEqualTo("ERR syntax error");
        j.zadd(k[3], Map.of("x", 1.0, "y", 2.0));
        KeyValue<String, List<Tuple>> r = j.zmpop(SortedSetOption.MAX, 5, k[0], k[1], k[3], k[2]);
        assertThat(r.getKey()).isEqualTo(k[3]);
        assertThat(r.getValue()).containsExactly(new Tuple("y", 2.0), new Tuple("x", 1.0));
        assertThat(j.exists(k[3])).isFalse();
        assertThat(raw.call("ZMPOP", "2", k[0], k[1], "MIN")).isNull();
        assertThat(raw.call("ZMPOP", "4", k[0], k[1], k[3], k[2], "MIN")).isEqualTo(List.of(k[2], List.of(List.of("b", "2"))));
        assertThat(error("ZMPOP", "0", k[0], "MIN")).isEqualTo("ERR numkeys should be greater than 0");
        assertThat(error("ZMPOP", "2", k[0], "MIN")).isEqualTo("ERR syntax error");
        assertThat(error("ZMPOP", "1", k[0], "MID")).isEqualTo("ERR syntax error");
        assertThat(error("ZMPOP", "1", k[0], "MIN", "COUNT", "0")).isEqualTo("ERR count should be greater than 0");
        assertThat(error("ZMPOP", "1", k[0], "MIN", "COUNT", "1", "COUNT", "1")).isEqualTo("ERR syntax error");
        j.set(k[1], "str");
        assertThat(error("ZMPOP", "2", k[0], k[1], "MIN")).startsWith("WRONGTYPE");
        assertThat(error("ZPOPMAX", k[1])).startsWith("WRONGTYPE");
    }

    @Test
    void blockingPopWaitsForAnAddOnAnyShard() throws Exception {
        String[] k = keysOnEveryShard("bz");
        try (Jedis waiter = node.jedis(); Jedis waiter2 = node.jedis()) {
            CompletableFuture<KeyValue<String, Tuple>> first = CompletableFuture.supplyAsync(() -> waiter.bzpopmin(5, k[0], k[1], k[2]), WAITERS);
            awaitBlocked(1);
            CompletableFuture<KeyValue<String, List<Tuple>>> second =
                    CompletableFuture.supplyAsync(() -> waiter2.bzmpop(5, SortedSetOption.MAX, 2, k[3], k[2]), WAITERS);
            awaitBlocked(2);
            // One element: the client that blocked first gets it; the second keeps waiting.
            j.zadd(k[2], 1, "one");
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(new KeyValue<>(k[2], new Tuple("one", 1.0)));
            assertThat(second).isNotDone();
            j.zadd(k[3], Map.of("p", 1.0, "q", 2.0, "r", 3.0));
            KeyValue<String, List<Tuple>> got = second.get(5, TimeUnit.SECONDS);
            assertThat(got.getKey()).isEqualTo(k[3]);
            assertThat(got.getValue()).containsExactly(new Tuple("r", 3.0), new Tuple("q", 2.0));
        }
        assertThat(j.zrange(k[3], 0, -1)).containsExactly("p");
        awaitBlocked(0);
    }

    void awaitBlocked(int n) {
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> j.info("clients").contains("blocked_clients:" + n + "\r"));
    }

    @Test
    void blockingPopTimesOutAndAnswersAtOnceInsideMulti() throws Exception {
        long t0 = System.nanoTime();
        assertThat(raw.call("BZPOPMAX", "nokey", "0.2")).isNull();
        assertThat(System.nanoTime() - t0).isGreaterThan(150_000_000L);
        raw.call("HELLO", "3");
        assertThat(raw.call("BZMPOP", "0.05", "1", "nokey", "MIN")).isNull();
        raw.call("HELLO", "2");
        raw.call("MULTI");
        raw.call("BZPOPMIN", "nokey", "0");
        assertThat(raw.call("EXEC")).isEqualTo(java.util.Collections.singletonList(null));
        j.zadd("z", 1, "a");
        assertThat(raw.call("BZPOPMIN", "nokey", "z", "0")).isEqualTo(List.of("z", "a", "1"));
        assertThat(error("BZPOPMIN", "z", "-1")).isEqualTo("ERR timeout is negative");
        assertThat(error("BZPOPMIN", "z", "x")).isEqualTo("ERR timeout is not a float or out of range");
        assertThat(error("BZMPOP", "0", "0", "z", "MIN")).isEqualTo("ERR numkeys should be greater than 0");
        j.set("str", "x");
        assertThat(error("BZPOPMIN", "nokey", "str", "0")).startsWith("WRONGTYPE");
    }

    @Test
    void anAddUndoneInTheSameTransactionWakesNobody() throws Exception {
        try (RawClient waiter = node.raw()) {
            waiter.command("BZPOPMIN", "z", "0");
            awaitBlocked(1);
            raw.call("MULTI");
            raw.call("ZADD", "z", "1", "a");
            raw.call("DEL", "z");
            raw.call("EXEC");
            raw.call("ZADD", "z", "2", "b");
            assertThat(waiter.read()).isEqualTo(List.of("z", "b", "2"));
        }
    }

    // ---------------------------------------------------------------- random, scan

    @Test
    void zrandmemberFollowsRedisCountRules() throws Exception {
        Map<String, Double> all = new HashMap<>();
        for (int i = 0; i < 10; i++) all.put("m" + i, (double) i);
        j.zadd("z", all);
        assertThat(all).containsKey(j.zrandmember("z"));
        assertThat(raw.call("ZRANDMEMBER", "nokey")).isNull();
        assertThat(raw.call("ZRANDMEMBER", "nokey", "3")).isEqualTo(List.of());
        assertThat(raw.call("ZRANDMEMBER", "z", "0")).isEqualTo(List.of());
        for (int count : new int[] {1, 3, 5, 9, 10, 20}) {
            List<String> got = j.zrandmember("z", count);
            assertThat(got).hasSize(Math.min(count, 10)).doesNotHaveDuplicates();
            assertThat(all.keySet()).containsAll(got);
        }
        assertThat(j.zrandmember("z", -30)).hasSize(30);
        for (Tuple t : j.zrandmemberWithScores("z", 4)) assertThat(t.getScore()).isEqualTo(all.get(t.getElement()));
        // Negative counts draw with repetition, uniformly.
        Map<String, Integer> seen = new HashMap<>();
        for (String m : j.zrandmember("z", -10_000)) seen.merge(m, 1, Integer::sum);
        assertThat(seen).hasSize(10);
        assertThat(seen.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
        assertThat(error("ZRANDMEMBER", "z", "x")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(error("ZRANDMEMBER", "z", "1", "x")).isEqualTo("ERR syntax error");
        assertThat(error("ZRANDMEMBER", "z", "-9223372036854775808")).startsWith("ERR value is out of range");
        assertThat(error("ZRANDMEMBER", "z", "-9223372036854770000", "WITHSCORES")).isEqualTo("ERR value is out of range");
        raw.call("HELLO", "3");
        Object pairs = raw.call("ZRANDMEMBER", "z", "2", "WITHSCORES");
        assertThat((List<?>) pairs).hasSize(2).allSatisfy(p -> assertThat((List<?>) p).hasSize(2));
    }

    @Test
    void zscanReturnsEveryStableMemberWhileTheSetChanges() throws Exception {
        Map<String, Double> stable = new HashMap<>();
        for (int i = 0; i < 2000; i++) stable.put("s" + i, (double) i);
        j.zadd("big", stable);
        assertThat(j.objectEncoding("big")).isEqualTo("skiplist");
        Map<String, Double> seen = new HashMap<>();
        String cursor = "0";
        int step = 0;
        do {
            ScanResult<Tuple> r = j.zscan("big", cursor, new ScanParams().count(50));
            for (Tuple t : r.getResult()) seen.put(t.getElement(), t.getScore());
            cursor = r.getCursor();
            // Writes between steps: growth and shrinkage move members around the table.
            if (step++ % 2 == 0) for (int i = 0; i < 300; i++) j.zadd("big", 0, "t" + step + "-" + i);
            else for (int i = 0; i < 300; i++) j.zrem("big", "t" + (step - 1) + "-" + i);
        } while (!cursor.equals("0"));
        for (var e : stable.entrySet()) assertThat(seen.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        // A listpack answers everything at once, cursor 0; MATCH filters members.
        j.zadd("small", Map.of("apple", 1.0, "banana", 2.5, "cherry", 3.0));
        ScanResult<Tuple> r = j.zscan("small", "0", new ScanParams().match("*an*"));
        assertThat(r.getCursor()).isEqualTo("0");
        assertThat(r.getResult()).containsExactly(new Tuple("banana", 2.5));
        assertThat(raw.call("ZSCAN", "nokey", "0")).isEqualTo(List.of("0", List.of()));
        assertThat(error("ZSCAN", "small", "x")).isEqualTo("ERR invalid cursor");
        assertThat(error("ZSCAN", "small", "0", "COUNT", "0")).isEqualTo("ERR syntax error");
        assertThat(error("ZSCAN", "small", "0", "TYPE", "zset")).isEqualTo("ERR syntax error");
        j.set("str", "x");
        assertThat(error("ZSCAN", "str", "0")).startsWith("WRONGTYPE");
    }

    // ---------------------------------------------------------------- encodings, keys, events

    @Test
    void encodingFollowsTheListpackLimits() throws Exception {
        j.configSet("zset-max-listpack-entries", "4");
        j.configSet("zset-max-listpack-value", "8");
        j.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0));
        assertThat(j.objectEncoding("z")).isEqualTo("listpack");
        j.zadd("z", 5, "e");
        assertThat(j.objectEncoding("z")).isEqualTo("skiplist");
        j.zadd("long", 1, "123456789");
        assertThat(j.objectEncoding("long")).isEqualTo("skiplist");
        j.zadd("grow", 1, "short");
        j.zadd("grow", 2, "muchlonger");
        assertThat(j.objectEncoding("grow")).isEqualTo("skiplist");
        assertThat(j.type("z")).isEqualTo("zset");
        // COPY keeps the encoding and makes an independent set; on another shard too.
        String[] k = keysOnEveryShard("copy");
        j.zadd(k[0], Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0, "e", 5.0));
        assertThat(j.copy(k[0], k[1], false)).isTrue();
        assertThat(j.objectEncoding(k[1])).isEqualTo("skiplist");
        j.zadd(k[1], 9, "z");
        assertThat(j.zcard(k[0])).isEqualTo(5);
        assertThat(j.zcard(k[1])).isEqualTo(6);
    }

    @Test
    void usedMemoryFollowsTheSet() {
        long before = usedMemory();
        Map<String, Double> m = new HashMap<>();
        for (int i = 0; i < 20_000; i++) m.put("member:" + i, (double) i);
        j.zadd("big", m);
        long grown = usedMemory() - before;
        assertThat(grown / 20_000).isBetween(20L, 80L);
        j.del("big");
        assertThat(usedMemory() - before).isLessThan(grown / 10);
    }

    long usedMemory() {
        for (String line : j.info("memory").split("\r\n")) {
            if (line.startsWith("used_memory:")) return Long.parseLong(line.substring(12));
        }
        throw new AssertionError("no used_memory");
    }

    @Test
    void keyspaceEventsAsRedisSendsThem() throws Exception {
        j.configSet("notify-keyspace-events", "KEA");
        try (RawClient sub = node.raw()) {
            sub.call("PSUBSCRIBE", "__keyevent@0__:*");
            j.zadd("z", Map.of("a", 1.0, "b", 2.0));
            j.zadd("z", 1, "a"); // nothing changed: no event
            j.zincrby("z", 1, "a");
            j.zrem("z", "a");
            j.zpopmin("z");
            j.zadd("z", 1, "c");
            j.zremrangeByScore("z", "0", "5");
            j.zadd("{t}src", 1, "x");
            j.zunionstore("{t}dst", "{t}src");
            j.zrangestore("{t}dst2", "{t}src", ZRangeParams.zrangeParams(0, -1));
            j.configSet("notify-keyspace-events", "");
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                @SuppressWarnings("unchecked")
                List<Object> msg = (List<Object>) sub.read();
                events.add(((String) msg.get(2)).substring("__keyevent@0__:".length()));
            }
            assertThat(events).containsExactly("zadd", "zincr", "zrem", "zpopmin", "del", "zadd", "zremrangebyscore", "del",
                    "zadd", "zunionstore", "zrangestore");
        }
    }

    @Test
    void watchedKeyIsTouchedByZaddButNotByANoOp() throws Exception {
        j.zadd("z", 1, "a");
        try (RawClient other = node.raw()) {
            raw.call("WATCH", "z");
            other.call("ZADD", "z", "1", "a"); // same score: not a change
            raw.call("MULTI");
            raw.call("ZCARD", "z");
            assertThat(raw.call("EXEC")).isEqualTo(List.of(1L));
            raw.call("WATCH", "z");
            other.call("ZADD", "z", "2", "a");
            raw.call("MULTI");
            raw.call("ZCARD", "z");
            assertThat(raw.call("EXEC")).isNull();
        }
    }

    @Test
    void wrongArityIsRefusedForEveryCommand() throws Exception {
        String[][] cases = {{"ZCARD"}, {"ZSCORE", "z"}, {"ZRANK", "z"}, {"ZCOUNT", "z", "0"}, {"ZLEXCOUNT", "z", "-"},
            {"ZREMRANGEBYRANK", "z", "0"}, {"ZREMRANGEBYSCORE", "z", "0"}, {"ZREMRANGEBYLEX", "z", "-"},
            {"ZUNION", "1"}, {"ZINTERSTORE", "d", "1"}, {"ZPOPMIN"}, {"BZPOPMIN", "z"}, {"ZMPOP", "1", "z"},
            {"BZMPOP", "0", "1", "z"}, {"ZRANDMEMBER"}, {"ZSCAN", "z"}, {"ZRANGEBYLEX", "z", "-"}};
        for (String[] c : cases) {
            assertThat(error(c)).isEqualTo("ERR wrong number of arguments for '" + c[0].toLowerCase() + "' command");
        }
    }

    @Test
    void aLargeSetStaysConsistentUnderRandomOperations() {
        java.util.Random rnd = new java.util.Random(42);
        java.util.TreeMap<String, Double> model = new java.util.TreeMap<>();
        for (int i = 0; i < 5000; i++) {
            String m = "m" + rnd.nextInt(3000);
            if (rnd.nextInt(4) == 0) {
                j.zrem("z", m);
                model.remove(m);
            } else {
                double s = rnd.nextInt(1000);
                j.zadd("z", s, m);
                model.put(m, s);
            }
        }
        List<String> expected = model.entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Double>comparingByValue().thenComparing(java.util.Map.Entry.comparingByKey()))
                .map(java.util.Map.Entry::getKey).toList();
        assertThat(j.zrange("z", 0, -1)).containsExactlyElementsOf(expected);
        for (int i = 0; i < 50; i++) {
            int r = rnd.nextInt(expected.size());
            assertThat(j.zrank("z", expected.get(r))).isEqualTo(r);
        }
        Set<String> lowScores = new HashSet<>();
        model.forEach((m, s) -> { if (s < 100) lowScores.add(m); });
        assertThat(j.zcount("z", "-inf", "(100")).isEqualTo(lowScores.size());
        assertThatThrownBy(() -> j.zadd("z", Double.NaN, "x")).isInstanceOf(JedisDataException.class);
    }
}
