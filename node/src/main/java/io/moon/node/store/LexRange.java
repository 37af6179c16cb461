package io.moon.node.store;

import java.util.Arrays;

/**
 * A member interval of ZRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX (Redis's zlexrangespec). An end is
 * a member, inclusive ("[m") or exclusive ("(m"), or one of the two infinite strings "-" and "+",
 * which are {@link #MIN} and {@link #MAX} and compared by identity, as Redis's
 * shared.minstring/maxstring. Members compare as Redis's sdscmp: unsigned bytes, then length.
 */
public record LexRange(byte[] min, boolean minExclusive, byte[] max, boolean maxExclusive) {
    /** "-": below every member. */
    public static final byte[] MIN = new byte[0];
    /** "+": above every member. */
    public static final byte[] MAX = new byte[0];

    /** Redis's sdscmplex of a member against an end of the range. */
    private static int compare(byte[] b, int off, int len, byte[] end) {
        if (end == MIN) return 1;
        if (end == MAX) return -1;
        return Arrays.compareUnsigned(b, off, off + len, end, 0, end.length);
    }

    /** Redis's zslLexValueGteMin: the member is not below the range. */
    public boolean aboveMin(byte[] b, int off, int len) {
        int c = compare(b, off, len, min);
        return minExclusive ? c > 0 : c >= 0;
    }

    /** Redis's zslLexValueLteMax: the member is not above the range. */
    public boolean belowMax(byte[] b, int off, int len) {
        int c = compare(b, off, len, max);
        return maxExclusive ? c < 0 : c <= 0;
    }

    /** True when no member can be inside (Redis's first test in zslIsInLexRange). */
    public boolean isEmpty() {
        int c;
        if (min == max) c = 0;
        else if (min == MIN || max == MAX) c = -1;
        else if (min == MAX || max == MIN) c = 1;
        else c = Arrays.compareUnsigned(min, max);
        return c > 0 || (c == 0 && (minExclusive || maxExclusive));
    }
}
