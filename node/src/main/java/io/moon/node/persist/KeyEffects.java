package io.moon.node.persist;

import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import java.nio.charset.StandardCharsets;

/**
 * The log form of a key's end state, for multi-shard writes whose effect cannot be told per shard
 * from the command (RENAME or COPY between shards): DEL when the key is gone, SET with PXAT for a
 * string. Collection types get their form with DUMP/RESTORE; until then such a write cannot be
 * logged and fails loudly instead of silently losing durability.
 */
public final class KeyEffects {
    private KeyEffects() {}

    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PXAT = "PXAT".getBytes(StandardCharsets.US_ASCII);

    public static byte[][] recreate(Db db, byte[] key) {
        Object e = db.peek(key);
        if (e == null) return new byte[][] {DEL, key};
        if (e instanceof byte[] b) {
            byte[] value = Entries.value(b);
            long at = Entries.expireAt(b);
            if (at == Entries.NO_EXPIRE) return new byte[][] {SET, key, value};
            return new byte[][] {SET, key, value, PXAT, Long.toString(at).getBytes(StandardCharsets.US_ASCII)};
        }
        throw new IllegalStateException("no write-ahead log form for the type of key '"
                + new String(key, StandardCharsets.UTF_8) + "' yet (multi-shard write of a collection)");
    }
}
