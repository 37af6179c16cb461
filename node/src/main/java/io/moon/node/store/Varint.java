package io.moon.node.store;

/**
 * Unsigned LEB128 lengths, as the compact encodings write them before each element: 7 bits a
 * byte, low bits first, the top bit set on every byte but the last (the same form as a string
 * entry's key length, see {@link Entries}).
 */
final class Varint {
    private Varint() {}

    /** Bytes needed to write {@code v} (at most 5 for an int). */
    static int size(int v) {
        int n = 1;
        while ((v & ~0x7f) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    /** Writes {@code v} at {@code at}; returns the offset after it. */
    static int write(byte[] b, int at, int v) {
        while ((v & ~0x7f) != 0) {
            b[at++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        b[at++] = (byte) v;
        return at;
    }

    /** The value written at {@code at}. */
    static int read(byte[] b, int at) {
        int v = 0, shift = 0;
        byte x;
        do {
            x = b[at++];
            v |= (x & 0x7f) << shift;
            shift += 7;
        } while (x < 0);
        return v;
    }

    /** Offset just after the varint written at {@code at}. */
    static int skip(byte[] b, int at) {
        while (b[at] < 0) at++;
        return at + 1;
    }
}
