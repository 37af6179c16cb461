package io.moon.node.store;

import java.util.Arrays;

/**
 * The compact encoding of small collections (Redis's listpack): every element in one
 * {@code byte[]}, in insertion order, each entry written as a {@link Varint} length and its bytes.
 * A hash stores field and value as two entries (OBJECT ENCODING "listpack"); a small set of
 * strings stores one entry per member:
 * <pre>
 *   hash:  [len f1][f1][len v1][v1][len f2][f2][len v2][v2] ...
 *   set:   [len m1][m1][len m2][m2] ...
 * </pre>
 * The array is exactly as long as its content, so a small collection costs one object and about
 * one byte of overhead per entry. Lookups walk the entries, which is why the encoding is kept for
 * small collections only (see {@link HashValue} and {@link SetValue}). {@code stride} is the
 * number of entries per element: 2 for a hash, 1 for a set.
 *
 * <p>Every change builds a new array (as a listpack is reallocated); arrays in use are never
 * changed in place, so a copy of a collection may share its array.
 */
final class Packed {
    private Packed() {}

    static final byte[] EMPTY = new byte[0];

    /** Length of the entry at {@code at}. */
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

    /** Offset of the element after the one at {@code at}. */
    static int nextElement(byte[] p, int at, int stride) {
        at = next(p, at);
        return stride == 2 ? next(p, at) : at;
    }

    /** Offset of the element whose first entry equals {@code k[ko, ko+kl)}, or -1. */
    static int find(byte[] p, int stride, byte[] k, int ko, int kl) {
        int at = 0, end = p.length;
        while (at < end) {
            int len = length(p, at), d = data(p, at);
            // The last byte first: fields often share a prefix, and a call per entry costs.
            if (len == kl && (kl == 0 || p[d + kl - 1] == k[ko + kl - 1]) && Arrays.equals(p, d, d + len, k, ko, ko + kl)) {
                return at;
            }
            at = d + len;
            if (stride == 2) at = next(p, at);
        }
        return -1;
    }

    /** Bytes an entry of {@code len} bytes takes. */
    static long entrySize(int len) { return (long) Varint.size(len) + len; }

    /** The array with one entry appended. */
    static byte[] append(byte[] p, byte[] m, int mo, int ml) {
        byte[] out = Arrays.copyOf(p, p.length + (int) entrySize(ml));
        int at = Varint.write(out, p.length, ml);
        System.arraycopy(m, mo, out, at, ml);
        return out;
    }

    /** The array with a pair of entries appended. */
    static byte[] append(byte[] p, byte[] f, int fo, int fl, byte[] v, int vo, int vl) {
        byte[] out = Arrays.copyOf(p, p.length + (int) (entrySize(fl) + entrySize(vl)));
        int at = Varint.write(out, p.length, fl);
        System.arraycopy(f, fo, out, at, fl);
        at = Varint.write(out, at + fl, vl);
        System.arraycopy(v, vo, out, at, vl);
        return out;
    }

    /** The array with the entry at {@code at} replaced. */
    static byte[] replace(byte[] p, int at, byte[] v, int vo, int vl) {
        int end = next(p, at);
        byte[] out = new byte[at + (int) entrySize(vl) + (p.length - end)];
        System.arraycopy(p, 0, out, 0, at);
        int d = Varint.write(out, at, vl);
        System.arraycopy(v, vo, out, d, vl);
        System.arraycopy(p, end, out, d + vl, p.length - end);
        return out;
    }

    /** The array without the element at {@code at}. */
    static byte[] remove(byte[] p, int at, int stride) {
        int end = nextElement(p, at, stride);
        byte[] out = new byte[p.length - (end - at)];
        System.arraycopy(p, 0, out, 0, at);
        System.arraycopy(p, end, out, at, p.length - end);
        return out;
    }

    /** Offset of element number {@code index} (0-based). */
    static int elementAt(byte[] p, int index, int stride) {
        int at = 0;
        for (int i = 0; i < index; i++) at = nextElement(p, at, stride);
        return at;
    }

    /** Offsets of every element, in order. */
    static int[] offsets(byte[] p, int count, int stride) {
        int[] out = new int[count];
        int at = 0;
        for (int i = 0; i < count; i++) {
            out[i] = at;
            at = nextElement(p, at, stride);
        }
        return out;
    }
}
