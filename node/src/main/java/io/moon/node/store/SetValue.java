package io.moon.node.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * A set (Redis's t_set.c set type API): members of any bytes, in one of three encodings that
 * callers never see.
 * <ul>
 *   <li>{@link IntSet}, OBJECT ENCODING "intset": every member an integer in canonical form (Redis's
 *   string2ll: no sign but '-', no leading zero), at most set-max-intset-entries members.
 *   <li>{@link Packed} members, reported as "hashtable": a small set with a string member, up to
 *   {@value #PACKED_MAX_ENTRIES} members of at most {@value #PACKED_MAX_LENGTH} bytes (the
 *   defaults of Redis 7.2's listpack sets). Redis 7.0 keeps such a set in a dict at about 50
 *   bytes a member; the packed form costs one array and one byte of overhead a member, and
 *   behaves the same to clients (SSCAN answers it in one call, as any small encoding).
 *   <li>{@link ElementTable}, "hashtable": any other set.
 * </ul>
 * A set only moves down that list (intset, packed, table), never back, as Redis never converts
 * back. {@link #add} is the one place that decides. A new set starts as an intset, which is what
 * Redis's setTypeCreate and createIntsetObject give for the first member of either kind.
 *
 * <p>Members are reached through handles (an intset index, a packed offset or a table slot),
 * returned by {@code first}/{@code next}, {@link #random} and {@link #scan}; any change makes
 * held handles stale.
 *
 * <p>Not thread-safe: owned by the shard that owns its key.
 */
public final class SetValue implements TypedValue, ElementHandles, MemberSet {
    /** Redis limits set-max-intset-entries to 2^30 ("due to intset internals"). */
    static final long MAX_INTSET_ENTRIES = 1L << 30;
    /** Most members of a packed set (Redis 7.2's set-max-listpack-entries default). */
    static final int PACKED_MAX_ENTRIES = 128;
    /** Longest member of a packed set (Redis 7.2's set-max-listpack-value default). */
    static final int PACKED_MAX_LENGTH = 64;

    /** Exactly one of these three holds the members. */
    private byte[] ints = IntSet.EMPTY;
    private byte[] packed;
    private int packedCount;
    private ElementTable table;

    public SetValue() {}

    private SetValue(SetValue o) {
        ints = o.ints; // arrays are never changed in place
        packed = o.packed;
        packedCount = o.packedCount;
        table = o.table == null ? null : o.table.copy();
    }

    @Override public String typeName() { return "set"; }

    @Override public String encodingName() { return ints != null ? "intset" : "hashtable"; }

    @Override public SetValue copy() { return new SetValue(this); }

    @Override public boolean isEmpty() { return size() == 0; }

    @Override
    public long memoryUsage() {
        long data = ints != null ? Jvm.arraySize(ints.length) : packed != null ? Jvm.arraySize(packed.length) : table.memoryUsage();
        return Jvm.objectSize(16) + data;
    }

    @Override
    public int size() { return ints != null ? IntSet.size(ints) : packed != null ? packedCount : table.size(); }

    // ---------------------------------------------------------------- members

    /**
     * Redis's setTypeAdd; returns true when the member is new. The conversion point: an intset
     * stops being one when a member is not an integer or when it grows past
     * {@code maxIntsetEntries} members (set-max-intset-entries, at most 2^30); a packed set
     * becomes a table past {@value #PACKED_MAX_ENTRIES} members or with a member longer than
     * {@value #PACKED_MAX_LENGTH} bytes.
     */
    public boolean add(byte[] b, int off, int len, long maxIntsetEntries) {
        if (ints != null) {
            if (isInteger(b, off, len)) {
                byte[] grown = IntSet.add(ints, parseInteger(b, off, len));
                if (grown == ints) return false;
                ints = grown;
                if (IntSet.size(ints) > Math.min(maxIntsetEntries, MAX_INTSET_ENTRIES)) convertInts(0);
                return true;
            }
            convertInts(len);
        }
        if (packed != null) {
            if (Packed.find(packed, 1, b, off, len) >= 0) return false;
            if (packedCount < PACKED_MAX_ENTRIES && len <= PACKED_MAX_LENGTH) {
                packed = Packed.append(packed, b, off, len);
                packedCount++;
                return true;
            }
            convertPacked();
        }
        if (table.find(b, off, len) >= 0) return false;
        table.add(Arrays.copyOfRange(b, off, off + len));
        return true;
    }

    /**
     * Leaves the intset for the packed form when it and a coming member of {@code nextLength}
     * bytes fit there, else for a table.
     */
    private void convertInts(int nextLength) {
        int n = IntSet.size(ints);
        if (n < PACKED_MAX_ENTRIES && nextLength <= PACKED_MAX_LENGTH) {
            byte[] p = Packed.EMPTY;
            for (int i = 0; i < n; i++) {
                byte[] m = decimal(IntSet.get(ints, i));
                p = Packed.append(p, m, 0, m.length);
            }
            packed = p;
            packedCount = n;
        } else {
            table = new ElementTable(false, n + 1);
            for (int i = 0; i < n; i++) table.add(decimal(IntSet.get(ints, i)));
        }
        ints = null;
    }

    private void convertPacked() {
        ElementTable t = new ElementTable(false, packedCount + 1);
        for (int at = 0; at < packed.length; at = Packed.next(packed, at)) {
            int d = Packed.data(packed, at);
            t.add(Arrays.copyOfRange(packed, d, d + Packed.length(packed, at)));
        }
        table = t;
        packed = null;
        packedCount = 0;
    }

    private static byte[] decimal(long v) { return Long.toString(v).getBytes(StandardCharsets.US_ASCII); }

    /** Removes the member; returns false when it was not there. */
    public boolean remove(byte[] b, int off, int len) {
        int h = find(b, off, len);
        if (h < 0) return false;
        removeAt(h);
        return true;
    }

    public boolean contains(byte[] b, int off, int len) { return find(b, off, len) >= 0; }

    public boolean contains(byte[] m) { return find(m, 0, m.length) >= 0; }

    @Override
    public void forEachMember(MemberSet.MemberVisitor v) {
        for (int h = first(); h >= 0; h = next(h)) {
            byte[] m = member(h);
            v.visit(m, 0, m.length);
        }
    }

    /** Handle of the member, or -1. */
    public int find(byte[] b, int off, int len) {
        if (table != null) return table.find(b, off, len);
        if (packed != null) return Packed.find(packed, 1, b, off, len);
        if (!isInteger(b, off, len)) return -1;
        int i = IntSet.search(ints, parseInteger(b, off, len));
        return i >= 0 ? i : -1;
    }

    /** Removes the member at handle h (from {@link #random}, {@link #find}...). */
    public void removeAt(int h) {
        if (ints != null) {
            ints = IntSet.removeAt(ints, h);
        } else if (packed != null) {
            packed = Packed.remove(packed, h, 1);
            packedCount--;
        } else {
            table.removeAt(h);
        }
    }

    /**
     * The member at handle h. A table member is the stored array itself (not to be changed); an
     * intset or packed member is a new array.
     */
    public byte[] member(int h) {
        if (ints != null) return decimal(IntSet.get(ints, h));
        if (packed != null) {
            int d = Packed.data(packed, h);
            return Arrays.copyOfRange(packed, d, d + Packed.length(packed, h));
        }
        return table.at(h);
    }

    // ---------------------------------------------------------------- iteration and sampling

    public int first() {
        if (ints != null) return IntSet.size(ints) == 0 ? -1 : 0;
        if (packed != null) return packedCount == 0 ? -1 : 0;
        return table.next(0);
    }

    public int next(int h) {
        if (ints != null) return h + 1 < IntSet.size(ints) ? h + 1 : -1;
        if (packed != null) {
            int at = Packed.next(packed, h);
            return at < packed.length ? at : -1;
        }
        return table.next(h + 1);
    }

    /** Handles of every member, in iteration order (an intset ascending). */
    @Override
    public int[] handles() {
        if (table != null) return table.slots();
        if (packed != null) return Packed.offsets(packed, packedCount, 1);
        int[] out = new int[IntSet.size(ints)];
        for (int i = 0; i < out.length; i++) out[i] = i;
        return out;
    }

    /** Handle of a uniformly random member; the set must not be empty. */
    @Override
    public int random(RandomGenerator rnd) {
        if (ints != null) return rnd.nextInt(IntSet.size(ints));
        if (packed != null) return Packed.elementAt(packed, rnd.nextInt(packedCount), 1);
        return table.randomSlot(rnd);
    }

    /**
     * One SSCAN step: the handles of about {@code count} members to {@code action}; returns the
     * next cursor, 0 when done. An intset or packed set answers every member at once, as Redis
     * does for its small encodings.
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
