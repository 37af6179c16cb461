package io.moon.node.persist;

import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import io.moon.node.store.ListValue;
import io.moon.node.store.ObjectEntry;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;

/**
 * The log form of a key's end state, for multi-shard writes whose effect cannot be told per shard
 * from the command (RENAME or COPY between shards): DEL when the key is gone, SET with PXAT for a
 * string, DEL then RPUSH of its elements (then PEXPIREAT) for a list. Other collection types get
 * their form with DUMP/RESTORE; until then such a write cannot be logged and fails loudly instead
 * of silently losing durability.
 */
public final class KeyEffects {
    private KeyEffects() {}

    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PXAT = "PXAT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RPUSH = "RPUSH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PEXPIREAT = "PEXPIREAT".getBytes(StandardCharsets.US_ASCII);
    /** Elements per RPUSH record, so that no record of a long list is huge. */
    private static final int PUSH_BATCH = 1024;

    private static List<byte[][]> list(byte[] key, ListValue list, long expireAt) {
        List<byte[][]> out = new ArrayList<>();
        out.add(new byte[][] {DEL, key});
        List<byte[]> batch = new ArrayList<>();
        ListValue.Cursor c = list.cursor(0, true);
        while (c.next()) {
            batch.add(c.bytes());
            if (batch.size() == PUSH_BATCH) {
                out.add(push(key, batch));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) out.add(push(key, batch));
        if (expireAt != Entries.NO_EXPIRE) {
            out.add(new byte[][] {PEXPIREAT, key, Long.toString(expireAt).getBytes(StandardCharsets.US_ASCII)});
        }
        return out;
    }

    private static byte[][] push(byte[] key, List<byte[]> elements) {
        byte[][] argv = new byte[elements.size() + 2][];
        argv[0] = RPUSH;
        argv[1] = key;
        for (int i = 0; i < elements.size(); i++) argv[i + 2] = elements.get(i);
        return argv;
    }

    /** The commands that rebuild the key as it is now, in order (one for most). */
    public static List<byte[][]> recreate(Db db, byte[] key) {
        Object e = db.peek(key);
        if (e == null) return List.<byte[][]>of(new byte[][] {DEL, key});
        if (e instanceof byte[] b) {
            byte[] value = Entries.value(b);
            long at = Entries.expireAt(b);
            if (at == Entries.NO_EXPIRE) return List.<byte[][]>of(new byte[][] {SET, key, value});
            return List.<byte[][]>of(new byte[][] {SET, key, value, PXAT, Long.toString(at).getBytes(StandardCharsets.US_ASCII)});
        }
        if (e instanceof ObjectEntry oe && oe.value instanceof ListValue list) return list(key, list, oe.expireAt());
        throw new IllegalStateException("no write-ahead log form for the type of key '"
                + new String(key, StandardCharsets.UTF_8) + "' yet (multi-shard write of a collection)");
    }
}
