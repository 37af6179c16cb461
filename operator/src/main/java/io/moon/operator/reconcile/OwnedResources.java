package io.moon.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.model.Labels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, updates and deletes the objects a MoonCluster owns, one Event per change. An object
 * is updated only when its {@link Labels#DESIRED_HASH_ANNOTATION} differs from the desired one:
 * comparing whole objects would see the API server's defaults as changes and rewrite them
 * forever.
 *
 * <p>Updates are plain replaces with optimistic locking (the current resourceVersion), not
 * server-side apply: one code path that the mock API server of the tests also runs. Labels and
 * annotations that others added are kept.
 */
public class OwnedResources {
    private static final Logger log = LoggerFactory.getLogger(OwnedResources.class);

    public enum Outcome { CREATED, UPDATED, UNCHANGED }

    private final KubernetesClient client;
    private final EventRecorder events;

    public OwnedResources(KubernetesClient client, EventRecorder events) {
        this.client = client;
        this.events = events;
    }

    /** Makes the object as desired; returns what it did and the object as the server now has it. */
    public <T extends HasMetadata> Applied<T> apply(MoonCluster owner, T desired) {
        T current = client.resource(desired).get();
        if (current == null) {
            T created = client.resource(desired).create();
            events.normal(owner, "Created", "Created " + desired.getKind() + " " + desired.getMetadata().getName());
            return new Applied<>(Outcome.CREATED, created);
        }
        String want = desired.getMetadata().getAnnotations().get(Labels.DESIRED_HASH_ANNOTATION);
        String have = current.getMetadata().getAnnotations() == null ? null
                : current.getMetadata().getAnnotations().get(Labels.DESIRED_HASH_ANNOTATION);
        if (Objects.equals(want, have)) return new Applied<>(Outcome.UNCHANGED, current);
        T updated = client.resource(mergeForUpdate(current, desired)).update();
        events.normal(owner, "Updated", "Updated " + desired.getKind() + " " + desired.getMetadata().getName());
        return new Applied<>(Outcome.UPDATED, updated);
    }

    /** Deletes {@code object}; true when it existed. */
    public boolean delete(MoonCluster owner, HasMetadata object, String why) {
        boolean deleted = !client.resource(object).delete().isEmpty();
        if (deleted) {
            events.normal(owner, "Deleted", "Deleted " + object.getKind() + " " + object.getMetadata().getName() + ": " + why);
        }
        return deleted;
    }

    /** Deletes the objects of {@code type} labelled for the cluster whose names are not in {@code keep}. */
    public <T extends HasMetadata> int deleteOthers(MoonCluster owner, Class<T> type, Set<String> keep, String why) {
        List<T> existing = client.resources(type).inNamespace(owner.getMetadata().getNamespace())
                .withLabel(Labels.CLUSTER, owner.getMetadata().getName()).list().getItems();
        int n = 0;
        for (T o : existing) {
            if (!keep.contains(o.getMetadata().getName()) && ownedBy(o, owner) && delete(owner, o, why)) n++;
        }
        return n;
    }

    /** Whether {@code o} has a controller reference to this MoonCluster; other objects are never deleted. */
    static boolean ownedBy(HasMetadata o, MoonCluster owner) {
        return o.getMetadata().getOwnerReferences() != null && o.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> Objects.equals(r.getUid(), owner.getMetadata().getUid()));
    }

    /** Desired content, with the current version and the labels and annotations others set. */
    static <T extends HasMetadata> T mergeForUpdate(T current, T desired) {
        desired.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
        desired.getMetadata().setLabels(merged(current.getMetadata().getLabels(), desired.getMetadata().getLabels()));
        desired.getMetadata().setAnnotations(merged(current.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations()));
        if (current instanceof Service cur && desired instanceof Service want) {
            // Allocated by the API server and immutable; a replace must carry them.
            want.getSpec().setClusterIP(cur.getSpec().getClusterIP());
            want.getSpec().setClusterIPs(cur.getSpec().getClusterIPs());
        }
        log.debug("updating {} {}", desired.getKind(), desired.getMetadata().getName());
        return desired;
    }

    private static Map<String, String> merged(Map<String, String> current, Map<String, String> desired) {
        Map<String, String> m = new LinkedHashMap<>();
        if (current != null) m.putAll(current);
        if (desired != null) m.putAll(desired);
        return m;
    }

    public record Applied<T>(Outcome outcome, T object) {
        public boolean changed() {
            return outcome != Outcome.UNCHANGED;
        }
    }
}
