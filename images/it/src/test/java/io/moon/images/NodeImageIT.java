package io.moon.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data node image: its metadata, its contents, and the node running from it. */
class NodeImageIT {
    @TempDir
    static Path work;
    static UnpackedImage image;

    @BeforeAll
    static void unpack() throws Exception {
        image = UnpackedImage.unpack(Path.of(System.getProperty("node.image.tar")), work);
    }

    @Test
    void runsAsNonRootWithTheNodeAsEntrypoint() {
        assertThat(image.config().get("User").asText()).isEqualTo("65532:65532");
        assertThat(image.entrypoint()).startsWith("/opt/java/bin/java").endsWith("io.moon.node.Main")
                .contains("-XX:-UsePerfData", "-XX:+UseCompactObjectHeaders");
        assertThat(image.config().get("ExposedPorts").has("6379/tcp")).isTrue();
        assertThat(image.config().get("Labels").get("org.opencontainers.image.version").asText())
                .isEqualTo(System.getProperty("moon.version"));
    }

    @Test
    void carriesAJlinkedRuntimeAndTheProbeNotAJdk() throws Exception {
        Path root = image.root();
        assertThat(root.resolve("opt/java/bin/java")).isExecutable();
        assertThat(root.resolve("opt/java/bin/javac")).doesNotExist();
        assertThat(root.resolve("opt/java/lib/server/classes.jsa")).as("CDS archive").exists();
        assertThat(Files.readString(root.resolve("opt/java/release"))).contains("jdk.unsupported").doesNotContain("java.desktop");
        assertThat(root.resolve("opt/moon/bin/moon-probe")).isExecutable();
        assertThat(root.resolve("bin/bash")).isExecutable();
        assertThat(root.resolve("lib/x86_64-linux-gnu/libc.so.6")).exists();
        assertThat(Files.readString(root.resolve("etc/passwd"))).contains("nonroot:x:65532:65532:");
        assertThat(root.resolve("var/lib/dpkg/status.d/libc6")).content().contains("Package: libc6");
        try (var libs = Files.list(root.resolve("app/libs"))) {
            assertThat(libs.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("moon-node-")).anyMatch(n -> n.startsWith("netty-"));
        }
    }

    /**
     * The node starts from the image with a read-only root, answers the readiness probe only
     * with the right password, and stops cleanly on SIGTERM; the preStop hook's SHUTDOWN
     * returns at once whether or not the node implements it.
     */
    @Test
    void nodeRunsFromTheImageAndAnswersItsProbes() throws Exception {
        UnpackedImage.assumeRoot();
        Path data = UnpackedImage.dataDir(work);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(image.entrypoint());
        command.addAll(image.cmd());
        command.addAll(List.of("--port", Integer.toString(port), "--requirepass", "s3cret"));
        Path log = work.resolve("node.log");
        Process node = image.start(data, log, List.of(), command);
        try {
            List<String> env = List.of("MOON_PORT=" + port, "MOON_PASSWORD=s3cret");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> image.exec(data, env, List.of("/opt/moon/bin/moon-probe", "ready")).exit() == 0);
            var wrong = image.exec(data, List.of("MOON_PORT=" + port, "MOON_PASSWORD=nope"), List.of("/opt/moon/bin/moon-probe", "ready"));
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.output()).contains("AUTH refused");
            var none = image.exec(data, List.of("MOON_PORT=" + port), List.of("/opt/moon/bin/moon-probe", "ready"));
            assertThat(none.exit()).isEqualTo(1);
            assertThat(none.output()).contains("NOAUTH");
            // The root file system is read-only, /data and /tmp are not.
            assertThat(image.exec(data, List.of(), List.of("/bin/bash", "-c", "echo x > /etc/x")).exit()).isNotZero();
            assertThat(image.exec(data, List.of(), List.of("/bin/bash", "-c", "echo x > /tmp/x && echo x > /data/x")).exit()).isZero();

            var preStop = image.exec(data, env, List.of("/opt/moon/bin/moon-probe", "shutdown"));
            assertThat(preStop.exit()).isZero();
        } finally {
            UnpackedImage.terminate(node);
            assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("node stopped after SIGTERM").isTrue();
        }
        assertThat(Files.readString(log)).contains("ready");
        assertThat(node.exitValue()).as(Files.readString(log)).isIn(0, 143);
    }
}
