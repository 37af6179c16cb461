package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.LMPopArgs;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.LPosArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.RawClient.Err;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.LPosParams;
import redis.clients.jedis.util.KeyValue;

/**
 * The list family through Jedis and Lettuce on a 4-shard node: every command's normal replies
 * and its errors, multi-key commands whose keys live on different shards, the generic key
 * commands on lists, and RESP3. (ListsVersusRedisIT compares many more cases with redis-server.)
 */
class ListCommandsIT extends FourShardNode {
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    @AfterEach
    void flush() {
        try (Jedis j = node.jedis()) {
            j.flushAll();
        }
    }

    private static String key(int shard, String prefix) { return ShardKeys.on(node.node(), shard, prefix); }

    private static void assertError(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOf(JedisDataException.class).hasMessage(message);
    }

    @Test
    void pushesAndLengths() {
        try (Jedis j = node.jedis()) {
            assertThat(j.lpush("l", "c", "b", "a")).isEqualTo(3);
            assertThat(j.rpush("l", "d", "e")).isEqualTo(5);
            assertThat(j.lpushx("l", "z")).isEqualTo(6);
            assertThat(j.rpushx("l", "y", "x")).isEqualTo(8);
            assertThat(j.lpushx("missing", "a")).isZero();
            assertThat(j.rpushx("missing", "a")).isZero();
            assertThat(j.exists("missing")).isFalse();
            assertThat(j.lrange("l", 0, -1)).containsExactly("z", "a", "b", "c", "d", "e", "y", "x");
            assertThat(j.llen("l")).isEqualTo(8);
            assertThat(j.llen("missing")).isZero();
            assertThat(j.type("l")).isEqualTo("list");
            assertThat(j.objectEncoding("l")).isEqualTo("quicklist");
            j.set("s", "x");
            assertError(() -> j.lpush("s", "a"), WRONGTYPE);
            assertError(() -> j.rpushx("s", "a"), WRONGTYPE);
            assertError(() -> j.llen("s"), WRONGTYPE);
            assertError(() -> j.sendCommand(() -> "lpush".getBytes(), "l"), "ERR wrong number of arguments for 'lpush' command");
        }
    }

    @Test
    void popsWithAndWithoutCount() {
        try (Jedis j = node.jedis()) {
            j.rpush("l", "1", "2", "3", "4", "5");
            assertThat(j.lpop("l")).isEqualTo("1");
            assertThat(j.rpop("l")).isEqualTo("5");
            assertThat(j.lpop("l", 2)).containsExactly("2", "3");
            assertThat(j.rpop("l", 5)).containsExactly("4");
            assertThat(j.exists("l")).isFalse();
            assertThat(j.lpop("l")).isNull();
            assertThat(j.rpop("l", 3)).isNull();
            j.rpush("l", "a");
            assertThat(j.lpop("l", 0)).isEmpty();
            assertError(() -> j.lpop("l", -1), "ERR value is out of range, must be positive");
            j.set("s", "x");
            assertError(() -> j.rpop("s"), WRONGTYPE);
        }
    }

    @Test
    void indexSetRangeTrim() {
        try (Jedis j = node.jedis()) {
            for (int i = 0; i < 300; i++) j.rpush("l", "e" + i); // many nodes of the default size
            assertThat(j.lindex("l", 0)).isEqualTo("e0");
            assertThat(j.lindex("l", 150)).isEqualTo("e150");
            assertThat(j.lindex("l", -1)).isEqualTo("e299");
            assertThat(j.lindex("l", 300)).isNull();
            assertThat(j.lset("l", 150, "middle")).isEqualTo("OK");
            assertThat(j.lrange("l", 149, 151)).containsExactly("e149", "middle", "e151");
            assertThat(j.lrange("l", -2, 1000)).containsExactly("e298", "e299");
            assertThat(j.lrange("l", 5, 2)).isEmpty();
            assertThat(j.ltrim("l", 100, -101)).isEqualTo("OK");
            assertThat(j.llen("l")).isEqualTo(100);
            assertThat(j.lindex("l", 0)).isEqualTo("e100");
            assertThat(j.ltrim("l", 50, 10)).isEqualTo("OK");
            assertThat(j.exists("l")).isFalse();
            assertError(() -> j.lset("l", 0, "x"), "ERR no such key");
            j.rpush("l", "a");
            assertError(() -> j.lset("l", 5, "x"), "ERR index out of range");
            j.set("s", "x");
            assertError(() -> j.lindex("s", 0), WRONGTYPE);
            assertError(() -> j.lrange("s", 0, 1), WRONGTYPE);
            assertError(() -> j.ltrim("s", 0, 1), WRONGTYPE);
            assertError(() -> j.sendCommand(() -> "lrange".getBytes(), "l", "a", "1"), "ERR value is not an integer or out of range");
        }
    }

    @Test
    void insertRemoveAndPositions() {
        try (Jedis j = node.jedis()) {
            j.rpush("l", "a", "b", "c", "b", "1");
            assertThat(j.linsert("l", ListPosition.BEFORE, "b", "x")).isEqualTo(6);
            assertThat(j.linsert("l", ListPosition.AFTER, "1", "2")).isEqualTo(7);
            assertThat(j.linsert("l", ListPosition.AFTER, "nope", "y")).isEqualTo(-1);
            assertThat(j.linsert("missing", ListPosition.AFTER, "a", "y")).isZero();
            assertThat(j.lrange("l", 0, -1)).containsExactly("a", "x", "b", "c", "b", "1", "2");
            assertThat(j.lpos("l", "b")).isEqualTo(2);
            assertThat(j.lpos("l", "b", LPosParams.lPosParams().rank(-1))).isEqualTo(4);
            assertThat(j.lpos("l", "b", LPosParams.lPosParams(), 0)).containsExactly(2L, 4L);
            assertThat(j.lpos("l", "b", LPosParams.lPosParams().maxlen(3), 0)).containsExactly(2L);
            assertThat(j.lpos("l", "zz")).isNull();
            assertThat(j.lrem("l", 0, "b")).isEqualTo(2);
            assertThat(j.lrem("l", -1, "1")).isEqualTo(1);
            assertThat(j.lrem("l", 1, "nope")).isZero();
            assertThat(j.lrange("l", 0, -1)).containsExactly("a", "x", "c", "2");
            assertError(() -> j.lpos("l", "a", LPosParams.lPosParams().rank(0)), ListCommands.RANK_ZERO);
            assertError(() -> j.sendCommand(() -> "linsert".getBytes(), "l", "inside", "a", "b"), "ERR syntax error");
            assertError(() -> j.sendCommand(() -> "lpos".getBytes(), "l", "a", "COUNT", "-1"), "ERR COUNT can't be negative");
            assertError(() -> j.sendCommand(() -> "lpos".getBytes(), "l", "a", "MAXLEN", "-1"), "ERR MAXLEN can't be negative");
            assertError(() -> j.sendCommand(() -> "lrem".getBytes(), "l", "x", "a"), "ERR value is not an integer or out of range");
        }
    }

    @Test
    void movesBetweenKeysOfDifferentShards() {
        String src = key(0, "src"), dst = key(3, "dst");
        try (Jedis j = node.jedis()) {
            j.rpush(src, "a", "b", "c");
            assertThat(j.lmove(src, dst, ListDirection.LEFT, ListDirection.RIGHT)).isEqualTo("a");
            assertThat(j.rpoplpush(src, dst)).isEqualTo("c");
            assertThat(j.lmove(src, dst, ListDirection.RIGHT, ListDirection.LEFT)).isEqualTo("b");
            assertThat(j.exists(src)).isFalse();
            assertThat(j.lrange(dst, 0, -1)).containsExactly("b", "c", "a");
            assertThat(j.lmove(src, dst, ListDirection.LEFT, ListDirection.LEFT)).isNull();
            assertThat(j.lmove(dst, dst, ListDirection.LEFT, ListDirection.RIGHT)).isEqualTo("b");
            assertThat(j.lrange(dst, 0, -1)).containsExactly("c", "a", "b");
            String str = key(1, "str");
            j.set(str, "x");
            assertError(() -> j.rpoplpush(dst, str), WRONGTYPE);
            assertError(() -> j.rpoplpush(str, dst), WRONGTYPE);
            assertThat(j.llen(dst)).isEqualTo(3);
            assertError(() -> j.sendCommand(() -> "lmove".getBytes(), dst, src, "UP", "LEFT"), "ERR syntax error");
        }
    }

    @Test
    void multiPopOverKeysOfDifferentShards() {
        String a = key(0, "mp"), b = key(1, "mp"), c = key(2, "mp");
        try (Jedis j = node.jedis()) {
            j.rpush(b, "b1", "b2", "b3");
            j.rpush(c, "c1");
            KeyValue<String, List<String>> got = j.lmpop(ListDirection.LEFT, 2, a, b, c);
            assertThat(got.getKey()).isEqualTo(b);
            assertThat(got.getValue()).containsExactly("b1", "b2");
            got = j.lmpop(ListDirection.RIGHT, 5, a, b, c);
            assertThat(got.getValue()).containsExactly("b3");
            got = j.lmpop(ListDirection.RIGHT, a, b, c);
            assertThat(got.getKey()).isEqualTo(c);
            assertThat(j.lmpop(ListDirection.LEFT, a, b, c)).isNull();
            assertError(() -> j.sendCommand(() -> "lmpop".getBytes(), "0", a, "LEFT"), "ERR numkeys should be greater than 0");
            assertError(() -> j.sendCommand(() -> "lmpop".getBytes(), "1", a, "LEFT", "COUNT", "0"),
                    "ERR count should be greater than 0");
            assertError(() -> j.sendCommand(() -> "lmpop".getBytes(), "3", a, "LEFT"), "ERR syntax error");
            j.set(c, "x");
            j.rpush(a, "after");
            assertError(() -> j.lmpop(ListDirection.LEFT, b, c, a), WRONGTYPE);
        }
    }

    @Test
    void blockingCommandsAnswerAtOnceWhenElementsExist() {
        String a = key(1, "now"), b = key(2, "now");
        try (Jedis j = node.jedis()) {
            j.rpush(b, "1", "2", "3", "4");
            assertThat(j.blpop(1, a, b)).containsExactly(b, "1");
            assertThat(j.brpop(1, a, b)).containsExactly(b, "4");
            assertThat(j.blmove(b, a, ListDirection.LEFT, ListDirection.LEFT, 1)).isEqualTo("2");
            assertThat(j.brpoplpush(b, a, 1)).isEqualTo("3");
            assertThat(j.blmpop(1, ListDirection.RIGHT, 2, b, a).getValue()).containsExactly("2", "3");
            assertThat(j.blpop(0.05, a, b)).isNull();
        }
    }

    @Test
    void lettuceCommandsAndRespThree() throws Exception {
        RedisClient client = RedisClient.create(node.uri());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> cmd = conn.sync();
            String a = key(0, "lt"), b = key(3, "lt");
            assertThat(cmd.rpush(a, "x", "y", "z", "y")).isEqualTo(4);
            assertThat(cmd.lpos(a, "y", LPosArgs.Builder.rank(-1))).isEqualTo(3);
            assertThat(cmd.lpos(a, "y", 0)).containsExactly(1L, 3L);
            assertThat(cmd.lmove(a, b, LMoveArgs.Builder.leftRight())).isEqualTo("x");
            io.lettuce.core.KeyValue<String, List<String>> popped = cmd.lmpop(LMPopArgs.Builder.right().count(2), a, b);
            assertThat(popped.getKey()).isEqualTo(a);
            assertThat(popped.getValue()).containsExactly("y", "z");
            assertThat(cmd.blpop(1, a, b).getValue()).isEqualTo("y");
            assertThat(cmd.lrange(b, 0, -1)).containsExactly("x");
        } finally {
            client.shutdown();
        }
        try (RawClient r = node.raw()) {
            r.call("HELLO", "3");
            assertThat(r.call("LPOP", "missing")).isNull();
            assertThat(r.call("LPOP", "missing", "2")).isNull();
            assertThat(r.call("LMPOP", "1", "missing", "LEFT")).isNull();
            r.call("RPUSH", "l", "1", "two");
            assertThat(r.call("LRANGE", "l", "0", "-1")).isEqualTo(List.of("1", "two"));
            assertThat(r.call("LPOS", "l", "two", "COUNT", "0")).isEqualTo(List.of(1L));
            assertThat(r.call("LSET", "l", "9", "x")).isEqualTo(new Err("ERR index out of range"));
        }
    }

    @Test
    void genericKeyCommandsOnLists() {
        String a = key(0, "gen"), b = key(2, "gen");
        try (Jedis j = node.jedis()) {
            j.rpush(a, "1", "2", "3");
            assertThat(j.copy(a, b, false)).isTrue();
            j.rpush(b, "4");
            assertThat(j.lrange(a, 0, -1)).containsExactly("1", "2", "3");
            assertThat(j.lrange(b, 0, -1)).containsExactly("1", "2", "3", "4");
            assertThat(j.rename(b, key(1, "gen"))).isEqualTo("OK");
            assertThat(j.llen(key(1, "gen"))).isEqualTo(4);
            j.pexpire(a, 50);
            j.rpush(a, "still"); // pushing keeps the expiry, as in Redis
            assertThat(j.pttl(a)).isPositive();
            org.awaitility.Awaitility.await().until(() -> !j.exists(a));
            assertThat(j.llen(a)).isZero();
            j.set(key(3, "gen"), "a string");
            List<String> lists = new ArrayList<>();
            String cursor = "0";
            do {
                var page = j.scan(cursor, new redis.clients.jedis.params.ScanParams().count(1000), "list");
                lists.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals("0"));
            assertThat(lists).containsExactly(key(1, "gen"));
        }
    }

    @Test
    void watchSeesEveryChangeToAList() {
        try (Jedis j = node.jedis(); Jedis other = node.jedis()) {
            j.rpush("w", "a", "b");
            List<Runnable> changes = List.of(() -> other.rpush("w", "c"), () -> other.lpop("w"),
                    () -> other.lset("w", 0, "z"), () -> other.linsert("w", ListPosition.AFTER, "z", "y"),
                    () -> other.lrem("w", 1, "y"), () -> other.ltrim("w", 0, 0),
                    () -> other.lmove("w", "w", ListDirection.LEFT, ListDirection.RIGHT));
            for (Runnable change : changes) {
                j.watch("w");
                change.run();
                Transaction t = j.multi();
                t.llen("w");
                assertThat(t.exec()).isNull();
            }
            j.watch("w");
            other.lrange("w", 0, -1);
            other.lpos("w", "nope");
            Transaction t = j.multi();
            t.llen("w");
            assertThat(t.exec()).isNotNull();
        }
    }

    @Test
    void memoryIsAccountedAndGivenBack() {
        try (Jedis j = node.jedis()) {
            long before = usedMemory(j);
            List<String> many = new ArrayList<>();
            for (int i = 0; i < 1000; i++) many.add("element-" + i);
            for (int k = 0; k < 100; k++) j.rpush("mem" + k, many.toArray(new String[0]));
            long grown = usedMemory(j) - before;
            // 100,000 elements of ~12 bytes: their listpack entries plus node slack and key overhead.
            assertThat(grown).isBetween(100_000L * 12, 100_000L * 24);
            for (int k = 0; k < 100; k++) j.ltrim("mem" + k, 0, 0);
            assertThat(usedMemory(j) - before).isLessThan(grown / 10);
        }
    }

    /** The stored value of a list key in database 0, read from its shard. */
    private static io.moon.node.store.ListValue list(String key) {
        var shard = node.node().shard(ShardKeys.shardOf(node.node(), key));
        var entry = (io.moon.node.store.ObjectEntry) shard.keyspace().db(0).peek(key.getBytes());
        return (io.moon.node.store.ListValue) entry.value;
    }

    private static long usedMemory(Jedis j) {
        for (String line : j.info("memory").split("\r\n")) {
            if (line.startsWith("used_memory:")) return Long.parseLong(line.substring(12));
        }
        throw new AssertionError();
    }

    @Test
    void settingsOfNodeSizeAreHonouredWhenAListIsCreated() {
        try (Jedis j = node.jedis()) {
            assertThat(j.configGet("list-max-ziplist-size")).isEqualTo(Map.of("list-max-ziplist-size", "-2"));
            j.configSet("list-max-listpack-size", "2");
            for (int i = 0; i < 9; i++) j.rpush("small-nodes", "e" + i);
            j.configSet("list-max-listpack-size", "-2");
            j.rpush("small-nodes", "e9"); // the list keeps the size it was created with
            assertThat(list("small-nodes").nodeCount()).isEqualTo(5);
            for (int i = 0; i < 9; i++) j.rpush("default-nodes", "e" + i);
            assertThat(list("default-nodes").nodeCount()).isEqualTo(1);
            assertThat(j.lindex("small-nodes", 7)).isEqualTo("e7");
            assertThat(j.objectEncoding("small-nodes")).isEqualTo("quicklist");
        }
    }
}
