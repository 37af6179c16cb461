package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/** TIME, LASTSAVE, SLOWLOG, MONITOR, SHUTDOWN and DEBUG on a 4-shard node. */
@SuppressWarnings("unchecked")
class ServerCommandsIT extends FourShardNode {
    @BeforeEach
    void defaults() {
        try (Jedis j = node.jedis()) {
            j.configSet("slowlog-log-slower-than", "10000", "slowlog-max-len", "128");
            j.slowlogReset();
            j.flushAll();
        }
    }

    @Test
    void roleIsAPrimaryWithoutReplicas() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("ROLE")).isEqualTo(List.of("master", 0L, List.of()));
            assertThat(c.call("ROLE", "x")).hasToString("-ERR wrong number of arguments for 'role' command");
        }
    }

    @Test
    void timeIsTheServerClock() throws Exception {
        try (RawClient c = node.raw()) {
            long before = System.currentTimeMillis() / 1000;
            List<Object> t = (List<Object>) c.call("TIME");
            long after = System.currentTimeMillis() / 1000;
            assertThat(Long.parseLong((String) t.get(0))).isBetween(before, after);
            assertThat(Long.parseLong((String) t.get(1))).isBetween(0L, 999_999L);
            assertThat(c.call("TIME", "x")).hasToString("-ERR wrong number of arguments for 'time' command");
        }
    }

    @Test
    void lastsaveIsTheStartTimeUntilThereIsPersistence() {
        try (Jedis j = node.jedis()) {
            assertThat(j.lastsave()).isEqualTo(node.node().startMs() / 1000);
        }
    }

    @Test
    void slowlogRecordsEveryCommandAtThresholdZero() throws Exception {
        try (RawClient c = node.raw()) {
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
            c.call("SLOWLOG", "RESET");
            c.call("CLIENT", "SETNAME", "slowpoke");
            c.call("SET", "{a}k", "v");
            c.call("MSET", "x1", "1", "x2", "2", "x3", "3");
            List<Object> entries = (List<Object>) c.call("SLOWLOG", "GET", "2");
            assertThat(entries).hasSize(2);
            List<Object> newest = (List<Object>) entries.get(0);
            assertThat(newest).hasSize(6);
            assertThat((List<Object>) newest.get(3)).containsExactly("MSET", "x1", "1", "x2", "2", "x3", "3");
            assertThat((long) newest.get(0)).isGreaterThan((long) ((List<Object>) entries.get(1)).get(0));
            assertThat((long) newest.get(1)).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
            assertThat((long) newest.get(2)).isGreaterThanOrEqualTo(0L);
            assertThat((String) newest.get(4)).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(newest.get(5)).isEqualTo("slowpoke");
            assertThat((List<Object>) ((List<Object>) entries.get(1)).get(3)).containsExactly("SET", "{a}k", "v");
            // RESET, SETNAME, SET, MSET and the GET above.
            assertThat(c.call("SLOWLOG", "LEN")).isEqualTo(5L);
            assertThat((List<Object>) c.call("SLOWLOG", "GET", "-1")).hasSize(6);
            assertThat((List<Object>) c.call("SLOWLOG", "GET", "0")).isEmpty();
        }
    }

    @Test
    void secretsAreRedactedInSlowlogAndMonitor() throws Exception {
        try (RawClient c = node.raw(); RawClient m = node.raw()) {
            m.call("MONITOR");
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
            c.call("SLOWLOG", "RESET");
            c.call("AUTH", "hunter2");
            c.call("AUTH", "someone", "hunter2");
            c.call("HELLO", "2", "AUTH", "default", "hunter2", "SETNAME", "visible");
            c.call("CONFIG", "SET", "masterauth", "hunter2", "hz", "10");
            List<Object> entries = (List<Object>) c.call("SLOWLOG", "GET", "4");
            List<Object> args = new ArrayList<>();
            for (Object e : entries) args.add(((List<Object>) e).get(3));
            assertThat(args).containsExactly(
                    List.of("CONFIG", "SET", "masterauth", "(redacted)", "hz", "10"),
                    List.of("HELLO", "2", "AUTH", "(redacted)", "(redacted)", "SETNAME", "visible"),
                    List.of("AUTH", "(redacted)", "(redacted)"),
                    List.of("AUTH", "(redacted)"));
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 3; i++) lines.add((String) m.read()); // CONFIG and SLOWLOG are admin commands: not shown
            assertThat(lines.get(0)).endsWith("\"AUTH\" \"(redacted)\"");
            assertThat(lines.get(1)).endsWith("\"AUTH\" \"(redacted)\" \"(redacted)\"");
            assertThat(lines.get(2)).endsWith("\"HELLO\" \"2\" \"AUTH\" \"(redacted)\" \"(redacted)\" \"SETNAME\" \"visible\"");
            assertThat(String.join("\n", lines)).doesNotContain("hunter2");
            c.call("CONFIG", "SET", "masterauth", "");
        }
    }

    @Test
    void slowlogTrimsLongCommandsAndKeepsMaxLen() throws Exception {
        try (RawClient c = node.raw()) {
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
            c.call("SLOWLOG", "RESET");
            String[] del = new String[40];
            del[0] = "DEL";
            for (int i = 1; i < 40; i++) del[i] = "key" + i;
            c.call(del);
            String longArg = "A".repeat(129);
            c.call("ECHO", longArg);
            List<Object> entries = (List<Object>) c.call("SLOWLOG", "GET");
            List<Object> echo = (List<Object>) ((List<Object>) entries.get(0)).get(3);
            assertThat(echo).containsExactly("ECHO", "A".repeat(128) + "... (1 more bytes)");
            List<Object> delArgs = (List<Object>) ((List<Object>) entries.get(1)).get(3);
            assertThat(delArgs).hasSize(32);
            assertThat(delArgs.get(31)).isEqualTo("... (9 more arguments)");
            assertThat(delArgs.get(30)).isEqualTo("key30");

            c.call("CONFIG", "SET", "slowlog-max-len", "3");
            for (int i = 0; i < 10; i++) c.call("PING");
            assertThat(c.call("SLOWLOG", "LEN")).isEqualTo(3L);
        }
    }

    @Test
    void slowlogOnlyKeepsCommandsAboveTheThreshold() throws Exception {
        try (RawClient c = node.raw()) {
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "50000");
            c.call("SLOWLOG", "RESET");
            c.call("PING");
            assertThat(c.call("SLOWLOG", "LEN")).isEqualTo(0L);
            c.call("DEBUG", "SLEEP", "0.06");
            List<Object> e = (List<Object>) ((List<Object>) c.call("SLOWLOG", "GET")).get(0);
            assertThat((List<Object>) e.get(3)).containsExactly("DEBUG", "SLEEP", "0.06");
            assertThat((long) e.get(2)).isGreaterThanOrEqualTo(50_000L);

            c.call("CONFIG", "SET", "slowlog-log-slower-than", "-1");
            c.call("SLOWLOG", "RESET");
            c.call("DEBUG", "SLEEP", "0.01");
            assertThat(c.call("SLOWLOG", "LEN")).isEqualTo(0L);
        }
    }

    @Test
    void slowlogErrors() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("SLOWLOG", "GET", "-2")).hasToString("-ERR count should be greater than or equal to -1");
            assertThat(c.call("SLOWLOG", "GET", "abc")).hasToString("-ERR count should be greater than or equal to -1");
            assertThat(c.call("SLOWLOG", "GET", "1", "2"))
                    .hasToString("-ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.");
            assertThat(c.call("SLOWLOG", "LEN", "x")).hasToString("-ERR wrong number of arguments for 'slowlog|len' command");
            assertThat(c.call("SLOWLOG", "RESET", "x")).hasToString("-ERR wrong number of arguments for 'slowlog|reset' command");
            assertThat(c.call("SLOWLOG", "FOO")).hasToString("-ERR unknown subcommand 'FOO'. Try SLOWLOG HELP.");
            assertThat(c.call("SLOWLOG")).hasToString("-ERR wrong number of arguments for 'slowlog' command");
            List<Object> help = (List<Object>) c.call("SLOWLOG", "HELP");
            assertThat(help.get(0)).isEqualTo("SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
            assertThat(help).contains("RESET", "    Reset the slowlog.", "HELP", "    Prints this help.");
        }
    }

    @Test
    void monitorSeesOtherClientsCommandsButNotAdminOnes() throws Exception {
        try (RawClient m = node.raw(); Jedis j = node.jedis()) {
            assertThat(m.call("MONITOR")).isEqualTo("OK");
            j.select(2);
            j.set("mon:key", "va\"l\n");
            j.configGet("hz");
            j.get("mon:other");
            String select = (String) m.read();
            String set = (String) m.read();
            String get = (String) m.read();
            assertThat(select).matches("\\d+\\.\\d{6} \\[2 127\\.0\\.0\\.1:\\d+\\] \"SELECT\" \"2\"");
            assertThat(set).matches("\\d+\\.\\d{6} \\[2 127\\.0\\.0\\.1:\\d+\\] \"SET\" \"mon:key\" \"va\\\\\"l\\\\n\"");
            assertThat(get).endsWith("\"GET\" \"mon:other\"");
        }
    }

    @Test
    void shutdownStopsTheNodeWithoutAReply() throws Exception {
        try (TestNode n = TestNode.start("shards", "2"); RawClient c = n.raw()) {
            CountDownLatch requested = new CountDownLatch(1);
            n.node().onShutdown(requested::countDown);
            assertThat(c.call("SHUTDOWN", "ABORT")).hasToString("-ERR No shutdown in progress.");
            assertThat(c.call("SHUTDOWN", "SAVE", "NOSAVE")).hasToString("-ERR syntax error");
            assertThat(c.call("SHUTDOWN", "ABORT", "NOW")).hasToString("-ERR syntax error");
            assertThat(c.call("SHUTDOWN", "LATER")).hasToString("-ERR syntax error");
            assertThat(requested.getCount()).isEqualTo(1);
            c.command("SHUTDOWN", "NOSAVE", "NOW");
            assertThat(requested.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void debugIsRefusedUnlessEnabled() throws Exception {
        try (TestNode n = TestNode.start("shards", "1"); RawClient c = n.raw()) {
            assertThat(c.call("DEBUG", "SLEEP", "0")).hasToString("-ERR DEBUG command not allowed. If the "
                    + "enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise "
                    + "you need to set this option in the configuration file, and then restart the server.");
        }
        try (TestNode n = TestNode.start("shards", "1", "enable-debug-command", "local"); RawClient c = n.raw()) {
            assertThat(c.call("DEBUG", "SLEEP", "0")).isEqualTo("OK");
        }
    }

    @Test
    void debugSleepStallsEveryShard() throws Exception {
        try (RawClient sleeper = node.raw(); RawClient other = node.raw()) {
            long t0 = System.nanoTime();
            sleeper.command("DEBUG", "SLEEP", "0.3");
            Thread.sleep(50);
            // Keys on every shard wait for the sleep, as every Redis client does.
            other.call("MSET", "a1", "1", "b2", "2", "c3", "3", "d4", "4", "e5", "5");
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(sleeper.read()).isEqualTo("OK");
            assertThat(waitedMs).isGreaterThanOrEqualTo(250);
        }
    }

    @Test
    void debugPopulateFillsEveryShard() throws Exception {
        try (Jedis j = node.jedis()) {
            j.set("key:3", "mine");
            assertThat(j.sendCommand(() -> "DEBUG".getBytes(), "POPULATE", "200")).isEqualTo("OK".getBytes());
            assertThat(j.dbSize()).isEqualTo(200);
            assertThat(j.get("key:3")).isEqualTo("mine");
            assertThat(j.get("key:199")).isEqualTo("value:199");
            j.sendCommand(() -> "DEBUG".getBytes(), "POPULATE", "3", "padded", "10");
            assertThat(j.get("padded:1")).isEqualTo("value:1\0\0\0");
            j.sendCommand(() -> "DEBUG".getBytes(), "POPULATE", "2", "cut", "3");
            assertThat(j.get("cut:1")).isEqualTo("val");
            String shards = j.info("shards");
            long sum = 0;
            int withKeys = 0;
            for (String line : shards.split("\r\n")) {
                if (!line.startsWith("shard") || line.startsWith("shards:")) continue;
                long keys = Long.parseLong(line.replaceAll("^shard\\d+:keys=(\\d+),.*", "$1"));
                sum += keys;
                if (keys > 0) withKeys++;
            }
            assertThat(sum).isEqualTo(205);
            assertThat(withKeys).isEqualTo(4);
        }
        try (RawClient c = node.raw()) {
            assertThat(c.call("DEBUG", "POPULATE", "-1")).hasToString("-ERR value is out of range, must be positive");
            assertThat(c.call("DEBUG", "POPULATE", "x")).hasToString("-ERR value is not an integer or out of range");
            assertThat(c.call("DEBUG", "POPULATE", "1", "p", "-5")).hasToString("-ERR value is out of range, must be positive");
        }
    }

    @Test
    void debugSetActiveExpireStopsBackgroundExpiry() throws Exception {
        try (Jedis j = node.jedis()) {
            j.sendCommand(() -> "DEBUG".getBytes(), "SET-ACTIVE-EXPIRE", "0");
            try {
                for (int i = 0; i < 20; i++) j.set("vol:" + i, "v", SetParams.setParams().px(30));
                Thread.sleep(400);
                // Not looked up, not actively expired: still counted.
                assertThat(j.dbSize()).isEqualTo(20);
            } finally {
                j.sendCommand(() -> "DEBUG".getBytes(), "SET-ACTIVE-EXPIRE", "1");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> j.dbSize() == 0);
        }
    }

    @Test
    void debugProtocolRepliesEachType() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("DEBUG", "PROTOCOL", "string")).isEqualTo("Hello World");
            assertThat(c.call("DEBUG", "PROTOCOL", "integer")).isEqualTo(12345L);
            assertThat(c.call("DEBUG", "PROTOCOL", "double")).isEqualTo("3.141");
            assertThat(c.call("DEBUG", "PROTOCOL", "bignum")).isEqualTo("1234567999999999999999999999999999999");
            assertThat(c.call("DEBUG", "PROTOCOL", "null")).isNull();
            assertThat(c.call("DEBUG", "PROTOCOL", "set")).isEqualTo(List.of(0L, 1L, 2L));
            assertThat(c.call("DEBUG", "PROTOCOL", "map")).isEqualTo(List.of(0L, 0L, 1L, 1L, 2L, 0L));
            assertThat(c.call("DEBUG", "PROTOCOL", "true")).isEqualTo(1L);
            assertThat(c.call("DEBUG", "PROTOCOL", "attrib")).isEqualTo("Some real reply following the attribute");
            assertThat(c.call("DEBUG", "PROTOCOL", "push")).hasToString("-ERR RESP2 is not supported by this command");
            assertThat(c.call("DEBUG", "PROTOCOL", "verbatim")).isEqualTo("This is a verbatim\nstring");
            assertThat(c.call("DEBUG", "PROTOCOL", "nope")).hasToString("-ERR Wrong protocol type name. Please use one of the "
                    + "following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");

            c.call("HELLO", "3");
            assertThat(c.call("DEBUG", "PROTOCOL", "double")).isEqualTo(3.141);
            assertThat(c.call("DEBUG", "PROTOCOL", "bignum")).isEqualTo(new java.math.BigInteger("1234567999999999999999999999999999999"));
            assertThat(c.call("DEBUG", "PROTOCOL", "map")).isEqualTo(Map.of(0L, false, 1L, true, 2L, false));
            assertThat(c.call("DEBUG", "PROTOCOL", "false")).isEqualTo(false);
            assertThat(c.call("DEBUG", "PROTOCOL", "verbatim")).isEqualTo("txt:This is a verbatim\nstring");
            assertThat(c.call("DEBUG", "PROTOCOL", "push")).isEqualTo(List.of("server-cpu-usage", 42L));
            assertThat(c.read()).isEqualTo("Some real reply following the push reply");
        }
    }

    @Test
    void debugMiscellany() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("DEBUG", "ERROR", "CUSTOM something\nbad")).hasToString("-CUSTOM something bad");
            assertThat(c.call("DEBUG", "LOG", "hello from a test")).isEqualTo("OK");
            assertThat(c.call("DEBUG", "NOPE")).hasToString("-ERR unknown subcommand or wrong number of arguments for 'NOPE'. Try DEBUG HELP.");
            assertThat(c.call("DEBUG", "SLEEP")).hasToString("-ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP.");
            assertThat(c.call("DEBUG")).hasToString("-ERR wrong number of arguments for 'debug' command");
            assertThat(c.call("DEBUG", "CONFIG-REWRITE-FORCE-ALL")).hasToString("-ERR The server is running without a config file");
            List<Object> help = (List<Object>) c.call("DEBUG", "HELP");
            assertThat(help.get(0)).isEqualTo("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
            List<String> entries = new ArrayList<>();
            for (Object o : help) if (!((String) o).startsWith(" ")) entries.add(((String) o).split(" ")[0]);
            assertThat(entries).contains("SLEEP", "SET-ACTIVE-EXPIRE", "POPULATE", "PROTOCOL", "HELP");
        }
    }
}
