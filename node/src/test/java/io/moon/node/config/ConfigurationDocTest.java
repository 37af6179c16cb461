package io.moon.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists every setting the node knows, with its default and whether Moon
 * acts on it. Regenerate the table with `bin/moon-server --help` as a guide when this fails.
 */
class ConfigurationDocTest {
    @Test
    void everySettingIsDocumentedWithItsDefault() throws Exception {
        // When this fails, regenerate the table: see ConfigTable.
        Path doc = Path.of("..", "docs", "configuration.md");
        String text = Files.readString(doc);
        for (ConfigParam p : new ServerConfig().params()) {
            String row = "| `" + p.name + "` |";
            assertThat(text).as("row for " + p.name).contains(row);
            String line = text.lines().filter(l -> l.startsWith(row)).findFirst().orElseThrow();
            if (!p.name.equals("shards")) {
                assertThat(line).as("default of " + p.name).contains("`" + p.defaultValue + "`");
            }
            assertThat(line).as("effect of " + p.name).contains(p.effective ? "yes" : "accepted only");
        }
    }
}
