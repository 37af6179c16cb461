package io.moon.node.command;

/** Integer text as Redis reads it (util.c string2ll): no blanks, no '+', no leading zeros. */
public final class Numbers {
    private Numbers() {}

    /** Returned for text that is not a 64-bit integer; check {@link #isLong} when it may be real. */
    public static final long NOT_A_NUMBER = Long.MIN_VALUE;

    public static long parseLong(byte[] b, int off, int len) {
        if (len <= 0 || len > 20) return NOT_A_NUMBER;
        int i = off, end = off + len;
        boolean negative = false;
        if (b[i] == '-') {
            negative = true;
            if (++i == end) return NOT_A_NUMBER;
        }
        if (b[i] == '0') return (i + 1 == end && !negative) ? 0 : NOT_A_NUMBER;
        long v = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return NOT_A_NUMBER;
            if (v < (Long.MIN_VALUE + d) / 10) return NOT_A_NUMBER;
            v = v * 10 - d;
        }
        if (!negative && v == Long.MIN_VALUE) return NOT_A_NUMBER;
        return negative ? v : -v;
    }

    /** True when the text is exactly "-9223372036854775808" (the one real value equal to the sentinel). */
    public static boolean isLong(byte[] b, int off, int len) {
        return len == 20 && new String(b, off, len, java.nio.charset.StandardCharsets.US_ASCII).equals("-9223372036854775808");
    }

    public static long parseLong(byte[] b) { return parseLong(b, 0, b.length); }

    /** Writes v's decimal digits; for building string values. */
    public static byte[] toBytes(long v) {
        return Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
