package io.moon.node.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moon.node.cluster.KeySlot;
import io.moon.node.persist.wal.WalSegment;
import io.moon.node.testing.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Real crashes: a node process written to by real clients is SIGKILLed at random moments and
 * restarted on the same directory, and every acknowledged write is checked.
 */
class CrashRecoveryIT {
    @TempDir
    Path tmp;

    private static Jedis connect(NodeProcess n) { return new Jedis("127.0.0.1", n.port(), 10_000); }

    /** Writers set unique keys and count INCRs until the node dies; returns acknowledged counts per writer. */
    private static long[] writeUntilKilled(NodeProcess node, int writers, long killAfterMs, long[] startAt) throws Exception {
        long[] acked = new long[writers];
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> ts = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            acked[w] = startAt[w];
            ts.add(new Thread(() -> {
                try (Jedis j = connect(node)) {
                    for (long n = startAt[id] + 1; !stop.get(); n++) {
                        j.set("w" + id + ":" + n, "v" + n);
                        j.incr("count:" + id);
                        acked[id] = n;
                    }
                } catch (JedisException dead) {
                    // the node was killed under us
                }
            }));
        }
        ts.forEach(Thread::start);
        Thread.sleep(killAfterMs);
        node.kill();
        stop.set(true);
        for (Thread t : ts) t.join(30_000);
        return acked;
    }

    @ParameterizedTest(name = "shards {0}")
    @ValueSource(ints = {1, 4})
    void alwaysLosesNoAcknowledgedWriteAcrossKills(int shards) throws Exception {
        Random rnd = new Random(shards);
        long[] acked = new long[4];
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", Integer.toString(shards), "appendfsync", "always")) {
            for (int round = 0; round < 3; round++) {
                assertThat(node.start()).as(node.logText()).isTrue();
                // Everything acknowledged before the last kill is there.
                try (Jedis j = connect(node)) {
                    for (int w = 0; w < acked.length; w++) {
                        for (long n = 1; n <= acked[w]; n++) assertThat(j.get("w" + w + ":" + n)).as("w%d:%d", w, n).isEqualTo("v" + n);
                        assertThat(Long.parseLong(j.get("count:" + w) == null ? "0" : j.get("count:" + w))).isGreaterThanOrEqualTo(acked[w] - 1);
                    }
                }
                acked = writeUntilKilled(node, 4, 300 + rnd.nextInt(1200), acked);
            }
            for (long a : acked) assertThat(a).isGreaterThan(10);
        }
    }

    /**
     * everysec: at most about a second of acknowledged writes may be lost, and on each shard what
     * survives is a prefix of what one client wrote there (never a hole before a later write).
     */
    @Test
    void everysecLosesAtMostAboutASecondAndKeepsAPrefixPerShard() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "4", "appendfsync", "everysec")) {
            assertThat(node.start()).isTrue();
            AtomicLong last = new AtomicLong();
            long t0 = System.currentTimeMillis();
            Thread writer = new Thread(() -> {
                try (Jedis j = connect(node)) {
                    for (long n = 1; ; n++) {
                        j.set("seq:" + n, Long.toString(n));
                        last.set(n);
                    }
                } catch (JedisException dead) {
                    // killed
                }
            });
            writer.start();
            Thread.sleep(3000);
            node.kill();
            writer.join(30_000);
            double rate = last.get() / ((System.currentTimeMillis() - t0) / 1000.0);
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                long[] lastGap = new long[4];
                long survived = 0;
                boolean[] holeSeen = new boolean[4];
                for (long n = 1; n <= last.get(); n++) {
                    int shard = shardOf("seq:" + n, 4);
                    boolean there = j.get("seq:" + n) != null;
                    if (there) {
                        survived++;
                        assertThat(holeSeen[shard]).as("seq:%d survived after a lost earlier write on shard %d", n, shard).isFalse();
                    } else {
                        holeSeen[shard] = true;
                        lastGap[shard] = n;
                    }
                }
                long lost = last.get() - survived;
                assertThat(lost).as("lost %d of %d writes at %.0f/s", lost, last.get(), rate).isLessThanOrEqualTo((long) (rate * 2.5) + 10);
            }
        }
    }

    /** Transactions over keys on several shards are all or nothing after a crash. */
    @Test
    void execAcrossShardsIsAllOrNothingAfterCrash() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "4", "appendfsync", "everysec")) {
            assertThat(node.start()).isTrue();
            AtomicLong acked = new AtomicLong();
            Thread writer = new Thread(() -> {
                try (Jedis j = connect(node)) {
                    for (long n = 1; ; n++) {
                        Transaction t = j.multi();
                        t.set("tx:" + n + ":a", "1");
                        t.set("tx:" + n + ":b", "1");
                        t.set("tx:" + n + ":c", "1");
                        t.set("tx:" + n + ":d", "1");
                        t.exec();
                        acked.set(n);
                    }
                } catch (JedisException dead) {
                    // killed
                }
            });
            writer.start();
            Thread.sleep(1500 + ThreadLocalRandom.current().nextInt(1000));
            node.kill();
            writer.join(30_000);
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                for (long n = 1; n <= acked.get() + 1; n++) {
                    long present = j.exists("tx:" + n + ":a", "tx:" + n + ":b", "tx:" + n + ":c", "tx:" + n + ":d");
                    assertThat(present).as("transaction %d", n).isIn(0L, 4L);
                }
            }
        }
    }

    /**
     * A million small keys written through pipelines, the node killed while a second pass rewrites
     * them: every key is there after the restart, with its first or its second value, and each
     * shard's second-pass survivors are a prefix of what that shard received.
     */
    @Test
    void aMillionSmallKeysSurviveAKillMidRewrite() throws Exception {
        int keys = 1_000_000;
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "4", "appendfsync", "everysec", "save", "")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                for (int from = 0; from < keys; from += 50_000) {
                    Pipeline p = j.pipelined();
                    for (int i = from; i < from + 50_000; i++) p.set("k:" + i, "a");
                    p.sync();
                }
                // everysec: wait until every shard's log is forced up to what it appended.
                await().atMost(Duration.ofSeconds(30)).until(() -> allDurable(j.info("recovery")));
            }
            AtomicLong batches = new AtomicLong();
            Thread rewriter = new Thread(() -> {
                try (Jedis j = connect(node)) {
                    Pipeline p = j.pipelined();
                    for (int i = 0; i < keys; i++) {
                        p.set("k:" + i, "b");
                        if (i % 10_000 == 9_999) {
                            p.sync();
                            batches.incrementAndGet();
                        }
                    }
                    p.sync();
                } catch (JedisException dead) {
                    // killed under us
                }
            });
            rewriter.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> batches.get() >= 3);
            Thread.sleep(ThreadLocalRandom.current().nextInt(300));
            node.kill();
            rewriter.join(30_000);
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(j.dbSize()).isEqualTo(keys);
                boolean[] firstSeen = new boolean[4];
                long rewritten = 0;
                for (int from = 0; from < keys; from += 10_000) {
                    String[] names = new String[10_000];
                    for (int i = 0; i < names.length; i++) names[i] = "k:" + (from + i);
                    List<String> values = j.mget(names);
                    for (int i = 0; i < names.length; i++) {
                        String v = values.get(i);
                        assertThat(v).as(names[i]).isIn("a", "b");
                        int shard = shardOf(names[i], 4);
                        if (v.equals("a")) firstSeen[shard] = true;
                        else {
                            assertThat(firstSeen[shard]).as("%s rewritten after an earlier key of shard %d was not", names[i], shard).isFalse();
                            rewritten++;
                        }
                    }
                }
                // everysec may lose the last second of the rewrite, never a first-pass key.
                assertThat(rewritten).as("the kill came during the rewrite").isLessThan(keys);
            }
        }
    }

    private static boolean allDurable(String recovery) {
        for (String line : recovery.split("\r\n")) {
            if (!line.startsWith("shard")) continue;
            String appended = line.replaceAll(".*appended_lsn=(\\d+).*", "$1"), durable = line.replaceAll(".*durable_lsn=(\\d+).*", "$1");
            if (!appended.equals(durable)) return false;
        }
        return true;
    }

    @Test
    void megabyteValuesSurviveAKill() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "2", "appendfsync", "always")) {
            assertThat(node.start()).isTrue();
            byte[][] values = new byte[20][];
            try (Jedis j = connect(node)) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = new byte[1 << 20];
                    if (i % 2 == 0) {
                        new Random(i).nextBytes(values[i]);
                    } else { // compressible: logged LZ4-compressed
                        byte[] line = ("line " + i + " of a text that repeats;\n").getBytes();
                        for (int k = 0; k < values[i].length; k++) values[i][k] = line[k % line.length];
                    }
                    j.set(("big:" + i).getBytes(), values[i]);
                }
            }
            node.kill();
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                for (int i = 0; i < values.length; i++) assertThat(j.get(("big:" + i).getBytes())).isEqualTo(values[i]);
            }
        }
    }

    @Test
    void tornTailsAreCutAndReported() throws Exception {
        Path data = tmp.resolve("data");
        try (NodeProcess node = new NodeProcess(data, "shards", "1", "appendfsync", "always")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                for (int i = 0; i < 200; i++) j.set("t:" + i, "v" + i);
            }
            node.kill();
            Path seg = WalSegment.list(Persistence.walDir(data, 0)).getLast();
            byte[] whole = Files.readAllBytes(seg);
            // The log keeps a zero-filled reserve after its records: cut inside the records.
            int end = whole.length;
            while (end > 0 && whole[end - 1] == 0) end--;
            Random rnd = new Random(7);
            for (int attempt = 0; attempt < 5; attempt++) {
                int cut = end - 1 - rnd.nextInt(300);
                Files.write(seg, java.util.Arrays.copyOf(whole, cut));
                assertThat(node.start()).as(node.logText()).isTrue();
                try (Jedis j = connect(node)) {
                    long keys = j.dbSize();
                    assertThat(keys).isBetween(190L, 199L);
                    for (int i = 0; i < keys; i++) assertThat(j.get("t:" + i)).isEqualTo("v" + i);
                }
                assertThat(node.logText()).containsPattern("[1-9]\\d* bytes of torn tail truncated");
                node.kill();
                // The cut file (plus the new, empty segment of that start) is what the next attempt damages.
                for (Path p : WalSegment.list(Persistence.walDir(data, 0))) if (!p.equals(seg)) Files.delete(p);
            }
        }
    }

    @Test
    void damageInTheMiddleRefusesToStartUnlessSalvageIsAsked() throws Exception {
        Path data = tmp.resolve("data");
        // A crash, not a graceful stop: a graceful stop would save a snapshot holding everything.
        try (NodeProcess node = new NodeProcess(data, "shards", "1", "appendfsync", "always", "save", "")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                for (int i = 0; i < 500; i++) j.set("m:" + i, "value-" + i);
            }
            node.kill();
        }
        Path seg = WalSegment.list(Persistence.walDir(data, 0)).getFirst();
        byte[] b = Files.readAllBytes(seg);
        int end = b.length;
        while (end > 0 && b[end - 1] == 0) end--; // past the records: the zero-filled reserve
        b[end / 2] ^= 0x10;
        Files.write(seg, b);
        try (NodeProcess node = new NodeProcess(data, "shards", "1")) {
            assertThat(node.start()).as("starts despite damage").isFalse();
            assertThat(node.logText()).contains(seg.getFileName().toString()).contains("at offset").contains("damage");
        }
        try (NodeProcess node = new NodeProcess(data, "shards", "1", "wal-salvage", "yes")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(j.dbSize()).isBetween(495L, 499L);
                assertThat(j.get("m:0")).isEqualTo("value-0");
                assertThat(j.get("m:499")).isEqualTo("value-499");
            }
        }
    }

    static int shardOf(String key, int shards) {
        return (int) ((long) KeySlot.slot(key.getBytes()) * shards / KeySlot.SLOTS);
    }
}
