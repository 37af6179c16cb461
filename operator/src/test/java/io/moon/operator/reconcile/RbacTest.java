package io.moon.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.moon.operator.api.AuthSpec;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.api.PodDisruptionBudgetSpec;
import io.moon.operator.api.StorageSpec;
import io.moon.operator.model.Labels;
import io.moon.operator.model.TestClusters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every call the operator makes in a full life cycle (create with a password, scale, grow a
 * volume, drop the budgets, delete with its claims) is allowed by the rules the Helm chart
 * grants it (charts/moon-operator/templates/_helpers.tpl), so least privilege cannot silently
 * break the operator. The operator runs with its own User-Agent to tell its calls from the
 * test's.
 */
@EnableKubernetesMockClient(crud = true)
class RbacTest {
    private static final String NS = TestClusters.NAMESPACE;
    private static final String AGENT = "moon-operator-under-test";
    private static final Pattern PATH = Pattern.compile(
            "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/[^/]+)?/([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?(?:\\?(.*))?$");

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void chartRulesAllowEveryCallOfALifeCycle() throws Exception {
        try (var in = getClass().getResourceAsStream("/META-INF/fabric8/moonclusters.moon.io-v1.yml")) {
            client.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
        }
        KubernetesClient operatorClient = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(AGENT).build()).build();
        Operator operator = new Operator(o -> o.withKubernetesClient(operatorClient).withUseSSAToPatchPrimaryResource(false)
                .withCloseClientOnStop(true).withReconciliationTerminationTimeout(Duration.ofSeconds(2)));
        operator.register(new MoonClusterReconciler(new OperatorSettings(TestClusters.IMAGE, Duration.ofSeconds(1)), Clock.systemUTC()));
        operator.start();
        try {
            lifeCycle();
        } finally {
            operator.stop();
        }

        var rules = chartRules();
        Set<String> calls = new TreeSet<>();
        Set<String> denied = new TreeSet<>();
        int n = server.getRequestCount();
        for (int i = 0; i < n; i++) {
            RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
            if (r == null || !AGENT.equals(r.getHeader("User-Agent"))) continue;
            String call = call(r.getMethod(), r.getPath());
            calls.add(call);
            if (!allowed(rules, call)) denied.add(call);
        }
        assertThat(calls).as("the operator's calls").contains("apps statefulsets create", "apps statefulsets watch",
                " persistentvolumeclaims patch", " persistentvolumeclaims delete", " events create", " secrets get",
                "moon.io moonclusters/status patch");
        assertThat(denied).as("calls the chart's RBAC rules would refuse; add them to templates/_helpers.tpl").isEmpty();
    }

    private void lifeCycle() {
        client.resource(new SecretBuilder().withNewMetadata().withName("pw").withNamespace(NS).endMetadata()
                .addToStringData("password", "x").build()).create();
        MoonCluster mc = TestClusters.minimal("rbac", 1);
        mc.getMetadata().setUid(null);
        mc.getSpec().auth = new AuthSpec("pw", null);
        mc.getSpec().storage.retentionPolicy = new StorageSpec.RetentionPolicy(StorageSpec.Action.Delete, null);
        client.resource(mc).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.apps().statefulSets().inNamespace(NS).withName("rbac-0").get() != null);
        Map<String, String> labels = Labels.shard("rbac", 0);
        labels.put(Labels.VOLUME, "data");
        client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data-rbac-0-0").withNamespace(NS)
                .withLabels(labels).endMetadata().withNewSpec().withNewResources().addToRequests("storage", new Quantity("1Gi"))
                .endResources().endSpec().build()).create();
        update(m -> {
            m.getSpec().replicasPerShard = 2;
            m.getSpec().storage.data.size = "2Gi";
            m.getSpec().podDisruptionBudget = new PodDisruptionBudgetSpec(false, null);
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> client.persistentVolumeClaims().inNamespace(NS).withName("data-rbac-0-0")
                .get().getSpec().getResources().getRequests().get("storage").equals(new Quantity("2Gi"))
                && client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("rbac-0").get() == null);
        client.resources(MoonCluster.class).inNamespace(NS).withName("rbac").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.persistentVolumeClaims().inNamespace(NS).withName("data-rbac-0-0").get() == null);
    }

    private void update(java.util.function.Consumer<MoonCluster> change) {
        await().atMost(Duration.ofSeconds(10)).ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class).until(() -> {
            client.resources(MoonCluster.class).inNamespace(NS).withName("rbac").edit(m -> {
                change.accept(m);
                return m;
            });
            return true;
        });
    }

    /** "group resource[/subresource] verb" of one request. */
    static String call(String method, String path) {
        Matcher m = PATH.matcher(path);
        assertThat(m.matches()).as("API path %s", path).isTrue();
        String group = m.group(1) == null ? "" : m.group(1);
        String resource = m.group(2);
        String name = m.group(3);
        String sub = m.group(4);
        String query = m.group(5) == null ? "" : m.group(5);
        String verb = switch (method) {
            case "GET" -> name != null ? "get" : query.contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name != null ? "delete" : "deletecollection";
            default -> method;
        };
        return group + " " + resource + (sub != null ? "/" + sub : "") + " " + verb;
    }

    static boolean allowed(java.util.List<PolicyRule> rules, String call) {
        String[] c = call.split(" ", -1);
        return rules.stream().anyMatch(r -> r.getApiGroups().contains(c[0]) && r.getResources().contains(c[1]) && r.getVerbs().contains(c[2]));
    }

    /** The rules of the chart's "moon-operator.rules" template. */
    java.util.List<PolicyRule> chartRules() throws Exception {
        String tpl = Files.readString(Path.of(System.getProperty("moon.root", ".."), "charts/moon-operator/templates/_helpers.tpl"),
                StandardCharsets.UTF_8);
        int start = tpl.indexOf("{{- define \"moon-operator.rules\" -}}");
        int end = tpl.indexOf("{{- end -}}", start);
        assertThat(start).isNotNegative();
        String rules = tpl.substring(tpl.indexOf('\n', start) + 1, end).replaceAll("(?m)^", "  ");
        Role role = client.getKubernetesSerialization().unmarshal(
                "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: x}\nrules:\n" + rules, Role.class);
        assertThat(role.getRules()).hasSizeGreaterThan(5);
        return role.getRules();
    }
}
