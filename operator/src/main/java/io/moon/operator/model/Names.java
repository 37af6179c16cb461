package io.moon.operator.model;

/**
 * Names of everything the operator creates for a MoonCluster. Pods are
 * {@code <cluster>-<shard>-<ordinal>} because each shard is the StatefulSet
 * {@code <cluster>-<shard>}; their stable DNS names come from the headless Service.
 */
public final class Names {
    private Names() {}

    /** Volume (and claim template) names; claims are {@code <volume>-<statefulset>-<ordinal>}. */
    public static final String DATA_VOLUME = "data";
    public static final String WARM_VOLUME = "warm";
    public static final String COLD_VOLUME = "cold";
    public static final String CONFIG_VOLUME = "config";
    public static final String TMP_VOLUME = "tmp";

    public static final String CONTAINER = "moon";
    public static final String PORT_NAME = "redis";

    public static String statefulSet(String cluster, int shard) {
        return cluster + "-" + shard;
    }

    public static String pod(String cluster, int shard, int ordinal) {
        return statefulSet(cluster, shard) + "-" + ordinal;
    }

    /** Governs pod DNS: {@code <pod>.<cluster>-nodes.<namespace>.svc}. */
    public static String headlessService(String cluster) {
        return cluster + "-nodes";
    }

    /** What clients connect to. */
    public static String clientService(String cluster) {
        return cluster;
    }

    public static String configMap(String cluster) {
        return cluster + "-config";
    }

    public static String podDisruptionBudget(String cluster, int shard) {
        return statefulSet(cluster, shard);
    }

    public static String claim(String volume, String cluster, int shard, int ordinal) {
        return volume + "-" + pod(cluster, shard, ordinal);
    }

    /** The stable name a pod announces to peers and clients (not its IP, which changes). */
    public static String podDnsName(String cluster, int shard, int ordinal, String namespace) {
        return pod(cluster, shard, ordinal) + "." + headlessService(cluster) + "." + namespace + ".svc";
    }

    /** The shard number in a StatefulSet name made by {@link #statefulSet}, or -1. */
    public static int shardOf(String cluster, String statefulSetName) {
        String prefix = cluster + "-";
        if (!statefulSetName.startsWith(prefix)) return -1;
        String rest = statefulSetName.substring(prefix.length());
        if (rest.isEmpty() || rest.length() > 4 || !rest.chars().allMatch(Character::isDigit)) return -1;
        if (rest.length() > 1 && rest.charAt(0) == '0') return -1;
        return Integer.parseInt(rest);
    }
}
