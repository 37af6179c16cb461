package io.moon.node.command;

import io.moon.node.cluster.KeySlot;
import io.moon.node.server.Shard;
import io.moon.node.store.Db;
import io.moon.node.store.ObjectEntry;
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
}
