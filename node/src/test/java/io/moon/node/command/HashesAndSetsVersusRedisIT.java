package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.RedisServer;
import io.moon.node.testing.TestNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hash and set families side by side with a real redis-server 7.0: the same commands go to
 * both and the replies must be the same bytes, errors included, in RESP2 and in RESP3 (where
 * sets, maps and nulls have their own types). Replies whose order Redis leaves unspecified (a
 * hashtable's members) are compared as a type line plus the sorted multiset of lines. The node
 * has 4 shards, so multi-key commands here run across shards. Skipped without a redis-server.
 */
class HashesAndSetsVersusRedisIT {
    static TestNode node;
    static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        node = TestNode.start("shards", "4");
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.close();
        if (redis != null) redis.close();
    }

    /**
     * Runs every line on both servers, first in RESP2 then again in RESP3. A line is a command
     * (arguments split on blanks, "''" is an empty argument); a leading "~" compares the reply
     * without its order.
     */
    private static void same(String... lines) throws Exception {
        for (int protocol : new int[] {2, 3}) {
            try (RawClient moon = node.raw(); RawClient ref = redis.raw()) {
                moon.call("HELLO", Integer.toString(protocol));
                ref.call("HELLO", Integer.toString(protocol));
                moon.call("FLUSHALL");
                ref.call("FLUSHALL");
                for (String line : lines) {
                    boolean unordered = line.startsWith("~");
                    String[] cmd = Arrays.stream((unordered ? line.substring(1) : line).trim().split(" +"))
                            .map(a -> a.equals("''") ? "" : a).toArray(String[]::new);
                    String mine = moon.callRaw(cmd), theirs = ref.callRaw(cmd);
                    String what = "RESP" + protocol + ": " + String.join(" ", cmd);
                    if (unordered) assertThat(canonical(mine)).as(what).isEqualTo(canonical(theirs));
                    else assertThat(mine).as(what).isEqualTo(theirs);
                }
            }
        }
    }

    /** The first line (type and length) and the other lines sorted. */
    private static List<String> canonical(String raw) {
        List<String> lines = new ArrayList<>(Arrays.asList(raw.split("\r\n")));
        List<String> rest = new ArrayList<>(lines.subList(1, lines.size()));
        rest.sort(null);
        rest.add(0, lines.get(0));
        return rest;
    }

    private static String[] bigHash() {
        StringBuilder sb = new StringBuilder("HSET big");
        for (int i = 0; i < 200; i++) sb.append(" field").append(i).append(" value").append(i);
        return new String[] {sb.toString()};
    }

    @Test
    void settingAndReadingFields() throws Exception {
        same("HSET h a 1 b 2 c 3", "HSET h a 10 d 4", "HSET h", "HSET h a", "HSET h a 1 b", "HMSET h x 1",
                "HMSET h x", "HMSET h y 1 z", "HSETNX h a 5", "HSETNX h z 26", "HSETNX h z", "HSETNX nokey f v",
                "HGET h a", "HGET h nope", "HGET nokey a", "HGET h", "HMGET h a nope b", "HMGET nokey a b", "HMGET h",
                "HGETALL h", "HGETALL nokey", "HKEYS h", "HVALS h", "HKEYS nokey", "HVALS nokey", "HLEN h", "HLEN nokey",
                "HEXISTS h a", "HEXISTS h nope", "HEXISTS nokey a", "HSTRLEN h a", "HSTRLEN h nope", "HSTRLEN nokey a",
                "HSET h '' ''", "HGET h ''", "HSTRLEN h ''", "HGETALL h",
                "HDEL h a nope", "HDEL h", "HDEL nokey a", "HDEL h b c d x z ''", "EXISTS h", "HDEL h y", "EXISTS h",
                "OBJECT ENCODING nokey");
    }

    @Test
    void largeHashesAndTheirEncoding() throws Exception {
        List<String> lines = new ArrayList<>(List.of(bigHash()));
        lines.addAll(List.of("OBJECT ENCODING big", "HLEN big", "HGET big field7", "HMGET big field1 nope field199",
                "~HGETALL big", "~HKEYS big", "~HVALS big", "HSTRLEN big field150", "HDEL big field0 field1 nope",
                "HLEN big", "HSET small f " + "x".repeat(64), "OBJECT ENCODING small", "HSET small g " + "x".repeat(65),
                "OBJECT ENCODING small", "HSET small2 " + "k".repeat(65) + " v", "OBJECT ENCODING small2",
                "CONFIG SET hash-max-listpack-entries 2", "HSET c a 1 b 2", "OBJECT ENCODING c", "HSET c c 3",
                "OBJECT ENCODING c", "HDEL c a b", "OBJECT ENCODING c", "CONFIG SET hash-max-listpack-entries 0",
                "HSET d a 1", "OBJECT ENCODING d", "CONFIG SET hash-max-listpack-entries 512",
                "CONFIG SET hash-max-listpack-value 3", "HINCRBYFLOAT e f 1.5", "OBJECT ENCODING e",
                "HINCRBYFLOAT e f 0.25", "OBJECT ENCODING e", "HINCRBYFLOAT e abcd 1", "OBJECT ENCODING e",
                "CONFIG SET hash-max-listpack-value 64"));
        same(lines.toArray(String[]::new));
    }

    @Test
    void integerIncrements() throws Exception {
        same("HINCRBY h n 5", "HINCRBY h n -10", "HINCRBY h n x", "HINCRBY h n 1.5", "HINCRBY h n ''",
                "HINCRBY h n 9223372036854775808", "HINCRBY h n", "HSET h s ' 1'", "HSET h t 1x", "HINCRBY h t 1",
                "HSET h big 9223372036854775807", "HINCRBY h big 1", "HINCRBY h big 0", "HINCRBY h big -1",
                "HSET h neg -9223372036854775808", "HINCRBY h neg -1", "HINCRBY h neg 9223372036854775807",
                "HSET h zero 0", "HINCRBY h zero -9223372036854775808", "HSET h lead 007", "HINCRBY h lead 1",
                "HGETALL h", "HINCRBY nokey f 3", "HGETALL nokey");
    }

    @Test
    void floatIncrementsFormatAsIncrbyfloat() throws Exception {
        same("HINCRBYFLOAT h f 1.23", "HINCRBYFLOAT h f 0.77", "HINCRBYFLOAT h f -0.1", "HINCRBYFLOAT h f 1e2",
                "HINCRBYFLOAT h f 0x10", "HINCRBYFLOAT h f 5.0e3", "HINCRBYFLOAT h f 1.5e-5", "HINCRBYFLOAT h f abc",
                "HINCRBYFLOAT h f ''", "HINCRBYFLOAT h f inf", "HINCRBYFLOAT h f -inf", "HINCRBYFLOAT h f nan",
                "HINCRBYFLOAT h f ' 1'", "HINCRBYFLOAT h g 10.5", "HINCRBYFLOAT h g 0.1", "HINCRBYFLOAT h g -10.6",
                "HSET h inf inf", "HINCRBYFLOAT h inf 1", "HSET h str hello", "HINCRBYFLOAT h str 1",
                "HINCRBYFLOAT h huge 1e4932", "HINCRBYFLOAT h huge 1e4932", "HINCRBYFLOAT h i 3", "HINCRBY h i 1",
                "HINCRBYFLOAT h i 1", "HINCRBYFLOAT h i 9007199254740993", "~HGETALL h", "HINCRBYFLOAT nokey f +inf",
                "EXISTS nokey");
    }

    @Test
    void randomFieldsWhereRepliesAreDeterministic() throws Exception {
        same("HRANDFIELD nokey", "HRANDFIELD nokey 5", "HRANDFIELD nokey -5 withvalues", "HSET h a 1 b 2 c 3",
                "HRANDFIELD h 0", "HRANDFIELD h 0 withvalues", "HRANDFIELD h x", "HRANDFIELD h 1.5",
                "HRANDFIELD h 1 withvalue", "HRANDFIELD h 1 withvalues extra", "HRANDFIELD h -9223372036854775808",
                "HRANDFIELD h 9223372036854775807 withvalues", "HRANDFIELD h -4611686018427387904 withvalues",
                "HRANDFIELD h 4611686018427387904 withvalues", "HRANDFIELD h 3", "HRANDFIELD h 100 withvalues",
                "HRANDFIELD nokey x", "HRANDFIELD", "SET str x", "HRANDFIELD str", "HRANDFIELD str 2",
                "HRANDFIELD str x");
    }

    @Test
    void scanningAHash() throws Exception {
        List<String> lines = new ArrayList<>(List.of("HSET h a 1 b 2 ab 3", "HSCAN h 0", "HSCAN h 0 MATCH a*",
                "HSCAN h 0 COUNT 1", "HSCAN h 0 MATCH a* COUNT 100 MATCH b*", "HSCAN h 0 COUNT 0", "HSCAN h 0 COUNT x",
                "HSCAN h 0 COUNT -1", "HSCAN h 0 TYPE string", "HSCAN h 0 MATCH", "HSCAN h x", "HSCAN h -1",
                "HSCAN h 18446744073709551616", "HSCAN h 18446744073709551615", "HSCAN h ''", "HSCAN nokey 0",
                "HSCAN nokey 0 COUNT 0", "HSCAN nokey x", "HSCAN h", "SET str x", "HSCAN str 0"));
        lines.addAll(List.of(bigHash()));
        lines.add("~HSCAN big 0 MATCH field1?? COUNT 1000");
        same(lines.toArray(String[]::new));
    }

    @Test
    void wrongTypesAndArity() throws Exception {
        same("SET str x", "HSET str a 1", "HSETNX str a 1", "HGET str a", "HMGET str a", "HGETALL str", "HKEYS str",
                "HVALS str", "HLEN str", "HEXISTS str a", "HDEL str a", "HINCRBY str a 1", "HINCRBYFLOAT str a 1",
                "HINCRBY str a x", "HINCRBYFLOAT str a x", "HSTRLEN str a", "HSET h a 1", "SADD h x", "SREM h x",
                "SISMEMBER h x", "SMISMEMBER h x", "SMEMBERS h", "SCARD h", "SPOP h", "SPOP h 2", "SRANDMEMBER h",
                "SRANDMEMBER h 2", "SSCAN h 0", "GET h", "TYPE h", "SADD s x", "HGET s a", "TYPE s", "HLEN", "HGETALL",
                "HKEYS h x", "HEXISTS h", "HSTRLEN h", "HINCRBY h a", "HINCRBYFLOAT h", "SADD s", "SREM s",
                "SISMEMBER s", "SMISMEMBER s", "SMEMBERS s t", "SCARD", "SMOVE a b", "SINTER", "SUNION", "SDIFF",
                "SINTERSTORE d", "SUNIONSTORE d", "SDIFFSTORE d", "SINTERCARD 1", "SSCAN s", "SPOP", "SRANDMEMBER");
    }

    @Test
    void setMembers() throws Exception {
        same("SADD s 3 1 2", "SADD s 3 4", "OBJECT ENCODING s", "SMEMBERS s", "SADD s -5 70000 5000000000",
                "SMEMBERS s", "OBJECT ENCODING s", "SADD s a", "OBJECT ENCODING s", "~SMEMBERS s", "SCARD s",
                "SCARD nokey", "SISMEMBER s a", "SISMEMBER s 70000", "SISMEMBER s nope", "SISMEMBER nokey a",
                "SMISMEMBER s a nope 1", "SMISMEMBER nokey a b", "SREM s 1 nope", "SREM nokey a", "SCARD s",
                "SADD t 01 -0 +1 ' 1' 9223372036854775808", "OBJECT ENCODING t", "SADD u 1 9223372036854775807",
                "SADD u -9223372036854775808", "OBJECT ENCODING u", "SMEMBERS u", "SREM u 1 -9223372036854775808 x",
                "SREM u 9223372036854775807", "EXISTS u", "SMEMBERS nokey", "SADD e ''", "SISMEMBER e ''",
                "SMEMBERS e", "CONFIG SET set-max-intset-entries 2", "SADD v 1 2", "OBJECT ENCODING v", "SADD v 3",
                "OBJECT ENCODING v", "SREM v 1 2", "OBJECT ENCODING v", "CONFIG SET set-max-intset-entries 512");
    }

    @Test
    void poppingAndRandomMembersWhereRepliesAreDeterministic() throws Exception {
        same("SPOP nokey", "SPOP nokey 3", "SADD i 5 3 1", "SPOP i 0", "SPOP i -1", "SPOP i x", "SPOP i 1 2",
                "SPOP i 1.5", "SPOP i 100", "EXISTS i", "SADD i 5 3 1", "SPOP i 3", "EXISTS i", "SADD s a b c",
                "~SPOP s 3", "EXISTS s", "SADD one x", "SPOP one", "EXISTS one", "SADD one x", "SPOP one 1",
                "EXISTS one", "SRANDMEMBER nokey", "SRANDMEMBER nokey 5", "SRANDMEMBER nokey -5", "SADD i 5 3 1",
                "SRANDMEMBER i 0", "SRANDMEMBER i x", "SRANDMEMBER i 1 2", "SRANDMEMBER i -9223372036854775808",
                "SRANDMEMBER i 9223372036854775807", "SRANDMEMBER i 3", "SADD s a b c", "~SRANDMEMBER s 3",
                "SADD one x", "SRANDMEMBER one", "SRANDMEMBER one -3", "SRANDMEMBER one 1");
    }

    @Test
    void movingMembers() throws Exception {
        same("SMOVE nokey dst a", "SET str x", "SMOVE nokey str a", "SADD src 1 2 a", "SMOVE src str a",
                "SMOVE str src a", "SMOVE src src a", "SMOVE src src nope", "SMOVE src dst nope", "SMOVE src dst 1",
                "OBJECT ENCODING dst", "SMEMBERS dst", "SMOVE src dst a", "OBJECT ENCODING dst", "~SMEMBERS dst",
                "SMOVE src dst a", "SMOVE src dst 2", "EXISTS src", "SADD ints 1", "SMOVE dst ints a",
                "OBJECT ENCODING ints", "~SMEMBERS ints");
    }

    @Test
    void setAlgebra() throws Exception {
        same("SADD a 1 2 3 4 x", "SADD b 2 3 4 5 y x", "SADD c 3 4 6 x", "SADD i1 1 2 3", "SADD i2 2 3 4",
                "~SINTER a b c", "SINTER i1 i2", "SINTER a nokey", "SINTER nokey a", "~SINTER a", "~SINTER a a",
                "SINTERCARD 3 a b c", "SINTERCARD 3 a b c LIMIT 1", "SINTERCARD 3 a b c LIMIT 0", "SINTERCARD 2 a nokey",
                "SINTERCARD 0 a", "SINTERCARD -1 a", "SINTERCARD x a", "SINTERCARD 3 a b", "SINTERCARD 1 a LIMIT -1",
                "SINTERCARD 1 a LIMIT x", "SINTERCARD 1 a LIMIT", "SINTERCARD 1 a FOO 1", "SINTERCARD 1 a b",
                "SINTERSTORE d a b c", "OBJECT ENCODING d", "~SMEMBERS d", "SINTERSTORE d i1 i2", "OBJECT ENCODING d",
                "SMEMBERS d", "SINTERSTORE d a nokey", "EXISTS d", "SINTERSTORE d a", "~SMEMBERS d",
                "~SUNION a b c", "SUNION i1 i2", "~SUNION a nokey", "SUNION nokey nokey2", "SUNIONSTORE d i1 i2 nokey",
                "OBJECT ENCODING d", "SMEMBERS d", "SUNIONSTORE d a b", "OBJECT ENCODING d", "SUNIONSTORE d nokey",
                "EXISTS d", "~SDIFF a b", "SDIFF a b c", "SDIFF i1 i2", "~SDIFF a nokey", "SDIFF nokey a", "SDIFF a a",
                "SDIFF a b a", "SDIFFSTORE d a b c", "SMEMBERS d", "OBJECT ENCODING d", "SDIFFSTORE d i1 i2",
                "OBJECT ENCODING d", "SDIFFSTORE d a a", "EXISTS d", "SET str x", "SINTER a str", "SINTER str nokey",
                "SINTER nokey str", "SINTERSTORE d nokey str", "SUNION a str", "SDIFF str a", "SDIFF a str",
                "SDIFF nokey str", "SDIFFSTORE a str", "SMEMBERS i1", "SUNIONSTORE str a", "TYPE str",
                "SDIFFSTORE a a a", "EXISTS a", "SINTERCARD 2 str a");
    }

    @Test
    void storeDestinationLosesItsExpiry() throws Exception {
        same("SADD a 1 2", "SET d x EX 100", "SINTERSTORE d a", "TTL d", "SET d x EX 100", "SUNIONSTORE d a",
                "TTL d", "SADD s 1", "EXPIRE s 100", "SADD s 2", "TTL s", "SREM s 1", "TTL s", "HSET h a 1",
                "EXPIRE h 100", "HSET h b 2", "HDEL h a", "TTL h");
    }

    @Test
    void scanningASet() throws Exception {
        List<String> lines = new ArrayList<>(List.of("SADD i 3 1 2 10", "SSCAN i 0", "SSCAN i 0 MATCH 1*",
                "SSCAN i 5", "SSCAN i 0 COUNT 0", "SSCAN i 0 TYPE set", "SSCAN i x", "SSCAN nokey 0",
                "SADD s a b c", "~SSCAN s 0 COUNT 100"));
        StringBuilder big = new StringBuilder("SADD big");
        for (int i = 0; i < 300; i++) big.append(" m").append(i);
        lines.add(big.toString());
        lines.add("~SSCAN big 0 MATCH m2? COUNT 10000");
        same(lines.toArray(String[]::new));
    }
}
