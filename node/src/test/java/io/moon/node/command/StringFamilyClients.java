package io.moon.node.command;

import io.moon.node.cluster.KeySlot;
import io.moon.node.server.Shard;
import io.moon.node.store.Db;
import io.moon.node.store.ObjectEntry;
import io.moon.node.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Base of the tests of families stored as plain strings (bitmaps, HyperLogLog): raw calls, keys
 * of another type planted straight into the keyspace for WRONGTYPE cases, keys on distinct
 * shards, and INFO's dirty counter.
 */
abstract class StringFamilyClients extends FourShardClients {

    /** A command's reply through raw RESP (errors as RawClient.Err, bulks as ISO-8859-1 strings). */
    Object call(String... args) throws Exception { return raw.call(args); }

    static String wrongArgs(String command) { return "ERR wrong number of arguments for '" + command + "' command"; }

    static <T> T onShardOf(String key, Function<Db, T> action) {
        Shard shard = node.node().shardOfSlot(KeySlot.slot(key.getBytes(StandardCharsets.UTF_8)));
        try {
            return shard.loop().submit(() -> action.apply(shard.keyspace().db(0))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores a key of a type other than string, as the collection families do. */
    static void plantNonString(String key) {
        onShardOf(key, db -> {
            db.set(new ObjectEntry(key.getBytes(StandardCharsets.UTF_8), new Object()));
            return null;
        });
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

    /** Redis's rdb_changes_since_last_save from INFO persistence. */
    long dirty() {
        for (String line : j.info("persistence").split("\r\n")) {
            if (line.startsWith("rdb_changes_since_last_save:")) return Long.parseLong(line.substring(line.indexOf(':') + 1));
        }
        throw new IllegalStateException("no rdb_changes_since_last_save in INFO");
    }

    /** What a test does with a client subscribed to every keyspace event of database 0. */
    @FunctionalInterface
    interface EventsCheck {
        void run(RawClient subscriber) throws Exception;
    }

    /** Runs {@code check} with keyspace events on and a subscriber to them; turns events off after. */
    void withKeyspaceEvents(EventsCheck check) throws Exception {
        try (RawClient sub = node.raw()) {
            j.configSet("notify-keyspace-events", "KA");
            try {
                sub.command("PSUBSCRIBE", "__keyspace@0__:*");
                sub.read();
                check.run(sub);
            } finally {
                j.configSet("notify-keyspace-events", "");
            }
        }
    }

    /** The subscriber's next keyspace event as [key, event]. */
    static List<Object> event(RawClient sub) throws Exception {
        List<?> m = (List<?>) sub.read();
        String channel = (String) m.get(2);
        return List.of(channel.substring(channel.indexOf(':') + 1), m.get(3));
    }
}
