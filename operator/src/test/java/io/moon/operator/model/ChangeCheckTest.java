package io.moon.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.operator.api.MoonCluster;
import io.moon.operator.api.VolumeSpec;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeCheckTest {
    private static final ObservedCluster TWO_SHARDS_1GI = new ObservedCluster(2,
            Map.of(Names.DATA_VOLUME, new ObservedCluster.Volume(BigDecimal.valueOf(1L << 30), "1Gi", null)));

    @Test
    void nothingExistsSoAnythingGoes() {
        assertThat(ChangeCheck.refused(TestClusters.minimal("c", 1).getSpec(), ObservedCluster.NONE)).isEmpty();
    }

    @Test
    void growingShardsAndStorageIsAllowed() {
        MoonCluster mc = TestClusters.minimal("c", 3);
        mc.getSpec().storage.data.size = "2Gi";
        assertThat(ChangeCheck.refused(mc.getSpec(), TWO_SHARDS_1GI)).isEmpty();
    }

    @Test
    void sameSizeWrittenDifferentlyIsNoShrink() {
        MoonCluster mc = TestClusters.minimal("c", 2);
        mc.getSpec().storage.data.size = "1024Mi";
        assertThat(ChangeCheck.refused(mc.getSpec(), TWO_SHARDS_1GI)).isEmpty();
    }

    @Test
    void fewerShardsIsRefused() {
        assertThat(ChangeCheck.refused(TestClusters.minimal("c", 1).getSpec(), TWO_SHARDS_1GI))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("spec.shards");
                    assertThat(p.message()).contains("from 2 to 1");
                });
    }

    @Test
    void smallerVolumeIsRefused() {
        MoonCluster mc = TestClusters.minimal("c", 2);
        mc.getSpec().storage.data.size = "512Mi";
        assertThat(ChangeCheck.refused(mc.getSpec(), TWO_SHARDS_1GI)).singleElement()
                .satisfies(p -> assertThat(p.toString()).isEqualTo("spec.storage.data.size: may not shrink (from 1Gi to 512Mi)"));
    }

    @Test
    void storageClassChangeIsRefused() {
        MoonCluster mc = TestClusters.minimal("c", 2);
        mc.getSpec().storage.data.storageClassName = "fast";
        assertThat(ChangeCheck.refused(mc.getSpec(), TWO_SHARDS_1GI)).extracting(Problem::field)
                .containsExactly("spec.storage.data.storageClassName");
    }

    @Test
    void addingOrRemovingATierVolumeIsRefused() {
        MoonCluster mc = TestClusters.minimal("c", 2);
        mc.getSpec().storage.cold = new VolumeSpec("10Gi", null);
        assertThat(ChangeCheck.refused(mc.getSpec(), TWO_SHARDS_1GI)).singleElement()
                .satisfies(p -> assertThat(p.toString()).isEqualTo("spec.storage.cold: cannot be added after creation"));
        ObservedCluster withWarm = new ObservedCluster(2, Map.of(
                Names.DATA_VOLUME, new ObservedCluster.Volume(BigDecimal.valueOf(1L << 30), "1Gi", null),
                Names.WARM_VOLUME, new ObservedCluster.Volume(BigDecimal.valueOf(1L << 30), "1Gi", null)));
        assertThat(ChangeCheck.refused(TestClusters.minimal("c", 2).getSpec(), withWarm)).singleElement()
                .satisfies(p -> assertThat(p.toString()).isEqualTo("spec.storage.warm: cannot be removed after creation"));
    }
}
