package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.cluster.KeySlot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;

/** A 4-shard node and its clients for the stream family's integration tests, with helpers. */
abstract class StreamITBase extends FourShardClients {
    Object call(String... args) throws Exception {
        return raw.call(args);
    }

    static String wrongArgs(String command) {
        return "ERR wrong number of arguments for '" + command + "' command";
    }

    /** Names with the prefix that fall on n different shards. */
    static String[] keysOnDistinctShards(String prefix, int n) {
        List<String> keys = new ArrayList<>();
        Set<Integer> shards = new HashSet<>();
        for (int i = 0; keys.size() < n; i++) {
            String k = prefix + i;
            if (shards.add(node.node().shardIndexOfSlot(KeySlot.slot(k.getBytes(StandardCharsets.UTF_8))))) keys.add(k);
        }
        return keys.toArray(new String[0]);
    }

    /** INFO's blocked_clients. */
    long blockedClients() {
        for (String line : j.info("clients").split("\r\n")) {
            if (line.startsWith("blocked_clients:")) return Long.parseLong(line.substring(16));
        }
        throw new IllegalStateException("no blocked_clients in INFO");
    }

    void awaitBlocked(long n) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> blockedClients() == n);
    }

    /** A reply's entries as [id, [field, value...]] lists. */
    static List<Object> entry(String id, String... fieldsAndValues) {
        return List.of(id, List.of((Object[]) fieldsAndValues));
    }
}
