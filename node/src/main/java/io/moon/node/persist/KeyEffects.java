package io.moon.node.persist;

import io.moon.node.persist.rdb.FieldValue;
import io.moon.node.persist.rdb.RdbHash;
import io.moon.node.persist.rdb.RdbList;
import io.moon.node.persist.rdb.RdbSet;
import io.moon.node.persist.rdb.RdbValue;
import io.moon.node.persist.rdb.RdbZset;
import io.moon.node.protocol.Doubles;
import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The log form of a key's end state, for multi-shard writes whose effect cannot be told per shard
 * from the command (RENAME or COPY between shards, SMOVE or SUNIONSTORE across shards, any write
 * in a multi-shard EXEC): DEL when the key is gone, SET with PXAT for a string, and for a
 * collection DEL, then the commands that build it again from its RDB form ({@link ValueCodec}: HSET,
 * SADD, RPUSH or ZADD, in runs of {@value #RUN} elements so that no record grows without bound),
 * then PEXPIREAT when it has an expiry. The records of one command are replayed together, so the
 * key is never seen half built. A type without such a form (streams, for now) fails loudly instead
 * of silently losing durability.
 */
public final class KeyEffects {
    private KeyEffects() {}

    /** Elements per rebuilding command. */
    static final int RUN = 512;

    private static final byte[] DEL = ascii("DEL");
    private static final byte[] SET = ascii("SET");
    private static final byte[] PXAT = ascii("PXAT");

    public static List<byte[][]> recreate(Db db, byte[] key) {
        Object e = db.peek(key);
        if (e == null) return List.<byte[][]>of(new byte[][] {DEL, key});
        long at = Entries.expireAt(e);
        if (e instanceof byte[] b) {
            byte[] value = Entries.value(b);
            if (at == Entries.NO_EXPIRE) return List.<byte[][]>of(new byte[][] {SET, key, value});
            return List.<byte[][]>of(new byte[][] {SET, key, value, PXAT, number(at)});
        }
        List<byte[][]> out = new ArrayList<>();
        out.add(new byte[][] {DEL, key});
        RdbValue value = ValueCodec.toRdb(e);
        switch (value) {
            case RdbHash h -> runs(out, "HSET", key, h.fields(), 2, (fv, args) -> {
                args.add(fv.field());
                args.add(fv.value());
            });
            case RdbSet s -> runs(out, "SADD", key, s.members(), 1, (m, args) -> args.add(m));
            case RdbList l -> runs(out, "RPUSH", key, l.elements(), 1, (m, args) -> args.add(m));
            case RdbZset z -> runs(out, "ZADD", key, z.entries(), 2, (en, args) -> {
                args.add(ascii(Doubles.toRedisString(en.score())));
                args.add(en.member());
            });
            default -> throw new IllegalStateException("no write-ahead log form for the type of key '"
                    + new String(key, StandardCharsets.UTF_8) + "' yet (multi-shard write of a " + value.getClass().getSimpleName() + ")");
        }
        if (at != Entries.NO_EXPIRE) out.add(new byte[][] {ascii("PEXPIREAT"), key, number(at)});
        return out;
    }

    private interface Adder<T> {
        void add(T element, List<byte[]> args);
    }

    private static <T> void runs(List<byte[][]> out, String command, byte[] key, List<T> elements, int perElement,
                                 Adder<T> adder) {
        for (int from = 0; from < elements.size(); from += RUN) {
            int to = Math.min(elements.size(), from + RUN);
            List<byte[]> args = new ArrayList<>(2 + (to - from) * perElement);
            args.add(ascii(command));
            args.add(key);
            for (int i = from; i < to; i++) adder.add(elements.get(i), args);
            out.add(args.toArray(new byte[0][]));
        }
    }

    private static byte[] number(long v) { return ascii(Long.toString(v)); }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }
}
