package io.moon.operator.model;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What already exists for a cluster, reduced to what {@link ChangeCheck} needs: the shards that
 * have a StatefulSet, and per volume the size and class of the claim templates in use.
 *
 * @param shards StatefulSets found, by shard number
 * @param volumes claim template per volume name, taken from the existing StatefulSets
 */
public record ObservedCluster(int shards, Map<String, Volume> volumes) {
    public static final ObservedCluster NONE = new ObservedCluster(0, Map.of());

    public record Volume(BigDecimal bytes, String size, String storageClassName) {}

    public boolean exists() {
        return shards > 0;
    }
}
