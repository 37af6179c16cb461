package io.moon.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** One PodDisruptionBudget per shard, so a drain never takes a whole shard down at once. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodDisruptionBudgetSpec {
    @JsonPropertyDescription("Create the budgets (default true).")
    public Boolean enabled;

    @Min(0)
    @Max(6)
    @JsonPropertyDescription("Pods of one shard that a voluntary disruption may take at once (default 1).")
    public Integer maxUnavailable;

    public PodDisruptionBudgetSpec() {}

    public PodDisruptionBudgetSpec(Boolean enabled, Integer maxUnavailable) {
        this.enabled = enabled;
        this.maxUnavailable = maxUnavailable;
    }
}
