package io.moon.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.moon.operator.api.AuthSpec;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.api.MoonClusterSpec;
import io.moon.operator.api.PodDisruptionBudgetSpec;
import io.moon.operator.api.SchedulingSpec;
import io.moon.operator.api.StorageSpec;
import io.moon.operator.api.VolumeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MoonClusterModelTest {
    private static MoonClusterModel model(MoonCluster mc) {
        return MoonClusterModel.fromCrd(mc, TestClusters.IMAGE);
    }

    @Test
    void oneStatefulSetPerShardWithPrimaryPlusReplicas() {
        MoonCluster mc = TestClusters.minimal("cache", 3);
        mc.getSpec().replicasPerShard = 2;
        List<StatefulSet> sets = model(mc).generateStatefulSets(null);
        assertThat(sets).extracting(s -> s.getMetadata().getName()).containsExactly("cache-0", "cache-1", "cache-2");
        assertThat(sets).allSatisfy(s -> {
            assertThat(s.getSpec().getReplicas()).isEqualTo(3);
            assertThat(s.getSpec().getServiceName()).isEqualTo("cache-nodes");
            assertThat(s.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        });
        StatefulSet s1 = sets.get(1);
        assertThat(s1.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of(Labels.CLUSTER, "cache", Labels.SHARD, "1"));
        assertThat(s1.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(s1.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void defaultsToOneReplicaAndTheOperatorsImage() {
        MoonClusterModel m = model(TestClusters.minimal("cache", 1));
        StatefulSet s = m.generateStatefulSet(0, null);
        assertThat(s.getSpec().getReplicas()).isEqualTo(2);
        Container c = container(s);
        assertThat(c.getImage()).isEqualTo(TestClusters.IMAGE);
        assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(s.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(120L);
    }

    @Test
    void specImageAndPullPolicyWin() {
        MoonCluster mc = TestClusters.minimal("cache", 1);
        mc.getSpec().image = "example/moon:2";
        mc.getSpec().imagePullPolicy = MoonClusterSpec.PullPolicy.Always;
        Container c = container(model(mc).generateStatefulSet(0, null));
        assertThat(c.getImage()).isEqualTo("example/moon:2");
        assertThat(c.getImagePullPolicy()).isEqualTo("Always");
    }

    @Test
    void claimTemplatesForDataWarmAndCold() {
        MoonCluster mc = TestClusters.minimal("cache", 1);
        mc.getSpec().storage = new StorageSpec(new VolumeSpec("10Gi", "standard"));
        mc.getSpec().storage.warm = new VolumeSpec("20Gi", "fast");
        mc.getSpec().storage.cold = new VolumeSpec("200Gi", "nvme");
        StatefulSet s = model(mc).generateStatefulSet(0, null);
        assertThat(s.getSpec().getVolumeClaimTemplates()).extracting(p -> p.getMetadata().getName())
                .containsExactly("data", "warm", "cold");
        var cold = s.getSpec().getVolumeClaimTemplates().get(2);
        assertThat(cold.getSpec().getStorageClassName()).isEqualTo("nvme");
        assertThat(cold.getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("200Gi"));
        assertThat(cold.getMetadata().getLabels()).containsEntry(Labels.VOLUME, "cold").containsEntry(Labels.SHARD, "0");
        assertThat(container(s).getVolumeMounts()).extracting(VolumeMount::getMountPath)
                .containsExactly("/data", "/tier/warm", "/tier/cold", "/etc/moon", "/tmp");
    }

    @Test
    void onlyDataVolumeByDefault() {
        StatefulSet s = model(TestClusters.minimal("cache", 1)).generateStatefulSet(0, null);
        assertThat(s.getSpec().getVolumeClaimTemplates()).extracting(p -> p.getMetadata().getName()).containsExactly("data");
        assertThat(container(s).getVolumeMounts()).extracting(VolumeMount::getMountPath).containsExactly("/data", "/etc/moon", "/tmp");
    }

    @Test
    void claimsAreKeptByDefaultAndDeletedOnRequest() {
        MoonCluster mc = TestClusters.minimal("cache", 1);
        var keep = model(mc).generateStatefulSet(0, null).getSpec().getPersistentVolumeClaimRetentionPolicy();
        assertThat(keep.getWhenDeleted()).isEqualTo("Retain");
        assertThat(keep.getWhenScaled()).isEqualTo("Retain");
        mc.getSpec().storage.retentionPolicy = new StorageSpec.RetentionPolicy(StorageSpec.Action.Delete, null);
        var delete = model(mc).generateStatefulSet(0, null).getSpec().getPersistentVolumeClaimRetentionPolicy();
        assertThat(delete.getWhenDeleted()).isEqualTo("Delete");
        assertThat(delete.getWhenScaled()).isEqualTo("Retain");
    }

    @Test
    void podIsNonRootWithReadOnlyRootFileSystem() {
        StatefulSet s = model(TestClusters.minimal("cache", 1)).generateStatefulSet(0, null);
        PodSpec pod = s.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(65532L);
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        Container c = container(s);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    }

    @Test
    void probesAndCleanShutdown() {
        Container c = container(model(TestClusters.minimal("cache", 1)).generateStatefulSet(0, null));
        assertThat(c.getReadinessProbe().getExec().getCommand()).containsExactly("/opt/moon/bin/moon-probe", "ready");
        assertThat(c.getLivenessProbe().getTcpSocket().getPort().getStrVal()).isEqualTo("redis");
        assertThat(c.getStartupProbe().getFailureThreshold() * c.getStartupProbe().getPeriodSeconds()).isGreaterThanOrEqualTo(600);
        assertThat(c.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("/opt/moon/bin/moon-probe", "shutdown");
        assertThat(c.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(6379));
        assertThat(c.getArgs()).containsExactly("/etc/moon/moon.conf");
    }

    @Test
    void podsAnnounceTheirStableDnsName() {
        Container c = container(model(TestClusters.minimal("cache", 1)).generateStatefulSet(0, null));
        assertThat(c.getEnv()).extracting(EnvVar::getName).contains("POD_NAME", "POD_NAMESPACE", "MOON_ANNOUNCE_HOSTNAME");
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("MOON_ANNOUNCE_HOSTNAME")).singleElement()
                .extracting(EnvVar::getValue).isEqualTo("$(POD_NAME).cache-nodes.$(POD_NAMESPACE).svc");
    }

    @Test
    void passwordComesFromTheSecretAndItsVersionRollsThePods() {
        MoonCluster mc = TestClusters.minimal("cache", 1);
        mc.getSpec().auth = new AuthSpec("cache-auth", null);
        StatefulSet s = model(mc).generateStatefulSet(0, "42");
        Container c = container(s);
        EnvVar pw = c.getEnv().stream().filter(e -> e.getName().equals("MOON_PASSWORD")).findFirst().orElseThrow();
        assertThat(pw.getValueFrom().getSecretKeyRef().getName()).isEqualTo("cache-auth");
        assertThat(pw.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        assertThat(c.getArgs()).containsExactly("/etc/moon/moon.conf", "--requirepass", "$(MOON_PASSWORD)");
        assertThat(s.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry(Labels.AUTH_VERSION_ANNOTATION, "42");
        assertThat(hash(model(mc).generateStatefulSet(0, "43"))).isNotEqualTo(hash(s));
    }

    @Test
    void configChangeChangesThePodTemplateHash() {
        MoonCluster mc = TestClusters.minimal("cache", 1);
        StatefulSet before = model(mc).generateStatefulSet(0, null);
        mc.getSpec().config.put("hz", "50");
        StatefulSet after = model(mc).generateStatefulSet(0, null);
        assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION))
                .isNotEqualTo(before.getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION));
        assertThat(hash(after)).isNotEqualTo(hash(before));
    }

    @Test
    void sameSpecGivesTheSameObjectsAndHashes() {
        assertThat(model(TestClusters.minimal("cache", 2)).generateStatefulSets(null))
                .isEqualTo(model(TestClusters.minimal("cache", 2)).generateStatefulSets(null));
        assertThat(hash(model(TestClusters.minimal("cache", 2)).generateConfigMap()))
                .isEqualTo(hash(model(TestClusters.minimal("cache", 2)).generateConfigMap()));
    }

    @Test
    void resourcesArePassedThrough() {
        MoonCluster mc = TestClusters.minimal("cache", 1);
        mc.getSpec().resources = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("2"))
                .addToLimits("memory", new Quantity("4Gi")).build();
        assertThat(container(model(mc).generateStatefulSet(0, null)).getResources()).isEqualTo(mc.getSpec().resources);
    }

    @Test
    void podsOfAShardAreOnDifferentNodesByDefault() {
        StatefulSet s = model(TestClusters.minimal("cache", 2)).generateStatefulSet(1, null);
        var terms = s.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution();
        assertThat(terms).singleElement().satisfies(t -> {
            assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(t.getLabelSelector().getMatchLabels()).isEqualTo(Labels.shardSelector("cache", 1));
        });
    }

    @Test
    void schedulingOptionsAreApplied() {
        MoonCluster mc = TestClusters.minimal("cache", 1);
        mc.getSpec().scheduling = new SchedulingSpec();
        mc.getSpec().scheduling.shardAntiAffinity = SchedulingSpec.ShardAntiAffinity.Preferred;
        mc.getSpec().scheduling.tolerations = List.of(new TolerationBuilder().withKey("dedicated").withValue("moon")
                .withOperator("Equal").withEffect("NoSchedule").build());
        mc.getSpec().scheduling.nodeSelector = Map.of("disk", "nvme");
        mc.getSpec().scheduling.priorityClassName = "high";
        mc.getSpec().scheduling.affinity = new AffinityBuilder().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm().addNewMatchExpression()
                .withKey("zone").withOperator("In").withValues("a").endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        PodSpec pod = model(mc).generateStatefulSet(0, null).getSpec().getTemplate().getSpec();
        assertThat(pod.getTolerations()).hasSize(1);
        assertThat(pod.getNodeSelector()).containsEntry("disk", "nvme");
        assertThat(pod.getPriorityClassName()).isEqualTo("high");
        assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
        assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
        assertThat(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()).isEmpty();

        mc.getSpec().scheduling.shardAntiAffinity = SchedulingSpec.ShardAntiAffinity.None;
        mc.getSpec().scheduling.affinity = null;
        assertThat(model(mc).generateStatefulSet(0, null).getSpec().getTemplate().getSpec().getAffinity()).isNull();
    }

    @Test
    void usersPodAntiAffinityReplacesTheDefault() {
        MoonCluster mc = TestClusters.minimal("cache", 1);
        mc.getSpec().scheduling = new SchedulingSpec();
        mc.getSpec().scheduling.affinity = new AffinityBuilder().withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(1).withNewPodAffinityTerm()
                .withTopologyKey("topology.kubernetes.io/zone").endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().build();
        var anti = model(mc).generateStatefulSet(0, null).getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
        assertThat(anti).isEqualTo(mc.getSpec().scheduling.affinity.getPodAntiAffinity());
    }

    @Test
    void servicesSelectTheWholeCluster() {
        MoonClusterModel m = model(TestClusters.minimal("cache", 2));
        Service headless = m.generateHeadlessService();
        assertThat(headless.getMetadata().getName()).isEqualTo("cache-nodes");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(headless.getSpec().getSelector()).isEqualTo(Map.of(Labels.CLUSTER, "cache"));
        Service client = m.generateClientService();
        assertThat(client.getMetadata().getName()).isEqualTo("cache");
        assertThat(client.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(client.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(6379));
    }

    @Test
    void configMapHoldsBothFiles() {
        ConfigMap cm = model(TestClusters.minimal("cache", 1)).generateConfigMap();
        assertThat(cm.getMetadata().getName()).isEqualTo("cache-config");
        assertThat(cm.getData()).containsOnlyKeys("moon.conf", "tiering.conf");
        assertThat(cm.getData().get("moon.conf")).contains("port 6379");
    }

    @Test
    void onePodDisruptionBudgetPerShardUnlessDisabled() {
        MoonCluster mc = TestClusters.minimal("cache", 2);
        List<PodDisruptionBudget> pdbs = model(mc).generatePodDisruptionBudgets();
        assertThat(pdbs).extracting(p -> p.getMetadata().getName()).containsExactly("cache-0", "cache-1");
        assertThat(pdbs.get(1).getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdbs.get(1).getSpec().getSelector().getMatchLabels()).isEqualTo(Labels.shardSelector("cache", 1));
        mc.getSpec().podDisruptionBudget = new PodDisruptionBudgetSpec(false, null);
        assertThat(model(mc).generatePodDisruptionBudgets()).isEmpty();
    }

    @Test
    void everyObjectIsOwnedByTheClusterAndLabelled() {
        MoonClusterModel m = model(TestClusters.minimal("cache", 2));
        List<HasMetadata> all = new ArrayList<>();
        all.add(m.generateConfigMap());
        all.add(m.generateHeadlessService());
        all.add(m.generateClientService());
        all.addAll(m.generateStatefulSets(null));
        all.addAll(m.generatePodDisruptionBudgets());
        assertThat(all).hasSize(7).allSatisfy(o -> {
            assertThat(o.getMetadata().getNamespace()).isEqualTo(TestClusters.NAMESPACE);
            assertThat(o.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
                assertThat(r.getKind()).isEqualTo("MoonCluster");
                assertThat(r.getApiVersion()).isEqualTo("moon.io/v1alpha1");
                assertThat(r.getUid()).isEqualTo("uid-cache");
                assertThat(r.getController()).isTrue();
            });
            assertThat(o.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, "moon-operator").containsEntry(Labels.CLUSTER, "cache");
            assertThat(hash(o)).hasSize(32);
        });
    }

    private static String hash(HasMetadata o) {
        return o.getMetadata().getAnnotations().get(Labels.DESIRED_HASH_ANNOTATION);
    }

    private static Container container(StatefulSet s) {
        return s.getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}
