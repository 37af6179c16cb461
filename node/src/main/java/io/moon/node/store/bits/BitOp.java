package io.moon.node.store.bits;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * BITOP's operations over strings of different lengths, as Redis's bitopCommand: shorter sources
 * count as zero-padded to the longest, so AND clears what lies past a short source and OR and
 * XOR leave it. Eight bytes at a time where every source has data.
 */
public enum BitOp {
    AND, OR, XOR, NOT;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /**
     * Writes the result into {@code dst[dstOff, dstOff+maxLen)}, where maxLen is the longest
     * source length. Source {@code j} is {@code src[j][off[j], off[j]+len[j])}; a missing key
     * is a source of length 0. NOT takes exactly one source.
     */
    public void apply(byte[][] src, int[] off, int[] len, byte[] dst, int dstOff, int maxLen) {
        if (this == NOT) {
            not(src[0], off[0], dst, dstOff, len[0]);
            return;
        }
        if (len[0] > 0) System.arraycopy(src[0], off[0], dst, dstOff, len[0]);
        for (int j = 1; j < src.length; j++) {
            int n = len[j];
            if (n > 0) combine(src[j], off[j], dst, dstOff, n);
            // Past a source's end it is zeros: only AND changes there.
            if (this == AND && n < maxLen) java.util.Arrays.fill(dst, dstOff + n, dstOff + maxLen, (byte) 0);
        }
    }

    private void combine(byte[] s, int so, byte[] d, int doff, int n) {
        int i = 0;
        switch (this) {
            case AND -> {
                for (; i + 8 <= n; i += 8) LONGS.set(d, doff + i, (long) LONGS.get(d, doff + i) & (long) LONGS.get(s, so + i));
                for (; i < n; i++) d[doff + i] &= s[so + i];
            }
            case OR -> {
                for (; i + 8 <= n; i += 8) LONGS.set(d, doff + i, (long) LONGS.get(d, doff + i) | (long) LONGS.get(s, so + i));
                for (; i < n; i++) d[doff + i] |= s[so + i];
            }
            default -> {
                for (; i + 8 <= n; i += 8) LONGS.set(d, doff + i, (long) LONGS.get(d, doff + i) ^ (long) LONGS.get(s, so + i));
                for (; i < n; i++) d[doff + i] ^= s[so + i];
            }
        }
    }

    private static void not(byte[] s, int so, byte[] d, int doff, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) LONGS.set(d, doff + i, ~(long) LONGS.get(s, so + i));
        for (; i < n; i++) d[doff + i] = (byte) ~s[so + i];
    }
}
