package io.moon.node.store;

import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * A set (Redis's t_set.c set type API): members of any bytes, in one of two encodings that
 * callers never see. A set whose members are all integers in canonical form (Redis's
 * string2ll: no sign but '-', no leading zero) is an {@link IntSet} (OBJECT ENCODING "intset")
 * while it has at most set-max-intset-entries members; any other set is an {@link ElementTable}
 * ("hashtable"), for good, as in Redis 7.0 (which has no listpack sets). {@link #add} is the one
 * place that decides. A new set starts as an intset, which is what Redis's setTypeCreate and
 * createIntsetObject give for the first member of either kind.
 *
 * <p>Members are reached through handles (an intset index or a table slot), returned by
 * {@code first}/{@code next}, {@link #random} and {@link #scan}; any change makes held handles
 * stale. Arrays returned by {@link #member} belong to the set and must not be changed.
 *
 * <p>Not thread-safe: owned by the shard that owns its key.
 */
public final class SetValue implements TypedValue, ElementHandles {
    /** Redis limits set-max-intset-entries to 2^30 ("due to intset internals"). */
    static final long MAX_INTSET_ENTRIES = 1L << 30;

    /** The intset, or null once the set is a table. */
    private byte[] ints = IntSet.EMPTY;
    private ElementTable table;

    public SetValue() {}

    private SetValue(SetValue o) {
        ints = o.ints; // never changed in place
        table = o.table == null ? null : o.table.copy();
    }

    @Override public String typeName() { return "set"; }

    @Override public String encodingName() { return table == null ? "intset" : "hashtable"; }

    @Override public SetValue copy() { return new SetValue(this); }

    @Override public boolean isEmpty() { return size() == 0; }

    @Override
    public long memoryUsage() {
        return Jvm.objectSize(8) + (table == null ? Jvm.arraySize(ints.length) : table.memoryUsage());
    }

    @Override
    public int size() { return table == null ? IntSet.size(ints) : table.size(); }

    // ---------------------------------------------------------------- members

    /**
     * Redis's setTypeAdd; returns true when the member is new. The conversion point: an intset
     * becomes a table when a member is not an integer, or when it grows past
     * {@code maxIntsetEntries} members (set-max-intset-entries, at most 2^30).
     */
    public boolean add(byte[] b, int off, int len, long maxIntsetEntries) {
        if (table == null) {
            if (isInteger(b, off, len)) {
                byte[] grown = IntSet.add(ints, parseInteger(b, off, len));
                if (grown == ints) return false;
                ints = grown;
                if (IntSet.size(ints) > Math.min(maxIntsetEntries, MAX_INTSET_ENTRIES)) convertToTable();
                return true;
            }
            convertToTable();
        }
        if (table.find(b, off, len) >= 0) return false;
        byte[] m = new byte[len];
        System.arraycopy(b, off, m, 0, len);
        table.add(m);
        return true;
    }

    /** Removes the member; returns false when it was not there. */
    public boolean remove(byte[] b, int off, int len) {
        int h = find(b, off, len);
        if (h < 0) return false;
        removeAt(h);
        return true;
    }

    public boolean contains(byte[] b, int off, int len) { return find(b, off, len) >= 0; }

    public boolean contains(byte[] m) { return find(m, 0, m.length) >= 0; }

    /** Handle of the member, or -1. */
    public int find(byte[] b, int off, int len) {
        if (table != null) return table.find(b, off, len);
        if (!isInteger(b, off, len)) return -1;
        int i = IntSet.search(ints, parseInteger(b, off, len));
        return i >= 0 ? i : -1;
    }

    /** Removes the member at handle h (from {@link #random}, {@link #find}...). */
    public void removeAt(int h) {
        if (table == null) ints = IntSet.removeAt(ints, h);
        else table.removeAt(h);
    }

    /** The member at handle h. An intset member is written out as decimal text (a new array). */
    public byte[] member(int h) {
        if (table == null) return Long.toString(IntSet.get(ints, h)).getBytes(StandardCharsets.US_ASCII);
        return table.at(h);
    }

    private void convertToTable() {
        int n = IntSet.size(ints);
        ElementTable t = new ElementTable(false, n);
        for (int i = 0; i < n; i++) t.add(Long.toString(IntSet.get(ints, i)).getBytes(StandardCharsets.US_ASCII));
        table = t;
        ints = null;
    }

    // ---------------------------------------------------------------- iteration and sampling

    public int first() {
        if (table == null) return IntSet.size(ints) == 0 ? -1 : 0;
        return table.next(0);
    }

    public int next(int h) {
        if (table == null) return h + 1 < IntSet.size(ints) ? h + 1 : -1;
        return table.next(h + 1);
    }

    @Override
    /** Handles of every member, in iteration order (an intset ascending). */
    public int[] handles() {
        if (table != null) return table.slots();
        int[] out = new int[IntSet.size(ints)];
        for (int i = 0; i < out.length; i++) out[i] = i;
        return out;
    }

    @Override
    /** Handle of a uniformly random member; the set must not be empty. */
    public int random(RandomGenerator rnd) {
        return table == null ? rnd.nextInt(IntSet.size(ints)) : table.randomSlot(rnd);
    }

    /**
     * One SSCAN step: the handles of about {@code count} members to {@code action}; returns the
     * next cursor, 0 when done. An intset answers every member at once, as Redis does.
     */
    public long scan(long cursor, int count, IntConsumer action) {
        if (table == null) {
            for (int h = first(); h >= 0; h = next(h)) action.accept(h);
            return 0;
        }
        return table.scan(cursor, count, action);
    }

    // ---------------------------------------------------------------- integer members

    /**
     * True when the bytes are an integer as Redis's string2ll reads it, the test of
     * isSdsRepresentableAsLongLong: optional '-', digits without a leading zero ("0" alone is
     * fine, "-0" is not), within 64 bits.
     */
    static boolean isInteger(byte[] b, int off, int len) {
        if (len == 0 || len > 20) return false;
        int i = off, end = off + len;
        boolean negative = b[i] == '-';
        if (negative && ++i == end) return false;
        if (b[i] == '0') return len == 1;
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long acc = 0; // accumulated negatively so that Long.MIN_VALUE fits
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return false;
            if (acc < limit / 10) return false;
            acc *= 10;
            if (acc < limit + d) return false;
            acc -= d;
        }
        return true;
    }

    /** The value of bytes for which {@link #isInteger} holds. */
    static long parseInteger(byte[] b, int off, int len) {
        int i = off, end = off + len;
        boolean negative = b[i] == '-';
        if (negative) i++;
        long acc = 0;
        for (; i < end; i++) acc = acc * 10 - (b[i] - '0');
        return negative ? acc : -acc;
    }
}
