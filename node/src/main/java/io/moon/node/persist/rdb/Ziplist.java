package io.moon.node.persist.rdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ziplist, the compact blob Redis wrote before 7.0 for small lists, hashes and sorted sets
 * (ziplist.c). Read only: Redis 7.0 converts it to a listpack on load and never writes it.
 * Layout, little-endian unless said:
 * <pre>
 * zlbytes uint32 | zltail uint32 (offset of the last entry) | zllen uint16 (65535: unknown) | entry* | 0xFF
 * entry = prevlen encoding data
 *   prevlen: 1 byte below 254, or 0xFE + uint32: the byte size of the previous entry (0 first)
 *   00xxxxxx                     string of up to 63 bytes
 *   01xxxxxx yyyyyyyy            string with a 14-bit big-endian length
 *   10______ + 4 bytes           string with a 32-bit big-endian length
 *   C0 / D0 / E0 / F0 / FE       int16 / int32 / int64 / int24 / int8, little-endian
 *   F1..FD                       the integers 0..12, no data
 * </pre>
 * {@link #readAll} validates as ziplistValidateIntegrity with deep=1: sizes, end byte, every
 * entry inside the blob with a known encoding, each prevlen equal to the previous entry's size,
 * zltail on the last entry, and zllen equal to the entries found (unless 65535).
 */
final class Ziplist {
    private Ziplist() {}

    static final int HEADER_SIZE = 10;
    static final int END = 0xff;
    static final int BIG_PREVLEN = 0xfe;

    /** Every element as bytes (integers as decimal text), fully validated. */
    static List<byte[]> readAll(byte[] zl) throws RdbFormatException {
        int size = zl.length;
        if (size < HEADER_SIZE + 1) throw bad("ziplist shorter than its header");
        long bytes = le(zl, 0, 4);
        if (bytes != size) throw bad("ziplist header says " + bytes + " bytes, blob has " + size);
        if ((zl[size - 1] & 0xff) != END) throw bad("ziplist does not end with 0xFF");
        long tail = le(zl, 4, 4);
        if (tail > size - 1) throw bad("ziplist tail offset outside the blob");
        int headerCount = (int) le(zl, 8, 2);
        int last = size - 1; // index of the end byte: no entry byte may reach it
        List<byte[]> out = new ArrayList<>(Math.min(headerCount, 1024));
        int p = HEADER_SIZE;
        long prevSize = 0;
        int prevStart = -1;
        while ((zl[p] & 0xff) != END) {
            int prevlenSize = (zl[p] & 0xff) < BIG_PREVLEN ? 1 : 5;
            if (p + prevlenSize > last) throw bad("ziplist entry at byte " + p + " runs past the end");
            long prevlen = prevlenSize == 1 ? zl[p] & 0xff : le(zl, p + 1, 4);
            int at = p + prevlenSize;
            int enc = zl[at] & 0xff;
            if (enc < 0xc0) enc &= 0xc0;
            int lenSize;
            long dataLen;
            switch (enc) {
                case 0x00 -> { lenSize = 1; dataLen = -1; }
                case 0x40 -> { lenSize = 2; dataLen = -1; }
                case 0x80 -> { lenSize = 5; dataLen = -1; }
                case 0xc0 -> { lenSize = 1; dataLen = 2; }
                case 0xd0 -> { lenSize = 1; dataLen = 4; }
                case 0xe0 -> { lenSize = 1; dataLen = 8; }
                case 0xf0 -> { lenSize = 1; dataLen = 3; }
                case 0xfe -> { lenSize = 1; dataLen = 1; }
                default -> {
                    if (enc >= 0xf1 && enc <= 0xfd) {
                        lenSize = 1;
                        dataLen = 0;
                    } else {
                        throw bad("ziplist entry at byte " + p + " has unknown encoding " + enc);
                    }
                }
            }
            if (at + lenSize > last) throw bad("ziplist entry at byte " + p + " runs past the end");
            if (enc == 0x00) dataLen = zl[at] & 0x3f;
            if (enc == 0x40) dataLen = ((zl[at] & 0x3f) << 8) | (zl[at + 1] & 0xff);
            if (enc == 0x80) dataLen = be(zl, at + 1, 4);
            long data = (long) at + lenSize;
            if (data + dataLen > last) throw bad("ziplist entry at byte " + p + " runs past the end");
            if (p - prevlen < HEADER_SIZE) throw bad("ziplist entry at byte " + p + " has a prevlen before the start");
            if (prevlen != prevSize) throw bad("ziplist entry at byte " + p + " has a wrong prevlen");
            int d = (int) data;
            if (enc < 0xc0) {
                out.add(Arrays.copyOfRange(zl, d, d + (int) dataLen));
            } else {
                long v = switch (enc) {
                    case 0xc0 -> (short) le(zl, d, 2);
                    case 0xd0 -> (int) le(zl, d, 4);
                    case 0xe0 -> le(zl, d, 8);
                    case 0xf0 -> ((int) le(zl, d, 3) << 8) >> 8;
                    case 0xfe -> zl[d];
                    default -> (enc & 0x0f) - 1;
                };
                out.add(RdbNumbers.decimal(v));
            }
            prevSize = d + dataLen - p;
            prevStart = p;
            p = (int) (d + dataLen);
        }
        if (p != size - 1) throw bad("ziplist entries end before its last byte");
        if (prevStart >= 0 && prevStart != tail) throw bad("ziplist tail offset is not the last entry");
        if (headerCount != 0xffff && headerCount != out.size()) {
            throw bad("ziplist header counts " + headerCount + " entries, found " + out.size());
        }
        return out;
    }

    static long le(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = (v << 8) | (b[at + i] & 0xff);
        return v;
    }

    private static long be(byte[] b, int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) v = (v << 8) | (b[at + i] & 0xff);
        return v;
    }

    private static RdbFormatException bad(String why) {
        return new RdbFormatException(why);
    }
}
