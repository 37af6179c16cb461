package io.moon.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.moon.operator.api.AuthSpec;
import io.moon.operator.api.MemorySpec;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.api.MoonClusterSpec;
import io.moon.operator.api.StorageSpec;
import io.moon.operator.api.VolumeSpec;
import io.moon.operator.model.MoonClusterModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data node image: its metadata, its contents, the node running from it, and the operator's pod on it. */
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
        Path data = UnpackedImage.dataDir(work, "node");
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

    /**
     * The operator's pod and the node image fit together: a data node pod as MoonClusterModel
     * specifies it (args, environment with the password from its Secret, the ConfigMap mounted at
     * its mount path, the image's user, readiness probe and preStop commands) runs from the node
     * image, loads the rendered moon.conf, and passes its probe. The only liberty taken is the
     * port: the pod's 6379 may be in use on this host, so a free one is added as a flag (flags win
     * over the file) and given to the probe as MOON_PORT.
     */
    @Test
    void podAsTheOperatorSpecifiesItRunsFromTheNodeImage() throws Exception {
        UnpackedImage.assumeRoot();
        MoonClusterSpec spec = new MoonClusterSpec();
        spec.shards = 1;
        spec.storage = new StorageSpec(new VolumeSpec("1Gi", null));
        spec.auth = new AuthSpec("cache-auth", null);
        spec.memory = new MemorySpec();
        spec.memory.maxmemory = "64mb";
        spec.memory.policy = MemorySpec.Policy.ALLKEYS_LRU;
        spec.config.put("maxclients", "123");
        spec.config.put("databases", "4");
        // Three CPUs: moon.conf pins the node's event loops ("shards") to 3.
        spec.resources = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("3")).build();
        MoonCluster mc = new MoonCluster("default", "cache", spec);
        mc.getMetadata().setUid("uid-cache");
        MoonClusterModel model = MoonClusterModel.fromCrd(mc, "moon-node:test");
        StatefulSet sts = model.generateStatefulSet(0, "1");
        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(image.config().get("User").asText()).isEqualTo(pod.getSecurityContext().getRunAsUser() + ":" + pod.getSecurityContext().getRunAsGroup());

        // The ConfigMap volume, as the kubelet writes it.
        ConfigMap cm = model.generateConfigMap();
        Path config = Files.createDirectories(work.resolve("config"));
        for (var e : cm.getData().entrySet()) Files.writeString(config.resolve(e.getKey()), e.getValue());
        String configPath = c.getVolumeMounts().stream().filter(m -> m.getName().equals("config")).findFirst().orElseThrow().getMountPath();

        // The environment, as the kubelet resolves it; the Secret holds "s3cret".
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            String v;
            if (e.getValue() != null) {
                v = expand(e.getValue(), env);
            } else if (e.getValueFrom().getSecretKeyRef() != null) {
                assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("cache-auth");
                v = "s3cret";
            } else {
                v = switch (e.getValueFrom().getFieldRef().getFieldPath()) {
                    case "metadata.name" -> "cache-0-0";
                    case "metadata.namespace" -> "default";
                    default -> throw new AssertionError("unexpected field " + e.getValueFrom().getFieldRef().getFieldPath());
                };
            }
            env.put(e.getName(), v);
        }
        assertThat(env).containsEntry("MOON_ANNOUNCE_HOSTNAME", "cache-0-0.cache-nodes.default.svc");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        env.put("MOON_PORT", Integer.toString(port));
        List<String> envList = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();

        List<String> command = new ArrayList<>(image.entrypoint());
        for (String a : c.getArgs()) command.add(expand(a, env));
        command.addAll(List.of("--port", Integer.toString(port)));
        Path data = UnpackedImage.dataDir(work, "pod");
        Path log = work.resolve("pod.log");
        Process node = image.start(data, log, envList, List.of(config + ":" + configPath), command);
        try {
            List<String> ready = c.getReadinessProbe().getExec().getCommand();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> image.exec(data, envList, ready).exit() == 0);
            // The rendered moon.conf was loaded: the node reports its settings from it (the pod
            // args name only the file, so /data, 3 loops and 4 databases can only come from it).
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(log))
                    .contains("3 shard(s)").contains("4 database(s)").contains("data in /data"));
            // And, where the node has CONFIG GET, every setting is live.
            String maxmemory = configGet(port, "s3cret", "maxmemory");
            if (maxmemory != null) {
                assertThat(maxmemory).isEqualTo(Long.toString(64L << 20));
                assertThat(configGet(port, "s3cret", "maxmemory-policy")).isEqualTo("allkeys-lru");
                assertThat(configGet(port, "s3cret", "maxclients")).isEqualTo("123");
            }
            assertThat(image.exec(data, envList, c.getLifecycle().getPreStop().getExec().getCommand()).exit()).isZero();
        } finally {
            UnpackedImage.terminate(node);
            assertThat(node.waitFor(pod.getTerminationGracePeriodSeconds(), TimeUnit.SECONDS)).as("stopped within the grace period").isTrue();
        }
        assertThat(node.exitValue()).as(Files.readString(log)).isIn(0, 143);
    }

    /** The kubelet's $(VAR) expansion of args and env values. */
    private static String expand(String s, Map<String, String> env) {
        Matcher m = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
        m.appendTail(sb);
        return sb.toString();
    }

    /** AUTH, then CONFIG GET name; the value (RESP2 array of two bulk strings), or null without CONFIG. */
    private static String configGet(int port, String password, String name) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.write(resp("AUTH", password));
            assertThat(in.readLine()).isEqualTo("+OK");
            out.write(resp("CONFIG", "GET", name));
            String head = in.readLine();
            if (head.startsWith("-ERR unknown command")) return null;
            assertThat(head).isEqualTo("*2");
            in.readLine();
            assertThat(in.readLine()).isEqualTo(name);
            in.readLine();
            return in.readLine();
        }
    }

    private static byte[] resp(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
