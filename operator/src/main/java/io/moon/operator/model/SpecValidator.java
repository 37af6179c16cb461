package io.moon.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.moon.operator.api.AuthSpec;
import io.moon.operator.api.MemorySpec;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.api.MoonClusterSpec;
import io.moon.operator.api.PersistenceSpec;
import io.moon.operator.api.PodDisruptionBudgetSpec;
import io.moon.operator.api.StorageSpec;
import io.moon.operator.api.VolumeSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a MoonCluster on its own (no cluster state): the rules the CRD schema states, again,
 * because a CRD's validation can be bypassed (an older CRD installed, an API server without
 * CEL) and because the mock API server in tests does not run it; plus rules a schema cannot
 * say, such as "maxmemory below the memory limit" or "a config key the node knows".
 * Changes judged against what exists (shrinking) are {@link ChangeCheck}'s.
 */
public final class SpecValidator {
    private SpecValidator() {}

    private static final Pattern DNS_1035 = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
    private static final Pattern SIZE = Pattern.compile(VolumeSpec.SIZE_PATTERN);
    private static final Pattern MEMORY = Pattern.compile(MemorySpec.MEMORY_PATTERN);

    /** Every problem found, in field order; empty when the spec can be applied. */
    public static List<Problem> validate(MoonCluster mc) {
        List<Problem> p = new ArrayList<>();
        String name = mc.getMetadata().getName();
        if (name == null || !DNS_1035.matcher(name).matches() || name.length() > MoonCluster.MAX_NAME_LENGTH) {
            p.add(new Problem("metadata.name", "must be a DNS-1035 label of at most " + MoonCluster.MAX_NAME_LENGTH
                    + " characters (got '" + name + "')"));
        }
        MoonClusterSpec s = mc.getSpec();
        if (s == null) {
            p.add(new Problem("spec", "is required"));
            return p;
        }
        range(p, "spec.shards", s.shards, 1, MoonClusterSpec.MAX_SHARDS, true);
        range(p, "spec.replicasPerShard", s.replicasPerShard, 0, MoonClusterSpec.MAX_REPLICAS_PER_SHARD, false);
        if (s.image != null && (s.image.isBlank() || s.image.chars().anyMatch(Character::isWhitespace))) {
            p.add(new Problem("spec.image", "must be an image reference without blanks"));
        }
        range(p, "spec.terminationGracePeriodSeconds", s.terminationGracePeriodSeconds, 10, 3600, false);
        storage(p, s.storage);
        persistence(p, s.persistence);
        memory(p, s);
        config(p, s.config);
        auth(p, s.auth);
        pdb(p, s.podDisruptionBudget);
        return p;
    }

    private static void storage(List<Problem> p, StorageSpec st) {
        if (st == null) {
            p.add(new Problem("spec.storage", "is required"));
            return;
        }
        if (st.data == null) p.add(new Problem("spec.storage.data", "is required"));
        volume(p, "spec.storage.data", st.data);
        volume(p, "spec.storage.warm", st.warm);
        volume(p, "spec.storage.cold", st.cold);
    }

    private static void volume(List<Problem> p, String field, VolumeSpec v) {
        if (v == null) return;
        if (v.size == null) {
            p.add(new Problem(field + ".size", "is required"));
        } else if (!SIZE.matcher(v.size).matches() || bytes(v.size).signum() <= 0) {
            p.add(new Problem(field + ".size", "must be a positive quantity such as 10Gi (got '" + v.size + "')"));
        }
        if (v.storageClassName != null && v.storageClassName.isBlank()) {
            p.add(new Problem(field + ".storageClassName", "must not be blank; leave it out for the default class"));
        }
    }

    private static void persistence(List<Problem> p, PersistenceSpec ps) {
        if (ps == null || ps.snapshots == null) return;
        for (int i = 0; i < ps.snapshots.size(); i++) {
            PersistenceSpec.SnapshotRule r = ps.snapshots.get(i);
            String f = "spec.persistence.snapshots[" + i + "]";
            if (r == null) {
                p.add(new Problem(f, "must not be null"));
                continue;
            }
            range(p, f + ".everySeconds", r.everySeconds, 1, 31536000, true);
            range(p, f + ".minChanges", r.minChanges, 1, Long.MAX_VALUE, true);
        }
    }

    private static void memory(List<Problem> p, MoonClusterSpec s) {
        MemorySpec m = s.memory;
        if (m == null) return;
        Long maxmemory = null;
        if (m.maxmemory != null) {
            long v = MEMORY.matcher(m.maxmemory).matches() ? NodeSettings.parseMemory(m.maxmemory) : Long.MIN_VALUE;
            if (v == Long.MIN_VALUE) {
                p.add(new Problem("spec.memory.maxmemory", "must be a memory value such as 2gb (got '" + m.maxmemory + "')"));
            } else {
                maxmemory = v;
            }
        }
        Quantity limit = s.resources == null || s.resources.getLimits() == null ? null : s.resources.getLimits().get("memory");
        if (maxmemory != null && maxmemory > 0 && limit != null) {
            BigDecimal limitBytes = Quantity.getAmountInBytes(limit);
            if (BigDecimal.valueOf(maxmemory).compareTo(limitBytes) >= 0) {
                p.add(new Problem("spec.memory.maxmemory", "(" + m.maxmemory + ") must be below the container's memory limit ("
                        + limit + "): the JVM, connection buffers and the page cache need room too"));
            }
        }
        MemorySpec.DiskOffload d = m.diskOffload;
        if (d != null) {
            if (Boolean.TRUE.equals(d.enabled) && m.maxmemory == null) {
                p.add(new Problem("spec.memory.diskOffload", "needs spec.memory.maxmemory: offload starts at a fraction of it"));
            }
            range(p, "spec.memory.diskOffload.thresholdPercent", d.thresholdPercent, 10, 100, false);
        }
    }

    private static void config(List<Problem> p, Map<String, String> config) {
        if (config == null) return;
        for (var e : config.entrySet()) {
            String key = e.getKey();
            String f = "spec.config." + key;
            var canonical = NodeSettings.canonicalName(key);
            if (canonical.isEmpty()) {
                p.add(new Problem(f, "is not a setting the data node knows"));
                continue;
            }
            String name = canonical.get();
            if (NodeConfig.OWNED.contains(name)) {
                p.add(new Problem(f, "is set by the operator and cannot be overridden"));
                continue;
            }
            if (NodeConfig.HAVE_FIELD.containsKey(name)) {
                p.add(new Problem(f, "has its own field: use " + NodeConfig.HAVE_FIELD.get(name)));
                continue;
            }
            String v = e.getValue();
            if (v == null) {
                p.add(new Problem(f, "needs a value"));
                continue;
            }
            // A line break would let a value start a second directive in moon.conf.
            if (v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                p.add(new Problem(f, "must not contain control characters or line breaks"));
                continue;
            }
            String why = NodeSettings.check(name, v);
            if (why != null) p.add(new Problem(f, "'" + v + "': " + why));
        }
    }

    private static void auth(List<Problem> p, AuthSpec a) {
        if (a == null) return;
        if (a.passwordSecret == null || a.passwordSecret.name == null || a.passwordSecret.name.isBlank()) {
            p.add(new Problem("spec.auth.passwordSecret.name", "is required"));
        }
    }

    private static void pdb(List<Problem> p, PodDisruptionBudgetSpec b) {
        if (b == null) return;
        range(p, "spec.podDisruptionBudget.maxUnavailable", b.maxUnavailable, 0, 6, false);
    }

    private static void range(List<Problem> p, String field, Number v, long min, long max, boolean required) {
        if (v == null) {
            if (required) p.add(new Problem(field, "is required"));
            return;
        }
        long n = v.longValue();
        if (n < min || n > max) p.add(new Problem(field, n + " (expected: " + min + ".." + max + ")"));
    }

    /** Bytes of a quantity already matched by SIZE. */
    static BigDecimal bytes(String size) {
        return Quantity.getAmountInBytes(new Quantity(size));
    }
}
