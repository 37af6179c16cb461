package io.moon.node.store;

/**
 * Redis's listpack byte format (listpack.c and its "Listpack specification"), read and written in
 * place inside a Java byte array, so a compact node holds its elements in one array and its bytes
 * are exactly what Redis writes into RDB files.
 *
 * <h2>Layout</h2>
 * <pre>
 *   [total bytes: u32 LE][element count: u16 LE (65535 = unknown)][entry]...[0xFF]
 * </pre>
 * An entry is its encoding (with the length for strings), the data, then the backlen: the size of
 * encoding plus data in 1 to 5 bytes, written so that it can be read from its last byte leftwards
 * (7 bits a byte, high bit set on every byte but the leftmost). Encodings, by first byte:
 * <pre>
 *   0xxxxxxx                 7-bit unsigned integer
 *   10xxxxxx + data          string of up to 63 bytes
 *   110xxxxx yyyyyyyy        13-bit signed integer
 *   1110xxxx yyyyyyyy + data string of up to 4095 bytes
 *   11110000 len:u32 + data  longer string
 *   11110001..11110100       16, 24, 32, 64-bit signed integer, little endian
 * </pre>
 * A string that is the canonical text of a 64-bit integer (Redis's lpStringToInt64: no sign but
 * '-', no leading zero, at most 20 characters) is stored as the smallest integer encoding.
 *
 * <p>Every method takes the array and an absolute offset; {@code lp} is where a listpack starts.
 */
public final class Listpack {
    private Listpack() {}

    public static final int HEADER = 6;
    public static final int EOF = 0xFF;
    /** Element count value meaning "count the entries" (more than 65534 of them). */
    public static final int UNKNOWN_COUNT = 0xFFFF;

    // ---------------------------------------------------------------- header

    public static int total(byte[] b, int lp) {
        return (b[lp] & 0xFF) | (b[lp + 1] & 0xFF) << 8 | (b[lp + 2] & 0xFF) << 16 | (b[lp + 3] & 0xFF) << 24;
    }

    public static int count(byte[] b, int lp) { return (b[lp + 4] & 0xFF) | (b[lp + 5] & 0xFF) << 8; }

    /** Writes a header: total bytes and element count (counts past 65534 are written as unknown). */
    public static void header(byte[] b, int lp, int total, int count) {
        b[lp] = (byte) total;
        b[lp + 1] = (byte) (total >>> 8);
        b[lp + 2] = (byte) (total >>> 16);
        b[lp + 3] = (byte) (total >>> 24);
        int c = Math.min(count, UNKNOWN_COUNT);
        b[lp + 4] = (byte) c;
        b[lp + 5] = (byte) (c >>> 8);
    }

    // ---------------------------------------------------------------- sizes

    /** Bytes of encoding plus data for integer v. */
    public static int intSize(long v) {
        if (v >= 0 && v <= 127) return 1;
        if (v >= -4096 && v <= 4095) return 2;
        if (v >= -32768 && v <= 32767) return 3;
        if (v >= -8388608 && v <= 8388607) return 4;
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 5;
        return 9;
    }

    /** Bytes of encoding plus data for a string of len bytes. */
    public static int stringSize(int len) {
        if (len < 64) return 1 + len;
        if (len < 4096) return 2 + len;
        return 5 + len;
    }

    /** Bytes of the backlen of an entry whose encoding plus data take l bytes. */
    public static int backlenSize(int l) {
        if (l <= 127) return 1;
        if (l < 16383) return 2;
        if (l < 2097151) return 3;
        if (l < 268435455) return 4;
        return 5;
    }

    /** Whole size of an entry (backlen included) with l bytes of encoding plus data. */
    public static int entrySize(int l) { return l + backlenSize(l); }

    /** Bytes of encoding plus data of the entry at p. */
    public static int encodedSize(byte[] b, int p) {
        int e = b[p] & 0xFF;
        if ((e & 0x80) == 0) return 1;
        if ((e & 0xC0) == 0x80) return 1 + (e & 0x3F);
        if ((e & 0xE0) == 0xC0) return 2;
        if ((e & 0xF0) == 0xE0) return 2 + ((e & 0x0F) << 8 | (b[p + 1] & 0xFF));
        return switch (e) {
            case 0xF0 -> 5 + le32(b, p + 1);
            case 0xF1 -> 3;
            case 0xF2 -> 4;
            case 0xF3 -> 5;
            case 0xF4 -> 9;
            default -> throw new IllegalStateException("bad listpack encoding " + e);
        };
    }

    /** Whole size (backlen included) of the entry at p. */
    public static int entrySizeAt(byte[] b, int p) { return entrySize(encodedSize(b, p)); }

    /** Offset of the entry before the one (or the terminator) at p; p must not be the first entry. */
    public static int prev(byte[] b, int p) {
        int q = p - 1;
        int l = 0, shift = 0;
        while (true) {
            int x = b[q] & 0xFF;
            l |= (x & 127) << shift;
            if ((x & 128) == 0) break;
            shift += 7;
            q--;
        }
        return p - backlenSize(l) - l;
    }

    // ---------------------------------------------------------------- reading an entry

    public static boolean isString(byte[] b, int p) {
        int e = b[p] & 0xFF;
        return (e & 0xC0) == 0x80 || (e & 0xF0) == 0xE0 || e == 0xF0;
    }

    /** Offset of a string entry's data. */
    public static int stringOffset(byte[] b, int p) {
        int e = b[p] & 0xFF;
        if ((e & 0xC0) == 0x80) return p + 1;
        if ((e & 0xF0) == 0xE0) return p + 2;
        return p + 5;
    }

    /** Length of a string entry's data. */
    public static int stringLength(byte[] b, int p) {
        int e = b[p] & 0xFF;
        if ((e & 0xC0) == 0x80) return e & 0x3F;
        if ((e & 0xF0) == 0xE0) return (e & 0x0F) << 8 | (b[p + 1] & 0xFF);
        return le32(b, p + 1);
    }

    /** Value of an integer entry. */
    public static long intValue(byte[] b, int p) {
        int e = b[p] & 0xFF;
        if ((e & 0x80) == 0) return e;
        if ((e & 0xE0) == 0xC0) {
            int u = (e & 0x1F) << 8 | (b[p + 1] & 0xFF);
            return u >= 1 << 12 ? u - (1 << 13) : u;
        }
        return switch (e) {
            case 0xF1 -> (short) ((b[p + 1] & 0xFF) | (b[p + 2] & 0xFF) << 8);
            case 0xF2 -> ((b[p + 1] & 0xFF) | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF) << 16) << 8 >> 8;
            case 0xF3 -> le32(b, p + 1);
            case 0xF4 -> (le32(b, p + 1) & 0xFFFFFFFFL) | (long) le32(b, p + 5) << 32;
            default -> throw new IllegalStateException("not an integer entry " + e);
        };
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    // ---------------------------------------------------------------- writing an entry

    /** Writes integer v as a whole entry at p; returns its size. */
    public static int writeInt(byte[] b, int p, long v) {
        int n = intSize(v);
        switch (n) {
            case 1 -> b[p] = (byte) v;
            case 2 -> {
                long u = v < 0 ? (1 << 13) + v : v;
                b[p] = (byte) (u >>> 8 | 0xC0);
                b[p + 1] = (byte) u;
            }
            default -> {
                b[p] = (byte) (n == 3 ? 0xF1 : n == 4 ? 0xF2 : n == 5 ? 0xF3 : 0xF4);
                for (int i = 1; i < n; i++) b[p + i] = (byte) (v >>> (8 * (i - 1)));
            }
        }
        return n + writeBacklen(b, p + n, n);
    }

    /** Writes a string as a whole entry at p (never as an integer); returns its size. */
    public static int writeString(byte[] b, int p, byte[] s, int off, int len) {
        int h;
        if (len < 64) {
            b[p] = (byte) (0x80 | len);
            h = 1;
        } else if (len < 4096) {
            b[p] = (byte) (0xE0 | len >>> 8);
            b[p + 1] = (byte) len;
            h = 2;
        } else {
            b[p] = (byte) 0xF0;
            b[p + 1] = (byte) len;
            b[p + 2] = (byte) (len >>> 8);
            b[p + 3] = (byte) (len >>> 16);
            b[p + 4] = (byte) (len >>> 24);
            h = 5;
        }
        System.arraycopy(s, off, b, p + h, len);
        return h + len + writeBacklen(b, p + h + len, h + len);
    }

    private static int writeBacklen(byte[] b, int p, int l) {
        int n = backlenSize(l);
        b[p] = (byte) (l >>> (7 * (n - 1)));
        for (int i = 1; i < n; i++) b[p + i] = (byte) ((l >>> (7 * (n - 1 - i))) & 127 | 128);
        return n;
    }

    // ---------------------------------------------------------------- checking

    /** True when the bytes at p are the backlen of an entry of l bytes. */
    private static boolean backlenIs(byte[] b, int p, int l) {
        int n = backlenSize(l);
        if ((b[p] & 0xFF) != (l >>> (7 * (n - 1)) & 0xFF)) return false;
        for (int i = 1; i < n; i++) if ((b[p + i] & 0xFF) != ((l >>> (7 * (n - 1 - i))) & 127 | 128)) return false;
        return true;
    }

    /**
     * True when {@code b[lp, lp+len)} is a well-formed listpack (Redis's lpValidateIntegrity with
     * deep checking): header total equal to len, every entry inside the bounds with a backlen that
     * matches, the count equal to the entries found (unless unknown), and the terminator last.
     */
    public static boolean valid(byte[] b, int lp, int len) {
        if (len < HEADER + 1 || lp < 0 || lp + len > b.length) return false;
        if (total(b, lp) != len || (b[lp + len - 1] & 0xFF) != EOF) return false;
        int end = lp + len - 1, p = lp + HEADER, n = 0;
        while (p < end) {
            int e = b[p] & 0xFF;
            if (e == EOF) return false;
            int need = (e & 0xF0) == 0xE0 ? 2 : e == 0xF0 ? 5 : 1;
            if (p + need > end) return false;
            if (e >= 0xF5) return false;
            long l = e == 0xF0 ? le32(b, p + 1) & 0xFFFFFFFFL : encodedSize(b, p);
            if (e == 0xF0) l += 5;
            if (l > end - p) return false;
            int bl = backlenSize((int) l);
            if (p + l + bl > end || !backlenIs(b, (int) (p + l), (int) l)) return false;
            p = (int) (p + l + bl);
            n++;
        }
        int c = count(b, lp);
        return p == end && (c == UNKNOWN_COUNT || c == n);
    }

    // ---------------------------------------------------------------- integer text

    /** What {@link #parseInt} returns for text that is not an integer (check {@link #isMinInt}). */
    public static final long NOT_INT = Long.MIN_VALUE;
    private static final byte[] MIN_TEXT = Long.toString(Long.MIN_VALUE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * The integer whose canonical text is {@code b[off, off+len)} (Redis's lpStringToInt64: an
     * optional '-', no leading zero, at most 20 characters), or {@link #NOT_INT}.
     */
    public static long parseInt(byte[] b, int off, int len) {
        if (len <= 0 || len > 20) return NOT_INT;
        int i = off, end = off + len;
        boolean negative = false;
        if (b[i] == '-') {
            negative = true;
            if (++i == end) return NOT_INT;
        }
        if (b[i] == '0') return (i + 1 == end && !negative) ? 0 : NOT_INT;
        long v = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return NOT_INT;
            if (v < (Long.MIN_VALUE + d) / 10) return NOT_INT;
            v = v * 10 - d;
        }
        if (!negative && v == Long.MIN_VALUE) return NOT_INT;
        return negative ? v : -v;
    }

    /** True for the text of Long.MIN_VALUE, the one integer equal to {@link #NOT_INT}. */
    public static boolean isMinInt(byte[] b, int off, int len) {
        return len == MIN_TEXT.length && java.util.Arrays.equals(b, off, off + len, MIN_TEXT, 0, len);
    }

    public static byte[] intText(long v) { return Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII); }
}
