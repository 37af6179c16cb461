package io.moon.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * An OCI image tarball (what Jib's buildTar writes: oci-layout, index.json, blobs) unpacked the
 * way a container runtime does: the manifest's layers in order into one root, and its config.
 * Whiteouts are not handled; Jib writes none.
 */
record UnpackedImage(Path root, JsonNode config, int layers) {
    static final Path ROOT = Path.of(System.getProperty("moon.root", "../..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    static UnpackedImage unpack(Path tarball, Path work) throws Exception {
        assertThat(tarball).as("image tarball built by mvn package").exists();
        Path layout = Files.createDirectories(work.resolve("layout"));
        run(List.of("tar", "-xf", tarball.toString(), "-C", layout.toString()));
        assertThat(layout.resolve("oci-layout")).exists();
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        JsonNode manifest = blob(layout, index.get("manifests").get(0).get("digest").asText());
        JsonNode config = blob(layout, manifest.get("config").get("digest").asText());
        Path root = Files.createDirectories(work.resolve("rootfs"));
        int n = 0;
        for (JsonNode layer : manifest.get("layers")) {
            assertThat(layer.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
            run(List.of("tar", "-xzf", blobPath(layout, layer.get("digest").asText()).toString(), "-C", root.toString(),
                    "--warning=no-unknown-keyword"));
            n++;
        }
        return new UnpackedImage(root, config.get("config"), n);
    }

    List<String> entrypoint() {
        List<String> l = new ArrayList<>();
        config.get("Entrypoint").forEach(e -> l.add(e.asText()));
        return l;
    }

    List<String> cmd() {
        List<String> l = new ArrayList<>();
        if (config.has("Cmd")) config.get("Cmd").forEach(e -> l.add(e.asText()));
        return l;
    }

    /**
     * A process started from this image by images/tools/run-in-rootfs.sh: read-only root,
     * user 65532, private /tmp, {@code data} at /data. Its output goes to {@code log}.
     */
    Process start(Path data, Path log, List<String> env, List<String> command) throws IOException {
        return start(data, log, env, List.of(), command);
    }

    /** As {@link #start(Path, Path, List, List)}, with read-only binds {@code "HOST_DIR:PATH"}. */
    Process start(Path data, Path log, List<String> env, List<String> mounts, List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("images/tools/run-in-rootfs.sh").toString(), root.toString(), data.toString()));
        cmd.addAll(env);
        for (String m : mounts) cmd.addAll(List.of("--mount", m));
        cmd.add("--");
        cmd.addAll(command);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs a command in the image to its end; returns its exit code and output. */
    Result exec(Path data, List<String> env, List<String> command) throws Exception {
        Path log = Files.createTempFile("exec", ".log");
        Process p = start(data, log, env, command);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    record Result(int exit, String output) {}

    /** Running an image needs root (mount namespace, chroot); CI runs as root and must run these. */
    static void assumeRoot() throws Exception {
        boolean root = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim().equals("0");
        if (!root && "true".equals(System.getenv("CI"))) throw new AssertionError("CI must run the image tests as root");
        Assumptions.assumeTrue(root, "running an image needs root (unshare, chroot)");
    }

    /** A data directory owned by the image's user, as fsGroup makes a volume writable. */
    static Path dataDir(Path work, String name) throws Exception {
        Path data = Files.createDirectories(work.resolve("data-" + name));
        run(List.of("chown", "65532:65532", data.toString()));
        return data;
    }

    private static JsonNode blob(Path layout, String digest) throws IOException {
        return JSON.readTree(blobPath(layout, digest).toFile());
    }

    private static Path blobPath(Path layout, String digest) {
        return layout.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
    }

    /** Sends SIGTERM to the image's main process (the child of unshare), as the kubelet does. */
    static void terminate(Process runner) {
        runner.toHandle().descendants().filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .forEach(ProcessHandle::destroy);
    }
}
