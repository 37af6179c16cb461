package io.moon.node.command;

import java.util.ArrayList;
import java.util.List;

/**
 * The longest common subsequence of two byte strings, as Redis's lcsCommand finds it: the same
 * dynamic programming table walked back from the end with the same tie-break, so the string and
 * the match ranges are the ones redis-server answers.
 *
 * <p>Redis keeps the whole table of lengths (4 bytes a cell). The walk back only needs, at a
 * cell whose bytes differ, whether the length above beats the length to the left, so this keeps
 * that one bit per cell plus two rows of lengths: 1/32 of the memory for the same answer.
 */
final class Lcs {
    /** One run of matching bytes: a[aStart..aEnd] equals b[bStart..bEnd]. */
    record Match(int aStart, int aEnd, int bStart, int bEnd) {
        int length() { return aEnd - aStart + 1; }
    }

    /** Length of the longest common subsequence. */
    final int length;
    /** The subsequence itself; null when not asked for. */
    final byte[] sequence;
    /** Runs from the end of the strings to the start, as Redis emits them; empty when not asked for. */
    final List<Match> matches;

    private Lcs(int length, byte[] sequence, List<Match> matches) {
        this.length = length;
        this.sequence = sequence;
        this.matches = matches;
    }

    /** Length only: two rows, no table. */
    static Lcs lengthOf(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        int[] prev = new int[bLen + 1], cur = new int[bLen + 1];
        for (int i = 1; i <= aLen; i++) {
            byte x = a[aOff + i - 1];
            for (int j = 1; j <= bLen; j++) {
                cur[j] = x == b[bOff + j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return new Lcs(prev[bLen], null, List.of());
    }

    /** The subsequence and its runs of at least {@code minMatchLen} bytes. */
    static Lcs of(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen, long minMatchLen) {
        long[] up = new long[(int) (((long) aLen * bLen + 63) >>> 6)];
        int[] prev = new int[bLen + 1], cur = new int[bLen + 1];
        for (int i = 1; i <= aLen; i++) {
            byte x = a[aOff + i - 1];
            long row = (long) (i - 1) * bLen;
            for (int j = 1; j <= bLen; j++) {
                if (x == b[bOff + j - 1]) {
                    cur[j] = prev[j - 1] + 1;
                } else if (prev[j] > cur[j - 1]) {
                    cur[j] = prev[j];
                    long bit = row + j - 1;
                    up[(int) (bit >>> 6)] |= 1L << bit;
                } else {
                    cur[j] = cur[j - 1];
                }
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        int length = prev[bLen];
        byte[] seq = new byte[length];
        List<Match> matches = new ArrayList<>();
        // Redis's walk back: a run grows backwards while matches stay contiguous and is emitted
        // when it breaks or reaches the start of either string. aStart == aLen means "no run".
        int idx = length, i = aLen, j = bLen;
        int aStart = aLen, aEnd = 0, bStart = 0, bEnd = 0;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[aOff + i - 1] == b[bOff + j - 1]) {
                seq[--idx] = a[aOff + i - 1];
                if (aStart == aLen) {
                    aStart = aEnd = i - 1;
                    bStart = bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) emit = true;
                i--;
                j--;
            } else {
                long bit = (long) (i - 1) * bLen + j - 1;
                if ((up[(int) (bit >>> 6)] & (1L << bit)) != 0) i--;
                else j--;
                if (aStart != aLen) emit = true;
            }
            if (emit) {
                Match m = new Match(aStart, aEnd, bStart, bEnd);
                if (minMatchLen == 0 || m.length() >= minMatchLen) matches.add(m);
                aStart = aLen;
            }
        }
        return new Lcs(length, seq, matches);
    }
}
