package io.moon.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.model.MoonClusterModel;
import io.moon.operator.model.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The examples in charts/examples are valid for the operator itself, not only for the schema. */
class ExampleClustersTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("moon.root", ".."), "charts/examples");

    static List<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            List<Path> l = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(l).isNotEmpty();
            return l;
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void examplePassesValidationAndBuildsAModel(Path file) throws IOException {
        MoonCluster mc = Serialization.unmarshal(Files.readString(file), MoonCluster.class);
        mc.getMetadata().setNamespace("default");
        assertThat(SpecValidator.validate(mc)).isEmpty();
        MoonClusterModel model = MoonClusterModel.fromCrd(mc, "moon-node:test");
        assertThat(model.generateStatefulSets(null)).hasSize(mc.getSpec().shards);
    }
}
