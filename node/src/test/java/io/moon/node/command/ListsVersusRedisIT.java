package io.moon.node.command;

import static io.moon.node.testing.SideBySide.commands;
import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.RedisServer;
import io.moon.node.testing.SideBySide;
import io.moon.node.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The list family side by side with a real redis-server 7.0: the same commands go to both and
 * every reply must be equal, errors included, in RESP2 and RESP3; and the keyspace events they
 * send must be the same, in the same order. Keys are spread over the shards of a 4-shard node
 * (those of multi-key commands too). Skipped where no redis-server is installed.
 */
class ListsVersusRedisIT {
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

    /** Sends each command to both servers (emptied, with small list nodes) and compares the replies. */
    private static void compare(List<String[]> commands) throws Exception {
        try (RawClient moon = node.raw(); RawClient ref = redis.raw()) {
            for (RawClient c : List.of(moon, ref)) {
                c.call("FLUSHALL");
                c.call("CONFIG", "SET", "list-max-listpack-size", "4");
            }
            SideBySide.compare(moon, ref, commands);
        }
    }

    private static final String[] FIXED = {
        // push and length
        "LPUSH l a b c", "RPUSH l 1 2 3", "LLEN l", "LRANGE l 0 -1", "LPUSHX nol a", "RPUSHX nol a", "EXISTS nol",
        "LPUSHX l x y", "RPUSHX l z", "LPUSH", "LPUSH l", "RPUSHX l", "SET s str", "LPUSH s a", "RPUSHX s a",
        "LLEN s", "LLEN nol", "LLEN", "LLEN l extra",
        // index and set
        "LINDEX l 0", "LINDEX l -1", "LINDEX l 100", "LINDEX l -100", "LINDEX l abc", "LINDEX nol abc",
        "LINDEX s 0", "LINDEX l 9223372036854775807", "LINDEX l -9223372036854775808",
        "LSET l 0 first", "LSET l -1 last", "LSET l 100 x", "LSET l abc x", "LSET nol 0 x", "LSET nol abc x",
        "LSET s 0 x", "LRANGE l 0 -1",
        // ranges
        "LRANGE l 1 -2", "LRANGE l -3 -1", "LRANGE l 5 2", "LRANGE l -100 100", "LRANGE l 0 -100",
        "LRANGE l a 1", "LRANGE l 0 b", "LRANGE nol 0 -1", "LRANGE nol a b", "LRANGE s 0 -1",
        "LRANGE l -9223372036854775808 9223372036854775807",
        // pops
        "LPOP l", "RPOP l", "LPOP l 2", "RPOP l 2", "LPOP l 0", "LPOP l -1", "LPOP l abc", "LPOP l 1 2",
        "LPOP nol", "LPOP nol 2", "RPOP nol 0", "LPOP s", "RPOP s 1", "LRANGE l 0 -1", "LPOP l 100", "EXISTS l",
        // insert
        "RPUSH li a b c a", "LINSERT li BEFORE a x", "LINSERT li after a y", "LINSERT li AFTER nope z",
        "LINSERT li middle a z", "LINSERT nol BEFORE a x", "LINSERT nol bad a x", "LINSERT s BEFORE a x",
        "LINSERT li BEFORE 1 2", "RPUSH li 100", "LINSERT li AFTER 100 200", "LRANGE li 0 -1",
        // remove and trim
        "RPUSH lr a b a c a 1 01 1", "LREM lr 2 a", "LREM lr -1 a", "LREM lr 0 nope", "LREM lr 0 1",
        "LRANGE lr 0 -1", "LREM lr x a", "LREM nol 1 a", "LREM nol x a", "LREM s 1 a",
        "LREM lr -9223372036854775808 01", "LREM lr 0 b", "LREM lr 0 c", "EXISTS lr",
        "RPUSH lt 1 2 3 4 5 6 7 8 9", "LTRIM lt 1 -2", "LRANGE lt 0 -1", "LTRIM lt -100 100", "LTRIM lt 2 1",
        "EXISTS lt", "LTRIM nol 0 1", "LTRIM nol a 1", "LTRIM lt a 1", "LTRIM s 0 1",
        // positions
        "RPUSH lp a b c 1 2 3 c c", "LPOS lp a", "LPOS lp c", "LPOS lp c RANK 2", "LPOS lp c RANK -1",
        "LPOS lp c RANK -3", "LPOS lp c RANK 0", "LPOS lp c COUNT 0", "LPOS lp c COUNT 2", "LPOS lp c COUNT 2 RANK 2",
        "LPOS lp c COUNT 0 RANK -1", "LPOS lp c MAXLEN 3", "LPOS lp c COUNT 0 MAXLEN 7", "LPOS lp c MAXLEN -1",
        "LPOS lp c COUNT -1", "LPOS lp c RANK abc", "LPOS lp c RANK", "LPOS lp c FOO 1", "LPOS lp 1",
        "LPOS lp nope", "LPOS lp nope COUNT 1", "LPOS nol a", "LPOS nol a COUNT 1", "LPOS s a",
        "LPOS lp c RANK 5", "LPOS lp c RANK -9223372036854775808", "LPOS lp c RANK 9223372036854775807",
        "LPOS lp c COUNT abc", "LPOS lp c MAXLEN abc",
        // move
        "RPUSH src{t} a b c", "LMOVE src{t} dst{t} LEFT RIGHT", "LMOVE src{t} dst{t} RIGHT LEFT",
        "LMOVE src{t} src{t} LEFT RIGHT", "LRANGE src{t} 0 -1", "LRANGE dst{t} 0 -1",
        "LMOVE src{t} dst{t} UP LEFT", "LMOVE src{t} dst{t} LEFT DOWN", "LMOVE nol{t} dst{t} LEFT LEFT",
        "SET str{t} x", "LMOVE src{t} str{t} LEFT LEFT", "LMOVE str{t} dst{t} LEFT LEFT", "RPOPLPUSH src{t} dst{t}",
        "RPOPLPUSH src{t} dst{t}", "RPOPLPUSH nol{t} dst{t}", "RPOPLPUSH dst{t} str{t}", "EXISTS src{t}",
        "RPUSH one{t} x", "LMOVE one{t} one{t} RIGHT LEFT", "LRANGE one{t} 0 -1",
        "RPUSH far1 a b", "LMOVE far1 far2 LEFT LEFT", "RPOPLPUSH far1 far2", "LRANGE far2 0 -1", "EXISTS far1",
        // multi-pop
        "RPUSH m1{t} a b c", "RPUSH m2{t} 1 2 3", "LMPOP 2 m1{t} m2{t} LEFT", "LMPOP 2 m1{t} m2{t} RIGHT COUNT 5",
        "LMPOP 2 m1{t} m2{t} LEFT COUNT 2", "LMPOP 2 m1{t} m2{t} LEFT", "LMPOP 2 m1{t} m2{t} LEFT",
        "LMPOP 0 m1{t} LEFT", "LMPOP a m1{t} LEFT", "LMPOP -1 m1{t} LEFT", "LMPOP 1 m1{t} bad",
        "LMPOP 1 m1{t} LEFT bar", "LMPOP 1 m1{t} RIGHT LEFT", "LMPOP 1 m1{t} COUNT", "LMPOP 1 m1{t} LEFT COUNT 1 COUNT 2",
        "LMPOP 2 m1{t} LEFT", "LMPOP 5 m1{t} LEFT", "LMPOP 1 m1{t} LEFT COUNT 0", "LMPOP 1 m1{t} LEFT COUNT -1",
        "LMPOP 1 m1{t} LEFT COUNT a", "LMPOP 99999999999999999999 m1{t} LEFT", "LMPOP 9223372036854775807 m1{t} LEFT",
        "BLMPOP 0 9223372036854775806 m1{t} LEFT", "LMPOP 1 str{t} LEFT", "LMPOP",
        "LMPOP 1", "LMPOP 1 m1{t}", "RPUSH mf1 a", "RPUSH mf2 b", "LMPOP 2 mf1 mf2 RIGHT COUNT 3",
        "LMPOP 2 mf1 mf2 RIGHT COUNT 3", "LMPOP 2 mf1 mf2 RIGHT COUNT 3",
        // non-blocking answers of the blocking commands
        "RPUSH b1 a b", "BLPOP b1 0", "BRPOP b1 0", "BLPOP b1 0.01", "BRPOP b1 0.01", "BLPOP b1 -1", "BLPOP b1 abc",
        "BLPOP b1 inf", "BLPOP b1 1e30", "BLPOP b1 9223372036854775807", "BLPOP b1 0x10 extra", "BLPOP s 0",
        "RPUSH b2 x", "BLPOP nob s b2 0", "BLPOP b2", "BLMOVE nob{t} d{t} LEFT LEFT 0.01", "BLMOVE s{t} d{t} UP LEFT 0",
        "BLMOVE s{t} d{t} LEFT LEFT -1", "RPUSH s{t} a", "BLMOVE s{t} d{t} LEFT RIGHT 0", "BRPOPLPUSH s{t} d{t} 0.01",
        "BRPOPLPUSH d{t} d{t} 0", "BRPOPLPUSH d{t} str{t} 0", "BRPOPLPUSH d{t} d{t} abc",
        "BLMPOP 0.01 1 nob LEFT", "BLMPOP 0 2 s{t} d{t} RIGHT COUNT 2", "BLMPOP abc 1 d{t} LEFT",
        "BLMPOP 0 0 d{t} LEFT", "BLMPOP 0 1 d{t} LEFT COUNT 0", "BLMPOP -1 1 d{t} LEFT", "BLMPOP 0 1 d{t}",
        // RESP3 forms of nulls and arrays
        "HELLO 3", "LPOP nol", "LPOP nol 1", "LINDEX nol 0", "LPOS nol a", "LPOS nol a COUNT 1", "LMPOP 1 nol LEFT",
        "BLPOP nol 0.01", "BLMOVE nol{t} x{t} LEFT LEFT 0.01", "BLMPOP 0.01 1 nol LEFT", "RPUSH r3 a 1",
        "LRANGE r3 0 -1", "LMPOP 1 r3 LEFT COUNT 5", "HELLO 2",
        // integers and long elements as listpack entries
        "RPUSH ints 0 -1 127 128 -4096 4095 4096 -32769 8388608 -2147483649 9223372036854775807",
        "RPUSH ints -9223372036854775808 9223372036854775808 01 -0 +1 1.0", "LRANGE ints 0 -1",
        "LPOS ints 0", "LPOS ints -0", "LPOS ints 1", "LREM ints 0 9223372036854775807", "LRANGE ints -3 -1",
        "OBJECT ENCODING ints", "TYPE ints",
    };

    @Test
    void fixedCases() throws Exception {
        compare(commands(FIXED));
    }

    /** Random operations over a few keys (some on other shards) with integers, short and long elements. */
    @Test
    void randomOperations() throws Exception {
        Random r = new Random(7);
        String[] keys = {"k1{a}", "k2{a}", "k3", "k4"};
        List<String[]> cmds = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String k = keys[r.nextInt(keys.length)], k2 = keys[r.nextInt(2)];
            String e = element(r), idx = String.valueOf(r.nextInt(21) - 10);
            String side = r.nextBoolean() ? "LEFT" : "RIGHT";
            cmds.add(switch (r.nextInt(16)) {
                case 0, 1 -> new String[] {"LPUSH", k, e, element(r)};
                case 2, 3 -> new String[] {"RPUSH", k, e};
                case 4 -> new String[] {r.nextBoolean() ? "LPOP" : "RPOP", k};
                case 5 -> new String[] {r.nextBoolean() ? "LPOP" : "RPOP", k, String.valueOf(r.nextInt(4))};
                case 6 -> new String[] {"LINDEX", k, idx};
                case 7 -> new String[] {"LSET", k, idx, e};
                case 8 -> new String[] {"LRANGE", k, idx, String.valueOf(r.nextInt(21) - 10)};
                case 9 -> new String[] {"LINSERT", k, r.nextBoolean() ? "BEFORE" : "AFTER", element(r), e};
                case 10 -> new String[] {"LREM", k, String.valueOf(r.nextInt(5) - 2), element(r)};
                case 11 -> new String[] {"LTRIM", k, String.valueOf(r.nextInt(7) - 3), String.valueOf(r.nextInt(31) - 3)};
                case 12 -> new String[] {"LPOS", k, element(r), "RANK", String.valueOf(r.nextBoolean() ? 1 : -2), "COUNT",
                    String.valueOf(r.nextInt(3))};
                case 13 -> new String[] {"LMOVE", keys[r.nextInt(2)], k2, side, r.nextBoolean() ? "LEFT" : "RIGHT"};
                case 14 -> new String[] {"LMPOP", "2", "k1{a}", "k2{a}", side, "COUNT", String.valueOf(1 + r.nextInt(3))};
                default -> new String[] {"LLEN", k};
            });
            if (i % 100 == 0) for (String key : keys) cmds.add(new String[] {"LRANGE", key, "0", "-1"});
        }
        compare(cmds);
    }

    private static String element(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> String.valueOf(r.nextInt(10));
            case 1 -> String.valueOf(r.nextLong());
            case 2 -> "e" + r.nextInt(6);
            case 3 -> "x".repeat(50 + r.nextInt(100));
            default -> String.valueOf((char) ('a' + r.nextInt(4)));
        };
    }

    /** The keyspace events of a command sequence, as a subscriber to every key event receives them. */
    private static List<Object> events(RawClient client, RawClient subscriber, List<String[]> commands) throws Exception {
        client.call("FLUSHALL");
        client.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
        subscriber.call("PSUBSCRIBE", "__keyevent@*__:*");
        for (String[] cmd : commands) client.call(cmd);
        client.call("SET", "end-marker", "x");
        List<Object> got = new ArrayList<>();
        while (true) {
            @SuppressWarnings("unchecked")
            List<Object> m = (List<Object>) subscriber.read();
            got.add(m.get(2) + " " + m.get(3));
            if ("end-marker".equals(m.get(3))) break;
        }
        client.call("CONFIG", "SET", "notify-keyspace-events", "");
        return got;
    }

    @Test
    void keyspaceEventsMatch() throws Exception {
        List<String[]> cmds = commands("RPUSH e1 a b c", "LPUSH e1 z", "LPUSHX nokey a", "RPOP e1", "LPOP e1 2",
                "LSET e1 0 q", "LINSERT e1 BEFORE q p", "LINSERT e1 BEFORE nope p", "LREM e1 1 p", "LTRIM e1 0 -1",
                "LREM e1 0 q", "RPUSH e2{t} a b", "LMOVE e2{t} e3{t} LEFT RIGHT", "RPOPLPUSH e2{t} e3{t}",
                "BLPOP e3{t} 0", "BRPOP e3{t} 0", "RPUSH e4 a b", "LTRIM e4 5 10", "RPUSH e5 a b c",
                "LMPOP 1 e5 LEFT COUNT 5", "RPUSH e6{t} x", "BLMOVE e6{t} e6{t} LEFT RIGHT 0",
                "BLMPOP 0 1 e6{t} RIGHT");
        try (RawClient moon = node.raw(); RawClient moonSub = node.raw(); RawClient ref = redis.raw();
             RawClient refSub = redis.raw()) {
            assertThat(events(moon, moonSub, cmds)).isEqualTo(events(ref, refSub, cmds));
        }
    }
}
