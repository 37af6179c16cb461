package io.moon.node.persist.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import redis.clients.jedis.Jedis;

/**
 * Fills a real redis-server with every type in every encoding Redis 7.0 writes: strings stored as
 * int, embstr and raw (compressible or not), lists of one and many nodes, compressed nodes and
 * plain nodes, intsets of every width, hashtable sets, listpack and skiplist sorted sets with
 * special scores, listpack and hashtable hashes, streams with several nodes, deleted entries,
 * changed ids and consumer groups with pending entries, keys with expiries, several databases and
 * a function library. The server must run with {@link #SERVER_ARGS}.
 */
final class RedisDataset {
    /** Middle quicklist nodes compressed; DEBUG for plain nodes. */
    static final String[] SERVER_ARGS = {"--enable-debug-command", "yes", "--list-compress-depth", "1"};

    static final String LIBRARY = "#!lua name=rdblib\nredis.register_function('rdbf', function() return 1 end)";

    /** The threshold l:plain was pushed under; its DUMP matches Redis's only with the same. */
    static final long PLAIN_THRESHOLD = 1000;

    /**
     * A key the dataset made, with the encoding Redis reports for it; {@code exact} when Moon's
     * DUMP of its decoded value must equal Redis's byte for byte: all but streams holding deleted
     * entries, which Moon's writer leaves out of its nodes.
     */
    record Key(int db, String name, String encoding, boolean exact) {}

    private RedisDataset() {}

    static List<Key> fill(Jedis j) {
        List<Key> keys = new ArrayList<>();
        Random random = new Random(7);
        j.flushAll();
        j.select(0);
        // Strings.
        str(j, keys, "s:empty", "", "embstr", true);
        str(j, keys, "s:small", "hello", "embstr", true);
        str(j, keys, "s:int8", "100", "int", true);
        str(j, keys, "s:int16", "-30000", "int", true);
        str(j, keys, "s:int32", "2000000000", "int", true);
        str(j, keys, "s:int64", "9223372036854775807", "int", true);
        str(j, keys, "s:min64", "-9223372036854775808", "int", true);
        str(j, keys, "s:leadingzero", "0123", "embstr", true);
        str(j, keys, "s:compressible", "abc".repeat(200), "raw", true);
        byte[] noise = new byte[3000];
        random.nextBytes(noise);
        j.set(RdbValues.b("s:noise"), noise);
        keys.add(new Key(0, "s:noise", "raw", true));
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        j.set(RdbValues.b("s:allbytes"), all);
        keys.add(new Key(0, "s:allbytes", "raw", true));
        // Lists.
        j.rpush("l:small", "a", "b", "c", "1", "-2", "300000", "");
        keys.add(new Key(0, "l:small", "quicklist", true));
        for (int i = 0; i < 5000; i++) j.rpush("l:big", "element-" + i);
        keys.add(new Key(0, "l:big", "quicklist", true));
        for (int i = -500; i < 500; i++) j.rpush("l:ints", Long.toString(i * 9973L));
        keys.add(new Key(0, "l:ints", "quicklist", true));
        for (int i = 0; i < 20; i++) j.rpush("l:fat", "x".repeat(3000) + i);
        keys.add(new Key(0, "l:fat", "quicklist", true));
        for (int i = 0; i < 300; i++) j.lpush("l:lpushed", "v" + i);
        keys.add(new Key(0, "l:lpushed", "quicklist", true));
        RdbValues.call(j, "DEBUG", "QUICKLIST-PACKED-THRESHOLD", Long.toString(PLAIN_THRESHOLD));
        j.rpush("l:plain", "small", "p".repeat(2000), "tiny", "q".repeat(5000), "end");
        RdbValues.call(j, "DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1g");
        keys.add(new Key(0, "l:plain", "quicklist", true));
        // Sets.
        j.sadd("st:int16", "1", "2", "3", "-5", "30000");
        keys.add(new Key(0, "st:int16", "intset", true));
        j.sadd("st:int32", "1", "-2000000000", "70000");
        keys.add(new Key(0, "st:int32", "intset", true));
        j.sadd("st:int64", "1", "9223372036854775807", "-9223372036854775808");
        keys.add(new Key(0, "st:int64", "intset", true));
        j.sadd("st:strings", "a", "b", "c", "12", "hello world");
        keys.add(new Key(0, "st:strings", "hashtable", true));
        for (int i = 0; i < 1000; i++) j.sadd("st:manyints", Integer.toString(i * 7));
        keys.add(new Key(0, "st:manyints", "hashtable", true));
        // Sorted sets.
        j.zadd("z:small", 1, "one");
        j.zadd("z:small", 2.5, "two-and-half");
        j.zadd("z:small", -3, "minus-three");
        j.zadd("z:small", Double.POSITIVE_INFINITY, "inf");
        j.zadd("z:small", Double.NEGATIVE_INFINITY, "-inf");
        j.zadd("z:small", 0.1, "tenth");
        j.zadd("z:small", 1234567890123.0, "big-integral");
        j.zadd("z:small", 1e300, "huge");
        j.zadd("z:small", 5e-324, "tiny");
        j.zadd("z:small", 2.5, "a-same-score");
        j.zadd("z:small", 42, "42");
        keys.add(new Key(0, "z:small", "listpack", true));
        for (int i = 0; i < 200; i++) j.zadd("z:big", i * 1.5 - 100, "member-" + i);
        RdbValues.call(j, "ZADD", "z:big", "-0", "minus-zero");
        keys.add(new Key(0, "z:big", "skiplist", true));
        j.zadd("z:longmember", 7, "m".repeat(100));
        j.zadd("z:longmember", 8, "short");
        keys.add(new Key(0, "z:longmember", "skiplist", true));
        // Hashes.
        j.hset("h:small", "a", "1");
        j.hset("h:small", "b", "hello");
        j.hset("h:small", "c", "-5");
        j.hset("h:small", "12", "34");
        j.hset("h:small", "empty", "");
        keys.add(new Key(0, "h:small", "listpack", true));
        for (int i = 0; i < 700; i++) j.hset("h:big", "field-" + i, "value-" + (i * 31));
        keys.add(new Key(0, "h:big", "hashtable", true));
        j.hset("h:longvalue", "f", "v".repeat(100));
        j.hset("h:longvalue", "g", "short");
        keys.add(new Key(0, "h:longvalue", "hashtable", true));
        // Streams.
        for (int i = 1; i <= 5; i++) RdbValues.call(j, "XADD", "x:simple", i + "-1", "a", "1", "b", "v" + i);
        keys.add(new Key(0, "x:simple", "stream", true));
        RdbValues.call(j, "XADD", "x:mixed", "10-0", "f1", "v1");
        RdbValues.call(j, "XADD", "x:mixed", "10-5", "f1", "v1", "f2", "123");
        RdbValues.call(j, "XADD", "x:mixed", "11-0", "other", "x");
        RdbValues.call(j, "XADD", "x:mixed", "11-1", "f1", "again");
        keys.add(new Key(0, "x:mixed", "stream", true));
        for (int i = 1; i <= 350; i++) {
            RdbValues.call(j, "XADD", "x:big", "1000-" + i, "name", "entry" + i, "payload", "z".repeat(i % 40));
        }
        keys.add(new Key(0, "x:big", "stream", true));
        for (int i = 1; i <= 10; i++) RdbValues.call(j, "XADD", "x:deleted", "5-" + i, "k", "v" + i);
        RdbValues.call(j, "XDEL", "x:deleted", "5-1", "5-5", "5-10");
        keys.add(new Key(0, "x:deleted", "stream", false));
        for (int i = 1; i <= 20; i++) RdbValues.call(j, "XADD", "x:groups", "100-" + i, "n", Integer.toString(i));
        RdbValues.call(j, "XGROUP", "CREATE", "x:groups", "g1", "0");
        RdbValues.call(j, "XGROUP", "CREATE", "x:groups", "g2", "$");
        RdbValues.call(j, "XGROUP", "CREATE", "x:groups", "g3", "100-4", "ENTRIESREAD", "4");
        RdbValues.call(j, "XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", "x:groups", ">");
        RdbValues.call(j, "XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", "x:groups", ">");
        RdbValues.call(j, "XACK", "x:groups", "g1", "100-2");
        RdbValues.call(j, "XCLAIM", "x:groups", "g1", "carol", "0", "100-7");
        RdbValues.call(j, "XGROUP", "CREATECONSUMER", "x:groups", "g1", "dave");
        RdbValues.call(j, "XREADGROUP", "GROUP", "g3", "erin", "STREAMS", "x:groups", ">");
        keys.add(new Key(0, "x:groups", "stream", true));
        RdbValues.call(j, "XGROUP", "CREATE", "x:empty", "g", "$", "MKSTREAM");
        keys.add(new Key(0, "x:empty", "stream", true));
        for (int i = 1; i <= 50; i++) RdbValues.call(j, "XADD", "x:trimmed", "*", "i", Integer.toString(i));
        RdbValues.call(j, "XTRIM", "x:trimmed", "MAXLEN", "10");
        keys.add(new Key(0, "x:trimmed", "stream", false));
        for (int i = 1; i <= 3; i++) RdbValues.call(j, "XADD", "x:setid", "7-" + i, "a", "b");
        RdbValues.call(j, "XSETID", "x:setid", "999999999999-5", "ENTRIESADDED", "100", "MAXDELETEDID", "6-0");
        keys.add(new Key(0, "x:setid", "stream", true));
        // Expiries.
        long at = System.currentTimeMillis() + 3_600_000;
        str(j, keys, "e:string", "expiring", "embstr", true);
        j.pexpireAt("e:string", at);
        j.hset("e:hash", "f", "v");
        j.pexpireAt("e:hash", at + 1);
        keys.add(new Key(0, "e:hash", "listpack", true));
        // Other databases.
        j.select(1);
        j.set("d1:string", "in db one");
        keys.add(new Key(1, "d1:string", "embstr", true));
        j.rpush("d1:list", "x", "y");
        keys.add(new Key(1, "d1:list", "quicklist", true));
        j.select(15);
        j.zadd("d15:zset", 3, "c");
        keys.add(new Key(15, "d15:zset", "listpack", true));
        j.select(0);
        j.functionLoad(LIBRARY);
        for (Key k : keys) {
            j.select(k.db());
            assertThat(j.objectEncoding(k.name())).as("encoding of %s", k.name()).isEqualTo(k.encoding());
        }
        j.select(0);
        return keys;
    }

    private static void str(Jedis j, List<Key> keys, String name, String value, String enc, boolean exact) {
        j.set(name.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        keys.add(new Key(0, name, enc, exact));
    }
}
