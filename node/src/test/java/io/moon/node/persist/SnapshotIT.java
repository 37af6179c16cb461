package io.moon.node.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moon.node.persist.snapshot.Manifest;
import io.moon.node.persist.wal.WalSegment;
import io.moon.node.testing.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** Snapshots with real processes: taken under load, crashed during and after, loaded at start. */
class SnapshotIT {
    @TempDir
    Path tmp;

    private static Jedis connect(NodeProcess n) { return new Jedis("127.0.0.1", n.port(), 60_000); }

    /**
     * Counters are incremented by several clients while snapshots are taken; then the node is
     * killed. After restart every counter equals what its client saw acknowledged: the snapshot
     * and the log after its cut neither lose nor repeat a write.
     */
    @Test
    void snapshotsUnderLoadThenKillNeitherLoseNorRepeatWrites() throws Exception {
        int writers = 4;
        AtomicLongArray acked = new AtomicLongArray(writers);
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "4", "appendfsync", "always", "save", "")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                Pipeline p = j.pipelined();
                for (int i = 0; i < 50_000; i++) p.set("filler:" + i, "x".repeat(50));
                p.sync();
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> ts = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                ts.add(new Thread(() -> {
                    try (Jedis j = connect(node)) {
                        while (!stop.get()) {
                            // Spread over many keys (and shards): each INCR is acknowledged one by one.
                            long n = acked.get(id) + 1;
                            j.incr("ctr:" + id + ":" + (n % 97));
                            acked.set(id, n);
                        }
                    } catch (JedisException dead) {
                        // killed
                    }
                }));
            }
            ts.forEach(Thread::start);
            try (Jedis j = connect(node)) {
                for (int round = 0; round < 3; round++) {
                    Thread.sleep(300);
                    assertThat(j.save()).isEqualTo("OK");
                }
                Thread.sleep(300);
                assertThat(j.bgsave()).isEqualTo("Background saving started");
            }
            Thread.sleep(150);
            node.kill();
            stop.set(true);
            for (Thread t : ts) t.join(30_000);

            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                for (int w = 0; w < writers; w++) {
                    long sum = 0;
                    for (int k = 0; k < 97; k++) {
                        String v = j.get("ctr:" + w + ":" + k);
                        sum += v == null ? 0 : Long.parseLong(v);
                    }
                    // The INCR in flight at the kill may or may not have been durable.
                    assertThat(sum).as("writer %d", w).isBetween(acked.get(w), acked.get(w) + 1);
                }
                assertThat(j.get("filler:49999")).isEqualTo("x".repeat(50));
            }
            assertThat(node.logText()).contains("Loaded snapshot");
        }
    }

    /** A crash in the middle of a snapshot leaves the previous snapshot and the logs, which recover. */
    @Test
    void crashDuringASnapshotRecoversFromThePreviousOne() throws Exception {
        Path data = tmp.resolve("data");
        try (NodeProcess node = new NodeProcess(data, "shards", "2", "save", "")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                Pipeline p = j.pipelined();
                for (int i = 0; i < 300_000; i++) p.set("k:" + i, "value-" + i);
                p.sync();
                assertThat(j.save()).isEqualTo("OK");
                p = j.pipelined();
                for (int i = 0; i < 300_000; i++) p.set("k:" + i, "second-" + i);
                p.sync();
                Thread.sleep(1200); // everysec: on disk
                j.bgsave();
            }
            Thread.sleep(30); // the snapshot is under way
            node.kill();
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(j.dbSize()).isEqualTo(300_000);
                assertThat(j.get("k:0")).isEqualTo("second-0");
                assertThat(j.get("k:299999")).isEqualTo("second-299999");
            }
        }
    }

    /** A graceful stop saves a snapshot: the next start loads it and replays nothing. */
    @Test
    void gracefulStopRestartsWithoutReplay() throws Exception {
        Path data = tmp.resolve("data");
        try (NodeProcess node = new NodeProcess(data, "shards", "2", "save", "")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                for (int i = 0; i < 1000; i++) j.set("g:" + i, Integer.toString(i));
                j.expire("g:1", 1000);
            }
            assertThat(node.stop()).isIn(0, 143);
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(j.dbSize()).isEqualTo(1000);
                assertThat(j.ttl("g:1")).isBetween(990L, 1000L);
                assertThat(j.info("recovery")).contains("recovery_records_replayed:0");
            }
        }
    }

    @Test
    void snapshotsRemoveTheLogSegmentsTheyCover() throws Exception {
        Path data = tmp.resolve("data");
        int written = 0;
        try (NodeProcess node = new NodeProcess(data, "shards", "1", "save", "", "wal-segment-size", "1mb")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                // The writer puts whatever is buffered into one segment, so a big pipeline may
                // land in one or two: write in rounds until the log has rolled a few times.
                for (int round = 0; WalSegment.list(Persistence.walDir(data, 0)).size() <= 3; round++) {
                    assertThat(round).as("rounds written without the log rolling").isLessThan(200);
                    Pipeline p = j.pipelined();
                    for (int i = 0; i < 2_000; i++) p.set("s:" + (round * 2_000 + i), "y".repeat(100));
                    p.sync();
                    written = (round + 1) * 2_000;
                    Thread.sleep(20);
                }
                long lastBefore = j.lastsave();
                assertThat(j.save()).isEqualTo("OK");
                assertThat(j.lastsave()).isGreaterThanOrEqualTo(lastBefore);
            }
            assertThat(WalSegment.list(Persistence.walDir(data, 0))).hasSizeLessThanOrEqualTo(2);
            assertThat(Files.exists(Manifest.path(data))).isTrue();
            node.kill();
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(j.dbSize()).isEqualTo(written);
            }
        }
    }

    @Test
    void saveRulesTakeSnapshotsByThemselves() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "2", "save", "1 5")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                long before = j.lastsave();
                for (int i = 0; i < 10; i++) j.set("r:" + i, "v");
                await().atMost(Duration.ofSeconds(10)).until(() -> j.lastsave() > before || j.info("persistence").contains("rdb_saves:1"));
                assertThat(node.logText()).contains("Snapshot done");
            }
        }
    }

    @Test
    void commandsAndTheirErrors() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "2", "save", "")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                Pipeline p = j.pipelined();
                for (int i = 0; i < 200_000; i++) p.set("c:" + i, "v");
                p.sync();
                assertThat(j.bgsave()).isEqualTo("Background saving started");
                String second;
                try {
                    second = j.bgsave();
                } catch (JedisDataException e) {
                    second = e.getMessage();
                }
                assertThat(second).isIn("ERR Background save already in progress", "Background saving started");
                assertThat((String) j.sendCommand(redis.clients.jedis.Protocol.Command.BGSAVE, "SCHEDULE").toString())
                        .isNotEmpty();
                assertThat(j.bgrewriteaof()).startsWith("Background append only file rewriting");
                try {
                    j.sendCommand(redis.clients.jedis.Protocol.Command.BGSAVE, "NOW");
                    throw new AssertionError("BGSAVE NOW accepted");
                } catch (JedisDataException e) {
                    assertThat(e.getMessage()).isEqualTo("ERR syntax error");
                }
            }
        }
    }

    @Test
    void damagedSnapshotStopsStartUpNamingTheFile() throws Exception {
        Path data = tmp.resolve("data");
        try (NodeProcess node = new NodeProcess(data, "shards", "1", "save", "")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                for (int i = 0; i < 500; i++) j.set("d:" + i, "value-" + i);
                j.save();
            }
            node.kill();
            Manifest m = Manifest.read(data, 1);
            Path snap = Manifest.snapshotPath(data, 0, m.lsn()[0]);
            byte[] b = Files.readAllBytes(snap);
            b[b.length / 2] ^= 0x08;
            Files.write(snap, b);
            assertThat(node.start()).isFalse();
            assertThat(node.logText()).contains(snap.getFileName().toString()).contains("offset");
        }
    }
}
