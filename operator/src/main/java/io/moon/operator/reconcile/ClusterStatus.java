package io.moon.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.api.MoonClusterStatus;
import io.moon.operator.api.MoonClusterStatus.Phase;
import io.moon.operator.api.MoonClusterStatus.ShardStatus;
import io.moon.operator.model.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a MoonCluster's next status from the previous one and what this reconciliation found.
 * Pure: the reconciler writes the result, last, and only when it differs from the stored one.
 *
 * <p>Phase, by precedence: Paused (annotation set), Degraded (spec refused or an error), Ready
 * (every pod ready and at the current template), Creating (the cluster never was Ready),
 * Updating (it was, and is changing now).
 */
public final class ClusterStatus {
    private final MoonCluster mc;
    private final MoonClusterStatus next;
    private final Instant now;

    public ClusterStatus(MoonCluster mc, Instant now) {
        this.mc = mc;
        this.now = now;
        MoonClusterStatus old = mc.getStatus();
        this.next = new MoonClusterStatus();
        if (old != null) {
            next.conditions = new ArrayList<>(old.conditions == null ? List.of() : old.conditions);
            next.shards = old.shards;
            next.readyPods = old.readyPods;
            next.desiredPods = old.desiredPods;
            next.ready = old.ready;
            next.image = old.image;
            next.phase = old.phase;
        }
        next.observedGeneration = mc.getMetadata().getGeneration();
    }

    public MoonClusterStatus status() {
        return next;
    }

    /** The stored conditions, to decide whether a change deserves an Event. */
    public List<Condition> conditions() {
        return next.conditions;
    }

    public void paused() {
        set(Conditions.RECONCILIATION_PAUSED, true, "AnnotationSet",
                "Annotation moon.io/pause-reconciliation is \"true\"; no changes are made");
        next.phase = Phase.Paused;
    }

    /** The spec cannot be applied; nothing was changed. */
    public void degraded(String reason, String message) {
        set(Conditions.RECONCILIATION_PAUSED, false, "NotPaused", "Reconciling");
        set(Conditions.DEGRADED, true, reason, message);
        set(Conditions.PROGRESSING, false, reason, "Changes are on hold until the spec is fixed");
        next.phase = Phase.Degraded;
    }

    /**
     * The resources were applied; readiness comes from the shard StatefulSets.
     *
     * @param changed whether this reconciliation created or updated anything
     */
    public void applied(Map<Integer, StatefulSet> shards, int wantedShards, int podsPerShard, String image, boolean changed) {
        boolean wasReady = Conditions.isTrue(next.conditions, Conditions.READY) || next.phase == Phase.Updating;
        shardStatus(shards, wantedShards, podsPerShard);
        next.image = image;
        boolean allReady = next.shards.stream().allMatch(s -> Objects.equals(s.readyReplicas, s.replicas)
                && Objects.equals(s.updatedReplicas, s.replicas)) && rolledOut(shards) && shards.size() == wantedShards;
        set(Conditions.RECONCILIATION_PAUSED, false, "NotPaused", "Reconciling");
        set(Conditions.DEGRADED, false, "AsExpected", "The spec is applied");
        if (allReady && !changed) {
            set(Conditions.READY, true, "AllPodsReady", next.ready + " pods ready");
            set(Conditions.PROGRESSING, false, "Stable", "Every shard runs the current spec");
            next.phase = Phase.Ready;
        } else {
            set(Conditions.READY, allReady, allReady ? "AllPodsReady" : "PodsNotReady", next.ready + " pods ready");
            set(Conditions.PROGRESSING, true, changed ? "ResourcesChanged" : "RollingOut",
                    changed ? "Resources were created or updated" : "Waiting for pods to be ready at the current spec");
            next.phase = wasReady ? Phase.Updating : Phase.Creating;
        }
    }

    /** Shard entries and ready counts from what exists, used also when nothing is applied. */
    public void shardStatus(Map<Integer, StatefulSet> shards, int wantedShards, int podsPerShard) {
        List<ShardStatus> list = new ArrayList<>();
        int ready = 0;
        int max = Math.max(wantedShards, shards.keySet().stream().mapToInt(i -> i + 1).max().orElse(0));
        for (int i = 0; i < max; i++) {
            StatefulSet s = shards.get(i);
            StatefulSetStatus st = s == null ? null : s.getStatus();
            int r = st == null || st.getReadyReplicas() == null ? 0 : st.getReadyReplicas();
            int u = st == null || st.getUpdatedReplicas() == null ? 0 : st.getUpdatedReplicas();
            int want = s == null || s.getSpec().getReplicas() == null ? podsPerShard : s.getSpec().getReplicas();
            list.add(new ShardStatus(i, Names.statefulSet(mc.getMetadata().getName(), i), want, r, u));
            ready += r;
        }
        next.shards = list;
        next.readyPods = ready;
        next.desiredPods = wantedShards * podsPerShard;
        next.ready = ready + "/" + next.desiredPods;
    }

    /** Each StatefulSet controller has seen its latest spec and finished the roll. */
    private static boolean rolledOut(Map<Integer, StatefulSet> shards) {
        for (StatefulSet s : shards.values()) {
            StatefulSetStatus st = s.getStatus();
            if (st == null || st.getObservedGeneration() == null
                    || st.getObservedGeneration() < s.getMetadata().getGeneration()) return false;
            if (st.getUpdateRevision() != null && !Objects.equals(st.getUpdateRevision(), st.getCurrentRevision())) return false;
        }
        return true;
    }

    /** Reconciliation failed with an exception; the previous phase and shards stay. */
    public void failed(Exception e) {
        set(Conditions.DEGRADED, true, "ReconcileError", String.valueOf(e.getMessage()));
        next.phase = Phase.Degraded;
    }

    private void set(String type, boolean status, String reason, String message) {
        Conditions.set(next.conditions, type, status, reason, message, mc.getMetadata().getGeneration(), now);
    }
}
