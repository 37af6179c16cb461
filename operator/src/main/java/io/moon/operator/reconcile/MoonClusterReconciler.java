package io.moon.operator.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.api.MoonClusterStatus;
import io.moon.operator.api.StorageSpec;
import io.moon.operator.model.Defaults;
import io.moon.operator.model.Labels;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles MoonClusters: the SDK's entry points (event sources, reconcile, error status,
 * cleanup). Each reconciliation is a {@link Reconciliation}, a flat chain of named steps that
 * reads as a checklist (as Strimzi's KafkaReconciler), talking only to the API server; the
 * status is written here, last:
 *
 * <ol>
 *   <li>paused - the pause annotation stops everything but the status;</li>
 *   <li>observe - the existing StatefulSets;</li>
 *   <li>validate - SpecValidator: an invalid spec changes nothing (Degraded, Event);</li>
 *   <li>refuseImpossibleChanges - ChangeCheck against the existing StatefulSets: no shrinking;</li>
 *   <li>authSecret - the password Secret must exist; its version goes on the pod template;</li>
 *   <li>configMap, headlessService, clientService, statefulSets (one per shard, claims
 *       expanded when a volume grew), podDisruptionBudgets;</li>
 *   <li>topology - empty until slot assignment and replica wiring arrive (a later issue);</li>
 *   <li>status - written only when it differs from the stored one.</li>
 * </ol>
 *
 * <p>Deleting a MoonCluster: owned objects go by garbage collection (owner references); the
 * claims stay unless {@code spec.storage.retentionPolicy.whenDeleted} is Delete, which
 * {@link #cleanup} carries out.
 *
 * <p>Thread safety: the SDK never runs two reconciliations of one MoonCluster at once; this
 * class keeps no per-cluster state.
 */
@ControllerConfiguration(
        name = MoonClusterReconciler.NAME,
        // Annotations (pause) do not bump the generation, so every change must trigger.
        generationAwareEventProcessing = false,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class MoonClusterReconciler implements Reconciler<MoonCluster>, Cleaner<MoonCluster> {
    private static final Logger log = LoggerFactory.getLogger(MoonClusterReconciler.class);
    public static final String NAME = "mooncluster";

    private final OperatorSettings settings;
    private final Clock clock;

    public MoonClusterReconciler(OperatorSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, MoonCluster>> prepareEventSources(EventSourceContext<MoonCluster> context) {
        List<EventSource<?, MoonCluster>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : List.of(StatefulSet.class, Service.class, ConfigMap.class, PodDisruptionBudget.class)) {
            sources.add(informer(kind, context));
        }
        return sources;
    }

    /** Watches the objects the operator made (by label) and maps each to its owner. */
    private static <R extends HasMetadata> EventSource<R, MoonCluster> informer(Class<R> kind, EventSourceContext<MoonCluster> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, MoonCluster.class)
                .withName(kind.getSimpleName())
                .withLabelSelector(Labels.managedSelector())
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(MoonCluster.class, false))
                .build(), context);
    }

    @Override
    public UpdateControl<MoonCluster> reconcile(MoonCluster mc, Context<MoonCluster> context) {
        return writeStatus(mc, new Reconciliation(mc, context.getClient(), settings, clock).run());
    }

    /** Status last, and only when it changed, so that a settled cluster causes no writes. */
    private UpdateControl<MoonCluster> writeStatus(MoonCluster mc, ClusterStatus status) {
        MoonClusterStatus next = status.status();
        UpdateControl<MoonCluster> control;
        if (sameStatus(mc.getStatus(), next)) {
            control = UpdateControl.noUpdate();
        } else {
            control = UpdateControl.patchStatus(statusPatch(mc, next));
        }
        if (next.phase != MoonClusterStatus.Phase.Ready && next.phase != MoonClusterStatus.Phase.Paused) {
            control.rescheduleAfter(settings.recheckInterval());
        }
        return control;
    }

    /** Only what a status patch needs: the name, and the status; nothing of the spec is written. */
    private static MoonCluster statusPatch(MoonCluster mc, MoonClusterStatus status) {
        MoonCluster patch = new MoonCluster();
        patch.setMetadata(new ObjectMetaBuilder().withName(mc.getMetadata().getName())
                .withNamespace(mc.getMetadata().getNamespace()).build());
        patch.setStatus(status);
        return patch;
    }

    private static boolean sameStatus(MoonClusterStatus a, MoonClusterStatus b) {
        return a != null && Serialization.asJson(a).equals(Serialization.asJson(b));
    }

    @Override
    public ErrorStatusUpdateControl<MoonCluster> updateErrorStatus(MoonCluster mc, Context<MoonCluster> context, Exception e) {
        log.error("{}/{}: reconciliation failed", mc.getMetadata().getNamespace(), mc.getMetadata().getName(), e);
        ClusterStatus status = new ClusterStatus(mc, clock.instant());
        String message = String.valueOf(e.getMessage());
        if (Conditions.changes(status.conditions(), Conditions.DEGRADED, true, "ReconcileError", message)) {
            new EventRecorder(context.getClient(), clock).warning(mc, "ReconcileError", message);
        }
        status.failed(e);
        return ErrorStatusUpdateControl.patchStatus(statusPatch(mc, status.status()));
    }

    /**
     * On deletion: owned objects are garbage-collected through their owner references; claims
     * are deleted here only when the spec asks for it, otherwise they stay for a later cluster
     * of the same name to find its data.
     */
    @Override
    public DeleteControl cleanup(MoonCluster mc, Context<MoonCluster> context) {
        EventRecorder events = new EventRecorder(context.getClient(), clock);
        StorageSpec.RetentionPolicy rp = mc.getSpec() == null || mc.getSpec().storage == null ? null : mc.getSpec().storage.retentionPolicy;
        StorageSpec.Action whenDeleted = rp == null || rp.whenDeleted == null ? Defaults.CLAIMS_WHEN_DELETED : rp.whenDeleted;
        if (whenDeleted == StorageSpec.Action.Delete) {
            int n = new StatefulSets(context.getClient(), null, events).deleteClaims(mc);
            events.normal(mc, "ClaimsDeleted", "Deleted " + n + " PersistentVolumeClaims (retentionPolicy.whenDeleted: Delete)");
        } else {
            events.normal(mc, "ClaimsRetained", "Kept the PersistentVolumeClaims (retentionPolicy.whenDeleted: Retain); "
                    + "delete them by label " + Labels.CLUSTER + "=" + mc.getMetadata().getName() + " when the data is no longer needed");
        }
        return DeleteControl.defaultDelete();
    }
}
