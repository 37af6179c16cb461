package io.moon.node.persist.rdb;

/**
 * A stream entry id: milliseconds and sequence, both unsigned 64-bit (held in longs; compare
 * with {@link #compareTo}, which is unsigned). In RDB an id is either two lengths or 16 raw
 * big-endian bytes (radix tree keys and pending entries).
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    public static final StreamId ZERO = new StreamId(0, 0);
    public static final StreamId MAX = new StreamId(-1L, -1L);

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }
}
