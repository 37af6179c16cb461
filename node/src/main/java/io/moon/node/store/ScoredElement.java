package io.moon.node.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One element of a large sorted set ({@link ZsetIndex}): a single byte array holding the score
 * and the member, shared by the order tree and the member table so an element costs one Java
 * object.
 *
 * <pre>
 * offset 0  SCORE_LENGTH bytes   the score, an IEEE 754 double, little-endian
 * offset 8  the rest             the member's bytes
 * </pre>
 *
 * <p>Elements are ordered as Redis orders a sorted set (t_zset.c zslInsert): by score with C's
 * {@code <} and {@code ==} (so 0 and -0 tie), then by member as {@code sdscmp} (unsigned bytes,
 * then length).
 */
final class ScoredElement {
    private ScoredElement() {}

    static final int SCORE_OFFSET = 0;
    static final int SCORE_LENGTH = 8;
    static final int MEMBER_OFFSET = SCORE_OFFSET + SCORE_LENGTH;

    private static final VarHandle DOUBLE_LE =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    static byte[] of(double score, byte[] m, int off, int len) {
        byte[] e = new byte[MEMBER_OFFSET + len];
        DOUBLE_LE.set(e, SCORE_OFFSET, score);
        System.arraycopy(m, off, e, MEMBER_OFFSET, len);
        return e;
    }

    static double score(byte[] e) { return (double) DOUBLE_LE.get(e, SCORE_OFFSET); }

    static void setScore(byte[] e, double score) { DOUBLE_LE.set(e, SCORE_OFFSET, score); }

    static int memberLength(byte[] e) { return e.length - MEMBER_OFFSET; }

    static boolean memberEquals(byte[] e, byte[] m, int off, int len) {
        return e.length - MEMBER_OFFSET == len && Arrays.equals(e, MEMBER_OFFSET, e.length, m, off, off + len);
    }

    /** Redis's sdscmp of the element's member against {@code m}: negative when the member sorts first. */
    static int compareMember(byte[] e, byte[] m, int off, int len) {
        return Arrays.compareUnsigned(e, MEMBER_OFFSET, e.length, m, off, off + len);
    }

    /** Order of element {@code e} against the key (score, member): negative when e comes first. */
    static int compare(byte[] e, double score, byte[] m, int off, int len) {
        double s = score(e);
        if (s < score) return -1;
        if (s > score) return 1;
        return compareMember(e, m, off, len);
    }

    static int compare(byte[] a, byte[] b) {
        return compare(a, score(b), b, MEMBER_OFFSET, b.length - MEMBER_OFFSET);
    }
}
