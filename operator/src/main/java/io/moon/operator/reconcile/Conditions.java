package io.moon.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the status conditions (standard shape: type, status, reason, message,
 * lastTransitionTime, observedGeneration). lastTransitionTime changes only when a condition's
 * status does, as Kubernetes' own meta.SetStatusCondition does, so an unchanged cluster gets an
 * identical status and no write (Strimzi's StatusDiff has the same purpose).
 */
public final class Conditions {
    private Conditions() {}

    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String RECONCILIATION_PAUSED = "ReconciliationPaused";

    /** Sets {@code type} in {@code list} (replacing an older one), keeping the transition time if the status is unchanged. */
    public static void set(List<Condition> list, String type, boolean status, String reason, String message,
                           Long generation, Instant now) {
        String s = status ? "True" : "False";
        Optional<Condition> old = find(list, type);
        String transition = old.filter(c -> s.equals(c.getStatus())).map(Condition::getLastTransitionTime)
                .orElse(now.toString());
        Condition c = new ConditionBuilder().withType(type).withStatus(s).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime(transition).build();
        List<Condition> copy = new ArrayList<>(list);
        copy.removeIf(x -> type.equals(x.getType()));
        copy.add(c);
        // Fixed order, so that equal conditions compare equal as lists.
        copy.sort(Comparator.comparingInt(x -> order(x.getType())));
        list.clear();
        list.addAll(copy);
    }

    public static Optional<Condition> find(List<Condition> list, String type) {
        return list == null ? Optional.empty() : list.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> list, String type) {
        return find(list, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /** Whether {@code type} would change status, reason or message; used to emit an Event once per change. */
    public static boolean changes(List<Condition> list, String type, boolean status, String reason, String message) {
        return find(list, type).map(c -> !Objects.equals(c.getStatus(), status ? "True" : "False")
                || !Objects.equals(c.getReason(), reason) || !Objects.equals(c.getMessage(), message)).orElse(true);
    }

    private static int order(String type) {
        return switch (type) {
            case READY -> 0;
            case PROGRESSING -> 1;
            case DEGRADED -> 2;
            case RECONCILIATION_PAUSED -> 3;
            default -> 4;
        };
    }
}
