package io.moon.node.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The compact encoding of a small sorted set ("listpack" in OBJECT ENCODING, as Redis's): all
 * elements in one byte array, sorted by (score, member) as {@link ScoredElement} orders them,
 * with no header (the owner keeps the count). Every change builds a new array of the exact size,
 * as Redis reallocates its listpack; a set this small is cheaper to rewrite than to index.
 *
 * <pre>
 * element := member length (unsigned LEB128 varint) | member bytes | score tag (1 byte) | score
 * tag 0: score is an int8  (1 byte)      tag 2: an int32 (4 bytes, little-endian)
 * tag 1: an int16 (2 bytes, little-endian) tag 3: an IEEE 754 double (8 bytes, little-endian)
 * </pre>
 *
 * <p>Integral scores that fit an int are stored as integers, as Redis's zzlInsertAt stores a
 * score {@code double2ll} accepts as a listpack integer; like Redis, that turns -0 into 0. A
 * member of 8 bytes with a small integer score costs 11 bytes.
 *
 * <p>Static functions over the array (as Redis's zzl* functions over the listpack); positions
 * are offsets of an element's first byte.
 */
final class ZsetListpack {
    private ZsetListpack() {}

    static final byte[] EMPTY = new byte[0];
    private static final int TAG_INT8 = 0, TAG_INT16 = 1, TAG_INT32 = 2, TAG_DOUBLE = 3;
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE_LE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    // ---------------------------------------------------------------- decoding one element

    /** Length of the member of the element at p. */
    static int memberLength(byte[] lp, int p) {
        int v = 0, shift = 0;
        while (true) {
            byte b = lp[p++];
            v |= (b & 0x7f) << shift;
            if (b >= 0) return v;
            shift += 7;
        }
    }

    /** Offset of the member's first byte in the element at p. */
    static int memberOffset(byte[] lp, int p) {
        while (lp[p] < 0) p++;
        return p + 1;
    }

    private static int scoreTagOffset(byte[] lp, int p) { return memberOffset(lp, p) + memberLength(lp, p); }

    static double score(byte[] lp, int p) { return scoreAt(lp, scoreTagOffset(lp, p)); }

    private static double scoreAt(byte[] lp, int t) {
        return switch (lp[t]) {
            case TAG_INT8 -> lp[t + 1];
            case TAG_INT16 -> (short) SHORT_LE.get(lp, t + 1);
            case TAG_INT32 -> (int) INT_LE.get(lp, t + 1);
            default -> (double) DOUBLE_LE.get(lp, t + 1);
        };
    }

    private static int payloadLength(byte tag) {
        return switch (tag) {
            case TAG_INT8 -> 1;
            case TAG_INT16 -> 2;
            case TAG_INT32 -> 4;
            default -> 8;
        };
    }

    /** Offset of the element after the one at p (lp.length after the last). */
    static int next(byte[] lp, int p) {
        int t = scoreTagOffset(lp, p);
        return t + 1 + payloadLength(lp[t]);
    }

    /** Order of the element at p against the key (score, member): negative when it comes first. */
    static int compare(byte[] lp, int p, double score, byte[] m, int off, int len) {
        int mo = memberOffset(lp, p), ml = memberLength(lp, p);
        double s = scoreAt(lp, mo + ml);
        if (s < score) return -1;
        if (s > score) return 1;
        return Arrays.compareUnsigned(lp, mo, mo + ml, m, off, off + len);
    }

    /** Start offsets of the n elements, in order. */
    static int[] offsets(byte[] lp, int n) {
        int[] offs = new int[n];
        for (int i = 0, p = 0; i < n; i++, p = next(lp, p)) offs[i] = p;
        return offs;
    }

    // ---------------------------------------------------------------- search

    /** Position of the element whose member is {@code m[off, off+len)}, or -1 (Redis's zzlFind). */
    static int find(byte[] lp, byte[] m, int off, int len) {
        for (int p = 0; p < lp.length; p = next(lp, p)) {
            int mo = memberOffset(lp, p), ml = memberLength(lp, p);
            if (ml == len && Arrays.equals(lp, mo, mo + ml, m, off, off + len)) return p;
        }
        return -1;
    }

    /** Where the key (score, member) belongs: the position of the first element after it. */
    static int insertPosition(byte[] lp, double score, byte[] m, int off, int len) {
        int p = 0;
        while (p < lp.length && compare(lp, p, score, m, off, len) < 0) p = next(lp, p);
        return p;
    }

    // ---------------------------------------------------------------- changes (new arrays)

    /** A copy of lp with the element (score, member) inserted at position at. */
    static byte[] insert(byte[] lp, int at, double score, byte[] m, int off, int len) {
        int size = elementLength(score, len);
        byte[] out = new byte[lp.length + size];
        System.arraycopy(lp, 0, out, 0, at);
        write(out, at, score, m, off, len);
        System.arraycopy(lp, at, out, at + size, lp.length - at);
        return out;
    }

    /** A copy of lp with the elements from position {@code from} to position {@code to} (exclusive) removed. */
    static byte[] delete(byte[] lp, int from, int to) {
        if (from == 0 && to == lp.length) return EMPTY;
        byte[] out = new byte[lp.length - (to - from)];
        System.arraycopy(lp, 0, out, 0, from);
        System.arraycopy(lp, to, out, from, lp.length - to);
        return out;
    }

    /** Bytes one element takes. */
    static int elementLength(double score, int memberLength) {
        return varintLength(memberLength) + memberLength + 1 + scoreLength(score);
    }

    private static int varintLength(int v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    private static int scoreLength(double score) {
        int i = (int) score;
        if (i != score) return 8;
        if (i == (byte) i) return 1;
        if (i == (short) i) return 2;
        return 4;
    }

    /** Writes one element at position p; returns the position after it. */
    static int write(byte[] out, int p, double score, byte[] m, int off, int len) {
        int v = len;
        while ((v & ~0x7f) != 0) {
            out[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[p++] = (byte) v;
        System.arraycopy(m, off, out, p, len);
        p += len;
        int i = (int) score;
        if (i != score) {
            out[p] = TAG_DOUBLE;
            DOUBLE_LE.set(out, p + 1, score);
            return p + 9;
        }
        if (i == (byte) i) {
            out[p] = TAG_INT8;
            out[p + 1] = (byte) i;
            return p + 2;
        }
        if (i == (short) i) {
            out[p] = TAG_INT16;
            SHORT_LE.set(out, p + 1, (short) i);
            return p + 3;
        }
        out[p] = TAG_INT32;
        INT_LE.set(out, p + 1, i);
        return p + 5;
    }
}
