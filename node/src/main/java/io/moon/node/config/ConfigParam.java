package io.moon.node.config;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One setting: its Redis name (and alias), kind, default, whether CONFIG SET may change it, and
 * what Moon does with it. A value is kept in its canonical text form (what CONFIG GET prints);
 * typed readers parse it once on change through the {@code onChange} hook.
 */
public final class ConfigParam {
    public enum Kind { BOOL, INT, MEMORY, ENUM, STRING, SPECIAL }

    /** A SPECIAL setting's parser: returns the canonical form or throws. */
    @FunctionalInterface
    public interface Parser {
        String canonical(String value) throws ConfigError;
    }

    public final String name;
    public final String alias;
    public final Kind kind;
    public final boolean mutable;
    /** False for Redis settings Moon accepts for compatibility but does not act on. */
    public final boolean effective;
    /** Not shown in CONFIG GET replies of its value to other users (requirepass). */
    public boolean sensitive;
    /** Left out of CONFIG GET patterns, shown only when asked for by name (Redis's HIDDEN_CONFIG). */
    public boolean hidden;
    /** Changed by CONFIG SET only as enable-protected-configs allows (Redis's PROTECTED_CONFIG). */
    public boolean isProtected;
    /** A Moon setting with no Redis counterpart. */
    public boolean moonOnly;
    public final String defaultValue;
    public final String description;
    final long min, max;
    final List<String> enumValues;
    final Parser parser;
    Consumer<String> onChange = v -> {};
    String value;

    private ConfigParam(String name, String alias, Kind kind, boolean mutable, boolean effective, String def,
                        long min, long max, List<String> enumValues, Parser parser, String description) {
        this.name = name;
        this.alias = alias;
        this.kind = kind;
        this.mutable = mutable;
        this.effective = effective;
        this.defaultValue = def;
        this.min = min;
        this.max = max;
        this.enumValues = enumValues;
        this.parser = parser;
        this.description = description;
        this.value = def;
    }

    public static ConfigParam bool(String name, boolean def, boolean mutable, boolean effective, String desc) {
        return new ConfigParam(name, null, Kind.BOOL, mutable, effective, def ? "yes" : "no", 0, 0, null, null, desc);
    }

    public static ConfigParam integer(String name, long def, long min, long max, boolean mutable, boolean effective, String desc) {
        return new ConfigParam(name, null, Kind.INT, mutable, effective, Long.toString(def), min, max, null, null, desc);
    }

    public static ConfigParam memory(String name, long def, long min, long max, boolean mutable, boolean effective, String desc) {
        return new ConfigParam(name, null, Kind.MEMORY, mutable, effective, Long.toString(def), min, max, null, null, desc);
    }

    public static ConfigParam enumeration(String name, String def, List<String> values, boolean mutable, boolean effective, String desc) {
        return new ConfigParam(name, null, Kind.ENUM, mutable, effective, def, 0, 0, values, null, desc);
    }

    public static ConfigParam string(String name, String def, boolean mutable, boolean effective, String desc) {
        return new ConfigParam(name, null, Kind.STRING, mutable, effective, def, 0, 0, null, null, desc);
    }

    public static ConfigParam special(String name, String def, boolean mutable, boolean effective, Parser p, String desc) {
        return new ConfigParam(name, null, Kind.SPECIAL, mutable, effective, def, 0, 0, null, p, desc);
    }

    public ConfigParam withAlias(String alias) {
        return new ConfigParam(name, alias, kind, mutable, effective, defaultValue, min, max, enumValues, parser, description)
                .sensitive(sensitive).hidden(hidden).protect(isProtected);
    }

    public ConfigParam protect(boolean p) {
        this.isProtected = p;
        return this;
    }

    public ConfigParam hidden(boolean h) {
        this.hidden = h;
        return this;
    }

    public ConfigParam moonOnly() {
        this.moonOnly = true;
        return this;
    }

    public ConfigParam sensitive(boolean s) {
        this.sensitive = s;
        return this;
    }

    public String value() { return value; }

    /** Validates and returns the canonical form of {@code raw}, as Redis's set functions do. */
    public String canonical(String raw) throws ConfigError {
        switch (kind) {
            case BOOL -> {
                String v = raw.toLowerCase(Locale.ROOT);
                if (v.equals("yes") || v.equals("no")) return v;
                throw new ConfigError("argument must be 'yes' or 'no'");
            }
            case INT -> {
                long v;
                try {
                    v = Long.parseLong(raw);
                } catch (NumberFormatException e) {
                    throw new ConfigError("argument couldn't be parsed into an integer");
                }
                if (v < min || v > max) throw new ConfigError("argument must be between " + min + " and " + max + " inclusive");
                return Long.toString(v);
            }
            case MEMORY -> {
                long v = MemoryValue.parse(raw);
                // Redis reads memory values as unsigned (memtoull): a sign is not a memory value.
                if (v == Long.MIN_VALUE || raw.trim().startsWith("-")) throw new ConfigError("argument must be a memory value");
                if (v < min || v > max) throw new ConfigError("argument must be between " + min + " and " + max + " inclusive");
                return Long.toString(v);
            }
            case ENUM -> {
                String v = raw.toLowerCase(Locale.ROOT);
                if (enumValues.contains(v)) return v;
                throw new ConfigError("argument(s) must be one of the following: " + String.join(", ", enumValues));
            }
            case STRING -> {
                return raw;
            }
            default -> {
                return parser.canonical(raw);
            }
        }
    }

    public long longValue() { return Long.parseLong(value); }
    public boolean boolValue() { return value.equals("yes"); }
}
