package io.moon.operator.model;

import io.moon.operator.api.MoonCluster;
import io.moon.operator.api.MoonClusterSpec;
import io.moon.operator.api.StorageSpec;
import io.moon.operator.api.VolumeSpec;

/** MoonClusters for tests: the smallest valid one, to be changed by each test. */
public final class TestClusters {
    private TestClusters() {}

    public static final String NAMESPACE = "moon-test";
    public static final String IMAGE = "moon-node:test";

    public static MoonCluster minimal(String name, int shards) {
        MoonClusterSpec spec = new MoonClusterSpec();
        spec.shards = shards;
        spec.storage = new StorageSpec(new VolumeSpec("1Gi", null));
        MoonCluster mc = new MoonCluster(NAMESPACE, name, spec);
        mc.getMetadata().setUid("uid-" + name);
        mc.getMetadata().setGeneration(1L);
        return mc;
    }
}
