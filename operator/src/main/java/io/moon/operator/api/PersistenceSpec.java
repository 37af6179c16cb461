package io.moon.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Durability settings, rendered as the node's appendonly, appendfsync and save settings. The
 * node accepts them today but acts on them only once its persistence layer lands (see
 * docs/operator.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PersistenceSpec {
    @JsonPropertyDescription("Keep a write-ahead log (appendonly; default true).")
    public Boolean writeAheadLog;

    @JsonPropertyDescription("When the write-ahead log is synced to disk (appendfsync; default everysec).")
    public Fsync appendfsync;

    @Size(max = 16)
    @JsonPropertyDescription("Snapshot rules (save): snapshot after everySeconds if at least minChanges writes happened. An empty list disables snapshots; leaving it out keeps the node's default.")
    public List<SnapshotRule> snapshots;

    public enum Fsync {
        @JsonProperty("always") ALWAYS,
        @JsonProperty("everysec") EVERYSEC,
        @JsonProperty("no") NO;

        /** The node's spelling. */
        public String nodeValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SnapshotRule {
        @Required
        @Min(1)
        @Max(31536000)
        @JsonPropertyDescription("Seconds since the last snapshot.")
        public Long everySeconds;

        @Required
        @Min(1)
        @JsonPropertyDescription("Writes since the last snapshot.")
        public Long minChanges;

        public SnapshotRule() {}

        public SnapshotRule(long everySeconds, long minChanges) {
            this.everySeconds = everySeconds;
            this.minChanges = minChanges;
        }
    }
}
