package io.moon.node.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moon.node.testing.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A full disk, for real: the node's directory is a small ext4 file system loop-mounted by the
 * test. Writes must fail with MISCONF, reads must go on, nothing durable may be damaged, and
 * writes must resume by themselves once there is room again. Needs root (CI runs as root); where
 * mounting is not allowed the test is skipped with the reason (docs/persistence.md).
 */
class DiskFullIT {
    @TempDir
    Path tmp;
    private Path mount;

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) run("umount", "-l", mount.toString());
    }

    @Test
    void fullDiskRefusesWritesKeepsReadsAndRecoversByItself() throws Exception {
        Path image = tmp.resolve("fs.img");
        mount = tmp.resolve("mnt");
        Files.createDirectories(mount);
        boolean mounted = run("truncate", "-s", "64M", image.toString()) == 0
                && run("mkfs.ext4", "-q", "-F", image.toString()) == 0
                && run("mount", "-o", "loop", image.toString(), mount.toString()) == 0;
        if (!mounted) mount = null;
        Assumptions.assumeTrue(mounted, "needs root to loop-mount a small file system (CI runs as root)");

        Path filler = mount.resolve("filler");
        Files.write(filler, new byte[12 << 20]); // room we give back later
        byte[] value = new byte[64 << 10];
        new java.util.Random(1).nextBytes(value); // incompressible: the log stores it whole
        List<Integer> acked = new ArrayList<>();
        try (NodeProcess node = new NodeProcess(mount.resolve("data"), "shards", "2", "appendfsync", "always")) {
            assertThat(node.start()).as(node.logText()).isTrue();
            JedisDataException refused = null;
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 30_000)) {
                for (int i = 0; i < 2000 && refused == null; i++) {
                    try {
                        j.set(("k" + i).getBytes(), value);
                        acked.add(i);
                    } catch (JedisDataException e) {
                        refused = e;
                    }
                }
                assertThat(refused).as("a write was refused once the disk filled").isNotNull();
                assertThat(refused.getMessage()).startsWith("MISCONF Errors writing to the AOF file: ").contains("No space left on device");
                assertThat(acked).hasSizeGreaterThan(20);
                // Reads keep working, and so do commands that write nothing.
                assertThat(j.get(("k" + acked.get(0)).getBytes())).isEqualTo(value);
                assertThat(j.dbSize()).isGreaterThanOrEqualTo(acked.size());
                // Room again: writes resume by themselves.
                Files.delete(filler);
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    try (Jedis k = new Jedis("127.0.0.1", node.port(), 30_000)) {
                        assertThat(k.set("after", "ok")).isEqualTo("OK");
                    }
                });
            }
            node.kill();
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 30_000)) {
                for (int i : acked) assertThat(j.get(("k" + i).getBytes())).as("k%d", i).isEqualTo(value);
                assertThat(j.get("after")).isEqualTo("ok");
            }
            node.kill();
        }
    }
}
