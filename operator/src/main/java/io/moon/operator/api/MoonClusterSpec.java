package io.moon.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the user asks for. Fields left out take the defaults named in their descriptions; the
 * operator applies them (not the API server), so the stored spec stays what the user wrote.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.shards >= oldSelf.shards",
        message = "shards may not shrink: slot migration off removed shards is not built yet")
public class MoonClusterSpec {
    /** Upper bound on shards: one StatefulSet each; 16384 slots leave room, the API server less so. */
    public static final int MAX_SHARDS = 1024;
    public static final int MAX_REPLICAS_PER_SHARD = 5;

    @Required
    @Min(1)
    @Max(MAX_SHARDS)
    @JsonPropertyDescription("Number of shards. Each shard is one StatefulSet: a primary and its replicas owning a part of the 16384 hash slots. May grow, never shrink.")
    public Integer shards;

    @Min(0)
    @Max(MAX_REPLICAS_PER_SHARD)
    @JsonPropertyDescription("Replicas per shard (default 1). Each shard runs 1 + replicasPerShard pods.")
    public Integer replicasPerShard;

    @Pattern("^[^\\s]+$")
    @JsonPropertyDescription("Data node image (default: the operator's --node-image).")
    public String image;

    @JsonPropertyDescription("Image pull policy of the data node containers (default IfNotPresent).")
    public PullPolicy imagePullPolicy;

    @JsonPropertyDescription("CPU and memory of each data node container. The node's event-loop count follows the CPU limit (or request) when one is set.")
    public ResourceRequirements resources;

    @Required
    @JsonPropertyDescription("Volumes of each data node.")
    public StorageSpec storage;

    @JsonPropertyDescription("Write-ahead log and snapshot settings.")
    public PersistenceSpec persistence;

    @JsonPropertyDescription("Memory limit, eviction policy and disk offload.")
    public MemorySpec memory;

    @JsonPropertyDescription("Extra node settings (redis.conf names), checked against the node's known settings. Settings the operator owns (port, bind, dir, requirepass, ...) and those with their own spec field are refused.")
    public Map<String, String> config = new LinkedHashMap<>();

    @JsonPropertyDescription("Password of the default user, from a Secret.")
    public AuthSpec auth;

    @JsonPropertyDescription("Pod placement.")
    public SchedulingSpec scheduling;

    @JsonPropertyDescription("One PodDisruptionBudget per shard.")
    public PodDisruptionBudgetSpec podDisruptionBudget;

    @Min(10)
    @Max(3600)
    @JsonPropertyDescription("Seconds a data node gets to shut down cleanly (default 120).")
    public Integer terminationGracePeriodSeconds;

    public enum PullPolicy { Always, IfNotPresent, Never }
}
