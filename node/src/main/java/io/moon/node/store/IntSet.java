package io.moon.node.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The compact encoding of sets of integers (Redis's intset.c, reported as "intset"): the members
 * as sorted 64-bit values in one {@code byte[]}, each stored in the narrowest width that fits
 * every member:
 * <pre>
 *   offset  size        field
 *   0       1           width of every value: 2, 4 or 8 bytes
 *   1       n * width   the values, ascending, little-endian
 * </pre>
 * Adding a value that does not fit the width rewrites the array at the next width, as Redis's
 * intsetUpgradeAndAdd; the width never goes down. Every change builds a new array, exactly as
 * long as its content, so arrays in use are never changed in place.
 */
final class IntSet {
    private IntSet() {}

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static final byte[] EMPTY = {2};

    static int width(byte[] s) { return s[0]; }

    static int size(byte[] s) { return (s.length - 1) / s[0]; }

    static long get(byte[] s, int i) { return read(s, s[0], 1 + i * s[0]); }

    private static long read(byte[] s, int width, int at) {
        return switch (width) {
            case 2 -> (short) SHORT.get(s, at);
            case 4 -> (int) INT.get(s, at);
            default -> (long) LONG.get(s, at);
        };
    }

    private static void write(byte[] s, int width, int at, long v) {
        switch (width) {
            case 2 -> SHORT.set(s, at, (short) v);
            case 4 -> INT.set(s, at, (int) v);
            default -> LONG.set(s, at, v);
        }
    }

    /** Narrowest width that holds v. */
    static int widthOf(long v) {
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) return 2;
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 4;
        return 8;
    }

    /** Index of v, or {@code -(insertion point) - 1} as {@link Arrays#binarySearch}. */
    static int search(byte[] s, long v) {
        int w = s[0];
        int lo = 0, hi = size(s) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long m = read(s, w, 1 + mid * w);
            if (m < v) lo = mid + 1;
            else if (m > v) hi = mid - 1;
            else return mid;
        }
        return -(lo + 1);
    }

    /** The set with v added; the same array when v is already a member. */
    static byte[] add(byte[] s, long v) {
        int w = s[0], n = size(s);
        int nw = Math.max(w, widthOf(v));
        if (nw == w) {
            int i = search(s, v);
            if (i >= 0) return s;
            int at = -i - 1;
            byte[] out = new byte[s.length + w];
            out[0] = (byte) w;
            System.arraycopy(s, 1, out, 1, at * w);
            write(out, w, 1 + at * w, v);
            System.arraycopy(s, 1 + at * w, out, 1 + (at + 1) * w, (n - at) * w);
            return out;
        }
        // A value too wide for the current width is below or above every member.
        byte[] out = new byte[1 + (n + 1) * nw];
        out[0] = (byte) nw;
        int shift = v < 0 ? 1 : 0;
        for (int i = 0; i < n; i++) write(out, nw, 1 + (i + shift) * nw, read(s, w, 1 + i * w));
        write(out, nw, v < 0 ? 1 : 1 + n * nw, v);
        return out;
    }

    /** The set without the member at index i. */
    static byte[] removeAt(byte[] s, int i) {
        int w = s[0];
        byte[] out = new byte[s.length - w];
        out[0] = (byte) w;
        System.arraycopy(s, 1, out, 1, i * w);
        System.arraycopy(s, 1 + (i + 1) * w, out, 1 + i * w, s.length - 1 - (i + 1) * w);
        return out;
    }
}
