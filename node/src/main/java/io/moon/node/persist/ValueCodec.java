package io.moon.node.persist;

import io.moon.node.persist.rdb.RdbString;
import io.moon.node.persist.rdb.RdbValue;
import io.moon.node.store.Entries;
import io.moon.node.store.ObjectEntry;
import io.moon.node.store.TypedValue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Moon's stored values to and from the RDB value model ({@link RdbValue}), which snapshots,
 * DUMP/RESTORE and RDB import share. Strings are built in; each collection type registers its two
 * conversions ({@link #register}) where the types are put together (persist/ValueCodecs).
 */
public final class ValueCodec {
    private ValueCodec() {}

    private static final Map<Class<?>, Function<TypedValue, RdbValue>> TO = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Function<RdbValue, TypedValue>> FROM = new ConcurrentHashMap<>();

    static {
        ValueCodecs.registerAll();
    }

    /** Keeps the encodings of values built here (snapshot load, RESTORE) under the node's settings. */
    public static void follow(io.moon.node.config.ServerConfig config) { ValueCodecs.follow(config); }

    public static <T extends TypedValue, R extends RdbValue> void register(Class<T> type, Class<R> rdb,
                                                                            Function<T, R> to, Function<R, T> from) {
        TO.put(type, v -> to.apply(type.cast(v)));
        FROM.put(rdb, r -> from.apply(rdb.cast(r)));
    }

    /** The RDB form of a keyspace entry's value. */
    public static RdbValue toRdb(Object entry) {
        if (entry instanceof byte[] b) return new RdbString(Entries.value(b));
        TypedValue v = (TypedValue) ((ObjectEntry) entry).value;
        Function<TypedValue, RdbValue> f = TO.get(v.getClass());
        if (f == null) throw new IllegalStateException("no RDB form for " + v.getClass().getSimpleName());
        return f.apply(v);
    }

    /** A keyspace entry for {@code key} holding {@code value}, with {@code expireAt} (or NO_EXPIRE). */
    public static Object toEntry(byte[] key, RdbValue value, long expireAt) {
        if (value instanceof RdbString s) return Entries.newString(key, 0, key.length, s.value(), 0, s.value().length, expireAt);
        Function<RdbValue, TypedValue> f = FROM.get(value.getClass());
        if (f == null) throw new IllegalStateException("no Moon type for " + value.getClass().getSimpleName());
        ObjectEntry e = new ObjectEntry(key, f.apply(value));
        if (expireAt != Entries.NO_EXPIRE) e.setExpireAt(expireAt);
        return e;
    }
}
