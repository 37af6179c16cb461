package io.moon.node.store.stream;

import java.nio.charset.StandardCharsets;

/**
 * Stream entry ids as Redis has them (stream.h {@code streamID}): milliseconds and a sequence,
 * both unsigned 64-bit. Moon keeps an id as two longs wherever it can (no object per id) and
 * compares the halves unsigned, in that order, as Redis's streamCompareID.
 */
public final class StreamIds {
    private StreamIds() {}

    /** The greatest possible half: UINT64_MAX. */
    public static final long MAX = -1L;

    /** Redis's streamCompareID: negative, zero or positive as a is below, equal to or above b. */
    public static int compare(long aMs, long aSeq, long bMs, long bSeq) {
        int c = Long.compareUnsigned(aMs, bMs);
        return c != 0 ? c : Long.compareUnsigned(aSeq, bSeq);
    }

    /**
     * Redis's streamIncrID on {@code id[0..1]}: the next id; false (and 0-0) when id was the
     * greatest possible one.
     */
    public static boolean increment(long[] id) {
        if (id[1] != MAX) {
            id[1]++;
            return true;
        }
        if (id[0] == MAX) {
            id[0] = id[1] = 0;
            return false;
        }
        id[0]++;
        id[1] = 0;
        return true;
    }

    /** Redis's streamDecrID: the previous id; false (and MAX-MAX) when id was 0-0. */
    public static boolean decrement(long[] id) {
        if (id[1] != 0) {
            id[1]--;
            return true;
        }
        if (id[0] == 0) {
            id[0] = id[1] = MAX;
            return false;
        }
        id[0]--;
        id[1] = MAX;
        return true;
    }

    /** "ms-seq" with both halves unsigned, as Redis's createStreamIDString. */
    public static String toString(long ms, long seq) {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    public static byte[] toBytes(long ms, long seq) {
        return toString(ms, seq).getBytes(StandardCharsets.US_ASCII);
    }
}
