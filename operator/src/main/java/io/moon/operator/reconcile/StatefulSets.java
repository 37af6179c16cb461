package io.moon.operator.reconcile;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.model.Labels;
import io.moon.operator.model.Names;
import io.moon.operator.model.ObservedCluster;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The StatefulSet-specific parts of reconciling: reading what exists, and changing claim
 * templates, which Kubernetes forbids on a live StatefulSet. A grown volume is handled in two
 * moves, as other operators do (Strimzi before its pod sets, the Zalando Postgres operator):
 * the existing claims are expanded in place, then the StatefulSet is deleted with orphan
 * propagation (its pods keep running) and created again with the new templates, adopting the
 * pods by their labels.
 */
public class StatefulSets {
    private final KubernetesClient client;
    private final OwnedResources owned;
    private final EventRecorder events;

    public StatefulSets(KubernetesClient client, OwnedResources owned, EventRecorder events) {
        this.client = client;
        this.owned = owned;
        this.events = events;
    }

    /** The cluster's StatefulSets, by shard number; names that are not ours are skipped. */
    public Map<Integer, StatefulSet> existing(MoonCluster mc) {
        Map<Integer, StatefulSet> out = new HashMap<>();
        for (StatefulSet s : client.apps().statefulSets().inNamespace(mc.getMetadata().getNamespace())
                .withLabel(Labels.CLUSTER, mc.getMetadata().getName()).list().getItems()) {
            int shard = Names.shardOf(mc.getMetadata().getName(), s.getMetadata().getName());
            if (shard >= 0 && OwnedResources.ownedBy(s, mc)) out.put(shard, s);
        }
        return out;
    }

    /** Shards and claim templates in use, for ChangeCheck; the largest template wins per volume. */
    public static ObservedCluster observe(Map<Integer, StatefulSet> existing) {
        Map<String, ObservedCluster.Volume> volumes = new HashMap<>();
        for (StatefulSet s : existing.values()) {
            for (PersistentVolumeClaim t : s.getSpec().getVolumeClaimTemplates()) {
                Quantity q = t.getSpec().getResources().getRequests().get("storage");
                BigDecimal bytes = Quantity.getAmountInBytes(q);
                ObservedCluster.Volume v = new ObservedCluster.Volume(bytes, q.toString(), t.getSpec().getStorageClassName());
                volumes.merge(t.getMetadata().getName(), v, (a, b) -> a.bytes().compareTo(b.bytes()) >= 0 ? a : b);
            }
        }
        int shards = existing.isEmpty() ? 0 : existing.keySet().stream().mapToInt(i -> i).max().orElse(-1) + 1;
        return new ObservedCluster(shards, volumes);
    }

    /** Creates or updates one shard's StatefulSet, recreating it (pods kept) when its claim templates changed. */
    public OwnedResources.Applied<StatefulSet> apply(MoonCluster mc, StatefulSet current, StatefulSet desired) {
        if (current != null && !sameClaimTemplates(current, desired)) {
            expandClaims(mc, current, desired);
            // Orphan: the pods and claims stay; the new StatefulSet adopts them by label.
            client.resource(current).withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
            client.resource(current).waitUntilCondition(Objects::isNull, 30, TimeUnit.SECONDS);
            StatefulSet created = client.resource(desired).create();
            events.normal(mc, "StatefulSetRecreated", "Recreated StatefulSet " + desired.getMetadata().getName()
                    + " with new volume claim templates; its pods kept running");
            return new OwnedResources.Applied<>(OwnedResources.Outcome.UPDATED, created);
        }
        return owned.apply(mc, desired);
    }

    /** Raises each existing claim of the shard to the size its template now asks for. */
    private void expandClaims(MoonCluster mc, StatefulSet current, StatefulSet desired) {
        for (PersistentVolumeClaim t : desired.getSpec().getVolumeClaimTemplates()) {
            Quantity want = t.getSpec().getResources().getRequests().get("storage");
            List<PersistentVolumeClaim> claims = client.persistentVolumeClaims().inNamespace(mc.getMetadata().getNamespace())
                    .withLabels(Map.of(Labels.CLUSTER, mc.getMetadata().getName(),
                            Labels.SHARD, current.getMetadata().getLabels().get(Labels.SHARD),
                            Labels.VOLUME, t.getMetadata().getName()))
                    .list().getItems();
            for (PersistentVolumeClaim c : claims) {
                Quantity have = c.getSpec().getResources().getRequests().get("storage");
                if (Quantity.getAmountInBytes(have).compareTo(Quantity.getAmountInBytes(want)) >= 0) continue;
                String patch = "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"" + want + "\"}}}}";
                client.persistentVolumeClaims().inNamespace(c.getMetadata().getNamespace()).withName(c.getMetadata().getName())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
                events.normal(mc, "ClaimExpanded", "Expanded PersistentVolumeClaim " + c.getMetadata().getName()
                        + " from " + have + " to " + want);
            }
        }
    }

    private static boolean sameClaimTemplates(StatefulSet a, StatefulSet b) {
        List<PersistentVolumeClaim> x = a.getSpec().getVolumeClaimTemplates();
        List<PersistentVolumeClaim> y = b.getSpec().getVolumeClaimTemplates();
        if (x.size() != y.size()) return false;
        for (int i = 0; i < x.size(); i++) {
            if (!x.get(i).getMetadata().getName().equals(y.get(i).getMetadata().getName())) return false;
            Quantity qa = x.get(i).getSpec().getResources().getRequests().get("storage");
            Quantity qb = y.get(i).getSpec().getResources().getRequests().get("storage");
            if (Quantity.getAmountInBytes(qa).compareTo(Quantity.getAmountInBytes(qb)) != 0) return false;
        }
        return true;
    }

    /** Deletes every claim of the cluster (retention policy Delete, on cluster deletion). */
    public int deleteClaims(MoonCluster mc) {
        List<PersistentVolumeClaim> claims = client.persistentVolumeClaims().inNamespace(mc.getMetadata().getNamespace())
                .withLabel(Labels.CLUSTER, mc.getMetadata().getName()).list().getItems();
        for (PersistentVolumeClaim c : claims) client.resource(c).delete();
        return claims.size();
    }
}
