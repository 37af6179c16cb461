package io.moon.node.persist.rdb;

import io.moon.node.protocol.Doubles;
import java.nio.charset.StandardCharsets;

/**
 * Number texts as the encoders see them. An element is stored as an integer only when its text is
 * the canonical form of a 64-bit integer (Redis's string2ll / lpStringToInt64: no sign but '-',
 * no leading zeros, no blanks), so decoding gives back the same bytes.
 */
final class RdbNumbers {
    private RdbNumbers() {}

    /** True when {@code s} is the canonical decimal text of a 64-bit integer. */
    static boolean isCanonicalLong(byte[] s) {
        int len = s.length;
        if (len == 0 || len > 20) return false;
        int i = 0;
        if (s[0] == '-') {
            if (len == 1) return false;
            i = 1;
        }
        if (s[i] == '0') return len == 1;
        for (int k = i; k < len; k++) if (s[k] < '0' || s[k] > '9') return false;
        if (len - i < 19) return true;
        // 19 or 20 characters: compare with the limits as text.
        String limit = i == 1 ? "9223372036854775808" : "9223372036854775807";
        if (len - i > 19) return false;
        for (int k = 0; k < 19; k++) {
            int c = s[i + k] - limit.charAt(k);
            if (c != 0) return c < 0;
        }
        return true;
    }

    /** The value of a text for which {@link #isCanonicalLong} holds. */
    static long parseCanonicalLong(byte[] s) {
        boolean negative = s[0] == '-';
        long v = 0;
        for (int k = negative ? 1 : 0; k < s.length; k++) v = v * 10 - (s[k] - '0');
        return negative ? v : -v;
    }

    static byte[] decimal(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** A score or text double as C's strtod reads Redis's own output; NaN when it is not a number. */
    static double parseDouble(byte[] s) {
        return Doubles.parse(s);
    }

    /**
     * Redis's double2ll: the long equal to {@code d} when {@code d} is integral and within
     * ±2^62, where the cast is exact. Otherwise {@code Long.MIN_VALUE} (never such a long).
     */
    static long exactLong(double d) {
        if (!(d >= (double) (-Long.MAX_VALUE / 2)) || !(d <= (double) (Long.MAX_VALUE / 2))) return Long.MIN_VALUE;
        long l = (long) d;
        return l == d ? l : Long.MIN_VALUE;
    }

    /** d2string: "%.17g" with Redis's spellings of infinities, used for listpack scores. */
    static byte[] doubleText(double d) {
        return Doubles.toRedisString(d).getBytes(StandardCharsets.US_ASCII);
    }
}
