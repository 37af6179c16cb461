package io.moon.node.persist;

import io.moon.node.persist.rdb.RdbList;
import io.moon.node.store.ListValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Moon's collection types meet the RDB value model: each type registers its conversions
 * with {@link ValueCodec} here, once, before any value is converted.
 */
final class ValueCodecs {
    private ValueCodecs() {}

    /**
     * Node size of lists loaded from snapshots, RDB files and RESTORE: the default of
     * list-max-listpack-size (the conversion has no node settings at hand).
     */
    private static final int LOADED_LIST_FILL = -2;

    static void registerAll() {
        ValueCodec.register(ListValue.class, RdbList.class, ValueCodecs::listToRdb, ValueCodecs::listFromRdb);
    }

    private static RdbList listToRdb(ListValue l) {
        List<byte[]> elements = new ArrayList<>((int) Math.min(l.size(), Integer.MAX_VALUE - 8));
        ListValue.Cursor c = l.cursor(0, true);
        while (c.next()) elements.add(c.bytes());
        return new RdbList(elements);
    }

    private static ListValue listFromRdb(RdbList r) {
        ListValue l = new ListValue(LOADED_LIST_FILL);
        for (byte[] e : r.elements()) l.push(false, e);
        l.trimToSize();
        return l;
    }
}
