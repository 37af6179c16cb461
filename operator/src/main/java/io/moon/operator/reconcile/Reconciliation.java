package io.moon.operator.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.model.ChangeCheck;
import io.moon.operator.model.Defaults;
import io.moon.operator.model.Labels;
import io.moon.operator.model.MoonClusterModel;
import io.moon.operator.model.Problem;
import io.moon.operator.model.SpecValidator;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconciliation of one MoonCluster, as a flat chain of named steps that reads as a
 * checklist (Strimzi's KafkaReconciler). Each step either does its part and returns true, or
 * stops the chain, having put the reason in the status. Nothing is written to the MoonCluster
 * here: the caller writes {@link #status()} last.
 *
 * <p>Not thread-safe; made and used by one reconciler thread, then dropped.
 */
final class Reconciliation {
    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

    private final MoonCluster mc;
    private final KubernetesClient client;
    private final OperatorSettings settings;
    private final EventRecorder events;
    private final OwnedResources owned;
    private final StatefulSets statefulSets;
    private final ClusterStatus status;

    private Map<Integer, StatefulSet> existing = Map.of();
    private MoonClusterModel model;
    private String authSecretVersion;
    private final Map<Integer, StatefulSet> shards = new HashMap<>();
    private boolean changed;

    Reconciliation(MoonCluster mc, KubernetesClient client, OperatorSettings settings, Clock clock) {
        this.mc = mc;
        this.client = client;
        this.settings = settings;
        this.events = new EventRecorder(client, clock);
        this.owned = new OwnedResources(client, events);
        this.statefulSets = new StatefulSets(client, owned, events);
        this.status = new ClusterStatus(mc, clock.instant());
    }

    /** Runs the steps in order; returns the status to write. */
    ClusterStatus run() {
        if (paused()) return status;
        resumed();
        boolean ok = observe()
                && validate()
                && refuseImpossibleChanges()
                && authSecret()
                && configMap()
                && headlessService()
                && clientService()
                && statefulSets()
                && podDisruptionBudgets()
                && topology();
        if (ok) status.applied(shards, model.shards(), model.podsPerShard(), model.image(), changed);
        return status;
    }

    ClusterStatus status() {
        return status;
    }

    // ---------------------------------------------------------------------------------------
    // steps

    /** The pause annotation stops everything but the status. */
    private boolean paused() {
        Map<String, String> a = mc.getMetadata().getAnnotations();
        if (a == null || !"true".equalsIgnoreCase(a.get(Labels.PAUSE_ANNOTATION))) return false;
        if (!Conditions.isTrue(status.conditions(), Conditions.RECONCILIATION_PAUSED)) {
            events.normal(mc, "ReconciliationPaused", "Annotation " + Labels.PAUSE_ANNOTATION + " is set; no changes until it is removed");
        }
        status.paused();
        return true;
    }

    private void resumed() {
        if (Conditions.isTrue(status.conditions(), Conditions.RECONCILIATION_PAUSED)) {
            events.normal(mc, "ReconciliationResumed", "Annotation " + Labels.PAUSE_ANNOTATION + " removed; reconciling");
        }
    }

    /** What exists, read first: a refused spec still gets the shards' readiness in its status. */
    private boolean observe() {
        existing = statefulSets.existing(mc);
        return true;
    }

    private boolean validate() {
        List<Problem> invalid = SpecValidator.validate(mc);
        if (!invalid.isEmpty()) return refuse("InvalidSpec", "Invalid spec: ", invalid);
        model = MoonClusterModel.fromCrd(mc, settings.defaultNodeImage());
        return true;
    }

    private boolean refuseImpossibleChanges() {
        List<Problem> refused = ChangeCheck.refused(mc.getSpec(), StatefulSets.observe(existing));
        return refused.isEmpty() || refuse("ChangeRefused", "Change refused: ", refused);
    }

    /** The password Secret must exist; its resourceVersion goes on the pod template. */
    private boolean authSecret() {
        if (mc.getSpec().auth == null) return true;
        var ref = mc.getSpec().auth.passwordSecret;
        String key = ref.key == null ? Defaults.PASSWORD_KEY : ref.key;
        Secret secret = client.secrets().inNamespace(mc.getMetadata().getNamespace()).withName(ref.name).get();
        if (secret == null || !hasKey(secret, key)) {
            return refuse("AuthSecretMissing", "", List.of(new Problem("spec.auth.passwordSecret",
                    secret == null ? "Secret " + ref.name + " not found" : "Secret " + ref.name + " has no key " + key)));
        }
        authSecretVersion = secret.getMetadata().getResourceVersion();
        return true;
    }

    private boolean configMap() {
        changed |= owned.apply(mc, model.generateConfigMap()).changed();
        return true;
    }

    private boolean headlessService() {
        changed |= owned.apply(mc, model.generateHeadlessService()).changed();
        return true;
    }

    private boolean clientService() {
        changed |= owned.apply(mc, model.generateClientService()).changed();
        return true;
    }

    /** One per shard; a grown volume expands the claims and recreates the StatefulSet. */
    private boolean statefulSets() {
        for (StatefulSet desired : model.generateStatefulSets(authSecretVersion)) {
            int shard = Integer.parseInt(desired.getMetadata().getLabels().get(Labels.SHARD));
            var applied = statefulSets.apply(mc, existing.get(shard), desired);
            changed |= applied.changed();
            shards.put(shard, applied.object());
        }
        return true;
    }

    /** One per shard, or none (deleting those that exist) when disabled. */
    private boolean podDisruptionBudgets() {
        Set<String> keep = new HashSet<>();
        for (PodDisruptionBudget pdb : model.generatePodDisruptionBudgets()) {
            changed |= owned.apply(mc, pdb).changed();
            keep.add(pdb.getMetadata().getName());
        }
        changed |= owned.deleteOthers(mc, PodDisruptionBudget.class, keep, "spec.podDisruptionBudget.enabled is false") > 0;
        return true;
    }

    /**
     * Slot assignment, replica wiring and topology epochs (DESIGN.md 5.2) come here in a later
     * issue, once every pod of a shard runs; until then each node serves on its own.
     */
    private boolean topology() {
        return true;
    }

    // ---------------------------------------------------------------------------------------

    /** Applies nothing; the problems go into Degraded and, once per change, a Warning Event. */
    private boolean refuse(String reason, String prefix, List<Problem> problems) {
        String message = prefix + problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
        if (Conditions.changes(status.conditions(), Conditions.DEGRADED, true, reason, message)) {
            events.warning(mc, reason, message);
        }
        log.warn("{}/{}: {}", mc.getMetadata().getNamespace(), mc.getMetadata().getName(), message);
        int podsPerShard = 1 + (mc.getSpec() == null || mc.getSpec().replicasPerShard == null
                ? Defaults.REPLICAS_PER_SHARD : mc.getSpec().replicasPerShard);
        int wanted = mc.getSpec() == null || mc.getSpec().shards == null ? 0 : Math.max(0, mc.getSpec().shards);
        status.shardStatus(existing, Math.max(wanted, existing.size()), podsPerShard);
        status.degraded(reason, message);
        return false;
    }

    private static boolean hasKey(Secret s, String key) {
        return (s.getData() != null && s.getData().containsKey(key)) || (s.getStringData() != null && s.getStringData().containsKey(key));
    }
}
