package io.moon.node.config;

import io.moon.node.protocol.ArgSplitter;
import io.moon.node.store.EvictionPolicy;
import io.moon.node.store.Keyspace;
import io.moon.node.store.SortedSetValue;
import io.moon.node.util.Glob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The node's settings: every {@link ConfigParam} by name and alias, loaded from a redis.conf-style
 * file and Redis-style command-line flags, changed by CONFIG SET, written back by CONFIG REWRITE.
 *
 * <p>Values the data path reads on every command are mirrored into volatile fields here when
 * they change, so readers never parse text. Thread-safe: CONFIG SET runs under this object's
 * lock; readers read the volatile mirrors.
 */
public final class ServerConfig implements Keyspace.Settings {
    private final Map<String, ConfigParam> byName = new LinkedHashMap<>();
    private final List<ConfigParam> params = new ArrayList<>();
    private Path configFile;

    // Mirrors read on hot paths.
    private volatile long maxmemory;
    private volatile EvictionPolicy policy = EvictionPolicy.NOEVICTION;
    private volatile int samples = 5;
    private volatile int lfuLogFactor = 10;
    private volatile int lfuDecayTime = 1;
    private volatile int shards = 1;
    private volatile String requirepass = "";
    private volatile long slowlogSlowerThan = 10000;
    private volatile long slowlogMaxLen = 128;
    private volatile long protoMaxBulkLen = 512L << 20;
    /** Read for every new list; kept here so that creating one takes no lock. */
    private volatile long listMaxListpackSize = -2;
    private volatile long queryBufferLimit = 1L << 30;
    private volatile long maxclients = 10000;
    private volatile boolean protectedMode = true;
    // Encoding thresholds of collections, read by every write to one.
    private volatile long hashMaxListpackEntries = 512, hashMaxListpackValue = 64, setMaxIntsetEntries = 512;
    private volatile SortedSetValue.Limits zsetLimits = new SortedSetValue.Limits(128, 64);

    public ServerConfig() {
        for (ConfigParam p : ConfigParams.all()) register(p);
        onChange("maxmemory", v -> maxmemory = Long.parseLong(v));
        onChange("maxmemory-policy", v -> policy = EvictionPolicy.parse(v));
        onChange("maxmemory-samples", v -> samples = Integer.parseInt(v));
        onChange("lfu-log-factor", v -> lfuLogFactor = Integer.parseInt(v));
        onChange("lfu-decay-time", v -> lfuDecayTime = Integer.parseInt(v));
        onChange("shards", v -> shards = Integer.parseInt(v));
        onChange("requirepass", v -> requirepass = v);
        onChange("slowlog-log-slower-than", v -> slowlogSlowerThan = Long.parseLong(v));
        onChange("slowlog-max-len", v -> slowlogMaxLen = Long.parseLong(v));
        onChange("proto-max-bulk-len", v -> protoMaxBulkLen = Long.parseLong(v));
        onChange("list-max-listpack-size", v -> listMaxListpackSize = Long.parseLong(v));
        onChange("client-query-buffer-limit", v -> queryBufferLimit = Long.parseLong(v));
        onChange("maxclients", v -> maxclients = Long.parseLong(v));
        onChange("protected-mode", v -> protectedMode = v.equals("yes"));
        onChange("hash-max-listpack-entries", v -> hashMaxListpackEntries = Long.parseLong(v));
        onChange("hash-max-listpack-value", v -> hashMaxListpackValue = Long.parseLong(v));
        onChange("set-max-intset-entries", v -> setMaxIntsetEntries = Long.parseLong(v));
        onChange("zset-max-listpack-entries", v -> zsetLimits = new SortedSetValue.Limits(Long.parseLong(v), zsetLimits.maxListpackValue()));
        onChange("zset-max-listpack-value", v -> zsetLimits = new SortedSetValue.Limits(zsetLimits.maxListpackEntries(), Long.parseLong(v)));
    }

    private void register(ConfigParam p) {
        params.add(p);
        byName.put(p.name, p);
        if (p.alias != null) byName.put(p.alias, p);
    }

    /** Adds a hook run (under the lock) after the value changes, and once now with the current value. */
    public synchronized void onChange(String name, java.util.function.Consumer<String> hook) {
        ConfigParam p = byName.get(name);
        var prev = p.onChange;
        p.onChange = v -> {
            prev.accept(v);
            hook.accept(v);
        };
        hook.accept(p.value);
    }

    public ConfigParam param(String name) { return byName.get(name.toLowerCase(Locale.ROOT)); }

    public Collection<ConfigParam> params() { return params; }

    public synchronized String get(String name) { return param(name).value; }

    public long getLong(String name) { return Long.parseLong(get(name)); }
    public int getInt(String name) { return (int) getLong(name); }
    public boolean getBool(String name) { return "yes".equals(get(name)); }

    public Path configFile() { return configFile; }

    // Keyspace.Settings
    @Override public long maxmemoryPerShard() { long m = maxmemory; return m == 0 ? 0 : Math.max(1, m / shards); }
    @Override public EvictionPolicy policy() { return policy; }
    @Override public int samples() { return samples; }
    @Override public int lfuLogFactor() { return lfuLogFactor; }
    @Override public int lfuDecayTime() { return lfuDecayTime; }

    public long maxmemory() { return maxmemory; }
    public String requirepass() { return requirepass; }
    public long slowlogSlowerThan() { return slowlogSlowerThan; }
    public long slowlogMaxLen() { return slowlogMaxLen; }
    public long protoMaxBulkLen() { return protoMaxBulkLen; }
    public long listMaxListpackSize() { return listMaxListpackSize; }
    public long queryBufferLimit() { return queryBufferLimit; }
    public long maxclients() { return maxclients; }
    public boolean protectedMode() { return protectedMode; }
    public long hashMaxListpackEntries() { return hashMaxListpackEntries; }
    public long hashMaxListpackValue() { return hashMaxListpackValue; }
    public long setMaxIntsetEntries() { return setMaxIntsetEntries; }
    /** zset-max-listpack-entries and zset-max-listpack-value. */
    public SortedSetValue.Limits zsetLimits() { return zsetLimits; }

    /**
     * CONFIG SET with any number of pairs, all or nothing (Redis 7): every value is checked first,
     * then applied; a failing apply hook restores the old values. Throws with Redis's error text.
     */
    public synchronized void set(List<String[]> pairs) throws ConfigSetException { set(pairs, false); }

    /**
     * As {@link #set(List)}, for a client that is ({@code localClient}) or is not on loopback,
     * which decides whether protected settings may change under enable-protected-configs local.
     * As Redis's configSetCommand, names are checked for every pair before any value is parsed.
     */
    public synchronized void set(List<String[]> pairs, boolean localClient) throws ConfigSetException {
        String protectedMode = get("enable-protected-configs");
        boolean protectedAllowed = protectedMode.equals("yes") || (protectedMode.equals("local") && localClient);
        Set<ConfigParam> seen = new LinkedHashSet<>();
        for (String[] kv : pairs) {
            ConfigParam p = param(kv[0]);
            if (p == null) {
                throw new ConfigSetException("ERR Unknown option or number of arguments for CONFIG SET - '" + kv[0] + "'");
            }
            if (!p.mutable && !(p.moonOnly && sameValue(p, kv[1]))) {
                throw new ConfigSetException("ERR CONFIG SET failed (possibly related to argument '" + kv[0] + "') - can't set immutable config");
            }
            if (p.isProtected && !protectedAllowed) {
                throw new ConfigSetException("ERR CONFIG SET failed (possibly related to argument '" + kv[0] + "') - can't set protected config");
            }
            if (!seen.add(p)) {
                throw new ConfigSetException("ERR CONFIG SET failed (possibly related to argument '" + kv[0] + "') - duplicate parameter");
            }
        }
        Map<ConfigParam, String> next = new LinkedHashMap<>();
        for (String[] kv : pairs) {
            ConfigParam p = param(kv[0]);
            try {
                next.put(p, p.canonical(kv[1]));
            } catch (ConfigError e) {
                throw new ConfigSetException("ERR CONFIG SET failed (possibly related to argument '" + kv[0] + "') - " + e.getMessage());
            }
        }
        Map<ConfigParam, String> old = new LinkedHashMap<>();
        for (var e : next.entrySet()) {
            old.put(e.getKey(), e.getKey().value);
            e.getKey().value = e.getValue();
        }
        ConfigParam applying = null;
        try {
            for (ConfigParam p : next.keySet()) {
                applying = p;
                p.onChange.accept(p.value);
            }
        } catch (RuntimeException e) {
            for (var o : old.entrySet()) {
                o.getKey().value = o.getValue();
                o.getKey().onChange.accept(o.getValue());
            }
            throw new ConfigSetException("ERR CONFIG SET failed (possibly related to argument '" + applying.name + "') - " + e.getMessage());
        }
    }

    /**
     * Setting one of Moon's own fixed settings (shards, io) to the value it already has is
     * accepted, so that tools which set every CONFIG GET value back work; Redis's immutable
     * settings keep Redis's error.
     */
    private static boolean sameValue(ConfigParam p, String raw) {
        try {
            return p.canonical(raw).equals(p.value);
        } catch (ConfigError e) {
            return false;
        }
    }

    /** Sets one value at start-up (file or flags), before hooks matter. */
    public synchronized void setAtStartup(String name, String raw) throws ConfigError {
        ConfigParam p = param(name);
        if (p == null) throw new ConfigError("Bad directive or wrong number of arguments");
        p.value = p.canonical(raw);
        p.onChange.accept(p.value);
    }

    /**
     * CONFIG GET, as Redis's configGetCommand: an argument without glob characters is looked up
     * by name or alias (hidden settings included) and answered under the name as given; a
     * pattern matches every name and alias except hidden settings. Each name appears once.
     */
    public synchronized Map<String, String> match(List<String> patterns) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pat : patterns) {
            if (pat.indexOf('*') < 0 && pat.indexOf('?') < 0 && pat.indexOf('[') < 0) {
                ConfigParam p = param(pat);
                if (p != null && !out.containsKey(pat)) out.put(pat, p.value);
                continue;
            }
            for (ConfigParam p : params) {
                if (p.hidden) continue;
                if (!out.containsKey(p.name) && Glob.matches(pat, p.name, true)) out.put(p.name, p.value);
                if (p.alias != null && !out.containsKey(p.alias) && Glob.matches(pat, p.alias, true)) out.put(p.alias, p.value);
            }
        }
        return out;
    }

    /**
     * Loads a redis.conf-style file: one directive per line, Redis quoting, '#' comments.
     * Multi-word values (save 900 1) are joined with blanks.
     */
    public void load(Path file) throws IOException, ConfigError {
        this.configFile = file.toAbsolutePath();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<byte[]> args = ArgSplitter.split(line.getBytes(StandardCharsets.UTF_8));
            if (args == null || args.isEmpty()) {
                throw new ConfigError(fileError(file, n, line, "Unbalanced quotes in configuration line"));
            }
            String name = new String(args.get(0), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            List<String> vals = new ArrayList<>();
            for (int i = 1; i < args.size(); i++) vals.add(new String(args.get(i), StandardCharsets.UTF_8));
            if (name.equals("include")) {
                load(file.resolveSibling(String.join(" ", vals)));
                this.configFile = file.toAbsolutePath();
                continue;
            }
            try {
                setAtStartup(name, String.join(" ", vals));
            } catch (ConfigError e) {
                throw new ConfigError(fileError(file, n, line, e.getMessage()));
            }
        }
    }

    private static String fileError(Path file, int n, String line, String reason) {
        return "\n*** FATAL CONFIG FILE ERROR (Moon) ***\nReading the configuration file " + file + ", at line " + (n + 1)
                + "\n>>> '" + line + "'\n" + reason;
    }

    /** Marks the settings CONFIG REWRITE appended, as Redis does. */
    static final String REWRITE_SIGNATURE = "# Generated by CONFIG REWRITE";

    /**
     * CONFIG REWRITE: rewrites the start-up file in place, as Redis's rewriteConfig: a setting
     * the file names keeps its (first) line, updated to the current value even when that is the
     * default, and its further lines go; settings not in the file are appended, under a
     * signature comment, when they differ from their defaults; comments and unknown lines stay.
     * The new file is written beside the old one, synced and renamed over it.
     */
    public synchronized void rewrite() throws IOException, ConfigSetException { rewrite(false); }

    /**
     * CONFIG REWRITE; with {@code forceAll} (DEBUG CONFIG-REWRITE-FORCE-ALL) every setting is
     * written, defaults included.
     */
    public synchronized void rewrite(boolean forceAll) throws IOException, ConfigSetException {
        if (configFile == null) throw new ConfigSetException("ERR The server is running without a config file");
        List<String> lines = Files.exists(configFile) ? Files.readAllLines(configFile, StandardCharsets.UTF_8) : List.of();
        List<String> out = new ArrayList<>();
        Set<ConfigParam> written = new LinkedHashSet<>();
        for (String line : lines) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                out.add(line);
                continue;
            }
            String first = t.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            ConfigParam p = byName.get(first);
            if (p == null) {
                out.add(line);
                continue;
            }
            if (written.contains(p)) continue;
            written.add(p);
            out.add(p.name + " " + quote(p.value));
        }
        boolean signed = out.contains(REWRITE_SIGNATURE);
        for (ConfigParam p : params) {
            if (!written.contains(p) && (forceAll || !p.value.equals(p.defaultValue))) {
                if (!signed) {
                    out.add(REWRITE_SIGNATURE);
                    signed = true;
                }
                out.add(p.name + " " + quote(p.value));
            }
        }
        Path tmp = configFile.resolveSibling(configFile.getFileName() + ".tmp");
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap((String.join("\n", out) + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, configFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String quote(String v) {
        if (!v.isEmpty() && !v.matches(".*[\\s\"'\\\\].*")) return v;
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A CONFIG SET/REWRITE failure with the full Redis error line. */
    public static final class ConfigSetException extends Exception {
        public ConfigSetException(String message) {
            super(message, null, false, false);
        }
    }
}
