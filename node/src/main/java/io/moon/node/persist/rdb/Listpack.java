package io.moon.node.persist.rdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Listpack, the compact blob of small hashes, sorted sets, list nodes and stream nodes
 * (listpack.c). Layout, little-endian:
 * <pre>
 * total-bytes uint32 | count uint16 (65535: count unknown) | entry* | 0xFF
 * entry = encoding [length] data backlen
 *   0xxxxxxx                      7-bit unsigned integer
 *   10xxxxxx + data               string of up to 63 bytes
 *   110xxxxx yyyyyyyy             13-bit signed integer
 *   1110xxxx yyyyyyyy + data      string of up to 4095 bytes (12-bit length, big-endian)
 *   11110000 + uint32 + data      string with a 32-bit length
 *   F1 / F2 / F3 / F4 + 2/3/4/8   16/24/32/64-bit signed integer
 * backlen = the byte size of encoding+length+data, 1..5 bytes of 7 bits, read from the last
 *   byte backwards, the high bit set on every byte but the first (most significant) one.
 * </pre>
 * The {@link Cursor} checks every entry as Redis's deep sanitization does (lpValidateIntegrity
 * with deep=1): header size equal to the blob size, final 0xFF, each entry inside the blob with a
 * known encoding and a backlen equal to its size, the count in the header equal to the entries
 * found (unless 65535). The {@link Builder} writes entries as lpAppend does: texts that are
 * canonical integers become integer entries of the smallest width.
 */
final class Listpack {
    private Listpack() {}

    static final int HEADER_SIZE = 6;
    static final int EOF = 0xff;
    static final int COUNT_UNKNOWN = 0xffff;

    /** Every element of a listpack as bytes (integers as decimal text), fully validated. */
    static List<byte[]> readAll(byte[] lp) throws RdbFormatException {
        Cursor c = new Cursor(lp);
        List<byte[]> out = new ArrayList<>(Math.min(c.headerCount(), 1024));
        while (c.hasNext()) out.add(c.nextBytes());
        c.finish();
        return out;
    }

    /** Walks a listpack entry by entry, validating each before decoding it. */
    static final class Cursor {
        private final byte[] lp;
        private final int size;
        private final int headerCount;
        private int p = HEADER_SIZE;
        private int seen;
        // The entry last stepped over.
        private boolean isInt;
        private long intValue;
        private int strOff, strLen;

        Cursor(byte[] lp) throws RdbFormatException {
            this.lp = lp;
            this.size = lp.length;
            if (size < HEADER_SIZE + 1) throw bad("listpack shorter than its header");
            long total = (lp[0] & 0xffL) | (lp[1] & 0xffL) << 8 | (lp[2] & 0xffL) << 16 | (lp[3] & 0xffL) << 24;
            if (total != size) throw bad("listpack header says " + total + " bytes, blob has " + size);
            if ((lp[size - 1] & 0xff) != EOF) throw bad("listpack does not end with 0xFF");
            headerCount = (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
        }

        int headerCount() { return headerCount; }

        boolean hasNext() { return (lp[p] & 0xff) != EOF; }

        /** Steps over the next entry (lpValidateNext), leaving its value for the accessors. */
        void next() throws RdbFormatException {
            if (!hasNext()) throw bad("listpack has fewer entries than expected");
            int b = lp[p] & 0xff;
            int lenBytes;
            long entryLen;
            isInt = true;
            if ((b & 0x80) == 0) {
                lenBytes = 1;
                entryLen = 1;
            } else if ((b & 0xc0) == 0x80) {
                lenBytes = 1;
                entryLen = 1 + (b & 0x3f);
            } else if ((b & 0xe0) == 0xc0) {
                lenBytes = 1;
                entryLen = 2;
            } else if (b == 0xf1) {
                lenBytes = 1;
                entryLen = 3;
            } else if (b == 0xf2) {
                lenBytes = 1;
                entryLen = 4;
            } else if (b == 0xf3) {
                lenBytes = 1;
                entryLen = 5;
            } else if (b == 0xf4) {
                lenBytes = 1;
                entryLen = 9;
            } else if ((b & 0xf0) == 0xe0) {
                lenBytes = 2;
                entryLen = -1;
            } else if (b == 0xf0) {
                lenBytes = 5;
                entryLen = -1;
            } else {
                throw bad("listpack entry at byte " + p + " has unknown encoding " + b);
            }
            if (p + lenBytes > size - 1) throw bad("listpack entry at byte " + p + " runs past the end");
            if (lenBytes == 2) entryLen = 2 + (((b & 0x0f) << 8) | (lp[p + 1] & 0xff));
            if (lenBytes == 5) entryLen = 5 + le(p + 1, 4);
            int backlenSize = backlenSize(entryLen);
            long next = p + entryLen + backlenSize;
            if (next > size - 1) throw bad("listpack entry at byte " + p + " runs past the end");
            if (decodeBacklen((int) next - 1) != entryLen) {
                throw bad("listpack entry at byte " + p + " has a wrong back length");
            }
            decode(b, lenBytes, (int) entryLen);
            p = (int) next;
            seen++;
        }

        private void decode(int b, int lenBytes, int entryLen) {
            if ((b & 0x80) == 0) {
                intValue = b;
            } else if ((b & 0xc0) == 0x80 || lenBytes > 1) {
                isInt = false;
                strOff = p + lenBytes;
                strLen = entryLen - lenBytes;
            } else if ((b & 0xe0) == 0xc0) {
                long u = ((b & 0x1f) << 8) | (lp[p + 1] & 0xff);
                intValue = u >= 1 << 12 ? u - (1 << 13) : u;
            } else if (b == 0xf1) {
                intValue = (short) le(p + 1, 2);
            } else if (b == 0xf2) {
                long u = le(p + 1, 3);
                intValue = u >= 1 << 23 ? u - (1 << 24) : u;
            } else if (b == 0xf3) {
                intValue = (int) le(p + 1, 4);
            } else {
                intValue = le(p + 1, 8);
            }
        }

        private long le(int at, int n) {
            long v = 0;
            for (int i = n - 1; i >= 0; i--) v = (v << 8) | (lp[at + i] & 0xff);
            return v;
        }

        /** lpDecodeBacklen from its last byte; -1 when longer than 5 bytes. */
        private long decodeBacklen(int last) {
            long v = 0;
            int shift = 0;
            for (int q = last; q >= 0; q--) {
                int c = lp[q] & 0xff;
                v |= (long) (c & 127) << shift;
                if ((c & 128) == 0) return v;
                shift += 7;
                if (shift > 28) return -1;
            }
            return -1;
        }

        boolean isInt() { return isInt; }

        /** The entry's bytes; an integer entry as its decimal text. */
        byte[] bytes() {
            return isInt ? RdbNumbers.decimal(intValue) : Arrays.copyOfRange(lp, strOff, strOff + strLen);
        }

        /** The entry's integer (lpGetIntegerIfValid): an integer entry, or a string that is one. */
        long longValue() throws RdbFormatException {
            if (isInt) return intValue;
            byte[] s = bytes();
            if (!RdbNumbers.isCanonicalLong(s)) throw bad("listpack entry is not an integer");
            return RdbNumbers.parseCanonicalLong(s);
        }

        byte[] nextBytes() throws RdbFormatException {
            next();
            return bytes();
        }

        long nextLong() throws RdbFormatException {
            next();
            return longValue();
        }

        /** After the last entry: the walk must end on the final 0xFF and match the header count. */
        void finish() throws RdbFormatException {
            if (hasNext()) throw bad("listpack has more entries than expected");
            if (p != size - 1) throw bad("listpack entries end before its last byte");
            if (headerCount != COUNT_UNKNOWN && headerCount != seen) {
                throw bad("listpack header counts " + headerCount + " entries, found " + seen);
            }
        }
    }

    static int backlenSize(long l) {
        if (l <= 127) return 1;
        if (l < 16383) return 2;
        if (l < 2097151) return 3;
        if (l < 268435455) return 4;
        return 5;
    }

    private static RdbFormatException bad(String why) {
        return new RdbFormatException(why);
    }

    /** Appends entries as lpAppend/lpAppendInteger do; {@link #build()} closes the blob. */
    static final class Builder {
        private byte[] buf = new byte[64];
        private int len = HEADER_SIZE;
        private int count;

        /** Bytes the listpack has now, header and end byte included (lpBytes). */
        int bytes() { return len + 1; }

        int count() { return count; }

        Builder append(byte[] s) {
            if (RdbNumbers.isCanonicalLong(s)) return appendLong(RdbNumbers.parseCanonicalLong(s));
            int n = s.length;
            int start = len;
            if (n < 64) {
                ensure(1 + n + 5);
                buf[len++] = (byte) (0x80 | n);
            } else if (n < 4096) {
                ensure(2 + n + 5);
                buf[len++] = (byte) (0xe0 | (n >> 8));
                buf[len++] = (byte) n;
            } else {
                ensure(5 + n + 5);
                buf[len++] = (byte) 0xf0;
                putLE(n, 4);
            }
            System.arraycopy(s, 0, buf, len, n);
            len += n;
            endEntry(start);
            return this;
        }

        Builder appendLong(long v) {
            ensure(9 + 5);
            int start = len;
            if (v >= 0 && v <= 127) {
                buf[len++] = (byte) v;
            } else if (v >= -4096 && v <= 4095) {
                long u = v < 0 ? v + (1 << 13) : v;
                buf[len++] = (byte) (0xc0 | (u >> 8));
                buf[len++] = (byte) u;
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                buf[len++] = (byte) 0xf1;
                putLE(v, 2);
            } else if (v >= -(1 << 23) && v < (1 << 23)) {
                buf[len++] = (byte) 0xf2;
                putLE(v, 3);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                buf[len++] = (byte) 0xf3;
                putLE(v, 4);
            } else {
                buf[len++] = (byte) 0xf4;
                putLE(v, 8);
            }
            endEntry(start);
            return this;
        }

        /** Appends every entry of {@code other}, as built so far. */
        Builder appendAll(Builder other) {
            int n = other.len - HEADER_SIZE;
            ensure(n);
            System.arraycopy(other.buf, HEADER_SIZE, buf, len, n);
            len += n;
            count += other.count;
            return this;
        }

        /** Bytes an integer entry of {@code v} takes, back length included. */
        static int longEntrySize(long v) {
            int n;
            if (v >= 0 && v <= 127) n = 1;
            else if (v >= -4096 && v <= 4095) n = 2;
            else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) n = 3;
            else if (v >= -(1 << 23) && v < (1 << 23)) n = 4;
            else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) n = 5;
            else n = 9;
            return n + backlenSize(n);
        }

        private void putLE(long v, int n) {
            for (int i = 0; i < n; i++) buf[len++] = (byte) (v >>> (8 * i));
        }

        /** lpEncodeBacklen of the entry that started at {@code start}. */
        private void endEntry(int start) {
            long l = len - start;
            int n = backlenSize(l);
            for (int i = n - 1; i >= 0; i--) {
                int group = (int) ((l >>> (7 * i)) & 127);
                buf[len++] = (byte) (i == n - 1 ? group : group | 128);
            }
            count++;
        }

        private void ensure(int more) {
            if (len + more + 1 > buf.length) buf = Arrays.copyOf(buf, Math.max(len + more + 1, buf.length * 2));
        }

        byte[] build() {
            byte[] out = Arrays.copyOf(buf, len + 1);
            out[len] = (byte) EOF;
            int total = len + 1;
            for (int i = 0; i < 4; i++) out[i] = (byte) (total >>> (8 * i));
            int c = Math.min(count, COUNT_UNKNOWN);
            out[4] = (byte) c;
            out[5] = (byte) (c >>> 8);
            return out;
        }
    }
}
