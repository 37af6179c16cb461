package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.persist.rdb.DumpPayload;
import io.moon.node.persist.rdb.RdbString;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.RedisServer;
import io.moon.node.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bitmaps and HyperLogLogs side by side with a real redis-server 7.0: the same random command
 * streams go to both and every reply must be equal, errors included, and so must the stored
 * bytes. HyperLogLog values built by one server are copied to the other (GET/SET and DUMP
 * payloads) and must count, grow and merge the same there.
 */
class BitsAndHyperLogLogVersusRedisIT {
    static TestNode node;
    static RedisServer redis;
    RawClient moon;
    RawClient ref;
    final Random random = new Random(20260424);

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        node = TestNode.start("shards", "4");
    }

    @AfterAll
    static void stop() {
        if (node != null) node.close();
        if (redis != null) redis.close();
    }

    @BeforeEach
    void connect() throws Exception {
        moon = node.raw();
        ref = new RawClient("127.0.0.1", redis.port());
        both("FLUSHALL");
        both("CONFIG", "SET", "hll-sparse-max-bytes", "3000");
    }

    @AfterEach
    void disconnect() throws Exception {
        moon.close();
        ref.close();
    }

    /** Sends the command to both servers; the replies must be equal. Returns Moon's. */
    private Object both(String... cmd) throws Exception {
        Object mine = moon.call(cmd), theirs = ref.call(cmd);
        assertThat(mine).as("%s", String.join(" ", cmd)).isEqualTo(theirs);
        return mine;
    }

    private void sameValue(String key) throws Exception { both("GET", key); }

    // ---------------------------------------------------------------- HyperLogLog

    /** A random element: words, numbers, binary bytes, the empty string. */
    private String element() {
        return switch (random.nextInt(4)) {
            case 0 -> "user:" + random.nextInt(1_000_000);
            case 1 -> Long.toString(random.nextLong());
            case 2 -> {
                char[] c = new char[random.nextInt(20)];
                for (int i = 0; i < c.length; i++) c[i] = (char) random.nextInt(256);
                yield new String(c);
            }
            default -> random.nextInt(50) == 0 ? "" : Double.toString(random.nextDouble());
        };
    }

    private String[] pfadd(String key, int n) {
        String[] cmd = new String[n + 2];
        cmd[0] = "PFADD";
        cmd[1] = key;
        for (int i = 0; i < n; i++) cmd[i + 2] = element();
        return cmd;
    }

    @Test
    void randomPfaddStreamsGiveTheSameBytesAndCounts() throws Exception {
        for (String sparseMax : new String[] {"3000", "200", "0", "10000"}) {
            both("CONFIG", "SET", "hll-sparse-max-bytes", sparseMax);
            for (int trial = 0; trial < 6; trial++) {
                String key = "hll:" + sparseMax + ":" + trial;
                int batches = 1 + random.nextInt(60);
                for (int b = 0; b < batches; b++) {
                    int size = random.nextInt(4) == 0 ? random.nextInt(2000) : random.nextInt(20);
                    both(pfadd(key, size));
                    if (random.nextInt(3) == 0) both("PFCOUNT", key);
                    if (random.nextInt(5) == 0) sameValue(key);
                }
                both("PFCOUNT", key);
                sameValue(key);
                both("PFDEBUG", "ENCODING", key);
            }
        }
    }

    @Test
    void randomMergesAndUnionCountsAreTheSame() throws Exception {
        String[] keys = {"m:a", "m:b", "m:c", "m:d", "m:e"};
        for (int step = 0; step < 300; step++) {
            String k = keys[random.nextInt(keys.length)];
            switch (random.nextInt(6)) {
                case 0, 1 -> both(pfadd(k, random.nextInt(4) == 0 ? random.nextInt(3000) : random.nextInt(10)));
                case 2 -> both("PFCOUNT", k);
                case 3 -> both(pickSome(keys, "PFCOUNT"));
                case 4 -> both(pickSome(keys, "PFMERGE"));
                default -> {
                    if (random.nextBoolean()) both("PFDEBUG", "TODENSE", k);
                    else both("DEL", k);
                }
            }
            if (step % 10 == 0) for (String key : keys) sameValue(key);
        }
    }

    private String[] pickSome(String[] keys, String command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        int n = 1 + random.nextInt(keys.length);
        for (int i = 0; i < n; i++) cmd.add(keys[random.nextInt(keys.length)]);
        return cmd.toArray(new String[0]);
    }

    /** Builds HyperLogLogs of many sizes on {@code from}; copies each to {@code to} with GET/SET. */
    private List<String> copyValues(RawClient from, RawClient to) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int n : new int[] {0, 1, 3, 50, 400, 1500, 5000, 40_000}) {
            String key = "copy:" + n;
            from.call("PFADD", key);
            for (int added = 0; added < n; added += 500) from.call(pfadd(key, Math.min(500, n - added)));
            if (n == 400) from.call("PFMERGE", key, key); // a value written by a merge
            to.call("SET", key, (String) from.call("GET", key));
            keys.add(key);
        }
        return keys;
    }

    /** After a copy: the same counts (computed afresh on both), then the same changes. */
    private void behaveTheSameAfterCopy(List<String> keys) throws Exception {
        for (String key : keys) {
            both("PFCOUNT", key);
            sameValue(key);
            both(pfadd(key, 300));
            both("PFCOUNT", key);
            sameValue(key);
        }
        List<String> count = new ArrayList<>(List.of("PFCOUNT"));
        count.addAll(keys);
        both(count.toArray(new String[0]));
        List<String> merge = new ArrayList<>(List.of("PFMERGE", "copy:merged"));
        merge.addAll(keys);
        both(merge.toArray(new String[0]));
        sameValue("copy:merged");
        both("PFCOUNT", "copy:merged");
    }

    @Test
    void valuesBuiltByRedisCountTheSameInMoon() throws Exception {
        behaveTheSameAfterCopy(copyValues(ref, moon));
    }

    @Test
    void valuesBuiltByMoonCountTheSameInRedis() throws Exception {
        behaveTheSameAfterCopy(copyValues(moon, ref));
    }

    /**
     * DUMP payloads both ways, through Moon's own payload codec (DUMP and RESTORE are not commands
     * of this node yet): Redis's payload decodes to the bytes Moon counts the same, and Moon's
     * bytes in a payload RESTORE into Redis and count the same there.
     */
    @Test
    void dumpPayloadsCarryHyperLogLogsBothWays() throws Exception {
        for (int n : new int[] {5, 3000, 20_000}) {
            String fromRedis = "dump:redis:" + n, fromMoon = "dump:moon:" + n;
            for (int added = 0; added < n; added += 500) {
                String[] add = pfadd(fromRedis, Math.min(500, n - added));
                ref.call(add);
                add[1] = fromMoon;
                moon.call(add);
            }
            byte[] payload = latin1((String) ref.call("DUMP", fromRedis));
            byte[] value = ((RdbString) DumpPayload.read(payload)).value();
            moon.call("SET", fromRedis, latin1(value));
            byte[] ours = DumpPayload.create(new RdbString(latin1((String) moon.call("GET", fromMoon))));
            assertThat(ref.call("RESTORE", fromMoon, "0", latin1(ours))).isEqualTo("OK");
            for (String key : new String[] {fromRedis, fromMoon}) {
                both("PFCOUNT", key);
                sameValue(key);
                both(pfadd(key, 100));
                sameValue(key);
            }
        }
    }

    private static byte[] latin1(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    private static String latin1(byte[] b) { return new String(b, StandardCharsets.ISO_8859_1); }

    // ---------------------------------------------------------------- bitmaps

    private String offset(int maxBits) {
        return switch (random.nextInt(10)) {
            case 0 -> Integer.toString(-random.nextInt(10) - 1);
            case 1 -> "x" + random.nextInt(9);
            default -> Integer.toString(random.nextInt(maxBits));
        };
    }

    private String index() {
        int r = random.nextInt(12);
        if (r == 0) return "nan";
        return Integer.toString(random.nextInt(2) == 0 ? random.nextInt(40) - 20 : random.nextInt(4000) - 2000);
    }

    private String type() {
        int r = random.nextInt(20);
        if (r == 0) return random.nextBoolean() ? "u64" : "i0";
        int bits = 1 + random.nextInt(random.nextBoolean() ? 8 : 64);
        return random.nextBoolean() ? "i" + bits : "u" + Math.min(bits, 63);
    }

    private String fieldValue() {
        return switch (random.nextInt(6)) {
            case 0 -> Long.toString(Long.MAX_VALUE - random.nextInt(3));
            case 1 -> Long.toString(Long.MIN_VALUE + random.nextInt(3));
            case 2 -> Long.toString(random.nextLong());
            default -> Integer.toString(random.nextInt(600) - 300);
        };
    }

    private String[] bitfield(String key, boolean readOnly) {
        List<String> cmd = new ArrayList<>(List.of(readOnly ? "BITFIELD_RO" : "BITFIELD", key));
        int ops = random.nextInt(6);
        for (int i = 0; i < ops; i++) {
            int r = random.nextInt(readOnly ? 5 : 10);
            String off = random.nextInt(4) == 0 ? "#" + random.nextInt(200) : offset(8000);
            if (r < 3) cmd.addAll(List.of("GET", type(), off));
            else if (r < 4) cmd.addAll(List.of("OVERFLOW", List.of("WRAP", "SAT", "FAIL", "wrap", "sat").get(random.nextInt(5))));
            else if (r < 5) cmd.add(random.nextBoolean() ? "SET" : "OVERFLOW");
            else if (r < 7) cmd.addAll(List.of("SET", type(), off, fieldValue()));
            else cmd.addAll(List.of("INCRBY", type(), off, fieldValue()));
        }
        return cmd.toArray(new String[0]);
    }

    private String[] unitRange(String command, String key, String... before) {
        List<String> cmd = new ArrayList<>(List.of(command, key));
        cmd.addAll(List.of(before));
        int n = random.nextInt(5);
        if (n >= 1) cmd.add(index());
        if (n >= 2) cmd.add(index());
        if (n >= 3) cmd.add(List.of("BIT", "BYTE", "bit", "bits").get(random.nextInt(4)));
        if (n >= 4) cmd.add("extra");
        return cmd.toArray(new String[0]);
    }

    @Test
    void randomBitCommandsReplyTheSame() throws Exception {
        String[] keys = {"b:a", "b:b", "b:c", "b:d"};
        for (int step = 0; step < 6000; step++) {
            String k = keys[random.nextInt(keys.length)];
            switch (random.nextInt(12)) {
                case 0, 1 -> both("SETBIT", k, offset(random.nextBoolean() ? 64 : 20_000), List.of("0", "1", "1", "2").get(random.nextInt(4)));
                case 2 -> both("GETBIT", k, offset(30_000));
                case 3 -> both(unitRange("BITCOUNT", k));
                case 4 -> both(unitRange("BITPOS", k, List.of("0", "1", "1", "0", "3").get(random.nextInt(5))));
                case 5, 6 -> both(bitfield(k, false));
                case 7 -> both(bitfield(k, true));
                case 8 -> {
                    List<String> cmd = new ArrayList<>(List.of("BITOP", List.of("AND", "OR", "XOR", "NOT", "nor").get(random.nextInt(5)), k));
                    int n = 1 + random.nextInt(3);
                    for (int i = 0; i < n; i++) cmd.add(random.nextInt(5) == 0 ? "b:missing" : keys[random.nextInt(keys.length)]);
                    both(cmd.toArray(new String[0]));
                }
                case 9 -> {
                    char[] c = new char[random.nextInt(40)];
                    for (int i = 0; i < c.length; i++) c[i] = (char) (random.nextBoolean() ? 0xff : random.nextInt(256));
                    both(random.nextBoolean() ? "SET" : "APPEND", k, new String(c));
                }
                case 10 -> both("DEL", k);
                default -> sameValue(k);
            }
        }
        for (String k : keys) sameValue(k);
    }

    @Test
    void longRunsOfOnesAndZerosCountAndSearchTheSame() throws Exception {
        for (int round = 0; round < 40; round++) {
            int len = 1 + random.nextInt(5000);
            char[] c = new char[len];
            char fill = random.nextBoolean() ? (char) 0xff : 0;
            java.util.Arrays.fill(c, fill);
            for (int i = random.nextInt(3); i > 0; i--) c[random.nextInt(len)] = (char) random.nextInt(256);
            both("SET", "run", new String(c));
            for (int q = 0; q < 20; q++) {
                both(unitRange("BITCOUNT", "run"));
                both(unitRange("BITPOS", "run", random.nextBoolean() ? "1" : "0"));
            }
        }
    }
}
