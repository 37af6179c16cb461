package io.moon.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart README's values table stays complete (no helm needed). */
class ChartValuesTest {
    private static final Path ROOT = Path.of(System.getProperty("moon.root", "..")).toAbsolutePath().normalize();

    /** Every value in values.yaml has a row in the README's table. */
    @Test
    void readmeDocumentsEveryValue() throws IOException {
        String values = Files.readString(ROOT.resolve("charts/moon-operator/values.yaml"), StandardCharsets.UTF_8);
        String readme = Files.readString(ROOT.resolve("charts/moon-operator/README.md"), StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = Serialization.unmarshal(values, Map.class);
        List<String> keys = new ArrayList<>();
        flatten("", tree, keys);
        assertThat(keys).hasSizeGreaterThan(20);
        assertThat(keys).allSatisfy(k -> assertThat(readme).as("README row for %s", k).contains("| `" + k + "` |"));
    }

    /** Dotted keys of the leaves; a map value that is documented whole (resources) is a leaf. */
    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, List<String> out) {
        for (var e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m && !m.isEmpty() && !key.equals("resources")) {
                flatten(key + ".", (Map<String, Object>) m, out);
            } else {
                out.add(key);
            }
        }
    }

}
