package io.moon.node.command;

import io.moon.node.cluster.KeySlot;
import io.moon.node.server.Node;
import java.nio.charset.StandardCharsets;

/** Key names chosen by the shard that owns them, for tests of commands whose keys span shards. */
final class ShardKeys {
    private ShardKeys() {}

    /** The first of prefix0, prefix1, ... that lives on {@code shard}. */
    static String on(Node node, int shard, String prefix) {
        for (int i = 0; ; i++) {
            String k = prefix + i;
            if (shardOf(node, k) == shard) return k;
        }
    }

    static int shardOf(Node node, String key) {
        return node.shardIndexOfSlot(KeySlot.slot(key.getBytes(StandardCharsets.UTF_8)));
    }
}
