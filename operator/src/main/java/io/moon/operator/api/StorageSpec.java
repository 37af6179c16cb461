package io.moon.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The volumes of each data node: one PersistentVolumeClaim each per pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.warm) == has(oldSelf.warm) && has(self.cold) == has(oldSelf.cold)",
        message = "warm and cold volumes cannot be added or removed after creation")
public class StorageSpec {
    @Required
    @JsonPropertyDescription("The data volume, mounted at /data: write-ahead log, snapshots and, without a cold volume, the cold tier.")
    public VolumeSpec data;

    @JsonPropertyDescription("Optional warm-tier volume (memory-mapped segments), mounted at /tier/warm.")
    public VolumeSpec warm;

    @JsonPropertyDescription("Optional cold-tier volume (keys spilled from memory), mounted at /tier/cold. Use an NVMe-backed storage class.")
    public VolumeSpec cold;

    @JsonPropertyDescription("What happens to the claims when the cluster is deleted or scaled down (default: keep them).")
    public RetentionPolicy retentionPolicy;

    public StorageSpec() {}

    public StorageSpec(VolumeSpec data) {
        this.data = data;
    }

    /** Mirrors StatefulSet's persistentVolumeClaimRetentionPolicy. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class RetentionPolicy {
        @JsonPropertyDescription("Retain (default) keeps the claims after the MoonCluster is deleted; Delete removes them.")
        public Action whenDeleted;

        @JsonPropertyDescription("Retain (default) keeps the claims of pods removed by lowering replicasPerShard; Delete removes them.")
        public Action whenScaled;

        public RetentionPolicy() {}

        public RetentionPolicy(Action whenDeleted, Action whenScaled) {
            this.whenDeleted = whenDeleted;
            this.whenScaled = whenScaled;
        }
    }

    public enum Action { Retain, Delete }
}
