package io.moon.operator.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Labels and annotations the operator sets and reads. Selectors use only the moon.io labels,
 * which never change for a resource's life: a StatefulSet's selector is immutable.
 */
public final class Labels {
    private Labels() {}

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String CLUSTER = "moon.io/cluster";
    public static final String SHARD = "moon.io/shard";
    /** On claim templates, so claims can be found by volume. */
    public static final String VOLUME = "moon.io/volume";

    public static final String APP = "moon";
    public static final String COMPONENT_DATA_NODE = "data-node";
    public static final String OPERATOR = "moon-operator";

    /** On a MoonCluster: "true" stops reconciliation until removed or set to anything else. */
    public static final String PAUSE_ANNOTATION = "moon.io/pause-reconciliation";
    /** Hash of the desired object as last written; a differing hash means "update". */
    public static final String DESIRED_HASH_ANNOTATION = "moon.io/desired-hash";
    /** On pod templates: hash of the rendered configuration, so a change rolls the pods. */
    public static final String CONFIG_HASH_ANNOTATION = "moon.io/config-hash";
    /** On pod templates: resourceVersion of the password Secret, so a new password rolls the pods. */
    public static final String AUTH_VERSION_ANNOTATION = "moon.io/auth-secret-version";

    /** Every object of a cluster. */
    public static Map<String, String> cluster(String cluster) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(NAME, APP);
        m.put(INSTANCE, cluster);
        m.put(COMPONENT, COMPONENT_DATA_NODE);
        m.put(MANAGED_BY, OPERATOR);
        m.put(CLUSTER, cluster);
        return m;
    }

    /** Objects of one shard (StatefulSet, pods, PDB, claims). */
    public static Map<String, String> shard(String cluster, int shard) {
        Map<String, String> m = cluster(cluster);
        m.put(SHARD, Integer.toString(shard));
        return m;
    }

    /** Selects every pod of a cluster. */
    public static Map<String, String> clusterSelector(String cluster) {
        return Map.of(CLUSTER, cluster);
    }

    /** Selects the pods of one shard; the StatefulSet selector, so it must never change. */
    public static Map<String, String> shardSelector(String cluster, int shard) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CLUSTER, cluster);
        m.put(SHARD, Integer.toString(shard));
        return m;
    }

    /** The label selector of the operator's informers: only what it manages. */
    public static String managedSelector() {
        return MANAGED_BY + "=" + OPERATOR;
    }
}
