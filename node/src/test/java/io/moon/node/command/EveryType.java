package io.moon.node.command;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Keys of every type this node has, in each encoding of the type, for tests that move values
 * (DUMP/RESTORE, MIGRATE), and a text of what a key holds that two servers holding the same
 * value agree on.
 */
final class EveryType {
    private EveryType() {}

    /** A key's type, OBJECT ENCODING and content (sets and hashes sorted, scores as the server prints them). */
    static String describe(Jedis c, String key) {
        String type = c.type(key);
        String content = switch (type) {
            case "string" -> c.get(key);
            case "list" -> c.lrange(key, 0, -1).toString();
            case "set" -> new TreeSet<>(c.smembers(key)).toString();
            case "zset" -> c.zrangeWithScores(key, 0, -1).toString();
            case "hash" -> new TreeMap<>(c.hgetAll(key)).toString();
            case "stream" -> text(c.sendCommand(Protocol.Command.XINFO, "STREAM", key, "FULL"));
            default -> "";
        };
        return type + " " + (type.equals("none") ? "" : c.objectEncoding(key)) + " " + content;
    }

    /** A reply as text, bulk strings decoded. */
    private static String text(Object reply) {
        if (reply instanceof byte[] b) return new String(b, StandardCharsets.UTF_8);
        if (reply instanceof List<?> l) return l.stream().map(EveryType::text).toList().toString();
        return String.valueOf(reply);
    }

    /**
     * Fills keys named by {@code keyOn(shard, prefix)} over shards 0..3: strings (embstr, int),
     * hashes (listpack, hashtable), sets (intset, strings, hashtable), lists (one node, many),
     * sorted sets (listpack, skiplist), a stream with consumer groups and pending entries, and a
     * string with a TTL. Returns each key's {@link #describe}.
     */
    static Map<String, String> fill(Jedis j, BiFunction<Integer, String, String> keyOn) {
        String s = keyOn.apply(0, "str"), n = keyOn.apply(1, "int"), hs = keyOn.apply(2, "hsmall");
        String hb = keyOn.apply(3, "hbig"), si = keyOn.apply(0, "sint"), ss = keyOn.apply(1, "sstr");
        String sb = keyOn.apply(2, "sbig"), ls = keyOn.apply(3, "lsmall"), lb = keyOn.apply(0, "lbig");
        String zs = keyOn.apply(1, "zsmall"), zb = keyOn.apply(2, "zbig"), ttl = keyOn.apply(3, "ttl");
        String x = keyOn.apply(3, "stream");
        j.set(s, "hello world");
        j.set(n, "12345");
        j.hset(hs, Map.of("a", "1", "b", "two"));
        for (int i = 0; i < 300; i++) j.hset(hb, "field" + i, "value" + i);
        j.sadd(si, "1", "2", "-300000");
        j.sadd(ss, "x", "y", "z");
        for (int i = 0; i < 600; i++) j.sadd(sb, "member" + i);
        j.rpush(ls, "a", "b", "c");
        for (int i = 0; i < 2000; i++) j.rpush(lb, "element-" + i);
        j.zadd(zs, Map.of("a", 1.5, "b", -2.0, "c", Double.POSITIVE_INFINITY));
        for (int i = 0; i < 300; i++) j.zadd(zb, i * 0.25, "m" + i);
        for (int i = 1; i <= 150; i++) j.sendCommand(Protocol.Command.XADD, x, i + "-" + i, "f", "v" + i, "n", Integer.toString(i));
        j.sendCommand(Protocol.Command.XDEL, x, "3-3", "77-77");
        j.sendCommand(Protocol.Command.XGROUP, "CREATE", x, "readers", "0");
        j.sendCommand(Protocol.Command.XGROUP, "CREATE", x, "late", "$");
        j.sendCommand(Protocol.Command.XREADGROUP, "GROUP", "readers", "alice", "COUNT", "5", "STREAMS", x, ">");
        j.sendCommand(Protocol.Command.XGROUP, "CREATECONSUMER", x, "readers", "bob");
        j.set(ttl, "expiring");
        j.pexpire(ttl, 100_000);
        Map<String, String> keys = new TreeMap<>();
        for (String k : List.of(s, n, hs, hb, si, ss, sb, ls, lb, zs, zb, x, ttl)) keys.put(k, describe(j, k));
        return keys;
    }
}
