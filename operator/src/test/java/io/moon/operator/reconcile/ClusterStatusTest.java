package io.moon.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.api.MoonClusterStatus;
import io.moon.operator.api.MoonClusterStatus.Phase;
import io.moon.operator.model.TestClusters;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterStatusTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static StatefulSet sts(int replicas, int ready, int updated, boolean rolledOut) {
        return new StatefulSetBuilder().withNewMetadata().withName("c-0").withGeneration(3L).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withReadyReplicas(ready).withUpdatedReplicas(updated).withObservedGeneration(rolledOut ? 3L : 2L)
                .withCurrentRevision("a").withUpdateRevision(rolledOut ? "a" : "b").endStatus().build();
    }

    @Test
    void newClusterIsCreatingUntilEveryPodIsReady() {
        MoonCluster mc = TestClusters.minimal("c", 1);
        ClusterStatus s = new ClusterStatus(mc, NOW);
        s.applied(Map.of(0, sts(2, 1, 2, true)), 1, 2, "img", false);
        assertThat(s.status().phase).isEqualTo(Phase.Creating);
        assertThat(s.status().ready).isEqualTo("1/2");
        assertThat(Conditions.isTrue(s.status().conditions, Conditions.PROGRESSING)).isTrue();
    }

    @Test
    void readyOnlyWhenReadyUpdatedAndRolledOutWithNoChange() {
        MoonCluster mc = TestClusters.minimal("c", 1);
        ClusterStatus changed = new ClusterStatus(mc, NOW);
        changed.applied(Map.of(0, sts(2, 2, 2, true)), 1, 2, "img", true);
        assertThat(changed.status().phase).isEqualTo(Phase.Creating);

        ClusterStatus notRolled = new ClusterStatus(mc, NOW);
        notRolled.applied(Map.of(0, sts(2, 2, 2, false)), 1, 2, "img", false);
        assertThat(notRolled.status().phase).isEqualTo(Phase.Creating);

        ClusterStatus ready = new ClusterStatus(mc, NOW);
        ready.applied(Map.of(0, sts(2, 2, 2, true)), 1, 2, "img", false);
        assertThat(ready.status().phase).isEqualTo(Phase.Ready);
        assertThat(Conditions.isTrue(ready.status().conditions, Conditions.READY)).isTrue();
        assertThat(ready.status().observedGeneration).isEqualTo(1L);
    }

    @Test
    void onceReadyAChangeIsUpdating() {
        MoonCluster mc = TestClusters.minimal("c", 1);
        ClusterStatus ready = new ClusterStatus(mc, NOW);
        ready.applied(Map.of(0, sts(2, 2, 2, true)), 1, 2, "img", false);
        mc.setStatus(ready.status());
        ClusterStatus next = new ClusterStatus(mc, NOW);
        next.applied(Map.of(0, sts(3, 2, 2, true)), 1, 3, "img", true);
        assertThat(next.status().phase).isEqualTo(Phase.Updating);
        assertThat(Conditions.isTrue(next.status().conditions, Conditions.READY)).isFalse();
    }

    @Test
    void missingShardStatefulSetIsNotReady() {
        MoonCluster mc = TestClusters.minimal("c", 2);
        ClusterStatus s = new ClusterStatus(mc, NOW);
        s.applied(Map.of(0, sts(2, 2, 2, true)), 2, 2, "img", false);
        assertThat(s.status().phase).isNotEqualTo(Phase.Ready);
        assertThat(s.status().shards).extracting(x -> x.readyReplicas).containsExactly(2, 0);
        assertThat(s.status().ready).isEqualTo("2/4");
    }

    @Test
    void degradedAndPausedWin() {
        MoonCluster mc = TestClusters.minimal("c", 1);
        ClusterStatus s = new ClusterStatus(mc, NOW);
        s.degraded("InvalidSpec", "spec.shards: 0");
        assertThat(s.status().phase).isEqualTo(Phase.Degraded);
        assertThat(Conditions.find(s.status().conditions, Conditions.DEGRADED)).get()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("InvalidSpec"));
        s.paused();
        assertThat(s.status().phase).isEqualTo(Phase.Paused);
        assertThat(Conditions.isTrue(s.status().conditions, Conditions.RECONCILIATION_PAUSED)).isTrue();
    }

    @Test
    void unchangedInputGivesAnEqualStatus() {
        MoonCluster mc = TestClusters.minimal("c", 1);
        ClusterStatus a = new ClusterStatus(mc, NOW);
        a.applied(Map.of(0, sts(2, 2, 2, true)), 1, 2, "img", false);
        mc.setStatus(a.status());
        ClusterStatus b = new ClusterStatus(mc, NOW.plusSeconds(600));
        b.applied(Map.of(0, sts(2, 2, 2, true)), 1, 2, "img", false);
        assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(b.status()))
                .isEqualTo(io.fabric8.kubernetes.client.utils.Serialization.asJson(a.status()));
        MoonClusterStatus st = b.status();
        assertThat(st.conditions).allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo(NOW.toString()));
    }
}
