package io.moon.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    private static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2026-01-01T00:05:00Z");

    @Test
    void transitionTimeMovesOnlyWithTheStatus() {
        List<Condition> l = new ArrayList<>();
        Conditions.set(l, Conditions.READY, false, "PodsNotReady", "0/2 pods ready", 1L, T1);
        Conditions.set(l, Conditions.READY, false, "PodsNotReady", "1/2 pods ready", 2L, T2);
        assertThat(l).singleElement().satisfies(c -> {
            assertThat(c.getLastTransitionTime()).isEqualTo(T1.toString());
            assertThat(c.getMessage()).isEqualTo("1/2 pods ready");
            assertThat(c.getObservedGeneration()).isEqualTo(2L);
        });
        Conditions.set(l, Conditions.READY, true, "AllPodsReady", "2/2 pods ready", 2L, T2);
        assertThat(l.get(0).getLastTransitionTime()).isEqualTo(T2.toString());
        assertThat(Conditions.isTrue(l, Conditions.READY)).isTrue();
    }

    @Test
    void conditionsKeepAFixedOrder() {
        List<Condition> l = new ArrayList<>();
        Conditions.set(l, Conditions.RECONCILIATION_PAUSED, false, "NotPaused", "", 1L, T1);
        Conditions.set(l, Conditions.DEGRADED, false, "AsExpected", "", 1L, T1);
        Conditions.set(l, Conditions.READY, false, "PodsNotReady", "", 1L, T1);
        Conditions.set(l, Conditions.PROGRESSING, true, "ResourcesChanged", "", 1L, T1);
        assertThat(l).extracting(Condition::getType).containsExactly(Conditions.READY, Conditions.PROGRESSING,
                Conditions.DEGRADED, Conditions.RECONCILIATION_PAUSED);
    }

    @Test
    void changesComparesStatusReasonAndMessage() {
        List<Condition> l = new ArrayList<>();
        assertThat(Conditions.changes(l, Conditions.DEGRADED, true, "InvalidSpec", "x")).isTrue();
        Conditions.set(l, Conditions.DEGRADED, true, "InvalidSpec", "x", 1L, T1);
        assertThat(Conditions.changes(l, Conditions.DEGRADED, true, "InvalidSpec", "x")).isFalse();
        assertThat(Conditions.changes(l, Conditions.DEGRADED, true, "InvalidSpec", "y")).isTrue();
        assertThat(Conditions.changes(l, Conditions.DEGRADED, true, "ChangeRefused", "x")).isTrue();
        assertThat(Conditions.changes(l, Conditions.DEGRADED, false, "InvalidSpec", "x")).isTrue();
    }
}
