package io.moon.node.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moon.node.persist.format.FormatHeader;
import io.moon.node.persist.snapshot.Manifest;
import io.moon.node.testing.NodeProcess;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.FunctionRestorePolicy;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.LibraryInfo;

/**
 * Function libraries are part of the data: FUNCTION LOAD, DELETE, FLUSH and RESTORE survive a
 * real SIGKILL (replayed from shard 0's log), a restart from a snapshot (the libraries at the cut,
 * then the log after it, neither lost nor applied twice), a graceful stop, and snapshots without
 * logs; a damaged library entry stops start-up naming the file and the offset.
 */
class FunctionLibrariesRecoveryIT {
    @TempDir
    Path tmp;

    private static Jedis connect(NodeProcess n) { return new Jedis("127.0.0.1", n.port(), 60_000); }

    /** A library {@code name} with one function {@code fn} that adds {@code step} to its key. */
    private static String library(String name, String fn, int step) {
        return "#!lua name=" + name + "\nredis.register_function('" + fn
                + "', function(keys, args) return redis.call('incrby', keys[1], " + step + ") end)";
    }

    /** The libraries as FUNCTION LIST WITHCODE shows them: name to code. */
    private static Map<String, String> libraries(Jedis j) {
        Map<String, String> out = new LinkedHashMap<>();
        for (LibraryInfo lib : j.functionListWithCode()) out.put(lib.getLibraryName(), lib.getLibraryCode());
        return out;
    }

    /** One key on each shard of a 4-shard node. */
    private static String[] keysOnEveryShard(String prefix) {
        String[] keys = new String[4];
        for (int s = 0; s < 4; s++) {
            for (int i = 0; keys[s] == null; i++) if (CrashRecoveryIT.shardOf(prefix + i, 4) == s) keys[s] = prefix + i;
        }
        return keys;
    }

    private static void assertNoReplayFailure(NodeProcess node) throws Exception {
        assertThat(node.logText()).doesNotContain("failed to replay").doesNotContain("replaying").doesNotContain("ERROR");
    }

    /**
     * Every kind of change, sent from several connections (so from several shards' loops), comes
     * back after a SIGKILL exactly as it was, and the functions run.
     */
    @Test
    void everyFunctionCommandSurvivesAKill() throws Exception {
        String[] keys = keysOnEveryShard("fk:");
        String txKey = keysOnEveryShard("tx:")[2];
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "4", "appendfsync", "always", "save", "")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            Map<String, String> before;
            byte[] dumpOfLib4;
            List<Jedis> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) clients.add(connect(node));
                clients.get(0).functionLoad(library("lib1", "f1", 1));
                clients.get(1).functionLoad(library("lib2", "f2", 2));
                clients.get(2).functionLoadReplace(library("lib1", "f1", 100));
                clients.get(3).functionDelete("lib2");
                clients.get(2).functionDelete("lib1");
                clients.get(0).functionLoad(library("lib4", "f4", 4));
                dumpOfLib4 = clients.get(1).functionDump();
                clients.get(2).functionDelete("lib4");
                clients.get(3).functionLoad(library("lib1", "f1", 10));
                // RESTORE (APPEND) brings lib4 back beside the new lib1.
                clients.get(1).functionRestore(dumpOfLib4);
                clients.get(0).functionLoad(library("lib3", "f3", 3));
                // In a transaction with a write on another shard: one unit in the logs.
                Transaction tx = clients.get(1).multi();
                tx.functionLoad(library("lib5", "f5", 5));
                tx.set(txKey, "100");
                assertThat(tx.exec()).containsExactly("lib5", "OK");
                for (String k : keys) assertThat(clients.get(1).fcall("f1", List.of(k), List.of())).isEqualTo(10L);
                before = libraries(clients.get(0));
                assertThat(before).containsOnlyKeys("lib1", "lib3", "lib4", "lib5");
            } finally {
                for (Jedis j : clients) j.close();
            }
            node.kill();

            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(libraries(j)).isEqualTo(before);
                for (String k : keys) assertThat(j.fcall("f1", List.of(k), List.of())).isEqualTo(20L);
                assertThat(j.fcall("f4", List.of(keys[2]), List.of())).isEqualTo(24L);
                assertThat(j.fcall("f3", List.of(keys[3]), List.of())).isEqualTo(23L);
                assertThat(j.fcall("f5", List.of(txKey), List.of())).isEqualTo(105L);
                j.functionFlush();
            }
            assertNoReplayFailure(node);
            node.kill();

            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(libraries(j)).isEmpty();
                j.functionRestore(dumpOfLib4, FunctionRestorePolicy.FLUSH);
            }
            node.kill();

            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(libraries(j)).containsOnlyKeys("lib4");
                assertThat(j.fcall("f4", List.of(keys[0]), List.of())).isEqualTo(24L);
            }
            assertNoReplayFailure(node);
        }
    }

    /**
     * Libraries loaded one after another (each new, never REPLACE, from rotating connections)
     * while snapshots are cut, then a SIGKILL: after restart every acknowledged library is there,
     * none is loaded twice (a second LOAD of one would fail in the replay and be logged), and
     * nothing else appears.
     */
    @Test
    void snapshotsCutBetweenLoadsNeitherLoseNorRepeatALibrary() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "4", "appendfsync", "always", "save", "")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            AtomicInteger acked = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Thread loader = new Thread(() -> {
                List<Jedis> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < 3; i++) clients.add(connect(node));
                    for (int n = 0; !stop.get(); n++) {
                        clients.get(n % 3).functionLoad(library("l" + n, "fn" + n, n));
                        acked.set(n + 1);
                    }
                } catch (JedisException killed) {
                    // the node was killed under us
                } finally {
                    for (Jedis j : clients) j.close();
                }
            });
            loader.start();
            try (Jedis j = connect(node)) {
                for (int round = 0; round < 4; round++) {
                    Thread.sleep(250);
                    assertThat(j.save()).isEqualTo("OK");
                }
                j.bgsave();
            }
            Thread.sleep(100);
            node.kill();
            stop.set(true);
            loader.join(30_000);
            assertThat(acked.get()).isGreaterThan(20);

            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                Map<String, String> after = libraries(j);
                // The LOAD in flight at the kill may or may not have been durable.
                assertThat(after.size()).isBetween(acked.get(), acked.get() + 1);
                for (int n = 0; n < after.size(); n++) {
                    assertThat(after.get("l" + n)).as("library l%d", n).isEqualTo(library("l" + n, "fn" + n, n));
                }
                assertThat(j.fcall("fn7", List.of("x"), List.of())).isEqualTo(7L);
            }
            assertThat(node.logText()).contains("Loaded snapshot");
            assertNoReplayFailure(node);
        }
    }

    /** A snapshot holds the libraries of its cut; changes after it come from the log. */
    @Test
    void aSnapshotRestartAppliesTheChangesAfterTheCut() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "2", "save", "")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                j.functionLoad(library("kept", "kept", 1));
                j.functionLoad(library("dropped", "dropped", 1));
                j.functionLoad(library("replaced", "replaced", 1));
                assertThat(j.save()).isEqualTo("OK");
                j.functionDelete("dropped");
                j.functionLoadReplace(library("replaced", "replaced", 5));
                j.functionLoad(library("added", "added", 7));
                j.set("k", "v");
                Thread.sleep(1500); // everysec: the log is on disk
            }
            node.kill();
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(libraries(j)).containsOnlyKeys("kept", "replaced", "added");
                assertThat(j.fcall("replaced", List.of("n"), List.of())).isEqualTo(5L);
                assertThat(j.fcall("added", List.of("n"), List.of())).isEqualTo(12L);
                assertThat(j.fcall("kept", List.of("n"), List.of())).isEqualTo(13L);
                assertThat(j.info("recovery")).contains("snapshot_loaded:1").doesNotContain("recovery_records_replayed:0");
            }
            assertNoReplayFailure(node);
        }
    }

    /** A graceful stop saves the libraries in the final snapshot: nothing to replay. */
    @Test
    void aGracefulStopKeepsTheLibrariesWithoutReplay() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "4", "save", "")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            Map<String, String> before;
            try (Jedis j = connect(node)) {
                j.functionLoad(library("g1", "g1", 1));
                j.functionLoad(library("g2", "g2", 2));
                j.functionDelete("g1");
                j.functionLoad(library("g3", "g3", 3));
                before = libraries(j);
            }
            assertThat(node.stop()).isIn(0, 143);
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(libraries(j)).isEqualTo(before).containsOnlyKeys("g2", "g3");
                assertThat(j.info("recovery")).contains("start_type:clean").contains("recovery_records_replayed:0");
                assertThat(j.fcall("g3", List.of("c"), List.of())).isEqualTo(3L);
            }
        }
    }

    /** appendonly no: the libraries are in the snapshots, and a crash brings back the last one's. */
    @Test
    void withoutLogsTheLastSnapshotsLibrariesComeBack() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "2", "appendonly", "no", "save", "")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                j.functionLoad(library("saved", "saved", 1));
                assertThat(j.save()).isEqualTo("OK");
                j.functionLoad(library("unsaved", "unsaved", 1));
                j.functionDelete("saved");
            }
            node.kill();
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(libraries(j)).containsOnlyKeys("saved");
                assertThat(j.fcall("saved", List.of("s"), List.of())).isEqualTo(1L);
            }
        }
    }

    /** Library changes count as changes for the save rules, as in Redis (server.dirty++). */
    @Test
    void aLibraryChangeAloneTriggersTheSaveRules() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "2", "appendonly", "no", "save", "1 1")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                j.functionLoad(library("ruled", "ruled", 1));
                await().atMost(Duration.ofSeconds(15)).until(() -> j.info("persistence").contains("rdb_saves:1"));
            }
            node.kill();
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(libraries(j)).containsOnlyKeys("ruled");
            }
        }
    }

    /**
     * A library entry that cannot be loaded (its code damaged, the file's checksum made right
     * again) stops start-up naming the file, the entry's offset and the library; one damaged
     * without that fails the checksum, also naming the file. Put back, the file loads again.
     */
    @Test
    void aDamagedLibraryEntryStopsStartUp() throws Exception {
        Path data = tmp.resolve("data");
        String code = library("fragile", "fragile", 1);
        try (NodeProcess node = new NodeProcess(data, "shards", "1", "save", "")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                j.functionLoad(code);
                j.set("k", "v");
                assertThat(j.save()).isEqualTo("OK");
            }
            node.kill();
            Path snap = Manifest.snapshotPath(data, 0, Manifest.read(data, 1).lsn()[0]);
            byte[] good = Files.readAllBytes(snap);
            int at = new String(good, StandardCharsets.ISO_8859_1).indexOf("return redis");
            assertThat(at).isGreaterThan(FormatHeader.LENGTH);

            byte[] broken = good.clone();
            broken[at] = '('; // "(eturn redis...": no longer Lua
            fixChecksum(broken);
            Files.write(snap, broken);
            assertThat(node.start()).isFalse();
            assertThat(node.logText()).contains(snap + " at offset " + FormatHeader.LENGTH + ": function library 'fragile'"
                    + " cannot be loaded: ERR Error compiling function");

            byte[] flipped = good.clone();
            flipped[at + 3] ^= 0x20;
            Files.write(snap, flipped);
            assertThat(node.start()).isFalse();
            assertThat(node.logText()).contains(snap + " at offset ").contains("snapshot checksum mismatch");

            Files.write(snap, good);
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(libraries(j)).containsEntry("fragile", code);
                assertThat(j.get("k")).isEqualTo("v");
            }
        }
    }

    /** The snapshot's closing CRC32C recomputed over everything before it. */
    private static void fixChecksum(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b, b.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
    }
}
