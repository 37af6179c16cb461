package io.moon.node.store.hll;

import static io.moon.node.store.hll.HllLayout.HEADER_SIZE;
import static io.moon.node.store.hll.HllLayout.REGISTERS;

/**
 * The sparse encoding: run-length opcodes over the 16384 registers, as Redis's hyperloglog.c.
 * <pre>
 *   ZERO   00xxxxxx            xxxxxx+1 registers (1..64) set to 0
 *   XZERO  01xxxxxx yyyyyyyy   xxxxxxyyyyyyyy+1 registers (1..16384) set to 0
 *   VAL    1vvvvvxx            xx+1 registers (1..4) set to vvvvv+1 (1..32)
 * </pre>
 * A value is valid when its opcodes cover exactly 16384 registers. Readers take the opcodes in
 * {@code [from, to)}; a two-byte XZERO cut by {@code to} reads its second byte as 0, as Redis
 * reads the sds terminator there.
 */
public final class SparseRegisters {
    private SparseRegisters() {}

    static final int XZERO_BIT = 0x40;
    static final int VAL_BIT = 0x80;
    static final int VAL_MAX_VALUE = 32;
    static final int VAL_MAX_LEN = 4;
    static final int ZERO_MAX_LEN = 64;
    static final int XZERO_MAX_LEN = 16384;

    static boolean isZero(int op) { return (op & 0xc0) == 0; }
    static boolean isXzero(int op) { return (op & 0xc0) == XZERO_BIT; }
    static boolean isVal(int op) { return (op & VAL_BIT) != 0; }
    static int zeroLen(int op) { return (op & 0x3f) + 1; }
    static int xzeroLen(int op, int next) { return (((op & 0x3f) << 8) | next) + 1; }
    static int valValue(int op) { return ((op >>> 2) & 0x1f) + 1; }
    static int valLen(int op) { return (op & 0x3) + 1; }
    static byte val(int value, int len) { return (byte) (((value - 1) << 2 | (len - 1)) | VAL_BIT); }
    static byte zero(int len) { return (byte) (len - 1); }

    static void xzero(byte[] b, int at, int len) {
        int l = len - 1;
        b[at] = (byte) ((l >>> 8) | XZERO_BIT);
        b[at + 1] = (byte) l;
    }

    private static int u8(byte[] b, int at, int to) { return at < to ? b[at] & 0xff : 0; }

    /** Bytes of a new value with every register zero: the header and XZERO opcodes of 16384 each. */
    static final int EMPTY_SIZE = HEADER_SIZE + (REGISTERS + XZERO_MAX_LEN - 1) / XZERO_MAX_LEN * 2;

    /** Writes the opcodes of an all-zero value (Redis's createHLLObject) at {@code at}. */
    static void writeEmpty(byte[] b, int at) {
        for (int left = REGISTERS; left > 0; left -= XZERO_MAX_LEN, at += 2) xzero(b, at, Math.min(left, XZERO_MAX_LEN));
    }

    /** Adds register values to {@code histogram}; false when the opcodes do not cover 16384 registers. */
    static boolean histogram(byte[] b, int from, int to, int[] histogram) {
        int idx = 0;
        int p = from;
        while (p < to) {
            int op = b[p] & 0xff;
            if (isZero(op)) {
                int run = zeroLen(op);
                idx += run;
                histogram[0] += run;
                p++;
            } else if (isXzero(op)) {
                int run = xzeroLen(op, u8(b, p + 1, to));
                idx += run;
                histogram[0] += run;
                p += 2;
            } else {
                int run = valLen(op);
                idx += run;
                histogram[valValue(op)] += run;
                p++;
            }
        }
        return idx == REGISTERS;
    }

    /** What {@link #forEachValue} calls for each VAL opcode: {@code run} registers from {@code first} hold {@code value}. */
    @FunctionalInterface
    interface ValueRun {
        void accept(int first, int run, int value);
    }

    /**
     * Visits the VAL opcodes in order, stopping at one that would pass register 16383 (as Redis's
     * hllMerge and hllSparseToDense do); true when the opcodes cover exactly 16384 registers.
     */
    static boolean forEachValue(byte[] b, int from, int to, ValueRun action) {
        int idx = 0;
        int p = from;
        while (p < to) {
            int op = b[p] & 0xff;
            if (isZero(op)) {
                idx += zeroLen(op);
                p++;
            } else if (isXzero(op)) {
                idx += xzeroLen(op, u8(b, p + 1, to));
                p += 2;
            } else {
                int run = valLen(op);
                if (run + idx > REGISTERS) break;
                action.accept(idx, run, valValue(op));
                idx += run;
                p++;
            }
        }
        return idx == REGISTERS;
    }

    /** max[i] = MAX(max[i], register i) (hllMerge); false when corrupt, {@code max} maybe partly raised. */
    static boolean mergeInto(byte[] b, int from, int to, byte[] max) {
        return forEachValue(b, from, to, (first, run, value) -> {
            for (int i = first; i < first + run; i++) if (value > max[i]) max[i] = (byte) value;
        });
    }

    /** Writes the registers into zeroed dense registers at {@code regs} (hllSparseToDense); false when corrupt. */
    static boolean decodeInto(byte[] b, int from, int to, byte[] dense, int regs) {
        return forEachValue(b, from, to, (first, run, value) -> {
            for (int i = first; i < first + run; i++) DenseRegisters.set(dense, regs, i, value);
        });
    }

    /** PFDEBUG DECODE's text: "z:len", "Z:len" and "v:value,len" separated by spaces. */
    static String describe(byte[] b, int from, int to) {
        StringBuilder s = new StringBuilder();
        int p = from;
        while (p < to) {
            int op = b[p] & 0xff;
            if (s.length() > 0) s.append(' ');
            if (isZero(op)) {
                s.append("z:").append(zeroLen(op));
                p++;
            } else if (isXzero(op)) {
                s.append("Z:").append(xzeroLen(op, u8(b, p + 1, to)));
                p += 2;
            } else {
                s.append("v:").append(valValue(op)).append(',').append(valLen(op));
                p++;
            }
        }
        return s.toString();
    }
}
