package io.moon.node.persist;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.cluster.KeySlot;
import io.moon.node.testing.NodeProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Writes made by scripts (run on the script thread, logged through its own propagator) survive a
 * real crash: acknowledged ones all, and a script over several shards is all or nothing.
 */
class ScriptWritesRecoveryIT {
    @TempDir
    Path tmp;

    /** Four keys, one per shard of a 4-shard node (slots split in four ranges). */
    private static String[] keysOnEveryShard(String prefix) {
        String[] keys = new String[4];
        for (int i = 0, found = 0; found < 4; i++) {
            String k = prefix + i;
            int shard = (int) ((long) KeySlot.slot(k.getBytes(StandardCharsets.UTF_8)) * 4 / KeySlot.SLOTS);
            if (keys[shard] == null) {
                keys[shard] = k;
                found++;
            }
        }
        return keys;
    }

    @Test
    void acknowledgedScriptWritesAcrossShardsSurviveAKill() throws Exception {
        String[] keys = keysOnEveryShard("sw:");
        String script = "for _, k in ipairs(KEYS) do redis.call('set', k, ARGV[1]) end"
                + " return redis.call('incr', KEYS[1])";
        String incrAll = "for _, k in ipairs(KEYS) do redis.call('incr', k) end return redis.call('get', KEYS[1])";
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "4", "appendfsync", "always")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            AtomicLong acked = new AtomicLong();
            Thread writer = new Thread(() -> {
                try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                    j.eval("for _, k in ipairs(KEYS) do redis.call('set', k, 0) end", List.of(keys), List.of());
                    while (true) {
                        Object v = j.eval(incrAll, List.of(keys), List.of());
                        acked.set(Long.parseLong((String) v));
                    }
                } catch (JedisException dead) {
                    // the node was killed under us
                }
            });
            writer.start();
            Thread.sleep(1500);
            node.kill();
            writer.join(30_000);
            assertThat(acked.get()).isGreaterThan(10);
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                long first = Long.parseLong(j.get(keys[0]));
                assertThat(first).isGreaterThanOrEqualTo(acked.get());
                // Each script is one unit in the logs: every shard has the same count.
                for (String k : keys) assertThat(j.get(k)).as(k).isEqualTo(Long.toString(first));
                // A script that fails halfway keeps what it wrote before the error, as in Redis.
                String error = null;
                try {
                    j.eval(script, List.of(keys), List.of("done"));
                } catch (JedisException e) {
                    error = e.getMessage();
                }
                assertThat(error).startsWith("ERR value is not an integer or out of range script:");
                for (String k : keys) assertThat(j.get(k)).isEqualTo("done");
            }
            assertThat(node.stop()).isIn(0, 143);
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                for (String k : keys) assertThat(j.get(k)).isEqualTo("done");
            }
        }
    }

    /**
     * A script's writes on one shard are one unit in the log: with the log cut inside the script's
     * records (a crash while they were being written), none of them is applied, and everything
     * before the script is.
     */
    @Test
    void aScriptCutShortInTheLogIsNotHalfApplied() throws Exception {
        Path data = tmp.resolve("data");
        String threeWrites = "redis.call('set', KEYS[1], 'a') redis.call('set', KEYS[2], 'b') redis.call('set', KEYS[3], 'c') return 1";
        try (NodeProcess node = new NodeProcess(data, "shards", "1", "appendfsync", "always", "save", "")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                j.set("before", "x");
                j.eval(threeWrites, List.of("k1", "k2", "k3"), List.of());
            }
            node.kill();
            java.nio.file.Path seg = io.moon.node.persist.wal.WalSegment.list(Persistence.walDir(data, 0)).getLast();
            byte[] whole = java.nio.file.Files.readAllBytes(seg);
            int end = whole.length;
            while (end > 0 && whole[end - 1] == 0) end--; // the zero-filled reserve after the records
            // The last record is the script's TX_COMMIT (15 bytes of header and CRC, an 8-byte id):
            // cut into it, then deeper, into the SETs.
            for (int cut : new int[] {end - 5, end - 23 - 10}) {
                java.nio.file.Files.write(seg, java.util.Arrays.copyOf(whole, cut));
                assertThat(node.start()).as(node.logText()).isTrue();
                try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                    assertThat(j.get("before")).isEqualTo("x");
                    assertThat(j.exists("k1", "k2", "k3")).as("keys of the torn script (cut at %d of %d)", cut, end).isZero();
                }
                node.kill();
                for (java.nio.file.Path p : io.moon.node.persist.wal.WalSegment.list(Persistence.walDir(data, 0))) {
                    if (!p.equals(seg)) java.nio.file.Files.delete(p);
                }
            }
            // The whole log: the script is there.
            java.nio.file.Files.write(seg, java.util.Arrays.copyOf(whole, end));
            assertThat(node.start()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                assertThat(j.mget("k1", "k2", "k3")).containsExactly("a", "b", "c");
            }
        }
    }
}
