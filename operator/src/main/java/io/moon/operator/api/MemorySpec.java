package io.moon.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** The node's memory limit and what happens past it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.diskOffload) || !has(self.diskOffload.enabled) || !self.diskOffload.enabled || has(self.maxmemory)",
        message = "diskOffload needs maxmemory: offload starts at a fraction of it")
public class MemorySpec {
    /** Redis's memory syntax (memtoull): bytes, or k/kb/m/mb/g/gb, case-insensitive. */
    public static final String MEMORY_PATTERN = "^[0-9]+([kKmMgG][bB]?|[bB])?$";

    @Pattern(MEMORY_PATTERN)
    @JsonPropertyDescription("Data memory limit per node in Redis syntax (e.g. 2gb). Must stay below the container's memory limit, which also holds the JVM and buffers.")
    public String maxmemory;

    @JsonPropertyDescription("What to do past maxmemory (maxmemory-policy; node default noeviction).")
    public Policy policy;

    @JsonPropertyDescription("Spill cold keys to disk instead of evicting them.")
    public DiskOffload diskOffload;

    public enum Policy {
        @JsonProperty("noeviction") NOEVICTION,
        @JsonProperty("allkeys-lru") ALLKEYS_LRU,
        @JsonProperty("allkeys-lfu") ALLKEYS_LFU,
        @JsonProperty("allkeys-random") ALLKEYS_RANDOM,
        @JsonProperty("volatile-lru") VOLATILE_LRU,
        @JsonProperty("volatile-lfu") VOLATILE_LFU,
        @JsonProperty("volatile-random") VOLATILE_RANDOM,
        @JsonProperty("volatile-ttl") VOLATILE_TTL;

        /** The node's spelling. */
        public String nodeValue() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class DiskOffload {
        @JsonPropertyDescription("Offload on (default false).")
        public Boolean enabled;

        @Min(10)
        @Max(100)
        @JsonPropertyDescription("Percent of maxmemory at which keys start to move to disk (default 90).")
        public Integer thresholdPercent;

        public DiskOffload() {}

        public DiskOffload(boolean enabled, Integer thresholdPercent) {
            this.enabled = enabled;
            this.thresholdPercent = thresholdPercent;
        }
    }
}
