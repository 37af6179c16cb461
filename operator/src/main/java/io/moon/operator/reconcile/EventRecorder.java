package io.moon.operator.reconcile;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about a MoonCluster, so that {@code kubectl describe mooncluster} tells
 * what the operator decided and why. An Event that cannot be written is logged and dropped:
 * Events are a report, never a reason to fail a reconciliation.
 */
public class EventRecorder {
    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    public static final String COMPONENT = "moon-operator";
    /** The API server refuses longer messages. */
    private static final int MAX_MESSAGE = 1024;

    public enum Type { Normal, Warning }

    private final KubernetesClient client;
    private final Clock clock;

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, Type.Normal, reason, message);
    }

    public void warning(HasMetadata about, String reason, String message) {
        record(about, Type.Warning, reason, message);
    }

    private void record(HasMetadata about, Type type, String reason, String message) {
        String msg = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
        String now = Instant.now(clock).toString();
        // Names as kubectl's recorder makes them: <object>.<unique suffix>.
        String name = about.getMetadata().getName() + "." + Long.toHexString(System.currentTimeMillis())
                + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
        Event event = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(about.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion(about.getApiVersion()).withKind(about.getKind())
                    .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
                    .withUid(about.getMetadata().getUid()).withResourceVersion(about.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type.name())
                .withReason(reason)
                .withMessage(msg)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        log.info("event {} {}: {}", type, reason, msg);
        try {
            client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            log.warn("could not record event {} {}: {}", reason, msg, e.getMessage());
        }
    }
}
