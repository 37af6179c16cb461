package io.moon.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelsTest {
    @Test
    void shardLabelsAddTheShardToClusterLabels() {
        assertThat(Labels.shard("cache", 3))
                .containsEntry(Labels.CLUSTER, "cache")
                .containsEntry(Labels.SHARD, "3")
                .containsEntry(Labels.MANAGED_BY, "moon-operator")
                .containsEntry(Labels.NAME, "moon")
                .containsEntry(Labels.INSTANCE, "cache");
    }

    @Test
    void selectorsUseOnlyStableLabels() {
        assertThat(Labels.shardSelector("cache", 3)).containsOnlyKeys(Labels.CLUSTER, Labels.SHARD);
        assertThat(Labels.clusterSelector("cache")).containsOnlyKeys(Labels.CLUSTER);
        assertThat(Labels.managedSelector()).isEqualTo("app.kubernetes.io/managed-by=moon-operator");
    }

    @Test
    void clusterLabelsAreAFreshMapEachTime() {
        var a = Labels.cluster("x");
        a.put("extra", "1");
        assertThat(Labels.cluster("x")).doesNotContainKey("extra");
    }
}
