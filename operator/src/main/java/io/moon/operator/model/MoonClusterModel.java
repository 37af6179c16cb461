package io.moon.operator.model;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.PodAntiAffinityBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.api.MoonClusterSpec;
import io.moon.operator.api.SchedulingSpec;
import io.moon.operator.api.StorageSpec;
import io.moon.operator.api.VolumeSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The desired Kubernetes objects of one MoonCluster, built without talking to the API server
 * (as Strimzi's KafkaCluster): a ConfigMap with moon.conf, a headless Service for stable pod
 * DNS, a client Service, and per shard a StatefulSet and a PodDisruptionBudget. Every object
 * carries an owner reference to the MoonCluster (garbage collection on delete) and the
 * {@link Labels#DESIRED_HASH_ANNOTATION} of its own content, which the reconciler compares
 * to decide whether to update.
 *
 * <p>Build it with {@link #fromCrd} from a spec that passed {@link SpecValidator}.
 */
public final class MoonClusterModel {
    private final MoonCluster mc;
    private final MoonClusterSpec spec;
    private final String name;
    private final String namespace;
    private final String image;
    private final int podsPerShard;
    private final String moonConf;
    private final String tieringConf;

    private MoonClusterModel(MoonCluster mc, String image) {
        this.mc = mc;
        this.spec = mc.getSpec();
        this.name = mc.getMetadata().getName();
        this.namespace = mc.getMetadata().getNamespace();
        this.image = image;
        int replicas = spec.replicasPerShard == null ? Defaults.REPLICAS_PER_SHARD : spec.replicasPerShard;
        this.podsPerShard = 1 + replicas;
        this.moonConf = NodeConfig.render(spec);
        this.tieringConf = NodeConfig.renderTiering(spec);
    }

    /**
     * @param defaultImage the node image used when the spec names none (the operator's
     *     --node-image, which matches the operator's own version)
     */
    public static MoonClusterModel fromCrd(MoonCluster mc, String defaultImage) {
        String image = mc.getSpec().image != null ? mc.getSpec().image : defaultImage;
        return new MoonClusterModel(mc, image);
    }

    public String name() {
        return name;
    }

    public String namespace() {
        return namespace;
    }

    public int shards() {
        return spec.shards;
    }

    public int podsPerShard() {
        return podsPerShard;
    }

    public String image() {
        return image;
    }

    public MoonClusterSpec spec() {
        return spec;
    }

    // ----------------------------------------------------------------------------------------
    // ConfigMap and Services

    public ConfigMap generateConfigMap() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(Defaults.CONFIG_FILE, moonConf);
        data.put(Defaults.TIERING_FILE, tieringConf);
        return withHash(new ConfigMapBuilder()
                .withMetadata(meta(Names.configMap(name), Labels.cluster(name)))
                .withData(data)
                .build());
    }

    /** Hash of the configuration files; on the pod template, so a config change rolls the pods. */
    public String configHash() {
        return sha256(moonConf + "\0" + tieringConf);
    }

    /**
     * Gives each pod the DNS name {@code <pod>.<cluster>-nodes.<ns>.svc}. Not-ready pods are
     * published too: replicas and the operator must reach a node while it is still loading.
     */
    public Service generateHeadlessService() {
        return withHash(new ServiceBuilder()
                .withMetadata(meta(Names.headlessService(name), Labels.cluster(name)))
                .withNewSpec()
                    .withClusterIP("None")
                    .withPublishNotReadyAddresses(true)
                    .withSelector(Labels.clusterSelector(name))
                    .addNewPort().withName(Names.PORT_NAME).withPort(Defaults.PORT)
                        .withTargetPort(new IntOrString(Names.PORT_NAME)).withProtocol("TCP").endPort()
                .endSpec()
                .build());
    }

    /** What clients connect to: every ready node of the cluster. */
    public Service generateClientService() {
        return withHash(new ServiceBuilder()
                .withMetadata(meta(Names.clientService(name), Labels.cluster(name)))
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(Labels.clusterSelector(name))
                    .addNewPort().withName(Names.PORT_NAME).withPort(Defaults.PORT)
                        .withTargetPort(new IntOrString(Names.PORT_NAME)).withProtocol("TCP").endPort()
                .endSpec()
                .build());
    }

    // ----------------------------------------------------------------------------------------
    // StatefulSets

    public List<StatefulSet> generateStatefulSets(String authSecretVersion) {
        List<StatefulSet> out = new ArrayList<>();
        for (int shard = 0; shard < spec.shards; shard++) out.add(generateStatefulSet(shard, authSecretVersion));
        return out;
    }

    /**
     * One shard: {@code 1 + replicasPerShard} pods, each with its claims. Parallel pod
     * management, because the pods of a shard do not depend on each other to start (the
     * operator wires replication later, once they run).
     *
     * @param authSecretVersion resourceVersion of the password Secret, or null without auth
     */
    public StatefulSet generateStatefulSet(int shard, String authSecretVersion) {
        String sts = Names.statefulSet(name, shard);
        Map<String, String> podAnnotations = new LinkedHashMap<>();
        podAnnotations.put(Labels.CONFIG_HASH_ANNOTATION, configHash());
        if (authSecretVersion != null) podAnnotations.put(Labels.AUTH_VERSION_ANNOTATION, authSecretVersion);
        StorageSpec.RetentionPolicy rp = spec.storage.retentionPolicy;
        StorageSpec.Action whenDeleted = rp == null || rp.whenDeleted == null ? Defaults.CLAIMS_WHEN_DELETED : rp.whenDeleted;
        StorageSpec.Action whenScaled = rp == null || rp.whenScaled == null ? Defaults.CLAIMS_WHEN_SCALED : rp.whenScaled;
        SchedulingSpec sched = spec.scheduling == null ? new SchedulingSpec() : spec.scheduling;
        int grace = spec.terminationGracePeriodSeconds == null
                ? Defaults.TERMINATION_GRACE_PERIOD_SECONDS : spec.terminationGracePeriodSeconds;

        return withHash(new StatefulSetBuilder()
                .withMetadata(meta(sts, Labels.shard(name, shard)))
                .withNewSpec()
                    .withReplicas(podsPerShard)
                    .withServiceName(Names.headlessService(name))
                    .withPodManagementPolicy("Parallel")
                    .withNewSelector().withMatchLabels(Labels.shardSelector(name, shard)).endSelector()
                    .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                    .withNewPersistentVolumeClaimRetentionPolicy()
                        .withWhenDeleted(whenDeleted.name()).withWhenScaled(whenScaled.name())
                    .endPersistentVolumeClaimRetentionPolicy()
                    .withVolumeClaimTemplates(claimTemplates(shard))
                    .withNewTemplate()
                        .withNewMetadata().withLabels(Labels.shard(name, shard)).withAnnotations(podAnnotations).endMetadata()
                        .withNewSpec()
                            .withContainers(container(shard))
                            .withVolumes(podVolumes())
                            .withTerminationGracePeriodSeconds((long) grace)
                            // The node never calls the API server; no token in the pod.
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withSecurityContext(new PodSecurityContextBuilder()
                                    .withRunAsNonRoot(true)
                                    .withRunAsUser(Defaults.RUN_AS_USER)
                                    .withRunAsGroup(Defaults.RUN_AS_USER)
                                    .withFsGroup(Defaults.RUN_AS_USER)
                                    .withFsGroupChangePolicy("OnRootMismatch")
                                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                                    .build())
                            .withAffinity(affinity(shard, sched))
                            .withTolerations(sched.tolerations)
                            .withTopologySpreadConstraints(sched.topologySpreadConstraints)
                            .withNodeSelector(sched.nodeSelector)
                            .withPriorityClassName(sched.priorityClassName)
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build());
    }

    private List<PersistentVolumeClaim> claimTemplates(int shard) {
        List<PersistentVolumeClaim> out = new ArrayList<>();
        for (var e : ChangeCheck.volumes(spec.storage).entrySet()) {
            VolumeSpec v = e.getValue();
            Map<String, String> labels = Labels.shard(name, shard);
            labels.put(Labels.VOLUME, e.getKey());
            out.add(new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName(e.getKey()).withLabels(labels).endMetadata()
                    .withNewSpec()
                        .withAccessModes("ReadWriteOnce")
                        .withStorageClassName(v.storageClassName)
                        .withNewResources().addToRequests("storage", new Quantity(v.size)).endResources()
                    .endSpec()
                    .build());
        }
        return out;
    }

    private List<Volume> podVolumes() {
        List<Volume> out = new ArrayList<>();
        out.add(new VolumeBuilder().withName(Names.CONFIG_VOLUME)
                .withNewConfigMap().withName(Names.configMap(name)).endConfigMap().build());
        // The root file system is read-only; the JVM and the probe script need a scratch /tmp.
        out.add(new VolumeBuilder().withName(Names.TMP_VOLUME)
                .withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir().build());
        return out;
    }

    private Container container(int shard) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(mount(Names.DATA_VOLUME, Defaults.DATA_PATH, false));
        if (spec.storage.warm != null) mounts.add(mount(Names.WARM_VOLUME, Defaults.WARM_PATH, false));
        if (spec.storage.cold != null) mounts.add(mount(Names.COLD_VOLUME, Defaults.COLD_PATH, false));
        mounts.add(mount(Names.CONFIG_VOLUME, Defaults.CONFIG_PATH, true));
        mounts.add(mount(Names.TMP_VOLUME, "/tmp", false));

        List<EnvVar> env = new ArrayList<>();
        env.add(fieldEnv("POD_NAME", "metadata.name"));
        env.add(fieldEnv("POD_NAMESPACE", "metadata.namespace"));
        // The name this pod announces (DESIGN.md 5.2): stable across restarts, unlike its IP.
        env.add(new EnvVar("MOON_ANNOUNCE_HOSTNAME", "$(POD_NAME)." + Names.headlessService(name) + ".$(POD_NAMESPACE).svc", null));
        env.add(new EnvVar("MOON_CLUSTER", name, null));
        env.add(new EnvVar("MOON_SHARD", Integer.toString(shard), null));
        List<String> args = new ArrayList<>(List.of(Defaults.CONFIG_PATH + "/" + Defaults.CONFIG_FILE));
        if (spec.auth != null) {
            String key = spec.auth.passwordSecret.key == null ? Defaults.PASSWORD_KEY : spec.auth.passwordSecret.key;
            env.add(new EnvVarBuilder().withName("MOON_PASSWORD").withNewValueFrom().withNewSecretKeyRef()
                    .withName(spec.auth.passwordSecret.name).withKey(key).endSecretKeyRef().endValueFrom().build());
            // The node reads no password file yet, so it comes as a flag; the kubelet expands
            // $(MOON_PASSWORD). The probe script authenticates with the same variable.
            args.add("--requirepass");
            args.add("$(MOON_PASSWORD)");
        }
        ResourceRequirements resources = spec.resources;
        return new ContainerBuilder()
                .withName(Names.CONTAINER)
                .withImage(image)
                .withImagePullPolicy((spec.imagePullPolicy == null ? Defaults.IMAGE_PULL_POLICY : spec.imagePullPolicy).name())
                .withArgs(args)
                .withEnv(env)
                .addNewPort().withName(Names.PORT_NAME).withContainerPort(Defaults.PORT).withProtocol("TCP").endPort()
                .withResources(resources)
                .withVolumeMounts(mounts)
                // Start-up may replay a log; give it up to 10 minutes before liveness counts.
                .withStartupProbe(tcpProbe(5, 120))
                .withLivenessProbe(tcpProbe(10, 6))
                // Ready only when the node answers PING in RESP (authenticated if needed).
                .withReadinessProbe(new ProbeBuilder().withNewExec().withCommand(Defaults.PROBE, "ready").endExec()
                        .withPeriodSeconds(5).withTimeoutSeconds(3).withFailureThreshold(3).build())
                .withNewLifecycle().withNewPreStop().withNewExec().withCommand(Defaults.PROBE, "shutdown").endExec()
                    .endPreStop().endLifecycle()
                .withSecurityContext(new SecurityContextBuilder()
                        .withReadOnlyRootFilesystem(true)
                        .withAllowPrivilegeEscalation(false)
                        .withRunAsNonRoot(true)
                        .withNewCapabilities().withDrop("ALL").endCapabilities()
                        .build())
                .build();
    }

    private static Probe tcpProbe(int period, int failures) {
        return new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(Names.PORT_NAME)).endTcpSocket()
                .withPeriodSeconds(period).withTimeoutSeconds(3).withFailureThreshold(failures).build();
    }

    /**
     * The user's affinity, plus (unless they gave a podAntiAffinity) one that keeps the pods of
     * a shard on different nodes. Pods of different shards may share a node.
     */
    private Affinity affinity(int shard, SchedulingSpec sched) {
        Affinity user = sched.affinity;
        if (user != null && user.getPodAntiAffinity() != null) return user;
        SchedulingSpec.ShardAntiAffinity mode = sched.shardAntiAffinity == null
                ? Defaults.SHARD_ANTI_AFFINITY : sched.shardAntiAffinity;
        PodAntiAffinity anti = switch (mode) {
            case None -> null;
            case Required -> new PodAntiAffinityBuilder().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withTopologyKey("kubernetes.io/hostname")
                    .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Labels.shardSelector(name, shard)).build())
                    .endRequiredDuringSchedulingIgnoredDuringExecution().build();
            case Preferred -> new PodAntiAffinityBuilder().addNewPreferredDuringSchedulingIgnoredDuringExecution()
                    .withWeight(100).withNewPodAffinityTerm()
                    .withTopologyKey("kubernetes.io/hostname")
                    .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Labels.shardSelector(name, shard)).build())
                    .endPodAffinityTerm().endPreferredDuringSchedulingIgnoredDuringExecution().build();
        };
        if (anti == null) return user;
        AffinityBuilder b = user == null ? new AffinityBuilder() : new AffinityBuilder(user);
        return b.withPodAntiAffinity(anti).build();
    }

    // ----------------------------------------------------------------------------------------
    // PodDisruptionBudgets

    /** Empty when spec.podDisruptionBudget.enabled is false. */
    public List<PodDisruptionBudget> generatePodDisruptionBudgets() {
        var b = spec.podDisruptionBudget;
        boolean enabled = b == null || b.enabled == null ? Defaults.PDB_ENABLED : b.enabled;
        if (!enabled) return List.of();
        int maxUnavailable = b == null || b.maxUnavailable == null ? Defaults.PDB_MAX_UNAVAILABLE : b.maxUnavailable;
        List<PodDisruptionBudget> out = new ArrayList<>();
        for (int shard = 0; shard < spec.shards; shard++) {
            out.add(withHash(new PodDisruptionBudgetBuilder()
                    .withMetadata(meta(Names.podDisruptionBudget(name, shard), Labels.shard(name, shard)))
                    .withNewSpec()
                        .withMaxUnavailable(new IntOrString(maxUnavailable))
                        .withNewSelector().withMatchLabels(Labels.shardSelector(name, shard)).endSelector()
                    .endSpec()
                    .build()));
        }
        return out;
    }

    // ----------------------------------------------------------------------------------------
    // helpers

    private ObjectMeta meta(String objectName, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(objectName)
                .withNamespace(namespace)
                .withLabels(labels)
                .withOwnerReferences(ownerReference())
                .build();
    }

    /** Controller reference: deleting the MoonCluster garbage-collects what it owns. */
    public OwnerReference ownerReference() {
        return new OwnerReferenceBuilder()
                .withApiVersion(mc.getApiVersion())
                .withKind(mc.getKind())
                .withName(name)
                .withUid(mc.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private static VolumeMount mount(String volume, String path, boolean readOnly) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(readOnly ? true : null).build();
    }

    private static EnvVar fieldEnv(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path)
                .endFieldRef().endValueFrom().build();
    }

    /** Puts the hash of the object's content (without the hash itself) into its annotations. */
    static <T extends HasMetadata> T withHash(T object) {
        String hash = sha256(Serialization.asJson(object));
        Map<String, String> ann = object.getMetadata().getAnnotations() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(object.getMetadata().getAnnotations());
        ann.put(Labels.DESIRED_HASH_ANNOTATION, hash);
        object.getMetadata().setAnnotations(ann);
        return object;
    }

    static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is in every JDK", e);
        }
    }
}
