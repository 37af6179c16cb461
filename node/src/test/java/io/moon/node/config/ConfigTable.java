package io.moon.node.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rewrites the settings table of docs/configuration.md from the settings the node knows (run from
 * the repository root; {@link ConfigurationDocTest} says when it is due):
 * {@code java -cp node/target/classes:node/target/test-classes:node/target/lib/* io.moon.node.config.ConfigTable}
 */
public final class ConfigTable {
    private ConfigTable() {}

    static final String HEADER = "| setting | alias | default | CONFIG SET | acts | description |";

    public static void main(String[] args) throws Exception {
        Path doc = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
        String text = Files.readString(doc);
        int at = text.indexOf(HEADER);
        if (at < 0) throw new IllegalStateException("no settings table in " + doc);
        StringBuilder out = new StringBuilder(text.substring(0, at)).append(HEADER).append('\n').append("|---|---|---|---|---|---|\n");
        for (ConfigParam p : new ServerConfig().params()) {
            String def = p.name.equals("shards") ? "number of cores" : p.defaultValue;
            out.append("| `").append(p.name).append("` | ").append(p.alias == null ? "" : "`" + p.alias + "`")
                    .append(" | `").append(def).append("` | ").append(p.mutable ? "yes" : "no").append(" | ")
                    .append(p.effective ? "yes" : "accepted only").append(" | ")
                    .append(p.description.replace("|", "\\|")).append(" |\n");
        }
        Files.writeString(doc, out.toString());
    }
}
