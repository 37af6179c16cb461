package io.moon.node.server.tracking;

import java.util.function.LongConsumer;

/**
 * The ids of the clients that may cache one key (the value side of Redis's TrackingTable): an
 * open-addressing set of longs. Client ids start at 1, so 0 marks a free slot. Most keys are
 * cached by one or a few clients; a hot key read by thousands still adds in constant time.
 *
 * <p>Owned by the shard of its key, like its {@link TrackingTable}.
 */
final class ClientIds {
    private long[] slots = new long[4];
    private int size;

    int size() { return size; }

    /** Adds {@code id} (> 0); false when it was there already. */
    boolean add(long id) {
        if ((size + 1) * 4 > slots.length * 3) grow();
        return insert(slots, id);
    }

    void forEach(LongConsumer action) {
        for (long id : slots) if (id != 0) action.accept(id);
    }

    private boolean insert(long[] table, long id) {
        int mask = table.length - 1;
        for (int i = spread(id) & mask; ; i = (i + 1) & mask) {
            if (table[i] == id) return false;
            if (table[i] == 0) {
                table[i] = id;
                size++;
                return true;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0;
        for (long id : old) if (id != 0) insert(slots, id);
    }

    private static int spread(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
