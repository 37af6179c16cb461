package io.moon.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/**
 * Where data node pods run. Unless the user gives a podAntiAffinity of their own, pods of the
 * same shard are kept on different nodes (shardAntiAffinity), because a primary and its replica
 * on one node fail together.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SchedulingSpec {
    @JsonPropertyDescription("Keep pods of one shard on different nodes: Required (default), Preferred, or None. Ignored when affinity.podAntiAffinity is given.")
    public ShardAntiAffinity shardAntiAffinity;

    @JsonPropertyDescription("Pod affinity rules, used as given.")
    public Affinity affinity;

    @JsonPropertyDescription("Pod tolerations.")
    public List<Toleration> tolerations;

    @JsonPropertyDescription("Pod topology spread constraints.")
    public List<TopologySpreadConstraint> topologySpreadConstraints;

    @JsonPropertyDescription("Node labels a pod's node must have.")
    public Map<String, String> nodeSelector;

    @JsonPropertyDescription("Priority class of the pods.")
    public String priorityClassName;

    public enum ShardAntiAffinity { Required, Preferred, None }
}
