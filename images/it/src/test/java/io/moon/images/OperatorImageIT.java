package io.moon.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.FileInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator image: its metadata, and the operator running from it (read-only root, user
 * 65532, the jlink'd runtime) against a mock API server, reconciling the minimal example.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class OperatorImageIT {
    @TempDir
    static Path work;
    static UnpackedImage image;
    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeAll
    static void unpack() throws Exception {
        image = UnpackedImage.unpack(Path.of(System.getProperty("operator.image.tar")), work);
    }

    @Test
    void runsAsNonRootWithTheOperatorAsEntrypoint() {
        assertThat(image.config().get("User").asText()).isEqualTo("65532:65532");
        assertThat(image.entrypoint()).startsWith("/opt/java/bin/java").endsWith("io.moon.operator.Main");
        assertThat(image.root().resolve("opt/java/bin/javac")).doesNotExist();
    }

    @Test
    void entrypointAnswersVersionAndRefusesBadFlags() throws Exception {
        UnpackedImage.assumeRoot();
        Path data = UnpackedImage.dataDir(work, "version");
        List<String> version = new ArrayList<>(image.entrypoint());
        version.add("--version");
        var v = image.exec(data, List.of(), version);
        assertThat(v.exit()).isZero();
        assertThat(v.output()).contains("moon-operator " + System.getProperty("moon.version"));
        List<String> bad = new ArrayList<>(image.entrypoint());
        bad.addAll(List.of("--log-format", "xml"));
        var b = image.exec(data, List.of(), bad);
        assertThat(b.exit()).isEqualTo(2);
        assertThat(b.output()).contains("--log-format: xml (expected: text or json)").contains("Usage: moon-operator");
    }

    @Test
    void operatorRunsFromTheImageAndReconciles() throws Exception {
        UnpackedImage.assumeRoot();
        try (FileInputStream in = new FileInputStream(UnpackedImage.ROOT.resolve("crds/moonclusters.moon.io-v1.yml").toFile())) {
            client.load(in).createOrReplace();
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> env = List.of(
                "KUBERNETES_MASTER=" + client.getMasterUrl(),
                "KUBERNETES_TRUST_CERTIFICATES=true",
                "KUBERNETES_AUTH_TRYKUBECONFIG=false",
                "KUBERNETES_AUTH_TRYSERVICEACCOUNT=false",
                "KUBERNETES_NAMESPACE=default",
                "MOON_LEADER_ELECTION=false",
                "MOON_SERVER_SIDE_APPLY=false",
                "MOON_HEALTH_PORT=" + port,
                "MOON_LOG_FORMAT=json");
        Path data = UnpackedImage.dataDir(work, "operator");
        Path log = work.resolve("operator.log");
        Process operator = image.start(data, log, env, image.entrypoint());
        HttpClient http = HttpClient.newHttpClient();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            try (var in = Files.newInputStream(UnpackedImage.ROOT.resolve("charts/examples/mooncluster-minimal.yaml"))) {
                client.load(in).inNamespace("default").create();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().statefulSets().inNamespace("default").withName("dev-0").get() != null);
            var ctx = new ResourceDefinitionContext.Builder().withGroup("moon.io").withVersion("v1alpha1").withKind("MoonCluster")
                    .withPlural("moonclusters").withNamespaced(true).build();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                GenericKubernetesResource mc = client.genericKubernetesResources(ctx).inNamespace("default").withName("dev").get();
                return mc.getAdditionalProperties().get("status") instanceof Map<?, ?> st && "Creating".equals(st.get("phase"));
            });
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("operator_sdk_");
        } finally {
            UnpackedImage.terminate(operator);
            assertThat(operator.waitFor(30, TimeUnit.SECONDS)).as("operator stopped after SIGTERM").isTrue();
        }
        // Structured logs: every line the operator printed is one JSON object.
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.removeIf(l -> l.startsWith("Picked up JAVA_TOOL_OPTIONS"));
        assertThat(lines).isNotEmpty();
        ObjectMapper json = new ObjectMapper();
        for (String l : lines) assertThat(json.readTree(l).has("message")).as(l).isTrue();
        assertThat(operator.exitValue()).as(String.join("\n", lines)).isIn(0, 143);
    }
}
