package io.moon.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeSettingsTest {
    @Test
    void findsByNameOrAliasIgnoringCase() {
        assertThat(NodeSettings.canonicalName("slave-read-only")).contains("replica-read-only");
        assertThat(NodeSettings.canonicalName("MaxMemory-Policy")).contains("maxmemory-policy");
        assertThat(NodeSettings.canonicalName("no-such-setting")).isEmpty();
    }

    @Test
    void checksValuesAsTheNodeDoes() {
        assertThat(NodeSettings.check("maxclients", "100")).isNull();
        assertThat(NodeSettings.check("maxclients", "0")).contains("between 1 and");
        assertThat(NodeSettings.check("hz", "abc")).contains("integer");
        assertThat(NodeSettings.check("lazyfree-lazy-eviction", "maybe")).contains("'yes' or 'no'");
        assertThat(NodeSettings.check("loglevel", "WARNING")).isNull();
        assertThat(NodeSettings.check("loglevel", "loud")).contains("one of the following");
        assertThat(NodeSettings.check("proto-max-bulk-len", "1kb")).contains("between");
        assertThat(NodeSettings.check("proto-max-bulk-len", "2mb")).isNull();
    }

    @Test
    void unknownSettingHasTheNodesMessage() {
        assertThat(NodeSettings.check("no-such-setting", "1")).isEqualTo("Bad directive or wrong number of arguments");
    }

    @Test
    void parsesMemoryAsRedis() {
        assertThat(NodeSettings.parseMemory("1k")).isEqualTo(1000);
        assertThat(NodeSettings.parseMemory("1kb")).isEqualTo(1024);
        assertThat(NodeSettings.parseMemory("2GB")).isEqualTo(2L << 30);
        assertThat(NodeSettings.parseMemory("lots")).isEqualTo(Long.MIN_VALUE);
    }
}
