package io.moon.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.moon.operator.api.AuthSpec;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.api.MoonClusterStatus.Phase;
import io.moon.operator.api.PodDisruptionBudgetSpec;
import io.moon.operator.api.StorageSpec;
import io.moon.operator.model.Labels;
import io.moon.operator.model.TestClusters;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against fabric8's mock API server in CRUD mode: real HTTP, real informers,
 * no controllers (nothing makes pods; tests play the StatefulSet controller by writing
 * StatefulSet status). The mock server does not do server-side apply, so the SDK's status
 * patches use JSON merge patch here, and only here.
 */
@EnableKubernetesMockClient(crud = true)
class MoonClusterReconcilerTest {
    private static final String NS = TestClusters.NAMESPACE;
    private static final Duration WAIT = Duration.ofSeconds(20);

    KubernetesMockServer server;
    KubernetesClient client;
    private Operator operator;

    @BeforeEach
    void startOperator() throws Exception {
        try (var in = getClass().getResourceAsStream("/META-INF/fabric8/moonclusters.moon.io-v1.yml")) {
            client.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
        }
        operator = new Operator(o -> o.withKubernetesClient(client)
                .withUseSSAToPatchPrimaryResource(false)
                .withCloseClientOnStop(false)
                .withReconciliationTerminationTimeout(Duration.ofSeconds(2)));
        operator.register(new MoonClusterReconciler(new OperatorSettings(TestClusters.IMAGE, Duration.ofSeconds(1)), Clock.systemUTC()));
        operator.start();
    }

    @AfterEach
    void stopOperator() {
        operator.stop();
    }

    // ---------------------------------------------------------------------------------------

    @Test
    void createsEveryResourceOwnedByTheCluster() {
        create(TestClusters.minimal("cache", 2));
        await().atMost(WAIT).until(() -> pdb("cache-1") != null);
        assertThat(sts("cache-0").getSpec().getReplicas()).isEqualTo(2);
        assertThat(sts("cache-1")).isNotNull();
        assertThat(configMap("cache-config").getData()).containsKey("moon.conf");
        assertThat(service("cache-nodes").getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service("cache")).isNotNull();
        MoonCluster mc = get("cache");
        assertThat(sts("cache-0").getMetadata().getOwnerReferences()).singleElement()
                .satisfies(r -> assertThat(r.getUid()).isEqualTo(mc.getMetadata().getUid()));
        await().atMost(WAIT).untilAsserted(() -> {
            MoonCluster now = get("cache");
            assertThat(now.getStatus().phase).isEqualTo(Phase.Creating);
            assertThat(now.getStatus().ready).isEqualTo("0/4");
            assertThat(now.getStatus().observedGeneration).isEqualTo(now.getMetadata().getGeneration());
            assertThat(now.getStatus().shards).extracting(s -> s.statefulSet).containsExactly("cache-0", "cache-1");
            assertThat(condition(now, Conditions.READY)).isEqualTo("False");
            assertThat(condition(now, Conditions.PROGRESSING)).isEqualTo("True");
            assertThat(condition(now, Conditions.DEGRADED)).isEqualTo("False");
            assertThat(condition(now, Conditions.RECONCILIATION_PAUSED)).isEqualTo("False");
        });
        assertThat(eventReasons()).contains("Created");
        assertThat(events()).extracting(Event::getMessage).contains("Created StatefulSet cache-0", "Created Service cache-nodes",
                "Created ConfigMap cache-config", "Created PodDisruptionBudget cache-1");
    }

    @Test
    void becomesReadyWhenEveryPodIsReady() {
        create(TestClusters.minimal("cache", 2));
        await().atMost(WAIT).until(() -> sts("cache-1") != null);
        podsReady("cache-0", 2);
        podsReady("cache-1", 2);
        await().atMost(WAIT).untilAsserted(() -> {
            MoonCluster now = get("cache");
            assertThat(now.getStatus().phase).isEqualTo(Phase.Ready);
            assertThat(now.getStatus().ready).isEqualTo("4/4");
            assertThat(condition(now, Conditions.READY)).isEqualTo("True");
            assertThat(condition(now, Conditions.PROGRESSING)).isEqualTo("False");
        });
    }

    @Test
    void settledClusterIsNotRewritten() throws Exception {
        create(TestClusters.minimal("cache", 1));
        await().atMost(WAIT).until(() -> sts("cache-0") != null);
        podsReady("cache-0", 2);
        await().atMost(WAIT).until(() -> get("cache").getStatus().phase == Phase.Ready);
        // Reconciles queued before the cluster turned Ready may still finish on a busy machine:
        // wait until nothing has been written for one recheck interval, then watch another.
        await().atMost(WAIT).until(() -> {
            String before = versions();
            Thread.sleep(1200);
            return versions().equals(before);
        });
        String sts = sts("cache-0").getMetadata().getResourceVersion();
        String cm = configMap("cache-config").getMetadata().getResourceVersion();
        String status = get("cache").getMetadata().getResourceVersion();
        Thread.sleep(2500); // more than one recheck interval
        assertThat(sts("cache-0").getMetadata().getResourceVersion()).isEqualTo(sts);
        assertThat(configMap("cache-config").getMetadata().getResourceVersion()).isEqualTo(cm);
        assertThat(get("cache").getMetadata().getResourceVersion()).isEqualTo(status);
    }

    private String versions() {
        return sts("cache-0").getMetadata().getResourceVersion() + "/"
                + configMap("cache-config").getMetadata().getResourceVersion() + "/"
                + get("cache").getMetadata().getResourceVersion();
    }

    @Test
    void scalesReplicasPerShard() {
        create(TestClusters.minimal("cache", 2));
        await().atMost(WAIT).until(() -> sts("cache-1") != null);
        edit("cache", mc -> mc.getSpec().replicasPerShard = 2);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(sts("cache-0").getSpec().getReplicas()).isEqualTo(3);
            assertThat(sts("cache-1").getSpec().getReplicas()).isEqualTo(3);
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(get("cache").getStatus().desiredPods).isEqualTo(6));
        assertThat(events()).extracting(Event::getMessage).contains("Updated StatefulSet cache-0");
    }

    @Test
    void changesResources() {
        create(TestClusters.minimal("cache", 1));
        await().atMost(WAIT).until(() -> sts("cache-0") != null);
        edit("cache", mc -> mc.getSpec().resources = new ResourceRequirementsBuilder()
                .addToLimits("cpu", new Quantity("3")).addToLimits("memory", new Quantity("2Gi")).build());
        await().atMost(WAIT).untilAsserted(() -> assertThat(sts("cache-0").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getResources().getLimits()).containsEntry("memory", new Quantity("2Gi")));
        // The node's event loops follow the CPU limit.
        assertThat(configMap("cache-config").getData().get("moon.conf")).contains("shards 3");
    }

    @Test
    void changesConfigAndRollsThePods() {
        create(TestClusters.minimal("cache", 1));
        await().atMost(WAIT).until(() -> sts("cache-0") != null);
        String hash = sts("cache-0").getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION);
        edit("cache", mc -> mc.getSpec().config.put("slowlog-max-len", "999"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(configMap("cache-config").getData().get("moon.conf")).contains("slowlog-max-len 999"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(sts("cache-0").getSpec().getTemplate().getMetadata().getAnnotations()
                .get(Labels.CONFIG_HASH_ANNOTATION)).isNotEqualTo(hash));
    }

    @Test
    void addsShards() {
        create(TestClusters.minimal("cache", 1));
        await().atMost(WAIT).until(() -> sts("cache-0") != null);
        edit("cache", mc -> mc.getSpec().shards = 3);
        await().atMost(WAIT).until(() -> sts("cache-2") != null && pdb("cache-2") != null);
    }

    @Test
    void refusesFewerShardsWithDegradedAndEvent() {
        create(TestClusters.minimal("cache", 2));
        await().atMost(WAIT).until(() -> sts("cache-1") != null);
        edit("cache", mc -> {
            mc.getSpec().shards = 1;
            mc.getSpec().replicasPerShard = 3; // must not be applied either
        });
        await().atMost(WAIT).untilAsserted(() -> {
            MoonCluster now = get("cache");
            assertThat(now.getStatus().phase).isEqualTo(Phase.Degraded);
            assertThat(conditionReason(now, Conditions.DEGRADED)).isEqualTo("ChangeRefused");
            assertThat(conditionMessage(now, Conditions.DEGRADED)).contains("spec.shards: may not shrink (from 2 to 1)");
        });
        assertThat(sts("cache-1")).isNotNull();
        assertThat(sts("cache-0").getSpec().getReplicas()).isEqualTo(2);
        assertThat(warnings()).extracting(Event::getReason).contains("ChangeRefused");
    }

    @Test
    void refusesSmallerStorage() {
        create(TestClusters.minimal("cache", 1));
        await().atMost(WAIT).until(() -> sts("cache-0") != null);
        edit("cache", mc -> mc.getSpec().storage.data.size = "500Mi");
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(conditionMessage(get("cache"), Conditions.DEGRADED)).contains("spec.storage.data.size: may not shrink (from 1Gi to 500Mi)"));
        assertThat(sts("cache-0").getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage"))
                .isEqualTo(new Quantity("1Gi"));
    }

    @Test
    void growsStorageByExpandingClaimsAndRecreatingTheStatefulSet() {
        create(TestClusters.minimal("cache", 1));
        await().atMost(WAIT).until(() -> sts("cache-0") != null);
        String uid = sts("cache-0").getMetadata().getUid();
        claim("data-cache-0-0", "cache", 0, "1Gi");
        claim("data-cache-0-1", "cache", 0, "1Gi");
        edit("cache", mc -> mc.getSpec().storage.data.size = "2Gi");
        await().atMost(WAIT).untilAsserted(() -> {
            StatefulSet now = sts("cache-0");
            assertThat(now).as("recreated StatefulSet").isNotNull(); // absent while it is recreated
            assertThat(now.getMetadata().getUid()).isNotEqualTo(uid);
            assertThat(now.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests()
                    .get("storage")).isEqualTo(new Quantity("2Gi"));
        });
        for (String c : List.of("data-cache-0-0", "data-cache-0-1")) {
            assertThat(pvc(c).getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("2Gi"));
        }
        assertThat(eventReasons()).contains("ClaimExpanded", "StatefulSetRecreated");
    }

    @Test
    void invalidSpecCreatesNothingAndSaysWhy() {
        MoonCluster mc = TestClusters.minimal("cache", 1);
        mc.getSpec().config.put("turbo-mode", "yes");
        mc.getSpec().config.put("port", "7000");
        create(mc);
        await().atMost(WAIT).untilAsserted(() -> {
            MoonCluster now = get("cache");
            assertThat(now.getStatus().phase).isEqualTo(Phase.Degraded);
            assertThat(condition(now, Conditions.DEGRADED)).isEqualTo("True");
            assertThat(conditionReason(now, Conditions.DEGRADED)).isEqualTo("InvalidSpec");
            assertThat(conditionMessage(now, Conditions.DEGRADED))
                    .contains("spec.config.turbo-mode: is not a setting the data node knows")
                    .contains("spec.config.port: is set by the operator");
        });
        assertThat(sts("cache-0")).isNull();
        assertThat(configMap("cache-config")).isNull();
        assertThat(warnings()).extracting(Event::getReason).containsOnlyOnce("InvalidSpec");
        // Fixing the spec lets it through.
        edit("cache", m -> m.getSpec().config.clear());
        await().atMost(WAIT).until(() -> sts("cache-0") != null);
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(get("cache"), Conditions.DEGRADED)).isEqualTo("False"));
    }

    /**
     * An API failure mid-way is reported (Degraded ReconcileError, Warning Event) and retried.
     * A 403, as a missing RBAC rule gives: the client itself retries 5xx answers.
     */
    @Test
    void apiErrorsAreReportedAndRetried() {
        server.expect().post().withPath("/apis/apps/v1/namespaces/" + NS + "/statefulsets")
                .andReturn(403, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("statefulsets.apps is forbidden: etcd is on fire").build())
                .once();
        create(TestClusters.minimal("cache", 1));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(warnings()).extracting(Event::getReason).contains("ReconcileError");
            assertThat(warnings()).extracting(Event::getMessage).anyMatch(m -> m.contains("etcd is on fire"));
        });
        // The SDK retries; once the API server recovers the StatefulSet is made and Degraded clears.
        await().atMost(Duration.ofSeconds(40)).until(() -> sts("cache-0") != null);
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(get("cache"), Conditions.DEGRADED)).isEqualTo("False"));
    }

    @Test
    void refusedSpecStillReportsTheRunningShards() {
        create(TestClusters.minimal("cache", 1));
        await().atMost(WAIT).until(() -> sts("cache-0") != null);
        podsReady("cache-0", 2);
        edit("cache", mc -> mc.getSpec().config.put("no-such-setting", "1"));
        await().atMost(WAIT).untilAsserted(() -> {
            MoonCluster now = get("cache");
            assertThat(conditionReason(now, Conditions.DEGRADED)).isEqualTo("InvalidSpec");
            assertThat(now.getStatus().ready).isEqualTo("2/2");
        });
    }

    @Test
    void pausesAndResumes() {
        create(TestClusters.minimal("cache", 1));
        await().atMost(WAIT).until(() -> sts("cache-0") != null);
        edit("cache", mc -> {
            mc.getMetadata().getAnnotations().put(Labels.PAUSE_ANNOTATION, "true");
            mc.getSpec().replicasPerShard = 3;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            MoonCluster now = get("cache");
            assertThat(now.getStatus().phase).isEqualTo(Phase.Paused);
            assertThat(condition(now, Conditions.RECONCILIATION_PAUSED)).isEqualTo("True");
        });
        assertThat(sts("cache-0").getSpec().getReplicas()).isEqualTo(2);
        assertThat(eventReasons()).contains("ReconciliationPaused");

        edit("cache", mc -> mc.getMetadata().getAnnotations().remove(Labels.PAUSE_ANNOTATION));
        await().atMost(WAIT).untilAsserted(() -> assertThat(sts("cache-0").getSpec().getReplicas()).isEqualTo(4));
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(get("cache"), Conditions.RECONCILIATION_PAUSED)).isEqualTo("False"));
        assertThat(eventReasons()).contains("ReconciliationResumed");
    }

    @Test
    void waitsForThePasswordSecret() {
        MoonCluster mc = TestClusters.minimal("cache", 1);
        mc.getSpec().auth = new AuthSpec("cache-auth", null);
        create(mc);
        await().atMost(WAIT).untilAsserted(() -> {
            MoonCluster now = get("cache");
            assertThat(conditionReason(now, Conditions.DEGRADED)).isEqualTo("AuthSecretMissing");
            assertThat(conditionMessage(now, Conditions.DEGRADED)).contains("Secret cache-auth not found");
        });
        assertThat(sts("cache-0")).isNull();
        client.resource(new SecretBuilder().withNewMetadata().withName("cache-auth").withNamespace(NS).endMetadata()
                .addToStringData("password", "s3cret").build()).create();
        await().atMost(WAIT).until(() -> sts("cache-0") != null);
        StatefulSet s = sts("cache-0");
        assertThat(s.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey(Labels.AUTH_VERSION_ANNOTATION);
        assertThat(s.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).contains("--requirepass");
    }

    @Test
    void disablingBudgetsDeletesThem() {
        create(TestClusters.minimal("cache", 2));
        await().atMost(WAIT).until(() -> pdb("cache-1") != null);
        edit("cache", mc -> mc.getSpec().podDisruptionBudget = new PodDisruptionBudgetSpec(false, null));
        await().atMost(WAIT).until(() -> pdb("cache-0") == null && pdb("cache-1") == null);
        assertThat(eventReasons()).contains("Deleted");
    }

    @Test
    void deletingTheClusterKeepsClaimsByDefault() {
        create(TestClusters.minimal("cache", 1));
        await().atMost(WAIT).until(() -> sts("cache-0") != null);
        claim("data-cache-0-0", "cache", 0, "1Gi");
        client.resource(get("cache")).delete();
        await().atMost(WAIT).until(() -> get("cache") == null);
        assertThat(pvc("data-cache-0-0")).isNotNull();
        assertThat(eventReasons()).contains("ClaimsRetained");
    }

    @Test
    void deletingTheClusterDeletesClaimsWhenAsked() {
        MoonCluster mc = TestClusters.minimal("cache", 1);
        mc.getSpec().storage.retentionPolicy = new StorageSpec.RetentionPolicy(StorageSpec.Action.Delete, null);
        create(mc);
        await().atMost(WAIT).until(() -> sts("cache-0") != null);
        assertThat(sts("cache-0").getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Delete");
        claim("data-cache-0-0", "cache", 0, "1Gi");
        claim("data-other-0-0", "other", 0, "1Gi");
        client.resource(get("cache")).delete();
        await().atMost(WAIT).until(() -> get("cache") == null);
        await().atMost(WAIT).until(() -> pvc("data-cache-0-0") == null);
        assertThat(pvc("data-other-0-0")).as("another cluster's claim").isNotNull();
        assertThat(eventReasons()).contains("ClaimsDeleted");
    }

    // ---------------------------------------------------------------------------------------

    private void create(MoonCluster mc) {
        mc.getMetadata().setUid(null);
        mc.getMetadata().setGeneration(null);
        client.resource(mc).create();
    }

    private MoonCluster get(String name) {
        return client.resources(MoonCluster.class).inNamespace(NS).withName(name).get();
    }

    /** As kubectl edit: read, change, write; again when the operator wrote status in between (409). */
    private void edit(String name, Consumer<MoonCluster> change) {
        for (int attempt = 0; ; attempt++) {
            try {
                client.resources(MoonCluster.class).inNamespace(NS).withName(name).edit(mc -> {
                    if (mc.getMetadata().getAnnotations() == null) mc.getMetadata().setAnnotations(new java.util.HashMap<>());
                    change.accept(mc);
                    return mc;
                });
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) throw e;
            }
        }
    }

    private StatefulSet sts(String name) {
        return client.apps().statefulSets().inNamespace(NS).withName(name).get();
    }

    private ConfigMap configMap(String name) {
        return client.configMaps().inNamespace(NS).withName(name).get();
    }

    private Service service(String name) {
        return client.services().inNamespace(NS).withName(name).get();
    }

    private PodDisruptionBudget pdb(String name) {
        return client.policy().v1().podDisruptionBudget().inNamespace(NS).withName(name).get();
    }

    private PersistentVolumeClaim pvc(String name) {
        return client.persistentVolumeClaims().inNamespace(NS).withName(name).get();
    }

    /** A claim as the StatefulSet controller would make it from the template. */
    private void claim(String name, String cluster, int shard, String size) {
        Map<String, String> labels = Labels.shard(cluster, shard);
        labels.put(Labels.VOLUME, "data");
        client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .withLabels(labels).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new Quantity(size)).endResources().endSpec().build()).create();
    }

    /** Plays the StatefulSet controller: every pod ready at the current revision. */
    private void podsReady(String name, int pods) {
        await().atMost(WAIT).ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class).until(() -> {
            StatefulSet s = sts(name);
            s.setStatus(new StatefulSetStatusBuilder().withReplicas(pods).withReadyReplicas(pods).withUpdatedReplicas(pods)
                    .withAvailableReplicas(pods).withObservedGeneration(s.getMetadata().getGeneration())
                    .withCurrentRevision("r1").withUpdateRevision("r1").build());
            client.resource(s).updateStatus();
            return true;
        });
    }

    private List<Event> events() {
        return client.v1().events().inNamespace(NS).list().getItems();
    }

    private List<String> eventReasons() {
        return events().stream().map(Event::getReason).toList();
    }

    private List<Event> warnings() {
        return events().stream().filter(e -> "Warning".equals(e.getType())).toList();
    }

    private static String condition(MoonCluster mc, String type) {
        return Conditions.find(mc.getStatus().conditions, type).map(c -> c.getStatus()).orElse(null);
    }

    private static String conditionReason(MoonCluster mc, String type) {
        return mc.getStatus() == null ? null : Conditions.find(mc.getStatus().conditions, type).map(c -> c.getReason()).orElse(null);
    }

    private static String conditionMessage(MoonCluster mc, String type) {
        return mc.getStatus() == null ? null : Conditions.find(mc.getStatus().conditions, type).map(c -> c.getMessage()).orElse(null);
    }
}
