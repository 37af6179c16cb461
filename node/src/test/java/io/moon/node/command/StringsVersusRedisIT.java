package io.moon.node.command;

import static io.moon.node.testing.SideBySide.commands;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.SideBySide;
import io.moon.node.testing.TestNode;
import java.io.File;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The string family side by side with a real redis-server: the same commands go to both and the
 * replies must be equal, errors included, in RESP2 and RESP3. Runs only where a redis-server
 * binary is on the PATH (Debian's redis-server package); skipped elsewhere.
 */
class StringsVersusRedisIT {
    static TestNode node;
    static Process redis;
    static int redisPort;

    @BeforeAll
    static void start() throws Exception {
        String binary = findOnPath("redis-server");
        assumeTrue(binary != null, "no redis-server on the PATH");
        try (ServerSocket s = new ServerSocket(0)) {
            redisPort = s.getLocalPort();
        }
        redis = new ProcessBuilder(binary, "--port", String.valueOf(redisPort), "--save", "", "--appendonly", "no",
                "--bind", "127.0.0.1").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (RawClient c = new RawClient("127.0.0.1", redisPort)) {
                if ("PONG".equals(c.call("PING"))) break;
            } catch (Exception e) {
                if (System.currentTimeMillis() > deadline) throw e;
                Thread.sleep(50);
            }
        }
        node = TestNode.start("shards", "4");
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.close();
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    /** Sends each command to both servers (emptied first) and compares the replies. */
    private static void compare(List<String[]> commands) throws Exception {
        try (RawClient moon = node.raw(); RawClient ref = new RawClient("127.0.0.1", redisPort)) {
            moon.call("FLUSHALL");
            ref.call("FLUSHALL");
            SideBySide.compare(moon, ref, commands);
        }
    }

    @Test
    void fixedCases() throws Exception {
        List<String[]> cmds = commands(
                "SET k v", "SET k v NX", "SET k v2 XX GET", "SET k v3 GET GET", "SET k v EX 10 EX 20",
                "SET k v EX 10 PX 100", "SET k v KEEPTTL KEEPTTL", "SET k v KEEPTTL EX 10", "SET k v EX 0",
                "SET k v EX -1", "SET k v EX abc", "SET k v PX 9223372036854775807", "SET k v EX 9223372036854775",
                "SET k v EXAT 9223372036854775", "SET k v NX XX", "SET k v EX", "SET k v foo", "SET k v PERSIST",
                "SET", "GET", "SETNX a 1", "SETNX a 2", "SETEX s 0 v", "SETEX s x v", "PSETEX s 0 v",
                "SETEX s 9223372036854775807 v", "GETSET gs 1", "GETSET gs 2", "GETDEL gs", "GETDEL gs",
                "GETEX nokey EX -1", "GETEX nokey foo", "SET ge val", "GETEX ge", "GETEX ge EX -1",
                "GETEX ge PX 5 EX 5", "GETEX ge PERSIST EX 5", "GETEX ge PERSIST PERSIST", "GETEX ge PXAT 1",
                "GETEX ge", "GETEX", "MSET a 1 b 2 c 3", "MGET a b c d", "MSET a 1 b", "MSETNX a 1 b",
                "MSETNX x1 1 x2 2", "MSETNX x1 1 x3 3", "MGET x1 x2 x3", "APPEND ap hello", "APPEND ap _world",
                "APPEND ap ", "STRLEN ap", "STRLEN nokey", "SET n 10", "APPEND n 5", "INCR n", "INCRBY n x",
                "DECRBY n -9223372036854775808", "SET n 9223372036854775807", "INCR n", "SET n -0", "INCR n",
                "SET n 011", "INCR n", "INCRBYFLOAT f 0.1", "INCRBYFLOAT f 0.1", "INCRBYFLOAT f +inf",
                "INCRBYFLOAT f nan", "INCRBYFLOAT f 1e5000", "INCRBYFLOAT f 0x10", "SET gr Hello_World",
                "GETRANGE gr -100 -50", "GETRANGE gr -50 -100", "GETRANGE gr 0 -100", "SUBSTR gr 2 4",
                "GETRANGE gr -9223372036854775808 9223372036854775807", "GETRANGE nokey 0 -1",
                "SETRANGE sr 5 hi", "GET sr", "SETRANGE sr -1 x", "SETRANGE sr 536870912 x",
                "SETRANGE nosr 536870912 ", "EXISTS nosr", "SET l1 ohmytext", "SET l2 mynewtext",
                "LCS l1 l2", "LCS l1 l2 LEN", "LCS l1 l2 IDX", "LCS l1 l2 IDX WITHMATCHLEN MINMATCHLEN 3",
                "LCS l1 l2 LEN IDX", "LCS l1 l2 MINMATCHLEN", "LCS l1 l2 foo", "LCS l1 nokey IDX", "LCS l1",
                "HELLO 3", "LCS l1 l2 IDX WITHMATCHLEN", "GET nokey", "MGET nokey l1", "GETEX nokey",
                "LCS l1 nokey IDX");
        compare(cmds);
    }

    @Test
    void randomNumbersRangesAndSubsequences() throws Exception {
        Random random = new Random(11);
        List<String[]> cmds = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            cmds.add(new String[] {"INCRBYFLOAT", "f" + random.nextInt(10), randomNumber(random)});
        }
        for (int i = 0; i < 200; i++) {
            String alphabet = i % 2 == 0 ? "AB" : "ACGT";
            cmds.add(new String[] {"MSET", "la{t}", randomText(random, alphabet, 40), "lb{t}", randomText(random, alphabet, 40)});
            String[] options = {"", "LEN", "IDX", "IDX WITHMATCHLEN", "IDX MINMATCHLEN " + random.nextInt(4)};
            String opt = options[random.nextInt(options.length)];
            List<String> lcs = new ArrayList<>(List.of("LCS", "la{t}", "lb{t}"));
            if (!opt.isEmpty()) lcs.addAll(List.of(opt.split(" ")));
            cmds.add(lcs.toArray(new String[0]));
        }
        for (int i = 0; i < 200; i++) {
            cmds.add(new String[] {"SET", "gr", randomText(random, "abc", 10)});
            cmds.add(new String[] {"GETRANGE", "gr", String.valueOf(random.nextInt(31) - 15), String.valueOf(random.nextInt(31) - 15)});
            cmds.add(new String[] {"SETRANGE", "gr", String.valueOf(random.nextInt(16)), randomText(random, "xyz", 4)});
            cmds.add(new String[] {"GET", "gr"});
        }
        compare(cmds);
    }

    private static String randomNumber(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> String.valueOf(r.nextInt(2_000_001) - 1_000_000);
            case 1 -> String.format(Locale.ROOT, "%." + r.nextInt(25) + "f", r.nextDouble() * 2000 - 1000);
            case 2 -> (r.nextInt(199) - 99) + "e" + (r.nextInt(61) - 30);
            case 3 -> "0." + randomText(r, "0123456789", 30) + "1";
            case 4 -> String.valueOf(r.nextLong());
            default -> String.format(Locale.ROOT, "%.3e", r.nextDouble() * 2e30 - 1e30);
        };
    }

    private static String randomText(Random r, String alphabet, int maxLen) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(maxLen + 1);
        for (int i = 0; i < n; i++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return sb.toString();
    }
}
