package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.SortArgs;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.TestNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SortingParams;

/**
 * SORT and SORT_RO on a 4-shard node: lists, sets and sorted sets sorted numerically and ALPHA,
 * ASC and DESC, LIMIT windows, BY nosort, BY and GET patterns whose keys sit on every shard,
 * STORE into a key of another shard (and its logged form across a restart), keyspace events,
 * MULTI and scripts, and bad input with Redis 7.0's texts. Byte-for-byte agreement with
 * redis-server on random data is checked by {@link SortVersusRedisIT}.
 */
class SortCommandsIT extends FourShardClients {
    private static SortingParams by(String pattern) { return new SortingParams().by(pattern); }

    @Test
    void numbersAndStringsInEveryOrderAndWindow() {
        j.rpush("l", "10", "2", "-3.5", "1e2", "0x10", "7");
        assertThat(j.sort("l")).containsExactly("-3.5", "2", "7", "10", "0x10", "1e2");
        assertThat(j.sort("l", new SortingParams().desc())).containsExactly("1e2", "0x10", "10", "7", "2", "-3.5");
        assertThat(j.sort("l", new SortingParams().alpha())).containsExactly("-3.5", "0x10", "10", "1e2", "2", "7");
        assertThat(j.sort("l", new SortingParams().limit(1, 2))).containsExactly("2", "7");
        assertThat(j.sort("l", new SortingParams().limit(4, 100))).containsExactly("0x10", "1e2");
        assertThat(j.sort("l", new SortingParams().limit(-5, 2))).containsExactly("-3.5", "2");
        assertThat(j.sort("l", new SortingParams().limit(10, 2))).isEmpty();
        assertThat(j.sort("l", new SortingParams().limit(2, -1))).containsExactly("7", "10", "0x10", "1e2");
        assertThat(j.sortReadonly("l", new SortingParams().desc().limit(0, 1))).containsExactly("1e2");

        j.sadd("s", "5", "1", "3");
        assertThat(j.sort("s")).containsExactly("1", "3", "5");
        j.zadd("z", Map.of("b", 1.0, "a", 2.0, "c", 3.0));
        assertThat(j.sort("z", new SortingParams().alpha())).containsExactly("a", "b", "c");
        // BY nosort keeps a list's or sorted set's own order, and LIMIT windows it.
        assertThat(j.sort("z", by("nosort"))).containsExactly("b", "a", "c");
        assertThat(j.sort("z", by("nosort").desc().limit(0, 2))).containsExactly("c", "a");
        assertThat(j.sort("l", by("nosort").limit(1, 3))).containsExactly("2", "-3.5", "1e2");
        assertThat(j.sort("missing")).isEmpty();
        assertThat(lettuce.sort("l", SortArgs.Builder.desc().limit(0, 3))).containsExactly("1e2", "0x10", "10");
    }

    @Test
    void byAndGetPatternsReadKeysOnEveryShard() throws Exception {
        j.rpush("ids", "1", "2", "3", "4");
        j.mset("w_1", "40", "w_2", "10", "w_3", "30");
        for (int i = 1; i <= 4; i++) j.hset("o_" + i, Map.of("name", "n" + i, "rank", String.valueOf(10 - i)));
        // The keys the patterns name are spread over the four shards.
        assertThat(Arrays.stream(new String[] {"w_1", "w_2", "w_3", "o_1", "o_2", "o_3", "o_4"})
                .map(k -> ShardKeys.shardOf(node.node(), k)).distinct().count()).isGreaterThan(2);
        // A missing BY key sorts as 0.
        assertThat(j.sort("ids", by("w_*"))).containsExactly("4", "2", "3", "1");
        assertThat(j.sort("ids", by("o_*->rank"))).containsExactly("4", "3", "2", "1");
        assertThat(j.sort("ids", by("w_*").alpha().desc())).containsExactly("1", "3", "2", "4");
        assertThat(j.sort("ids", by("w_*").get("#", "w_*", "o_*->name")))
                .containsExactly("4", null, "n4", "2", "10", "n2", "3", "30", "n3", "1", "40", "n1");
        assertThat(j.sort("ids", new SortingParams().get("o_*->missing", "nokey"))).containsOnlyNulls().hasSize(8);
        // GET of a hash field through a string key, or of a string through a hash: nil.
        assertThat(j.sort("ids", new SortingParams().get("w_*->x", "o_*").limit(0, 1))).containsExactly(null, null);
        assertThat(raw.call("SORT_RO", "ids", "BY", "w_*", "GET", "#", "LIMIT", "0", "2")).isEqualTo(List.of("4", "2"));
    }

    @Test
    void storeWritesAListOnAnotherShard() {
        String src = keyOn(0, "src"), dst = keyOn(1, "dst");
        j.sadd(src, "3", "1", "2");
        j.set(dst, "other type");
        j.expire(dst, 100);
        assertThat(j.sort(src, dst)).isEqualTo(3);
        assertThat(j.lrange(dst, 0, -1)).containsExactly("1", "2", "3");
        assertThat(j.ttl(dst)).as("STORE drops the old expiry").isEqualTo(-1);
        j.mset("v_1", "one", "v_3", "three");
        assertThat(j.sort(src, new SortingParams().get("v_*", "#").desc(), dst)).isEqualTo(6);
        assertThat(j.lrange(dst, 0, -1)).containsExactly("three", "3", "", "2", "one", "1");
        // An empty result deletes the destination.
        assertThat(j.sort("missing", dst)).isZero();
        assertThat(j.exists(dst)).isFalse();
        // A set with BY nosort is stored sorted, so the result does not depend on the table order.
        for (int i = 0; i < 50; i++) j.sadd(src, "m" + i);
        assertThat(j.sort(src, by("nosort"), dst)).isEqualTo(53);
        List<String> stored = j.lrange(dst, 0, -1);
        List<String> sorted = new ArrayList<>(stored);
        sorted.sort(null);
        assertThat(stored).isEqualTo(sorted);
    }

    @Test
    void storeWithPatternsIsLoggedAsItsResult() throws Exception {
        TestNode source = TestNode.start("shards", "4", "appendonly", "yes");
        java.nio.file.Path dir = source.dir();
        List<String> expected;
        try (Jedis s = source.jedis()) {
            s.rpush("ids", "1", "2", "3");
            s.mset("w_1", "3", "w_2", "1", "w_3", "2", "n_1", "a", "n_2", "b");
            s.sort("ids", by("w_*").get("n_*", "#"), "out");
            expected = s.lrange("out", 0, -1);
            // Changed afterwards: replaying the SORT itself would now give another list.
            s.mset("w_1", "0", "n_2", "changed");
        } finally {
            source.close();
        }
        assertThat(expected).containsExactly("b", "2", "", "3", "a", "1");
        TestNode again = TestNode.start("shards", "4", "appendonly", "yes", "dir", dir.toString());
        try (Jedis s = again.jedis()) {
            assertThat(s.lrange("out", 0, -1)).isEqualTo(expected);
        } finally {
            again.close();
        }
    }

    @Test
    void storeSendsSortstore() throws Exception {
        j.configSet("notify-keyspace-events", "El");
        try (RawClient sub = node.raw()) {
            sub.call("SUBSCRIBE", "__keyevent@0__:sortstore");
            j.rpush("l", "b", "a");
            j.sort("l", new SortingParams().alpha(), "out");
            assertThat(sub.read()).isEqualTo(List.of("message", "__keyevent@0__:sortstore", "out"));
        } finally {
            j.configSet("notify-keyspace-events", "");
        }
    }

    @Test
    void insideMultiAndScripts() throws Exception {
        for (int i = 0; i < 40; i++) j.sadd("s", "m" + i);
        List<String> sorted = j.sort("s", new SortingParams().alpha());
        // In a script a set with BY nosort comes back sorted, as Redis makes it deterministic there.
        assertThat(raw.call("EVAL", "return redis.call('sort', KEYS[1], 'by', 'nosort')", "1", "s")).isEqualTo(sorted);
        assertThat(raw.call("EVAL", "return redis.call('sort_ro', KEYS[1], 'alpha', 'limit', 0, 2)", "1", "s"))
                .isEqualTo(sorted.subList(0, 2));
        j.rpush("l", "2", "1");
        j.mset("w_1", "5", "w_2", "1");
        assertThat(raw.call("MULTI")).isEqualTo("OK");
        raw.call("SORT", "l", "BY", "w_*");
        raw.call("SORT", "l", "STORE", keyOn(3, "dest"));
        assertThat(raw.call("EXEC")).isEqualTo(List.of(List.of("2", "1"), 2L));
        assertThat(j.lrange(keyOn(3, "dest"), 0, -1)).containsExactly("1", "2");
    }

    @Test
    void badInputIsRefusedWithRedisTexts() throws Exception {
        j.rpush("l", "1", "x");
        j.set("str", "v");
        j.hset("h", "f", "v");
        assertThat(error("SORT", "l")).isEqualTo("ERR One or more scores can't be converted into double");
        j.mset("w_1", "1", "w_x", "nan");
        assertThat(error("SORT", "l", "BY", "w_*")).isEqualTo("ERR One or more scores can't be converted into double");
        j.rpush("range", "1", "1e400");
        assertThat(error("SORT", "range")).isEqualTo("ERR One or more scores can't be converted into double");
        j.rpush("tiny", "1", "1e-400");
        assertThat(error("SORT", "tiny")).isEqualTo("ERR One or more scores can't be converted into double");
        assertThat(error("SORT", "str")).startsWith("WRONGTYPE");
        assertThat(error("SORT", "h", "BY", "nosort")).startsWith("WRONGTYPE");
        assertThat(error("SORT", "l", "ALPHA", "BOGUS")).isEqualTo("ERR syntax error");
        assertThat(error("SORT", "l", "LIMIT", "1")).isEqualTo("ERR syntax error");
        assertThat(error("SORT", "l", "LIMIT", "a", "1")).isEqualTo("ERR value is not an integer or out of range");
        assertThat(error("SORT", "l", "BY")).isEqualTo("ERR syntax error");
        assertThat(error("SORT", "l", "GET")).isEqualTo("ERR syntax error");
        assertThat(error("SORT", "l", "STORE")).isEqualTo("ERR syntax error");
        assertThat(error("SORT_RO", "l", "ALPHA", "STORE", "dst")).isEqualTo("ERR syntax error");
        assertThat(error("SORT")).isEqualTo("ERR wrong number of arguments for 'sort' command");
        assertThat(error("SORT_RO")).isEqualTo("ERR wrong number of arguments for 'sort_ro' command");
        assertThat(j.exists("dst")).isFalse();
    }
}
