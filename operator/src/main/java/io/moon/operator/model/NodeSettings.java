package io.moon.operator.model;

import io.moon.node.config.ConfigError;
import io.moon.node.config.ConfigParam;
import io.moon.node.config.MemoryValue;
import io.moon.node.config.ServerConfig;
import java.util.Locale;
import java.util.Optional;

/**
 * The data node's settings, read from the node's own table (io.moon.node.config), so that
 * {@code spec.config} is checked exactly as the node will check it at start: a bad value is
 * refused in the MoonCluster's status instead of crash-looping pods. The operator links only
 * the node's jar, none of its dependencies (see operator/pom.xml); the config classes need none.
 */
public final class NodeSettings {
    private NodeSettings() {}

    /** A fresh table per call: ServerConfig holds values, and checks must not share state. */
    private static ServerConfig table() {
        return new ServerConfig();
    }

    /** The canonical name of a setting known by {@code name} or an alias, case-insensitive. */
    public static Optional<String> canonicalName(String name) {
        ConfigParam p = table().param(name.toLowerCase(Locale.ROOT));
        return Optional.ofNullable(p).map(x -> x.name);
    }

    /** Null when the node accepts {@code value} for the setting, else the node's reason. */
    public static String check(String name, String value) {
        ConfigParam p = table().param(name.toLowerCase(Locale.ROOT));
        if (p == null) return "Bad directive or wrong number of arguments";
        try {
            p.canonical(value);
            return null;
        } catch (ConfigError e) {
            return e.getMessage();
        }
    }

    /** Redis's memtoull as the node applies it; Long.MIN_VALUE when not a memory value. */
    public static long parseMemory(String s) {
        return MemoryValue.parse(s);
    }
}
