package io.moon.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator last saw and did. Written last in each reconciliation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MoonClusterStatus {
    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Creating, Updating, Ready, Degraded or Paused.")
    public Phase phase;

    @JsonPropertyDescription("Ready, Progressing, Degraded and ReconciliationPaused, in the standard condition shape.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Ready pods / desired pods, for kubectl get.")
    public String ready;

    @JsonPropertyDescription("Ready data node pods over all shards.")
    public Integer readyPods;

    @JsonPropertyDescription("Desired data node pods over all shards.")
    public Integer desiredPods;

    @JsonPropertyDescription("The data node image in use.")
    public String image;

    @JsonPropertyDescription("One entry per shard.")
    public List<ShardStatus> shards = new ArrayList<>();

    public enum Phase { Creating, Updating, Ready, Degraded, Paused }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ShardStatus {
        @JsonPropertyDescription("Shard number, from 0.")
        public Integer index;

        @JsonPropertyDescription("The shard's StatefulSet.")
        public String statefulSet;

        @JsonPropertyDescription("Desired pods (1 + replicasPerShard).")
        public Integer replicas;

        @JsonPropertyDescription("Ready pods.")
        public Integer readyReplicas;

        @JsonPropertyDescription("Pods already at the StatefulSet's current template.")
        public Integer updatedReplicas;

        public ShardStatus() {}

        public ShardStatus(int index, String statefulSet, int replicas, int readyReplicas, int updatedReplicas) {
            this.index = index;
            this.statefulSet = statefulSet;
            this.replicas = replicas;
            this.readyReplicas = readyReplicas;
            this.updatedReplicas = updatedReplicas;
        }
    }
}
