package io.moon.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.moon.operator.api.MemorySpec;
import io.moon.operator.api.MoonClusterSpec;
import io.moon.operator.api.PersistenceSpec;
import io.moon.operator.api.StorageSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders a MoonCluster's spec as the node's redis.conf-style file (moon.conf), plus
 * tiering.conf for the disk-offload settings the node does not read yet. Every pod of the
 * cluster gets the same file; what differs per pod (its name, the password) comes in through
 * environment variables and flags.
 *
 * <p>Output is deterministic (fixed order, user settings sorted), because its hash is put on the
 * pod template: an unchanged spec must never roll the pods.
 */
public final class NodeConfig {
    private NodeConfig() {}

    /** Settings the operator decides; a user may not set them through {@code spec.config}. */
    public static final Set<String> OWNED = Set.of("port", "bind", "protected-mode", "dir", "requirepass",
            "daemonize", "logfile", "pidfile", "supervised", "cluster-enabled", "io", "aclfile");

    /** Settings that have a spec field of their own, named here for the error message. */
    public static final Map<String, String> HAVE_FIELD = Map.of(
            "maxmemory", "spec.memory.maxmemory",
            "maxmemory-policy", "spec.memory.policy",
            "appendonly", "spec.persistence.writeAheadLog",
            "appendfsync", "spec.persistence.appendfsync",
            "save", "spec.persistence.snapshots");

    /** The moon.conf text. {@code spec} must have passed SpecValidator. */
    public static String render(MoonClusterSpec spec) {
        List<String> lines = new ArrayList<>();
        lines.add("# Written by moon-operator from the MoonCluster spec; edits here are overwritten.");
        lines.add("port " + Defaults.PORT);
        lines.add("bind 0.0.0.0");
        // Clients reach the node from other pods; a password (spec.auth) is what protects it.
        lines.add("protected-mode no");
        lines.add("dir " + Defaults.DATA_PATH);
        Integer loops = eventLoops(spec.resources);
        if (loops != null && !spec.config.containsKey("shards")) {
            // The node's "shards" are event-loop threads, not cluster shards. Pinning them keeps
            // every pod alike: a replica must have its primary's count (DESIGN.md 4.6).
            lines.add("shards " + loops);
        }
        MemorySpec memory = spec.memory;
        if (memory != null) {
            if (memory.maxmemory != null) lines.add("maxmemory " + memory.maxmemory.toLowerCase(Locale.ROOT));
            if (memory.policy != null) lines.add("maxmemory-policy " + memory.policy.nodeValue());
        }
        PersistenceSpec p = spec.persistence;
        boolean wal = p == null || p.writeAheadLog == null ? Defaults.WRITE_AHEAD_LOG : p.writeAheadLog;
        lines.add("appendonly " + (wal ? "yes" : "no"));
        if (p != null && p.appendfsync != null) lines.add("appendfsync " + p.appendfsync.nodeValue());
        if (p != null && p.snapshots != null) {
            StringBuilder save = new StringBuilder();
            for (PersistenceSpec.SnapshotRule r : p.snapshots) {
                if (!save.isEmpty()) save.append(' ');
                save.append(r.everySeconds).append(' ').append(r.minChanges);
            }
            lines.add("save \"" + save + "\"");
        }
        if (!spec.config.isEmpty()) {
            lines.add("# spec.config");
            for (var e : new TreeMap<>(spec.config).entrySet()) {
                lines.add(e.getKey().toLowerCase(Locale.ROOT) + " " + quote(e.getValue()));
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * The tiering.conf text. The node does not read it yet (tiered storage is a later issue);
     * it is rendered now so the volumes and the intent are visible and the format can be agreed.
     */
    public static String renderTiering(MoonClusterSpec spec) {
        List<String> lines = new ArrayList<>();
        lines.add("# Tiered storage settings; not read by the node yet (see docs/operator.md).");
        MemorySpec.DiskOffload d = spec.memory == null ? null : spec.memory.diskOffload;
        boolean on = d != null && Boolean.TRUE.equals(d.enabled);
        lines.add("disk-offload " + (on ? "yes" : "no"));
        int threshold = d == null || d.thresholdPercent == null ? Defaults.DISK_OFFLOAD_THRESHOLD_PERCENT : d.thresholdPercent;
        lines.add("disk-offload-threshold-percent " + threshold);
        StorageSpec s = spec.storage;
        lines.add("warm-dir " + (s.warm != null ? Defaults.WARM_PATH : Defaults.DATA_PATH + "/warm"));
        lines.add("cold-dir " + (s.cold != null ? Defaults.COLD_PATH : Defaults.DATA_PATH + "/cold"));
        return String.join("\n", lines) + "\n";
    }

    /** Event loops per node from the CPU limit, else the request, rounded up; null when neither is set. */
    static Integer eventLoops(ResourceRequirements r) {
        if (r == null) return null;
        Quantity cpu = r.getLimits() == null ? null : r.getLimits().get("cpu");
        if (cpu == null && r.getRequests() != null) cpu = r.getRequests().get("cpu");
        if (cpu == null) return null;
        BigDecimal cores = Quantity.getAmountInBytes(cpu);
        return Math.max(1, cores.setScale(0, RoundingMode.CEILING).intValueExact());
    }

    /** redis.conf quoting, as the node's CONFIG REWRITE writes it. */
    static String quote(String v) {
        if (!v.isEmpty() && !v.matches(".*[\\s\"'\\\\].*")) return v;
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
