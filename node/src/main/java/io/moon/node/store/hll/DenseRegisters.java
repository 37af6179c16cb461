package io.moon.node.store.hll;

import static io.moon.node.store.hll.HllLayout.REGISTERS;
import static io.moon.node.store.hll.HllLayout.REGISTER_BITS;
import static io.moon.node.store.hll.HllLayout.REGISTER_MAX;

/**
 * The dense encoding: 16384 registers of 6 bits packed LSB first (register 0 is the low 6 bits
 * of byte 0, register 1 its top 2 bits and the low 4 of byte 1...), as Redis's
 * HLL_DENSE_GET_REGISTER / HLL_DENSE_SET_REGISTER. {@code regs} is the offset of the first
 * register byte. Redis reads one byte past the last register (the sds terminator); here the last
 * register, which fits in the last byte, never touches the byte after it, so a value may end
 * its array.
 */
public final class DenseRegisters {
    private DenseRegisters() {}

    public static int get(byte[] b, int regs, int index) {
        int bit = index * REGISTER_BITS;
        int at = regs + (bit >>> 3);
        int shift = bit & 7;
        int v = (b[at] & 0xff) >>> shift;
        if (shift > 8 - REGISTER_BITS) v |= (b[at + 1] & 0xff) << (8 - shift);
        return v & REGISTER_MAX;
    }

    public static void set(byte[] b, int regs, int index, int value) {
        int bit = index * REGISTER_BITS;
        int at = regs + (bit >>> 3);
        int shift = bit & 7;
        b[at] = (byte) ((b[at] & ~(REGISTER_MAX << shift)) | (value << shift));
        if (shift > 8 - REGISTER_BITS) {
            int rest = 8 - shift;
            b[at + 1] = (byte) ((b[at + 1] & ~(REGISTER_MAX >>> rest)) | (value >>> rest));
        }
    }

    /** Redis's hllDenseSet: raises the register to {@code count}; true when it changed. */
    public static boolean raise(byte[] b, int regs, int index, int count) {
        if (count <= get(b, regs, index)) return false;
        set(b, regs, index, count);
        return true;
    }

    /** Adds the register values to {@code histogram} (hllDenseRegHisto): 16 registers per 12 bytes. */
    static void histogram(byte[] b, int regs, int[] histogram) {
        int p = regs;
        for (int group = 0; group < REGISTERS / 16; group++, p += 12) {
            for (int k = 0; k < 12; k += 3) {
                int b0 = b[p + k] & 0xff, b1 = b[p + k + 1] & 0xff, b2 = b[p + k + 2] & 0xff;
                histogram[b0 & 63]++;
                histogram[(b0 >>> 6 | b1 << 2) & 63]++;
                histogram[(b1 >>> 4 | b2 << 4) & 63]++;
                histogram[b2 >>> 2]++;
            }
        }
    }

    /** max[i] = MAX(max[i], register i), for PFMERGE and many-key PFCOUNT. */
    static void mergeInto(byte[] b, int regs, byte[] max) {
        for (int i = 0; i < REGISTERS; i++) {
            int v = get(b, regs, i);
            if (v > max[i]) max[i] = (byte) v;
        }
    }
}
