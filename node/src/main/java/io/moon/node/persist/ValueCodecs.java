package io.moon.node.persist;

import io.moon.node.config.ServerConfig;
import io.moon.node.persist.rdb.RdbZset;
import io.moon.node.store.SortedSetValue;
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
    private static volatile SortedSetValue.Limits zsetLimits = new SortedSetValue.Limits(128, 64);

    static void registerAll() {
        ValueCodec.register(SortedSetValue.class, RdbZset.class, ValueCodecs::toRdb, ValueCodecs::zset);
    }

    /** Keeps the encoding settings of loaded values equal to the node's. */
    static void follow(ServerConfig config) {
        config.onChange("zset-max-listpack-entries", v -> zsetLimits = config.zsetLimits());
        config.onChange("zset-max-listpack-value", v -> zsetLimits = config.zsetLimits());
    }

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
