package io.moon.node.persist;

import io.moon.node.config.ServerConfig;
import io.moon.node.persist.rdb.FieldValue;
import io.moon.node.persist.rdb.RdbHash;
import io.moon.node.persist.rdb.RdbList;
import io.moon.node.persist.rdb.RdbSet;
import io.moon.node.persist.rdb.RdbStream;
import io.moon.node.store.HashValue;
import io.moon.node.store.ListValue;
import io.moon.node.store.SetValue;
import io.moon.node.persist.rdb.RdbZset;
import io.moon.node.store.SortedSetValue;
import io.moon.node.store.stream.StreamValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the collection types register their RDB forms with {@link ValueCodec} (one line per type).
 * A value built from its RDB form takes the encoding its type's own rules give under the
 * current encoding settings, as Redis's rdbLoadObject re-decides encodings on load.
 */
final class ValueCodecs {
    private ValueCodecs() {}

    // The settings a loaded value is encoded under: the node's (see follow), Redis's defaults
    // until then. Static because the codec registry is; nodes sharing a JVM (tests) share them.
    private static volatile long hashMaxListpackEntries = 512, hashMaxListpackValue = 64, setMaxIntsetEntries = 512;
    private static volatile int listMaxListpackSize = -2;
    private static volatile SortedSetValue.Limits zsetLimits = new SortedSetValue.Limits(128, 64);
    private static volatile long streamNodeMaxBytes = 4096, streamNodeMaxEntries = 100;

    static void registerAll() {
        ValueCodec.register(HashValue.class, RdbHash.class, ValueCodecs::toRdb, ValueCodecs::hash);
        ValueCodec.register(SetValue.class, RdbSet.class, ValueCodecs::toRdb, ValueCodecs::set);
        ValueCodec.register(ListValue.class, RdbList.class, ValueCodecs::toRdb, ValueCodecs::list);
        ValueCodec.register(SortedSetValue.class, RdbZset.class, ValueCodecs::toRdb, ValueCodecs::zset);
        ValueCodec.register(StreamValue.class, RdbStream.class, StreamValue::toRdb,
                r -> StreamValue.fromRdb(r, streamNodeMaxBytes, streamNodeMaxEntries));
    }

    /** Keeps the encoding settings of loaded values equal to the node's. */
    static void follow(ServerConfig config) {
        config.onChange("hash-max-listpack-entries", v -> hashMaxListpackEntries = Long.parseLong(v));
        config.onChange("hash-max-listpack-value", v -> hashMaxListpackValue = Long.parseLong(v));
        config.onChange("set-max-intset-entries", v -> setMaxIntsetEntries = Long.parseLong(v));
        config.onChange("list-max-listpack-size", v -> listMaxListpackSize = Integer.parseInt(v));
        config.onChange("zset-max-listpack-entries", v -> zsetLimits = config.zsetLimits());
        config.onChange("zset-max-listpack-value", v -> zsetLimits = config.zsetLimits());
        config.onChange("stream-node-max-bytes", v -> streamNodeMaxBytes = config.getLong("stream-node-max-bytes"));
        config.onChange("stream-node-max-entries", v -> streamNodeMaxEntries = Long.parseLong(v));
    }

    private static RdbHash toRdb(HashValue h) {
        List<FieldValue> out = new ArrayList<>(h.size());
        for (int i = h.first(); i >= 0; i = h.next(i)) {
            out.add(new FieldValue(copy(h.fieldBuf(i), h.fieldOff(i), h.fieldLen(i)),
                    copy(h.valueBuf(i), h.valueOff(i), h.valueLen(i))));
        }
        return new RdbHash(out);
    }

    private static HashValue hash(RdbHash r) {
        HashValue h = new HashValue();
        long entries = hashMaxListpackEntries, value = hashMaxListpackValue;
        for (FieldValue fv : r.fields()) {
            h.set(fv.field(), 0, fv.field().length, fv.value(), 0, fv.value().length, entries, value);
        }
        return h;
    }

    private static RdbSet toRdb(SetValue s) {
        List<byte[]> out = new ArrayList<>(s.size());
        for (int i = s.first(); i >= 0; i = s.next(i)) {
            byte[] m = s.member(i);
            out.add(m.clone()); // a table member is the stored array: the record owns its bytes
        }
        return new RdbSet(out);
    }

    private static SetValue set(RdbSet r) {
        SetValue s = new SetValue();
        long max = setMaxIntsetEntries;
        for (byte[] m : r.members()) s.add(m, 0, m.length, max);
        return s;
    }

    private static RdbList toRdb(ListValue l) {
        List<byte[]> elements = new ArrayList<>((int) Math.min(l.size(), Integer.MAX_VALUE - 8));
        ListValue.Cursor c = l.cursor(0, true);
        while (c.next()) elements.add(c.bytes());
        return new RdbList(elements);
    }

    private static ListValue list(RdbList r) {
        ListValue l = new ListValue(listMaxListpackSize);
        for (byte[] e : r.elements()) l.push(false, e);
        l.trimToSize();
        return l;
    }

    private static byte[] copy(byte[] b, int off, int len) { return java.util.Arrays.copyOfRange(b, off, off + len); }


    private static RdbZset toRdb(SortedSetValue z) {
        List<RdbZset.Entry> out = new ArrayList<>(z.size());
        z.forEach((b, off, len, score) -> out.add(new RdbZset.Entry(java.util.Arrays.copyOfRange(b, off, off + len), score)));
        return new RdbZset(out);
    }

    /**
     * As Redis's rdbLoadObject: a listpack when the set fits zset-max-listpack-entries and every
     * member fits zset-max-listpack-value, whatever encoding it was saved in.
     */
    private static SortedSetValue zset(RdbZset r) {
        SortedSetValue.Limits limits = zsetLimits;
        SortedSetValue z = SortedSetValue.large();
        for (RdbZset.Entry e : r.entries()) z.add(e.score(), e.member(), 0, e.member().length, 0, limits);
        z.compactIfSmall(limits);
        return z;
    }
}
