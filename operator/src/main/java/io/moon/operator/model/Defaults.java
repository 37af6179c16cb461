package io.moon.operator.model;

import io.moon.operator.api.MoonClusterSpec;
import io.moon.operator.api.SchedulingSpec;
import io.moon.operator.api.StorageSpec;

/**
 * Every default the operator applies to a field the user left out, in one place so that
 * docs/operator.md can list them. Defaults are applied here rather than by the API server
 * (no {@code default:} in the CRD), so the stored spec stays what the user wrote.
 */
public final class Defaults {
    private Defaults() {}

    public static final int REPLICAS_PER_SHARD = 1;
    public static final MoonClusterSpec.PullPolicy IMAGE_PULL_POLICY = MoonClusterSpec.PullPolicy.IfNotPresent;
    public static final int TERMINATION_GRACE_PERIOD_SECONDS = 120;
    public static final String PASSWORD_KEY = "password";
    public static final boolean WRITE_AHEAD_LOG = true;
    public static final int DISK_OFFLOAD_THRESHOLD_PERCENT = 90;
    public static final boolean PDB_ENABLED = true;
    public static final int PDB_MAX_UNAVAILABLE = 1;
    public static final SchedulingSpec.ShardAntiAffinity SHARD_ANTI_AFFINITY = SchedulingSpec.ShardAntiAffinity.Required;
    public static final StorageSpec.Action CLAIMS_WHEN_DELETED = StorageSpec.Action.Retain;
    public static final StorageSpec.Action CLAIMS_WHEN_SCALED = StorageSpec.Action.Retain;

    /** The node's port inside the pod (and of both Services). */
    public static final int PORT = 6379;
    /** The user the images run as (distroless's "nonroot"). */
    public static final long RUN_AS_USER = 65532;

    /** Mount points inside the data node container. */
    public static final String DATA_PATH = "/data";
    public static final String WARM_PATH = "/tier/warm";
    public static final String COLD_PATH = "/tier/cold";
    public static final String CONFIG_PATH = "/etc/moon";
    public static final String CONFIG_FILE = "moon.conf";
    public static final String TIERING_FILE = "tiering.conf";
    /** The probe script in the node image (images/node/moon-probe). */
    public static final String PROBE = "/opt/moon/bin/moon-probe";
}
