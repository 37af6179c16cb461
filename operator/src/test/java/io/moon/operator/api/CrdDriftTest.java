package io.moon.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD YAML committed in crds/ and in the chart must be exactly what the generator makes from
 * the Java model in this build (target/classes/META-INF/fabric8). To refresh both after a model
 * change: {@code mvn -pl operator -am process-classes -Pupdate-crds}.
 */
class CrdDriftTest {
    static final String CRD_FILE = "moonclusters.moon.io-v1.yml";

    static String generated() throws IOException {
        try (InputStream in = CrdDriftTest.class.getResourceAsStream("/META-INF/fabric8/" + CRD_FILE)) {
            assertThat(in).as("the build generates " + CRD_FILE).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"crds", "charts/moon-operator/crds"})
    void committedCrdEqualsFreshGeneration(String dir) throws IOException {
        Path committed = Path.of(System.getProperty("moon.root", ".."), dir, CRD_FILE);
        assertThat(committed).as("committed CRD; create it with mvn -pl operator -am process-classes -Pupdate-crds").exists();
        assertThat(Files.readString(committed, StandardCharsets.UTF_8))
                .as("%s differs from the CRD generated from the Java model; run "
                        + "mvn -pl operator -am process-classes -Pupdate-crds and commit the result", committed)
                .isEqualTo(generated());
    }
}
