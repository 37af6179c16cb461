package io.moon.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void podsAreClusterShardOrdinal() {
        assertThat(Names.statefulSet("cache", 2)).isEqualTo("cache-2");
        assertThat(Names.pod("cache", 2, 1)).isEqualTo("cache-2-1");
        assertThat(Names.claim(Names.DATA_VOLUME, "cache", 2, 1)).isEqualTo("data-cache-2-1");
        assertThat(Names.podDnsName("cache", 0, 1, "prod")).isEqualTo("cache-0-1.cache-nodes.prod.svc");
        assertThat(Names.headlessService("cache")).isEqualTo("cache-nodes");
        assertThat(Names.clientService("cache")).isEqualTo("cache");
        assertThat(Names.configMap("cache")).isEqualTo("cache-config");
    }

    @Test
    void shardOfReadsOnlyOurStatefulSetNames() {
        assertThat(Names.shardOf("cache", "cache-0")).isZero();
        assertThat(Names.shardOf("cache", "cache-17")).isEqualTo(17);
        assertThat(Names.shardOf("cache", "cache-01")).isEqualTo(-1);
        assertThat(Names.shardOf("cache", "cache-nodes")).isEqualTo(-1);
        assertThat(Names.shardOf("cache", "other-1")).isEqualTo(-1);
        assertThat(Names.shardOf("cache", "cache-")).isEqualTo(-1);
        assertThat(Names.shardOf("cache", "cache-12345")).isEqualTo(-1);
    }

    @Test
    void longestClusterNameKeepsStatefulSetWithinItsLimit() {
        String name = "a".repeat(io.moon.operator.api.MoonCluster.MAX_NAME_LENGTH);
        // 52: the longest StatefulSet name whose pods' controller-revision-hash label fits in 63.
        assertThat(Names.statefulSet(name, 1023)).hasSizeLessThanOrEqualTo(52);
        assertThat(Names.headlessService(name)).hasSizeLessThanOrEqualTo(63);
    }
}
