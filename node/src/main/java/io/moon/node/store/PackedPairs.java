package io.moon.node.store;

import java.util.Arrays;

/**
 * The compact encoding of small hashes (Redis's listpack, reported as "listpack"): every field and
 * value in one {@code byte[]}, in insertion order, each written as a {@link Varint} length and its
 * bytes:
 * <pre>
 *   [len f1][f1][len v1][v1][len f2][f2][len v2][v2] ...
 * </pre>
 * The array is exactly as long as its content, so a hash of small fields costs one object and
 * about two bytes of overhead per field and per value. Lookups walk the pairs, which is why the
 * encoding is kept for small hashes only (hash-max-listpack-entries/value, see {@link HashValue}).
 *
 * <p>Every change builds a new array (as a listpack is reallocated); arrays in use are never
 * changed in place, so a copy of a hash may share its array.
 */
final class PackedPairs {
    private PackedPairs() {}

    static final byte[] EMPTY = new byte[0];

    /** Length of the entry (field or value) at {@code at}. */
    static int length(byte[] p, int at) {
        byte b = p[at];
        return b >= 0 ? b : Varint.read(p, at);
    }

    /** Offset of the bytes of the entry at {@code at}. */
    static int data(byte[] p, int at) {
        return p[at] >= 0 ? at + 1 : Varint.skip(p, at);
    }

    /** Offset of the entry after the one at {@code at}. */
    static int next(byte[] p, int at) {
        byte b = p[at];
        return b >= 0 ? at + 1 + b : Varint.skip(p, at) + Varint.read(p, at);
    }

    /** Offset of the field equal to {@code k[ko, ko+kl)}, or -1. */
    static int find(byte[] p, byte[] k, int ko, int kl) {
        int at = 0, end = p.length;
        while (at < end) {
            int len = length(p, at), d = data(p, at);
            if (len == kl && Arrays.equals(p, d, d + len, k, ko, ko + kl)) return at;
            at = next(p, d + len);
        }
        return -1;
    }

    /** Bytes a pair adds to the array. */
    static long pairSize(int fl, int vl) {
        return (long) Varint.size(fl) + fl + Varint.size(vl) + vl;
    }

    /** The array with the pair appended. */
    static byte[] append(byte[] p, byte[] f, int fo, int fl, byte[] v, int vo, int vl) {
        byte[] out = Arrays.copyOf(p, p.length + (int) pairSize(fl, vl));
        int at = Varint.write(out, p.length, fl);
        System.arraycopy(f, fo, out, at, fl);
        at = Varint.write(out, at + fl, vl);
        System.arraycopy(v, vo, out, at, vl);
        return out;
    }

    /** The array with the value of the field at {@code fieldAt} replaced. */
    static byte[] replaceValue(byte[] p, int fieldAt, byte[] v, int vo, int vl) {
        int valueAt = next(p, fieldAt), end = next(p, valueAt);
        int head = Varint.size(vl);
        byte[] out = new byte[valueAt + head + vl + (p.length - end)];
        System.arraycopy(p, 0, out, 0, valueAt);
        int at = Varint.write(out, valueAt, vl);
        System.arraycopy(v, vo, out, at, vl);
        System.arraycopy(p, end, out, at + vl, p.length - end);
        return out;
    }

    /** The array without the pair whose field is at {@code fieldAt}. */
    static byte[] remove(byte[] p, int fieldAt) {
        int end = next(p, next(p, fieldAt));
        byte[] out = new byte[p.length - (end - fieldAt)];
        System.arraycopy(p, 0, out, 0, fieldAt);
        System.arraycopy(p, end, out, fieldAt, p.length - end);
        return out;
    }

    /** Offset of the field of pair number {@code index} (0-based). */
    static int pairAt(byte[] p, int index) {
        int at = 0;
        for (int i = 0; i < index; i++) at = next(p, next(p, at));
        return at;
    }

    /** Offsets of every field, in order. */
    static int[] fieldOffsets(byte[] p, int count) {
        int[] out = new int[count];
        int at = 0;
        for (int i = 0; i < count; i++) {
            out[i] = at;
            at = next(p, next(p, at));
        }
        return out;
    }
}
