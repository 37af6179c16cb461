package io.moon.node.command;

import io.moon.node.store.stream.StreamIds;

/**
 * Stream ids as clients write them (t_stream.c streamGenericParseIDOrReply): "ms-seq", "ms"
 * (the sequence then defaults), "-" and "+" for the least and greatest ids where a range allows
 * them, "ms-*" in XADD, and "(" before an id for an exclusive range bound. Each half is read as
 * Redis's string2ull reads it.
 */
final class StreamIdArgs {
    private StreamIdArgs() {}

    static final String INVALID = "ERR Invalid stream ID specified as stream command argument";
    /** Redis's cap: longer text is not an id. */
    private static final int MAX_LENGTH = 127;

    /** What {@link #parse} found besides the id: whether the sequence was given ("ms-*" says no). */
    static final int SEQ_GIVEN = 1, SEQ_AUTO = 0, INVALID_ID = -1;

    /**
     * Parses {@code b[off, off+len)} into {@code id[0..1]}. {@code strict} refuses "-" and "+";
     * {@code allowAutoSeq} accepts "ms-*". Returns {@link #SEQ_GIVEN}, {@link #SEQ_AUTO} or
     * {@link #INVALID_ID}.
     */
    static int parse(byte[] b, int off, int len, long missingSeq, boolean strict, boolean allowAutoSeq, long[] id) {
        if (len > MAX_LENGTH) return INVALID_ID;
        // Redis reads the text as a C string: it ends at the first NUL.
        for (int i = 0; i < len; i++) {
            if (b[off + i] == 0) {
                len = i;
                break;
            }
        }
        if (len == 1 && (b[off] == '-' || b[off] == '+')) {
            if (strict) return INVALID_ID;
            id[0] = id[1] = b[off] == '-' ? 0 : StreamIds.MAX;
            return SEQ_GIVEN;
        }
        int dash = -1;
        for (int i = 0; i < len; i++) {
            if (b[off + i] == '-') {
                dash = i;
                break;
            }
        }
        int msLen = dash < 0 ? len : dash;
        if (!parseUnsigned(b, off, msLen, id, 0)) return INVALID_ID;
        if (dash < 0) {
            id[1] = missingSeq;
            return SEQ_GIVEN;
        }
        int so = off + dash + 1, sl = len - dash - 1;
        if (allowAutoSeq && sl == 1 && b[so] == '*') {
            id[1] = 0;
            return SEQ_AUTO;
        }
        return parseUnsigned(b, so, sl, id, 1) ? SEQ_GIVEN : INVALID_ID;
    }

    /** The argument as an id, or Redis's invalid-id error. */
    static void parseOrError(CommandContext c, int i, long missingSeq, boolean strict, long[] id) {
        if (parse(c.buf(), c.off(i), c.len(i), missingSeq, strict, false, id) == INVALID_ID) throw new RedisError(INVALID);
    }

    /**
     * Every argument from {@code from} on as strict ids, pairs in one array (XDEL, XACK): all are
     * checked before the command changes anything, as Redis's all-or-nothing parsing.
     */
    static long[] parseAll(CommandContext c, int from) {
        int n = c.argc() - from;
        long[] ids = new long[2 * n], id = new long[2];
        for (int j = 0; j < n; j++) {
            parseOrError(c, from + j, 0, true, id);
            ids[2 * j] = id[0];
            ids[2 * j + 1] = id[1];
        }
        return ids;
    }

    /** As {@link #parseOrError}, false instead of the error. */
    static boolean tryParse(CommandContext c, int i, long missingSeq, boolean strict, long[] id) {
        return parse(c.buf(), c.off(i), c.len(i), missingSeq, strict, false, id) != INVALID_ID;
    }

    /**
     * A range bound (streamParseIntervalIDOrReply): "(" makes it exclusive and strict, and the
     * bound then moves one id inward (start up, end down) or fails with Redis's interval error.
     */
    static void parseBound(CommandContext c, int i, boolean start, long[] id) {
        byte[] b = c.buf();
        int off = c.off(i), len = c.len(i);
        long missing = start ? 0 : StreamIds.MAX;
        boolean exclusive = len > 1 && b[off] == '(';
        if (!exclusive) {
            if (parse(b, off, len, missing, false, false, id) == INVALID_ID) throw new RedisError(INVALID);
            return;
        }
        if (parse(b, off + 1, len - 1, missing, true, false, id) == INVALID_ID) throw new RedisError(INVALID);
        if (start ? !StreamIds.increment(id) : !StreamIds.decrement(id)) {
            throw new RedisError(start ? "ERR invalid start ID for the interval" : "ERR invalid end ID for the interval");
        }
    }

    /**
     * Redis's string2ull: a string2ll number that is not negative, or else what C's strtoull
     * takes (leading blanks, a sign, decimal digits to the end, no overflow; a minus negates
     * modulo 2^64).
     */
    static boolean parseUnsigned(byte[] b, int off, int len, long[] out, int at) {
        long v = Numbers.parseLong(b, off, len);
        if (v != Numbers.NOT_A_NUMBER || Numbers.isLong(b, off, len)) {
            if (v < 0) return false;
            out[at] = v;
            return true;
        }
        int i = off, end = off + len;
        while (i < end && isSpace(b[i])) i++;
        boolean negative = false;
        if (i < end && (b[i] == '+' || b[i] == '-')) negative = b[i++] == '-';
        if (i == end || len == 0) return false;
        long r = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return false;
            // r * 10 + d must stay below 2^64.
            if (Long.compareUnsigned(r, Long.divideUnsigned(-1L, 10)) > 0) return false;
            long next = r * 10 + d;
            if (Long.compareUnsigned(next, r * 10) < 0) return false;
            r = next;
        }
        out[at] = negative ? -r : r;
        return true;
    }

    private static boolean isSpace(byte c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
}
