package io.moon.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.moon.operator.api.AuthSpec;
import io.moon.operator.api.MemorySpec;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.api.PersistenceSpec;
import io.moon.operator.api.PodDisruptionBudgetSpec;
import io.moon.operator.api.VolumeSpec;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {
    @Test
    void minimalSpecIsValid() {
        assertThat(SpecValidator.validate(TestClusters.minimal("cache", 1))).isEmpty();
    }

    @Test
    void fullSpecIsValid() {
        MoonCluster mc = TestClusters.minimal("cache", 3);
        mc.getSpec().replicasPerShard = 2;
        mc.getSpec().image = "registry.example/moon-node:1.0";
        mc.getSpec().resources = new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("4Gi")).build();
        mc.getSpec().memory = new MemorySpec();
        mc.getSpec().memory.maxmemory = "3gb";
        mc.getSpec().memory.diskOffload = new MemorySpec.DiskOffload(true, 80);
        mc.getSpec().storage.warm = new VolumeSpec("5Gi", "fast");
        mc.getSpec().storage.cold = new VolumeSpec("100Gi", "nvme");
        mc.getSpec().persistence = new PersistenceSpec();
        mc.getSpec().persistence.snapshots = List.of(new PersistenceSpec.SnapshotRule(900, 1));
        mc.getSpec().config.put("maxclients", "20000");
        mc.getSpec().config.put("slave-read-only", "yes");
        mc.getSpec().auth = new AuthSpec("cache-auth", null);
        mc.getSpec().podDisruptionBudget = new PodDisruptionBudgetSpec(true, 1);
        assertThat(SpecValidator.validate(mc)).isEmpty();
    }

    /** Each bad input names its field and says what is wrong. */
    static Stream<Arguments> badSpecs() {
        return Stream.of(
                bad("zero shards", mc -> mc.getSpec().shards = 0, "spec.shards", "expected: 1..1024"),
                bad("no shards", mc -> mc.getSpec().shards = null, "spec.shards", "is required"),
                bad("too many replicas", mc -> mc.getSpec().replicasPerShard = 9, "spec.replicasPerShard", "expected: 0..5"),
                bad("upper-case name", mc -> mc.getMetadata().setName("Cache"), "metadata.name", "DNS-1035"),
                bad("long name", mc -> mc.getMetadata().setName("a".repeat(48)), "metadata.name", "at most 47"),
                bad("no storage", mc -> mc.getSpec().storage = null, "spec.storage", "is required"),
                bad("bad size", mc -> mc.getSpec().storage.data.size = "ten gigs", "spec.storage.data.size", "positive quantity"),
                bad("zero size", mc -> mc.getSpec().storage.data.size = "0", "spec.storage.data.size", "positive quantity"),
                bad("blank class", mc -> mc.getSpec().storage.data.storageClassName = " ", "spec.storage.data.storageClassName", "blank"),
                bad("image with blank", mc -> mc.getSpec().image = "moon node", "spec.image", "without blanks"),
                bad("unknown config", mc -> mc.getSpec().config.put("turbo", "yes"), "spec.config.turbo", "not a setting"),
                bad("owned config", mc -> mc.getSpec().config.put("port", "7000"), "spec.config.port", "set by the operator"),
                bad("owned config by alias case", mc -> mc.getSpec().config.put("RequirePass", "x"), "spec.config.RequirePass", "set by the operator"),
                bad("config with own field", mc -> mc.getSpec().config.put("maxmemory", "1gb"), "spec.config.maxmemory", "spec.memory.maxmemory"),
                bad("config bad value", mc -> mc.getSpec().config.put("maxclients", "lots"), "spec.config.maxclients", "integer"),
                bad("config bad enum", mc -> mc.getSpec().config.put("loglevel", "loud"), "spec.config.loglevel", "one of the following"),
                bad("config line break", mc -> mc.getSpec().config.put("slowlog-max-len", "1\nrequirepass x"),
                        "spec.config.slowlog-max-len", "line breaks"),
                bad("bad maxmemory", mc -> memory(mc).maxmemory = "2 gigs", "spec.memory.maxmemory", "memory value"),
                bad("maxmemory over limit", mc -> {
                    memory(mc).maxmemory = "2gb";
                    mc.getSpec().resources = new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("2Gi")).build();
                }, "spec.memory.maxmemory", "below the container's memory limit"),
                bad("offload without maxmemory", mc -> memory(mc).diskOffload = new MemorySpec.DiskOffload(true, null),
                        "spec.memory.diskOffload", "needs spec.memory.maxmemory"),
                bad("offload threshold", mc -> {
                    memory(mc).maxmemory = "1gb";
                    memory(mc).diskOffload = new MemorySpec.DiskOffload(true, 5);
                }, "spec.memory.diskOffload.thresholdPercent", "expected: 10..100"),
                bad("snapshot rule", mc -> {
                    mc.getSpec().persistence = new PersistenceSpec();
                    mc.getSpec().persistence.snapshots = List.of(new PersistenceSpec.SnapshotRule(0, 1));
                }, "spec.persistence.snapshots[0].everySeconds", "expected: 1.."),
                bad("auth without secret", mc -> mc.getSpec().auth = new AuthSpec(), "spec.auth.passwordSecret.name", "is required"),
                bad("pdb range", mc -> mc.getSpec().podDisruptionBudget = new PodDisruptionBudgetSpec(true, 7),
                        "spec.podDisruptionBudget.maxUnavailable", "expected: 0..6"),
                bad("grace period", mc -> mc.getSpec().terminationGracePeriodSeconds = 1,
                        "spec.terminationGracePeriodSeconds", "expected: 10..3600"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void badSpecIsRefusedNamingTheField(String title, Consumer<MoonCluster> change, String field, String message) {
        MoonCluster mc = TestClusters.minimal("cache", 1);
        change.accept(mc);
        List<Problem> problems = SpecValidator.validate(mc);
        assertThat(problems).as(title).anySatisfy(p -> {
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.message()).contains(message);
        });
    }

    @Test
    void reportsEveryProblemAtOnce() {
        MoonCluster mc = TestClusters.minimal("cache", 0);
        mc.getSpec().replicasPerShard = -1;
        mc.getSpec().config.put("turbo", "1");
        assertThat(SpecValidator.validate(mc)).extracting(Problem::field)
                .containsExactly("spec.shards", "spec.replicasPerShard", "spec.config.turbo");
    }

    private static MemorySpec memory(MoonCluster mc) {
        if (mc.getSpec().memory == null) mc.getSpec().memory = new MemorySpec();
        return mc.getSpec().memory;
    }

    private static Arguments bad(String title, Consumer<MoonCluster> change, String field, String message) {
        return Arguments.of(title, change, field, message);
    }
}
