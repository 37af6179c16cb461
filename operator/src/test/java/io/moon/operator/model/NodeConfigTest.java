package io.moon.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.moon.node.config.ServerConfig;
import io.moon.operator.api.MemorySpec;
import io.moon.operator.api.MoonCluster;
import io.moon.operator.api.PersistenceSpec;
import io.moon.operator.api.VolumeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
    @TempDir
    Path dir;

    @Test
    void minimalSpecRendersTheOperatorsSettings() {
        String conf = NodeConfig.render(TestClusters.minimal("c", 1).getSpec());
        assertThat(conf.lines()).contains("port 6379", "bind 0.0.0.0", "protected-mode no", "dir /data", "appendonly yes");
        assertThat(conf).doesNotContain("maxmemory", "shards", "save");
    }

    @Test
    void fullSpecRendersEveryField() {
        MoonCluster mc = TestClusters.minimal("c", 1);
        mc.getSpec().memory = new MemorySpec();
        mc.getSpec().memory.maxmemory = "2GB";
        mc.getSpec().memory.policy = MemorySpec.Policy.ALLKEYS_LFU;
        mc.getSpec().persistence = new PersistenceSpec();
        mc.getSpec().persistence.appendfsync = PersistenceSpec.Fsync.ALWAYS;
        mc.getSpec().persistence.writeAheadLog = false;
        mc.getSpec().persistence.snapshots = List.of(new PersistenceSpec.SnapshotRule(3600, 1),
                new PersistenceSpec.SnapshotRule(300, 100));
        mc.getSpec().config.put("slowlog-max-len", "256");
        mc.getSpec().config.put("hz", "20");
        mc.getSpec().config.put("notify-keyspace-events", "");
        mc.getSpec().resources = new ResourceRequirementsBuilder().addToLimits("cpu", new Quantity("1500m")).build();
        String conf = NodeConfig.render(mc.getSpec());
        assertThat(conf.lines()).contains("maxmemory 2gb", "maxmemory-policy allkeys-lfu", "appendonly no",
                "appendfsync always", "save \"3600 1 300 100\"", "shards 2", "notify-keyspace-events \"\"");
        // User settings come sorted, after the operator's, so the hash never depends on map order.
        assertThat(conf.indexOf("hz 20")).isLessThan(conf.indexOf("slowlog-max-len 256"));
    }

    @Test
    void emptySnapshotListDisablesSnapshots() {
        MoonCluster mc = TestClusters.minimal("c", 1);
        mc.getSpec().persistence = new PersistenceSpec();
        mc.getSpec().persistence.snapshots = List.of();
        assertThat(NodeConfig.render(mc.getSpec()).lines()).contains("save \"\"");
    }

    @Test
    void eventLoopsFollowCpuLimitThenRequest() {
        assertThat(NodeConfig.eventLoops(null)).isNull();
        assertThat(NodeConfig.eventLoops(new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("250m")).build())).isEqualTo(1);
        assertThat(NodeConfig.eventLoops(new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("3")).build())).isEqualTo(3);
        assertThat(NodeConfig.eventLoops(new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("1"))
                .addToLimits("cpu", new Quantity("4")).build())).isEqualTo(4);
        assertThat(NodeConfig.eventLoops(new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("1Gi")).build())).isNull();
    }

    @Test
    void userShardsSettingWinsOverCpuDerivedOne() {
        MoonCluster mc = TestClusters.minimal("c", 1);
        mc.getSpec().resources = new ResourceRequirementsBuilder().addToLimits("cpu", new Quantity("4")).build();
        mc.getSpec().config.put("shards", "2");
        assertThat(NodeConfig.render(mc.getSpec()).lines()).contains("shards 2").doesNotContain("shards 4");
    }

    @Test
    void quotesValuesWithBlanksAndQuotes() {
        assertThat(NodeConfig.quote("plain")).isEqualTo("plain");
        assertThat(NodeConfig.quote("")).isEqualTo("\"\"");
        assertThat(NodeConfig.quote("a b")).isEqualTo("\"a b\"");
        assertThat(NodeConfig.quote("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
    }

    /** The rendered file is loaded by the node's own parser without error, values intact. */
    @Test
    void nodeLoadsTheRenderedFile() throws Exception {
        MoonCluster mc = TestClusters.minimal("c", 1);
        mc.getSpec().memory = new MemorySpec();
        mc.getSpec().memory.maxmemory = "100mb";
        mc.getSpec().memory.policy = MemorySpec.Policy.VOLATILE_TTL;
        mc.getSpec().persistence = new PersistenceSpec();
        mc.getSpec().persistence.snapshots = List.of(new PersistenceSpec.SnapshotRule(60, 5));
        mc.getSpec().config.put("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
        mc.getSpec().config.put("maxclients", "500");
        Path file = dir.resolve("moon.conf");
        Files.writeString(file, NodeConfig.render(mc.getSpec()));
        ServerConfig node = new ServerConfig();
        node.load(file);
        assertThat(node.get("maxmemory")).isEqualTo(Long.toString(100L << 20));
        assertThat(node.get("maxmemory-policy")).isEqualTo("volatile-ttl");
        assertThat(node.get("save")).isEqualTo("60 5");
        assertThat(node.get("maxclients")).isEqualTo("500");
        assertThat(node.get("dir")).isEqualTo("/data");
        assertThat(node.get("bind")).isEqualTo("0.0.0.0");
        assertThat(node.get("protected-mode")).isEqualTo("no");
    }

    @Test
    void tieringFileNamesTheTierDirectories() {
        MoonCluster mc = TestClusters.minimal("c", 1);
        assertThat(NodeConfig.renderTiering(mc.getSpec()).lines())
                .contains("disk-offload no", "disk-offload-threshold-percent 90", "warm-dir /data/warm", "cold-dir /data/cold");
        mc.getSpec().storage.cold = new VolumeSpec("10Gi", "nvme");
        mc.getSpec().memory = new MemorySpec();
        mc.getSpec().memory.maxmemory = "1gb";
        mc.getSpec().memory.diskOffload = new MemorySpec.DiskOffload(true, 75);
        assertThat(NodeConfig.renderTiering(mc.getSpec()).lines())
                .contains("disk-offload yes", "disk-offload-threshold-percent 75", "cold-dir /tier/cold");
    }
}
