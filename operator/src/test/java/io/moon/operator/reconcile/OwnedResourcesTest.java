package io.moon.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.moon.operator.model.TestClusters;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnedResourcesTest {
    @Test
    void updateKeepsOthersLabelsAndAnnotationsAndTheVersion() {
        ConfigMap current = new ConfigMapBuilder().withNewMetadata().withName("c").withResourceVersion("7")
                .addToLabels("team", "x").addToLabels("app", "old").addToAnnotations("kubectl.kubernetes.io/last-applied", "{}")
                .endMetadata().build();
        ConfigMap desired = new ConfigMapBuilder().withNewMetadata().withName("c").addToLabels("app", "new")
                .addToAnnotations("moon.io/desired-hash", "h").endMetadata().addToData("k", "v").build();
        ConfigMap merged = OwnedResources.mergeForUpdate(current, desired);
        assertThat(merged.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(merged.getMetadata().getLabels()).containsEntry("team", "x").containsEntry("app", "new");
        assertThat(merged.getMetadata().getAnnotations()).containsKeys("kubectl.kubernetes.io/last-applied", "moon.io/desired-hash");
        assertThat(merged.getData()).containsEntry("k", "v");
    }

    @Test
    void serviceUpdateCarriesTheAllocatedClusterIp() {
        Service current = new ServiceBuilder().withNewMetadata().withName("s").withResourceVersion("3").endMetadata()
                .withNewSpec().withClusterIP("10.0.0.9").withClusterIPs("10.0.0.9").endSpec().build();
        Service desired = new ServiceBuilder().withNewMetadata().withName("s").endMetadata().withNewSpec().endSpec().build();
        Service merged = OwnedResources.mergeForUpdate(current, desired);
        assertThat(merged.getSpec().getClusterIP()).isEqualTo("10.0.0.9");
        assertThat(merged.getSpec().getClusterIPs()).isEqualTo(List.of("10.0.0.9"));
    }

    @Test
    void ownedOnlyWithTheClustersUid() {
        var mc = TestClusters.minimal("c", 1);
        ConfigMap ours = new ConfigMapBuilder().withNewMetadata().withName("a").addNewOwnerReference().withUid("uid-c")
                .endOwnerReference().endMetadata().build();
        ConfigMap theirs = new ConfigMapBuilder().withNewMetadata().withName("b").addNewOwnerReference().withUid("other")
                .endOwnerReference().endMetadata().build();
        ConfigMap none = new ConfigMapBuilder().withNewMetadata().withName("n").endMetadata().build();
        assertThat(OwnedResources.ownedBy(ours, mc)).isTrue();
        assertThat(OwnedResources.ownedBy(theirs, mc)).isFalse();
        assertThat(OwnedResources.ownedBy(none, mc)).isFalse();
    }
}
