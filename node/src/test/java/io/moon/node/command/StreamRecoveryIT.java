package io.moon.node.command;

import static io.moon.node.command.SortedSetRecoveryIT.WAITERS;
import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.cluster.KeySlot;
import io.moon.node.testing.NodeProcess;
import io.moon.node.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Streams survive restarts exactly, consumer groups included, as XINFO STREAM FULL shows them
 * (every entry, group, pending entry with its delivery time and count, consumer with its seen
 * time): random writes on keys spread over 1 or 4 shards, with the commands whose replay would
 * differ as sent (XADD *, "~" trimming, XREADGROUP, XCLAIM, XAUTOCLAIM, blocked reads served
 * later, scripts doing these), streams copied and renamed between shards and written by
 * multi-shard EXECs (logged by their end state), then a SIGKILL and a restart from the log; from a
 * snapshot plus the log; after a graceful stop; and a dump.rdb written by redis-server 7.0
 * imported.
 */
class StreamRecoveryIT {
    @TempDir
    Path tmp;

    private static final int KEYS = 8;

    /**
     * The log replays every write exactly. On one shard every command is logged as sent or as
     * what it did, so even the streams' node layout (XINFO's radix-tree-keys and -nodes) comes
     * back; on four, keys rebuilt from their end state are repacked into full nodes.
     */
    @ParameterizedTest(name = "shards {0}")
    @ValueSource(ints = {1, 4})
    void everyStreamWriteReplaysExactlyAfterAKill(int shards) throws Exception {
        boolean layout = shards == 1;
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", Integer.toString(shards),
                "appendfsync", "always", "stream-node-max-entries", "8")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            Map<String, List<String>> before;
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                randomWrites(j, new Random(shards), 2500);
                blockedReads(node, j);
                before = state(j, layout);
            }
            assertThat(before).hasSizeGreaterThan(KEYS / 2);
            assertThat(before.toString()).contains("seen-time").containsPattern("pel-count = [1-9]");
            node.kill();
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                assertSameState(state(j, layout), before);
            }
            assertThat(node.logText()).doesNotContain("could not be written to the log").doesNotContain("replaying");
        }
    }

    /** A snapshot repacks each stream's entries into full nodes: everything else comes back as it was. */
    @ParameterizedTest(name = "shards {0}")
    @ValueSource(ints = {1, 4})
    void snapshotsAndTheLogAfterThemKeepStreams(int shards) throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("snap"), "shards", Integer.toString(shards),
                "appendfsync", "always", "stream-node-max-entries", "8")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            Map<String, List<String>> before;
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                randomWrites(j, new Random(shards + 10), 1500);
                assertThat(j.save()).isEqualTo("OK");
                randomWrites(j, new Random(shards + 20), 1000); // after the snapshot: from the log
                before = state(j, false);
            }
            node.kill(); // snapshot + log replay
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                assertSameState(state(j, false), before);
            }
            assertThat(node.stop()).isIn(0, 143); // graceful: a final snapshot, no log to replay
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                assertSameState(state(j, false), before);
            }
            assertThat(node.logText()).doesNotContain("Snapshot failed").doesNotContain("no RDB form")
                    .doesNotContain("could not be written to the log").doesNotContain("replaying");
        }
    }

    /**
     * The end-state log form (a COPY or RENAME to another shard) rebuilds what no command sent by
     * a client could: pending entries whose stream entry was deleted or trimmed away, the greatest
     * deleted id (even none, after trimming only), consumers with nothing pending and their seen
     * times, an emptied stream and one never written.
     */
    @Test
    void endStateFormsRebuildWhatCommandsCannot() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("end"), "shards", "4", "appendfsync", "always",
                "stream-node-max-entries", "4")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            Map<String, List<String>> before;
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                String[] sources = {"deleted", "trimmed", "emptied", "never"};
                for (String k : new String[] {"deleted", "trimmed", "emptied"}) {
                    for (int i = 1; i <= 10; i++) call(j, "XADD", k, i + "-" + i, "f", "v" + i, "f", "again");
                    call(j, "XGROUP", "CREATE", k, "g", "0", "ENTRIESREAD", "0");
                    call(j, "XREADGROUP", "GROUP", "g", "reader", "COUNT", "6", "STREAMS", k, ">");
                    call(j, "XGROUP", "CREATECONSUMER", k, "g", "idle");
                    call(j, "XCLAIM", k, "g", "other", "0", "2-2", "RETRYCOUNT", "7");
                }
                call(j, "XDEL", "deleted", "2-2", "5-5", "9-9");
                call(j, "XTRIM", "trimmed", "MAXLEN", "3");
                call(j, "XTRIM", "emptied", "MAXLEN", "0");
                call(j, "XGROUP", "CREATE", "never", "g", "$", "MKSTREAM");
                call(j, "PEXPIRE", "trimmed", "100000000");
                for (String k : sources) {
                    int shard = shardOf(k);
                    for (int i = 0; ; i++) {
                        String copy = k + "-copy" + i;
                        if (shardOf(copy) != shard) {
                            call(j, "COPY", k, copy);
                            break;
                        }
                    }
                }
                before = state(j, false);
            }
            assertThat(before.get("trimmed")).contains("max-deleted-entry-id = 0-0");
            assertThat(before.get("deleted").toString()).contains("2-2, other");
            node.kill();
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                assertSameState(state(j, false), before);
            }
            assertThat(node.logText()).doesNotContain("could not be written to the log").doesNotContain("replaying");
        }
    }

    /** A dump.rdb saved by redis-server 7.0 with streams and consumer groups imports as Redis shows them. */
    @Test
    void streamsOfARedisDumpImport() throws Exception {
        Assumptions.assumeTrue(RedisServer.binary() != null, "no redis-server on the PATH");
        Path dumpDir = tmp.resolve("redis");
        Files.createDirectories(dumpDir);
        Map<String, List<String>> expected;
        try (RedisServer redis = RedisServer.startIn(dumpDir); Jedis r = redis.jedis()) {
            randomWrites(r, new Random(4), 1500);
            call(r, "XADD", "big", "1-1", "f", "v".repeat(300));
            for (int i = 2; i < 400; i++) call(r, "XADD", "big", i + "-0", "n", Integer.toString(i), "s", "x");
            call(r, "XDEL", "big", "100-0", "101-0");
            call(r, "XGROUP", "CREATE", "big", "g", "0");
            call(r, "XREADGROUP", "GROUP", "g", "c", "COUNT", "50", "STREAMS", "big", ">");
            call(r, "XGROUP", "CREATE", "empty", "g", "$", "MKSTREAM");
            call(r, "PEXPIRE", "big", "100000000");
            expected = state(r, false);
            assertThat(r.save()).isEqualTo("OK");
            Files.copy(dumpDir.resolve("dump.rdb"), tmp.resolve("dump.rdb"));
        }
        try (NodeProcess node = new NodeProcess(tmp.resolve("imported"), "shards", "4",
                "import-rdb", tmp.resolve("dump.rdb").toString())) {
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                assertSameState(state(j, false), expected);
                assertThat(call(j, "XADD", "big", "*", "after", "import")).isNotNull();
                assertThat(j.pttl("big")).isPositive();
            }
        }
    }

    // ---------------------------------------------------------------- writes

    private static String key(Random rnd) { return "s" + rnd.nextInt(KEYS); }

    private static void randomWrites(Jedis j, Random rnd, int n) {
        for (int i = 0; i < n; i++) {
            String k = key(rnd), g = "g" + rnd.nextInt(2), c = "c" + rnd.nextInt(4);
            try {
                switch (rnd.nextInt(25)) {
                    case 0, 1, 2, 3 -> call(j, "XADD", k, "*", "f", "v" + rnd.nextInt(100));
                    case 4 -> call(j, "XADD", k, "MAXLEN", "~", Integer.toString(5 + rnd.nextInt(20)), "*", "a", "1", "b", "2");
                    case 5 -> call(j, "XADD", k, "MAXLEN", "=", Integer.toString(10 + rnd.nextInt(20)), "*", "f", "x");
                    case 6 -> call(j, "XADD", k, "MINID", "~", someId(j, k, rnd), "LIMIT", "20", "*", "f", "m");
                    case 7 -> call(j, "XADD", k, System.currentTimeMillis() + "-*", "f", "partial");
                    case 8 -> call(j, "XDEL", k, someId(j, k, rnd));
                    case 9 -> call(j, "XTRIM", k, rnd.nextBoolean() ? "MAXLEN" : "MINID", "~",
                            rnd.nextBoolean() ? Integer.toString(rnd.nextInt(15)) : someId(j, k, rnd));
                    case 10 -> call(j, "XGROUP", "CREATE", k, g, rnd.nextBoolean() ? "$" : "0", "MKSTREAM");
                    case 11 -> call(j, "XGROUP", "CREATECONSUMER", k, g, c);
                    case 12 -> call(j, "XGROUP", rnd.nextInt(4) == 0 ? "DELCONSUMER" : "CREATECONSUMER", k, g, c);
                    case 13 -> call(j, "XGROUP", "SETID", k, g, rnd.nextBoolean() ? "$" : someId(j, k, rnd));
                    case 14, 15 -> {
                        if (rnd.nextInt(3) == 0) call(j, "XREADGROUP", "GROUP", g, c, "COUNT", "3", "NOACK", "STREAMS", k, ">");
                        else call(j, "XREADGROUP", "GROUP", g, c, "COUNT", "4", "STREAMS", k, key(rnd), ">", ">");
                    }
                    case 16 -> call(j, "XREADGROUP", "GROUP", g, c, "COUNT", "2", "STREAMS", k, "0");
                    case 17 -> call(j, "XACK", k, g, somePending(j, k, g, rnd));
                    case 18 -> claim(j, k, g, c, rnd);
                    case 19 -> call(j, "XAUTOCLAIM", k, g, c, Integer.toString(rnd.nextInt(3)), "0", "COUNT", "3",
                            rnd.nextBoolean() ? "JUSTID" : "COUNT", "2");
                    case 20 -> call(j, "COPY", k, key(rnd), "REPLACE");
                    case 21 -> {
                        if (rnd.nextInt(4) == 0) call(j, "RENAME", k, key(rnd));
                        else if (rnd.nextInt(3) == 0) call(j, "DEL", k);
                        else call(j, "PEXPIRE", k, Integer.toString(100_000_000 + rnd.nextInt(1000)));
                    }
                    case 22 -> {
                        // One EXEC over several shards: logged by the end state of what it wrote.
                        call(j, "MULTI");
                        call(j, "XADD", k, "*", "in", "exec");
                        call(j, "XREADGROUP", "GROUP", g, c, "STREAMS", key(rnd), ">");
                        call(j, "XADD", key(rnd), "MAXLEN", "~", "3", "*", "in", "exec");
                        call(j, "EXEC");
                    }
                    case 23 -> call(j, "EVAL", "redis.call('XADD', KEYS[1], 'MAXLEN', '~', '10', '*', 'lua', ARGV[1]) "
                            + "return redis.pcall('XREADGROUP', 'GROUP', ARGV[2], 'c0', 'COUNT', '2', 'STREAMS', KEYS[1], '>')",
                            "1", k, Integer.toString(rnd.nextInt(9)), g);
                    default -> {
                        // Back to the last entry left: XADD's floor goes down after deletions.
                        Object last = call(j, "XREVRANGE", k, "+", "-", "COUNT", "1");
                        if (last instanceof List<?> l && !l.isEmpty()) call(j, "XSETID", k, str(((List<?>) l.get(0)).get(0)));
                    }
                }
            } catch (JedisDataException expected) {
                // Missing groups, keys and ids, ids too small, wrong types: part of the mix.
                assertThat(expected.getMessage()).doesNotContain("internal error");
            }
        }
    }

    private static void claim(Jedis j, String k, String g, String c, Random rnd) {
        List<String> args = new ArrayList<>(List.of("XCLAIM", k, g, c, Integer.toString(rnd.nextInt(2))));
        args.add(somePending(j, k, g, rnd));
        if (rnd.nextBoolean()) args.add(someId(j, k, rnd));
        switch (rnd.nextInt(5)) {
            case 0 -> args.addAll(List.of("IDLE", Integer.toString(rnd.nextInt(100000))));
            case 1 -> args.addAll(List.of("TIME", Long.toString(System.currentTimeMillis() - rnd.nextInt(100000))));
            case 2 -> args.addAll(List.of("RETRYCOUNT", Integer.toString(rnd.nextInt(9)), "FORCE"));
            case 3 -> args.addAll(List.of("JUSTID", "LASTID", someId(j, k, rnd)));
            default -> { }
        }
        call(j, args.toArray(new String[0]));
    }

    /** An id of the stream (or a plausible one), to delete, trim to or claim. */
    private static String someId(Jedis j, String k, Random rnd) {
        Object r = call(j, "XRANGE", k, "-", "+", "COUNT", "12");
        if (r instanceof List<?> l && !l.isEmpty()) {
            List<?> entry = (List<?>) l.get(rnd.nextInt(l.size()));
            return str(entry.get(0));
        }
        return "1-1";
    }

    private static String somePending(Jedis j, String k, String g, Random rnd) {
        Object r = call(j, "XPENDING", k, g, "-", "+", "10");
        if (r instanceof List<?> l && !l.isEmpty()) return str(((List<?>) l.get(rnd.nextInt(l.size()))).get(0));
        return someId(j, k, rnd);
    }

    /** XREADGROUP and XREAD that blocked, served by a later XADD: logged as what serving them did. */
    private static void blockedReads(NodeProcess node, Jedis j) throws Exception {
        for (int round = 0; round < 3; round++) {
            String a = "wait" + round + "a", b = "wait" + round + "b";
            call(j, "XGROUP", "CREATE", a, "g", "$", "MKSTREAM");
            call(j, "XGROUP", "CREATE", b, "g", "$", "MKSTREAM");
            call(j, "XGROUP", "CREATE", b, "other", "$");
            try (Jedis w1 = new Jedis("127.0.0.1", node.port(), 10_000); Jedis w2 = new Jedis("127.0.0.1", node.port(), 10_000)) {
                CompletableFuture<?> p1 = CompletableFuture.supplyAsync(
                        () -> call(w1, "XREADGROUP", "GROUP", "g", "w1", "BLOCK", "10000", "STREAMS", a, b, ">", ">"), WAITERS);
                CompletableFuture<?> p2 = CompletableFuture.supplyAsync(
                        () -> call(w2, "XREADGROUP", "GROUP", "other", "w2", "NOACK", "BLOCK", "10000", "STREAMS", b, ">"), WAITERS);
                long deadline = System.currentTimeMillis() + 5000;
                while (!j.info("clients").contains("blocked_clients:2\r")) {
                    if (p1.isDone()) p1.get();
                    if (p2.isDone()) p2.get();
                    assertThat(System.currentTimeMillis()).as("both clients blocked").isLessThan(deadline);
                    Thread.sleep(10);
                }
                call(j, "XADD", b, "*", "x", "1");
                assertThat(p1.get(10, TimeUnit.SECONDS)).isNotNull();
                assertThat(p2.get(10, TimeUnit.SECONDS)).isNotNull();
            }
        }
    }

    // ---------------------------------------------------------------- reading the state

    /**
     * Every key: its type, expiry time and, for a stream, all of XINFO STREAM FULL, one line per
     * field, entry, group, pending entry and consumer so that a difference shows as a few lines.
     */
    private static Map<String, List<String>> state(Jedis j, boolean layout) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String k : j.keys("*")) {
            String type = j.type(k);
            List<String> lines = new ArrayList<>(List.of(type + " expires " + j.pexpireTime(k)));
            if (type.equals("stream")) lines(plain(call(j, "XINFO", "STREAM", k, "FULL", "COUNT", "0")), "", lines);
            if (!layout) lines.removeIf(l -> l.startsWith("radix-tree-"));
            out.put(k, lines);
        }
        return out;
    }

    /** A field-value list as one line per scalar field, nested lists below their field's path. */
    private static void lines(Object reply, String path, List<String> out) {
        List<?> l = (List<?>) reply;
        for (int i = 0; i + 1 < l.size(); i += 2) {
            String field = path + l.get(i);
            Object v = l.get(i + 1);
            if (v instanceof List<?> items && (field.endsWith("groups") || field.endsWith("consumers"))) {
                for (Object item : items) {
                    List<?> named = (List<?>) item;
                    lines(named, field + "[" + named.get(1) + "].", out);
                }
            } else if (v instanceof List<?> items && (field.endsWith("entries") || field.endsWith("pending"))) {
                for (Object item : items) out.add(field + " " + item);
            } else {
                out.add(field + " = " + v);
            }
        }
    }

    /** The same keys with the same lines; a difference names its key and only the lines that differ. */
    private static void assertSameState(Map<String, List<String>> actual, Map<String, List<String>> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        StringBuilder diff = new StringBuilder();
        for (String k : expected.keySet()) {
            List<String> missing = new ArrayList<>(expected.get(k)), extra = new ArrayList<>(actual.get(k));
            missing.removeAll(actual.get(k));
            extra.removeAll(expected.get(k));
            for (String m : missing) diff.append(k).append(" expected: ").append(m).append('\n');
            for (String e : extra) diff.append(k).append(" but was:  ").append(e).append('\n');
        }
        assertThat(diff.toString()).as("state after the restart").isEmpty();
    }

    private static Object plain(Object reply) {
        if (reply instanceof byte[] b) return new String(b, StandardCharsets.UTF_8);
        if (reply instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(plain(o));
            return out;
        }
        return reply;
    }

    /** The shard of four that owns the key (slots split evenly, as the node does). */
    private static int shardOf(String key) {
        return (int) ((long) KeySlot.slot(key.getBytes(StandardCharsets.UTF_8)) * 4 / KeySlot.SLOTS);
    }

    private static String str(Object o) { return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o); }

    private static ProtocolCommand cmd(String name) {
        byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
        return () -> raw;
    }

    private static Object call(Jedis j, String... args) {
        return j.sendCommand(cmd(args[0]), java.util.Arrays.copyOfRange(args, 1, args.length));
    }
}
