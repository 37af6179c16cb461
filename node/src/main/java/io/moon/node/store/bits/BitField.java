package io.moon.node.store.bits;

/**
 * Integers of 1 to 64 bits at any bit offset of a string value (BITFIELD), with Redis's bit
 * order (bit 0 is the most significant bit of the first byte, the integer's most significant bit
 * comes first) and Redis's overflow rules (bitops.c checkUnsignedBitfieldOverflow and
 * checkSignedBitfieldOverflow).
 */
public final class BitField {
    private BitField() {}

    /** What an INCRBY or SET does with a result that does not fit its type. */
    public enum Overflow { WRAP, SAT, FAIL }

    /** Bits {@code offset..offset+bits-1} of the value {@code b[base, base+len)}; bits past its end read 0. */
    public static long getUnsigned(byte[] b, int base, int len, long offset, int bits) {
        long v = 0;
        for (int j = 0; j < bits; j++, offset++) {
            long at = offset >>> 3;
            int bit = at < len ? (b[base + (int) at] >>> (7 - (int) (offset & 7))) & 1 : 0;
            v = (v << 1) | bit;
        }
        return v;
    }

    /** As {@link #getUnsigned}, the top bit extended as a two's complement sign. */
    public static long getSigned(byte[] b, int base, int len, long offset, int bits) {
        long v = getUnsigned(b, base, len, offset, bits);
        if (bits < 64 && (v & (1L << (bits - 1))) != 0) v |= -1L << bits;
        return v;
    }

    /** Writes the low {@code bits} bits of {@code value}; the value must reach that far. */
    public static void set(byte[] b, int base, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++, offset++) {
            int bit = (int) (value >>> (bits - 1 - j)) & 1;
            int at = base + (int) (offset >>> 3);
            int shift = 7 - (int) (offset & 7);
            b[at] = (byte) ((b[at] & ~(1 << shift)) | (bit << shift));
        }
    }

    /**
     * Whether {@code value + incr} fits an unsigned integer of {@code bits} bits: 1 above the
     * maximum, -1 below zero, 0 when it fits. {@code value} is C's uint64_t.
     */
    public static int unsignedOverflow(long value, long incr, int bits) {
        long max = unsignedMax(bits);
        long maxIncr = max - value;
        long minIncr = -value;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxIncr)) return 1;
        if (incr < 0 && incr < minIncr) return -1;
        return 0;
    }

    /** The value an unsigned overflow in {@code direction} gives under WRAP or SAT. */
    public static long unsignedLimit(long value, long incr, int bits, Overflow how, int direction) {
        if (how == Overflow.SAT) return direction > 0 ? unsignedMax(bits) : 0;
        return bits == 64 ? value + incr : (value + incr) & ~(-1L << bits);
    }

    /** As {@link #unsignedOverflow}, for a signed integer of {@code bits} bits. */
    public static int signedOverflow(long value, long incr, int bits) {
        long max = signedMax(bits), min = -max - 1;
        // These may wrap; they are used only once value's range is known, as in Redis.
        long maxIncr = max - value;
        long minIncr = min - value;
        if (value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr)) return 1;
        if (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr)) return -1;
        return 0;
    }

    /** The value a signed overflow in {@code direction} gives under WRAP or SAT. */
    public static long signedLimit(long value, long incr, int bits, Overflow how, int direction) {
        long max = signedMax(bits);
        if (how == Overflow.SAT) return direction > 0 ? max : -max - 1;
        long c = value + incr;
        if (bits < 64) {
            long mask = -1L << bits;
            c = (c & (1L << (bits - 1))) != 0 ? c | mask : c & ~mask;
        }
        return c;
    }

    private static long unsignedMax(int bits) { return bits == 64 ? -1L : (1L << bits) - 1; }

    private static long signedMax(int bits) { return bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1; }
}
