package io.moon.node.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moon.node.testing.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * appendonly no, Redis's RDB-only setup: a SIGKILL brings back exactly the last snapshot, whether
 * it came from SAVE, a save rule or a graceful stop, and a kill while a snapshot is being written
 * brings back the one before it.
 */
class SnapshotsOnlyCrashIT {
    @TempDir
    Path tmp;

    private static Jedis connect(NodeProcess n) { return new Jedis("127.0.0.1", n.port(), 10_000); }

    /** Keys of several types, numbered from {@code from}: a string, a hash, a list and a sorted set each. */
    private static void write(Jedis j, int from, int count, String tag) {
        Pipeline p = j.pipelined();
        for (int i = from; i < from + count; i++) {
            p.set("s:" + i, tag + i);
            p.hset("h:" + i, "f", tag + i);
            p.del("l:" + i);
            p.rpush("l:" + i, tag, Integer.toString(i));
            p.zadd("z:" + i, i, tag);
        }
        p.sync();
    }

    private static void assertHolds(Jedis j, int from, int count, String tag) {
        for (int i = from; i < from + count; i += 97) {
            assertThat(j.get("s:" + i)).isEqualTo(tag + i);
            assertThat(j.hget("h:" + i, "f")).isEqualTo(tag + i);
            assertThat(j.lrange("l:" + i, 0, -1)).containsExactly(tag, Integer.toString(i));
            assertThat(j.zscore("z:" + i, tag)).isEqualTo((double) i);
        }
    }

    @Test
    void aKillBringsBackExactlyTheLastSave() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "4", "appendonly", "no", "save", "")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                write(j, 0, 5_000, "a");
                assertThat(j.save()).isEqualTo("OK");
                write(j, 0, 5_000, "b"); // changes after the save: lost in a crash, as in Redis
                write(j, 5_000, 1_000, "b");
                assertThat(j.dbSize()).isEqualTo(24_000);
            }
            node.kill();
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(j.dbSize()).isEqualTo(20_000);
                assertHolds(j, 0, 5_000, "a");
                String recovery = j.info("recovery");
                assertThat(recovery).contains("start_type:crash", "snapshot_loaded:1", "snapshot_keys_loaded:20000", "wal_enabled:0");
                assertThat(j.info("persistence")).contains("aof_enabled:0");
            }
        }
    }

    @Test
    void saveRulesAndGracefulStopsAreWhatAKillComesBackTo() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "2", "appendonly", "no", "save", "1 1000")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                write(j, 0, 2_000, "a");
                // The rule takes snapshots by itself (a second after 1000 changes); one may start
                // while the writes are still coming: wait for one that covers them all.
                await().atMost(Duration.ofSeconds(30)).until(() -> j.info("persistence").contains("rdb_changes_since_last_save:0"));
            }
            node.kill();
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                assertThat(j.dbSize()).isEqualTo(8_000);
                assertHolds(j, 0, 2_000, "a");
                write(j, 0, 2_000, "c");
            }
            // With save rules set, a graceful stop saves, as Redis does.
            assertThat(node.stop()).isIn(0, 143);
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                assertHolds(j, 0, 2_000, "c");
                assertThat(j.info("recovery")).contains("start_type:clean");
            }
        }
    }

    @Test
    void aKillDuringASnapshotBringsBackThePreviousOne() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "2", "appendonly", "no", "save", "")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                write(j, 0, 3_000, "a");
                assertThat(j.save()).isEqualTo("OK");
                write(j, 0, 60_000, "b"); // big enough that its snapshot takes a while
                j.bgsave();
                await().atMost(Duration.ofSeconds(5)).until(() -> j.info("persistence").contains("rdb_bgsave_in_progress:1"));
            }
            node.kill();
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = connect(node)) {
                // Either the old snapshot (the new one was unfinished), or, if it finished just
                // before the kill, the new one whole: never a mix.
                if (j.dbSize() == 12_000) {
                    assertHolds(j, 0, 3_000, "a");
                } else {
                    assertThat(j.dbSize()).isEqualTo(240_000);
                    assertHolds(j, 0, 60_000, "b");
                }
            }
        }
    }
}
