package io.moon.node.persist.rdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Zipmap, the blob of small hashes in Redis 2.4 and before (zipmap.c). Read only:
 * <pre>
 * zmlen (1 byte; 254: count unknown) | (len field len free value [free bytes])* | 0xFF
 * len = 1 byte below 254, or 0xFE + uint32 little-endian
 * free = 1 byte: unused bytes after the value
 * </pre>
 * {@link #read} validates as zipmapValidateIntegrity with deep=1: every field and value inside
 * the blob, at least one pair, and zmlen equal to the pairs found unless 254.
 */
final class Zipmap {
    private Zipmap() {}

    static final int BIGLEN = 254;
    static final int END = 0xff;

    static List<FieldValue> read(byte[] zm) throws RdbFormatException {
        int size = zm.length;
        if (size < 2) throw bad("zipmap shorter than its header");
        if ((zm[size - 1] & 0xff) != END) throw bad("zipmap does not end with 0xFF");
        List<FieldValue> out = new ArrayList<>();
        long p = 1;
        while ((zm[(int) p] & 0xff) != END) {
            int fieldLenSize = lengthSize(zm, (int) p);
            if (p + fieldLenSize > size - 1) throw bad("zipmap field at byte " + p + " runs past the end");
            long fieldLen = length(zm, (int) p);
            long field = p + fieldLenSize;
            p = field + fieldLen;
            if (p > size - 1) throw bad("zipmap field at byte " + field + " runs past the end");
            int valueLenSize = lengthSize(zm, (int) p);
            if (p + valueLenSize > size - 1) throw bad("zipmap value at byte " + p + " runs past the end");
            long valueLen = length(zm, (int) p);
            p += valueLenSize;
            int free = zm[(int) p] & 0xff;
            long value = p + 1;
            p = value + valueLen + free;
            if (p > size - 1) throw bad("zipmap value at byte " + value + " runs past the end");
            out.add(new FieldValue(
                    Arrays.copyOfRange(zm, (int) field, (int) (field + fieldLen)),
                    Arrays.copyOfRange(zm, (int) value, (int) (value + valueLen))));
        }
        if (out.isEmpty()) throw bad("zipmap is empty");
        int header = zm[0] & 0xff;
        if (header != BIGLEN && header != out.size()) throw bad("zipmap header counts " + header + " pairs, found " + out.size());
        return out;
    }

    private static int lengthSize(byte[] zm, int p) {
        return (zm[p] & 0xff) < BIGLEN ? 1 : 5;
    }

    private static long length(byte[] zm, int p) {
        int b = zm[p] & 0xff;
        return b < BIGLEN ? b : Ziplist.le(zm, p + 1, 4);
    }

    private static RdbFormatException bad(String why) {
        return new RdbFormatException(why);
    }
}
