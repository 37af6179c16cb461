package io.moon.node.persist.rdb;

import java.util.Arrays;

/**
 * Intset, the blob of a small set of integers (intset.c). Little-endian:
 * <pre>
 * encoding uint32 (2, 4 or 8: bytes per value) | length uint32 | values, ascending, no duplicates
 * </pre>
 * {@link #read} validates as intsetValidateIntegrity with deep=1 (known encoding, exact size, not
 * empty, strictly ascending); {@link #write} picks the narrowest width that holds every value.
 */
final class Intset {
    private Intset() {}

    static final int HEADER_SIZE = 8;

    static long[] read(byte[] is) throws RdbFormatException {
        if (is.length < HEADER_SIZE) throw bad("intset shorter than its header");
        long width = Ziplist.le(is, 0, 4);
        if (width != 2 && width != 4 && width != 8) throw bad("intset has unknown encoding " + width);
        long count = Ziplist.le(is, 4, 4);
        if (HEADER_SIZE + count * width != is.length) throw bad("intset size does not match its length");
        if (count == 0) throw bad("intset is empty");
        long[] out = new long[(int) count];
        int w = (int) width;
        for (int i = 0; i < out.length; i++) {
            long v = Ziplist.le(is, HEADER_SIZE + i * w, w);
            out[i] = w == 2 ? (short) v : w == 4 ? (int) v : v;
            if (i > 0 && out[i] <= out[i - 1]) throw bad("intset values are not strictly ascending");
        }
        return out;
    }

    /** The blob of {@code values}, which must be distinct; they are sorted here. */
    static byte[] write(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int width = 2;
        for (long v : sorted) {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) width = 8;
            else if ((v < Short.MIN_VALUE || v > Short.MAX_VALUE) && width < 4) width = 4;
        }
        byte[] out = new byte[HEADER_SIZE + sorted.length * width];
        putLE(out, 0, width, 4);
        putLE(out, 4, sorted.length, 4);
        for (int i = 0; i < sorted.length; i++) putLE(out, HEADER_SIZE + i * width, sorted[i], width);
        return out;
    }

    private static void putLE(byte[] b, int at, long v, int n) {
        for (int i = 0; i < n; i++) b[at + i] = (byte) (v >>> (8 * i));
    }

    private static RdbFormatException bad(String why) {
        return new RdbFormatException(why);
    }
}
