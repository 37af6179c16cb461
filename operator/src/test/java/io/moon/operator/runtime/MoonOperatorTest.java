package io.moon.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.model.TestClusters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole operator process minus main(): leader election, health, metrics, reconciling. */
@EnableKubernetesMockClient(crud = true)
class MoonOperatorTest {
    KubernetesMockServer server;
    KubernetesClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void crd() throws Exception {
        // The SDK asks the API server whether it may use Leases before electing; the mock
        // server in CRUD mode cannot answer a review, so the answer an API server gives a
        // service account with the chart's Role is staged here.
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews").andReturn(201,
                new SelfSubjectRulesReviewBuilder().withNewMetadata().endMetadata().withNewStatus().addNewResourceRule()
                        .withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("get", "create", "update").endResourceRule().withIncomplete(false).endStatus().build())
                .always();
        try (var in = getClass().getResourceAsStream("/META-INF/fabric8/moonclusters.moon.io-v1.yml")) {
            client.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
        }
    }

    @Test
    void electsItselfServesHealthAndMetricsAndReconciles() throws Exception {
        OperatorConfig config = OperatorConfig.parse("--health-port", "0", "--lease-namespace", "ops", "--identity", "op-a",
                "--recheck-seconds", "1");
        try (MoonOperator op = new MoonOperator(config, client, false, MoonOperatorTest::lost)) {
            assertThat(get(op, "/readyz").statusCode()).isEqualTo(503);
            op.start();
            await().atMost(Duration.ofSeconds(20)).until(op::leading);
            Lease lease = client.leases().inNamespace("ops").withName("moon-operator-leader").get();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("op-a");
            assertThat(get(op, "/healthz").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> get(op, "/readyz").statusCode() == 200);

            client.resource(TestClusters.minimal("metrics", 1)).create();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    client.apps().statefulSets().inNamespace(TestClusters.NAMESPACE).withName("metrics-0").get() != null);
            await().atMost(Duration.ofSeconds(20)).until(() -> client.resources(MoonCluster.class)
                    .inNamespace(TestClusters.NAMESPACE).withName("metrics").get().getStatus() != null);
            HttpResponse<String> metrics = get(op, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("operator_sdk_");
            assertThat(get(op, "/nothing-here").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void secondReplicaWaitsAsReadyStandby() throws Exception {
        OperatorConfig a = OperatorConfig.parse("--health-port", "0", "--lease-namespace", "ops", "--identity", "op-a");
        OperatorConfig b = OperatorConfig.parse("--health-port", "0", "--lease-namespace", "ops", "--identity", "op-b");
        try (MoonOperator first = new MoonOperator(a, client, false, MoonOperatorTest::lost); MoonOperator second = new MoonOperator(b, client, false, MoonOperatorTest::lost)) {
            first.start();
            await().atMost(Duration.ofSeconds(20)).until(first::leading);
            second.start();
            // Ready, so a rolling update of the Deployment can proceed, but not leading.
            await().atMost(Duration.ofSeconds(10)).until(() -> get(second, "/readyz").statusCode() == 200);
            assertThat(second.leading()).isFalse();
            assertThat(client.leases().inNamespace("ops").withName("moon-operator-leader").get().getSpec().getHolderIdentity())
                    .isEqualTo("op-a");
        }
    }

    private static void lost() {
        throw new AssertionError("no replica should lose its lease in these tests");
    }

    private HttpResponse<String> get(MoonOperator op, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + op.healthPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
