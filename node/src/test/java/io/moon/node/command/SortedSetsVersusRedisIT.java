package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.RedisServer;
import io.moon.node.testing.TestNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sorted-set family side by side with a real redis-server: thousands of random commands
 * (valid and not) go to both, and the reply bytes must be equal, in RESP2 and RESP3, for every
 * encoding threshold. Scores are multiples of 1/4 and infinities, so sums are exact whatever
 * order sources are added in; lex commands run on keys whose scores are all 0, where Redis
 * defines them; commands whose answer is random (ZRANDMEMBER) or hash-ordered (ZSCAN of a large
 * set) are left to {@link SortedSetCommandsIT}.
 */
class SortedSetsVersusRedisIT {
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

    /** A connection that returns each reply as its exact bytes. */
    static final class Wire implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Wire(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        String call(List<String> args) throws IOException {
            out.write(RawClient.encode(args.toArray(new String[0])).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            read(reply);
            return reply.toString(StandardCharsets.ISO_8859_1);
        }

        private void read(ByteArrayOutputStream reply) throws IOException {
            String line = line();
            reply.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            char type = line.charAt(0);
            if (type == '$' || type == '=' || type == '!') {
                int n = Integer.parseInt(line.substring(1));
                if (n >= 0) reply.writeBytes(in.readNBytes(n + 2));
            } else if (type == '*' || type == '~' || type == '>' || type == '%') {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < (type == '%' ? 2 * n : n); i++) read(reply);
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) throw new IOException("closed");
                b.write(c);
            }
            in.read();
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException { socket.close(); }
    }

    @ParameterizedTest(name = "zset-max-listpack-entries {0}")
    @ValueSource(ints = {0, 3, 128})
    void randomCommandsAnswerAsRedisDoes(int maxEntries) throws Exception {
        try (Wire moon = new Wire(node.port()); Wire ref = new Wire(redis.port())) {
            List<String> setup = new ArrayList<>();
            for (String[] cmd : new String[][] {{"FLUSHALL"}, {"CONFIG", "SET", "zset-max-listpack-entries", "" + maxEntries},
                {"CONFIG", "SET", "zset-max-listpack-value", "8"}, {"SET", "str", "x"}}) {
                moon.call(List.of(cmd));
                ref.call(List.of(cmd));
            }
            Random rnd = new Random(maxEntries);
            List<String> diffs = new ArrayList<>();
            int withData = 0;
            for (int i = 0; i < 6000 && diffs.size() < 10; i++) {
                if (i == 3000) {
                    moon.call(List.of("HELLO", "3"));
                    ref.call(List.of("HELLO", "3"));
                }
                List<String> cmd = randomCommand(rnd);
                String mine, theirs;
                try {
                    mine = moon.call(cmd);
                    theirs = ref.call(cmd);
                } catch (java.io.IOException e) {
                    throw new AssertionError("no reply to " + String.join(" ", cmd) + " (command " + i + ")", e);
                }
                // Replies with members in them: the comparison is not only of errors and empties.
                if (mine.length() > 8 && !mine.startsWith("-")) withData++;
                if (!mine.equals(theirs)) diffs.add(String.join(" ", cmd) + "\n  moon:  " + mine.replace("\r\n", " ") + "\n  redis: " + theirs.replace("\r\n", " "));
            }
            assertThat(diffs).as("commands answered differently").isEmpty();
            assertThat(withData).isGreaterThan(800);
        } finally {
            try (RawClient c = node.raw()) {
                c.call("CONFIG", "SET", "zset-max-listpack-entries", "128");
                c.call("CONFIG", "SET", "zset-max-listpack-value", "64");
            }
        }
    }

    private static final String[] MEMBERS = {"a", "b", "c", "d", "e", "f", "g", "hh", "long-member-x", "1", "-2", ""};

    private static String pick(Random r, String... options) { return options[r.nextInt(options.length)]; }

    /** A key to read: sorted sets, the string "str", or the missing "{z}none". */
    private static String key(Random r) { return pick(r, "{z}1", "{z}2", "{z}3", "{z}4", "{z}5", "str", "{z}none"); }

    /** A key to change in place (never the missing one, which must stay missing). */
    private static String writeKey(Random r) { return pick(r, "{z}1", "{z}2", "{z}3", "{z}4", "{z}5", "str"); }

    /** A destination that a STORE replaces (never "str", which must stay a string). */
    private static String storeKey(Random r) { return pick(r, "{z}1", "{z}2", "{z}3", "{z}4", "{z}5"); }

    private static String lexKey(Random r) { return pick(r, "{l}1", "{l}2", "{l}3", "str"); }

    private static String member(Random r) { return MEMBERS[r.nextInt(MEMBERS.length)]; }

    private static String score(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> pick(r, "inf", "-inf", "+inf");
            case 1 -> pick(r, "abc", "nan", "", "1e", "0x10");
            case 2 -> Double.toString(r.nextInt(40) / 4.0 - 5);
            default -> Integer.toString(r.nextInt(11) - 5);
        };
    }

    private static String bound(Random r) {
        String s = score(r);
        return r.nextInt(3) == 0 ? "(" + s : s;
    }

    private static String lexBound(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> "-";
            case 1 -> "+";
            case 2 -> member(r);
            default -> pick(r, "[", "(") + member(r);
        };
    }

    private static String index(Random r) { return Integer.toString(r.nextInt(13) - 6); }

    private static List<String> randomCommand(Random r) {
        List<String> c = new ArrayList<>();
        switch (r.nextInt(30)) {
            case 0, 1, 2, 3 -> {
                c.add("ZADD");
                c.add(writeKey(r));
                if (r.nextInt(3) == 0) c.add(pick(r, "NX", "XX", "GT", "LT", "CH", "INCR"));
                if (r.nextInt(5) == 0) c.add(pick(r, "NX", "XX", "GT", "LT", "CH"));
                for (int n = 1 + r.nextInt(3); n > 0; n--) {
                    c.add(score(r));
                    c.add(member(r));
                }
            }
            case 4 -> c.addAll(List.of("ZINCRBY", writeKey(r), score(r), member(r)));
            case 5 -> {
                c.addAll(List.of("ZADD", lexKey(r), "0", member(r)));
                if (r.nextBoolean()) c.addAll(List.of("0", member(r)));
            }
            case 6 -> {
                c.addAll(List.of("ZREM", r.nextBoolean() ? key(r) : lexKey(r), member(r)));
                if (r.nextBoolean()) c.add(member(r));
            }
            case 7 -> c.addAll(List.of(pick(r, "ZCARD"), r.nextBoolean() ? key(r) : lexKey(r)));
            case 8 -> c.addAll(List.of(pick(r, "ZSCORE", "ZRANK", "ZREVRANK"), key(r), member(r)));
            case 9 -> c.addAll(List.of("ZMSCORE", key(r), member(r), member(r)));
            case 10 -> c.addAll(List.of("ZCOUNT", key(r), bound(r), bound(r)));
            case 11 -> c.addAll(List.of("ZLEXCOUNT", lexKey(r), lexBound(r), lexBound(r)));
            case 12, 13 -> {
                c.addAll(List.of("ZRANGE", key(r)));
                int type = r.nextInt(3);
                if (type == 0) c.addAll(List.of(index(r), index(r)));
                else if (type == 1) c.addAll(List.of(bound(r), bound(r), "BYSCORE"));
                else {
                    c.set(1, lexKey(r));
                    c.addAll(List.of(lexBound(r), lexBound(r), "BYLEX"));
                }
                if (r.nextBoolean()) c.add("REV");
                if (r.nextInt(3) == 0) c.add("WITHSCORES");
                if (r.nextInt(3) == 0) c.addAll(List.of("LIMIT", index(r), index(r)));
            }
            case 14 -> c.addAll(List.of(pick(r, "ZRANGEBYSCORE", "ZREVRANGEBYSCORE"), key(r), bound(r), bound(r), "WITHSCORES"));
            case 15 -> {
                c.addAll(List.of(pick(r, "ZRANGEBYLEX", "ZREVRANGEBYLEX"), lexKey(r), lexBound(r), lexBound(r)));
                if (r.nextBoolean()) c.addAll(List.of("LIMIT", index(r), index(r)));
            }
            case 16 -> c.addAll(List.of("ZREVRANGE", key(r), index(r), index(r), "WITHSCORES"));
            case 17 -> {
                if (r.nextBoolean()) {
                    c.addAll(List.of("ZRANGESTORE", storeKey(r), key(r), bound(r), bound(r), "BYSCORE"));
                    if (r.nextBoolean()) c.addAll(List.of("LIMIT", index(r), index(r)));
                } else {
                    c.addAll(List.of("ZRANGESTORE", pick(r, "{l}1", "{l}2", "{l}3"), lexKey(r), lexBound(r), lexBound(r), "BYLEX"));
                }
            }
            case 18 -> c.addAll(List.of("ZREMRANGEBYRANK", key(r), index(r), index(r)));
            case 19 -> c.addAll(List.of("ZREMRANGEBYSCORE", key(r), bound(r), bound(r)));
            case 20 -> c.addAll(List.of("ZREMRANGEBYLEX", lexKey(r), lexBound(r), lexBound(r)));
            case 21, 22 -> {
                String op = pick(r, "ZUNION", "ZINTER", "ZDIFF", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE", "ZINTERCARD");
                c.add(op);
                if (op.endsWith("STORE")) c.add(storeKey(r));
                int n = 1 + r.nextInt(3);
                c.add(Integer.toString(n));
                for (int k = 0; k < n; k++) c.add(key(r));
                if (r.nextInt(3) == 0) {
                    c.add("WEIGHTS");
                    for (int k = 0; k < n; k++) c.add(pick(r, "1", "2", "-1", "0.5", "0", "inf"));
                }
                if (r.nextInt(3) == 0) c.addAll(List.of("AGGREGATE", pick(r, "SUM", "MIN", "MAX")));
                if (r.nextInt(3) == 0) c.add("WITHSCORES");
                if (op.equals("ZINTERCARD") && r.nextBoolean()) c.addAll(List.of("LIMIT", index(r)));
            }
            case 23 -> {
                c.addAll(List.of(pick(r, "ZPOPMIN", "ZPOPMAX"), r.nextBoolean() ? key(r) : lexKey(r)));
                if (r.nextBoolean()) c.add(index(r));
            }
            case 24 -> {
                c.addAll(List.of("ZMPOP", "2", key(r), key(r), pick(r, "MIN", "MAX")));
                if (r.nextBoolean()) c.addAll(List.of("COUNT", index(r)));
            }
            case 25 -> c.addAll(List.of(pick(r, "BZPOPMIN", "BZPOPMAX"), key(r), key(r), "0.01"));
            case 26 -> c.addAll(List.of("BZMPOP", "0.01", "1", key(r), pick(r, "MIN", "MAX"), "COUNT", "2"));
            case 27 -> c.addAll(List.of("OBJECT", "ENCODING", pick(r, "{z}1", "{z}2", "{z}3", "{l}1", "{l}2")));
            case 28 -> c.addAll(List.of("ZSCAN", pick(r, "str", "{z}none"), "0", "MATCH", pick(r, "*", "a*", "[a-c]")));
            default -> c.addAll(List.of("ZRANDMEMBER", pick(r, "{z}none", "str"), pick(r, "0", "3", "-3")));
        }
        return c;
    }
}
