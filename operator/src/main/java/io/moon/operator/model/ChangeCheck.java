package io.moon.operator.model;

import io.moon.operator.api.MoonClusterSpec;
import io.moon.operator.api.StorageSpec;
import io.moon.operator.api.VolumeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Refuses changes that cannot be applied to what already runs, judged against the existing
 * StatefulSets rather than the previous spec (which the operator does not keep):
 * <ul>
 *   <li>fewer shards than StatefulSets: removing a shard would drop its slots' data; slot
 *       migration is a later issue;</li>
 *   <li>a smaller volume: Kubernetes cannot shrink a claim;</li>
 *   <li>another storage class, or a tier volume added or removed: existing claims keep theirs.</li>
 * </ul>
 * The CRD states the same rules in CEL; this check is what holds where CEL did not run.
 */
public final class ChangeCheck {
    private ChangeCheck() {}

    public static List<Problem> refused(MoonClusterSpec spec, ObservedCluster observed) {
        List<Problem> p = new ArrayList<>();
        if (!observed.exists()) return p;
        if (spec.shards < observed.shards()) {
            p.add(new Problem("spec.shards", "may not shrink (from " + observed.shards() + " to " + spec.shards
                    + "): slot migration off removed shards is not built yet"));
        }
        Map<String, VolumeSpec> wanted = volumes(spec.storage);
        for (String v : List.of(Names.DATA_VOLUME, Names.WARM_VOLUME, Names.COLD_VOLUME)) {
            VolumeSpec want = wanted.get(v);
            ObservedCluster.Volume have = observed.volumes().get(v);
            String f = "spec.storage." + v;
            if (want == null && have == null) continue;
            if (want == null || have == null) {
                p.add(new Problem(f, (want == null ? "cannot be removed" : "cannot be added") + " after creation"));
                continue;
            }
            if (SpecValidator.bytes(want.size).compareTo(have.bytes()) < 0) {
                p.add(new Problem(f + ".size", "may not shrink (from " + have.size() + " to " + want.size + ")"));
            }
            if (!Objects.equals(blankToNull(want.storageClassName), blankToNull(have.storageClassName()))) {
                p.add(new Problem(f + ".storageClassName", "cannot be changed (from " + have.storageClassName()
                        + " to " + want.storageClassName + ")"));
            }
        }
        return p;
    }

    /** Volume name to its spec, for the volumes the spec has. */
    public static Map<String, VolumeSpec> volumes(StorageSpec s) {
        Map<String, VolumeSpec> m = new LinkedHashMap<>();
        m.put(Names.DATA_VOLUME, s.data);
        if (s.warm != null) m.put(Names.WARM_VOLUME, s.warm);
        if (s.cold != null) m.put(Names.COLD_VOLUME, s.cold);
        return m;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
