package io.moon.node.store.bits;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Counting and searching bits of a string value, Redis's bit numbering: bit 0 is the most
 * significant bit of the first byte. Whole 8-byte words go through {@link Long#bitCount} and
 * {@link Long#numberOfLeadingZeros}, which the JIT turns into POPCNT and LZCNT; words are read
 * big-endian so that the leading zeros of a word are the first bits of the string.
 */
public final class Bitmap {
    private Bitmap() {}

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** For counting and for testing a word against a run, where the order of bits does not matter. */
    private static final VarHandle LONG_NATIVE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private static long word(byte[] b, int at) { return (long) LONG_BE.get(b, at); }

    private static long anyOrder(byte[] b, int at) { return (long) LONG_NATIVE.get(b, at); }

    /** Set bits in {@code b[from, to)} (Redis's redisPopcount). */
    public static long popcount(byte[] b, int from, int to) {
        long n = 0;
        int p = from;
        for (; p + 32 <= to; p += 32) {
            n += Long.bitCount(anyOrder(b, p)) + Long.bitCount(anyOrder(b, p + 8))
                    + Long.bitCount(anyOrder(b, p + 16)) + Long.bitCount(anyOrder(b, p + 24));
        }
        for (; p + 8 <= to; p += 8) n += Long.bitCount(anyOrder(b, p));
        for (; p < to; p++) n += Integer.bitCount(b[p] & 0xff);
        return n;
    }

    /** Set bits among bits {@code fromBit..toBit} (inclusive, fromBit <= toBit) of the value at {@code base}. */
    public static long count(byte[] b, int base, long fromBit, long toBit) {
        int first = base + (int) (fromBit >>> 3), last = base + (int) (toBit >>> 3);
        long n = popcount(b, first, last + 1);
        n -= Integer.bitCount(b[first] & before(fromBit));
        n -= Integer.bitCount(b[last] & after(toBit));
        return n;
    }

    /**
     * The first bit equal to {@code bit} among bits {@code fromBit..toBit} (inclusive) of the
     * value at {@code base}, as a bit index of the value; -1 when there is none.
     */
    public static long position(byte[] b, int base, long fromBit, long toBit, int bit) {
        if (fromBit > toBit) return -1;
        int firstByte = (int) (fromBit >>> 3), lastByte = (int) (toBit >>> 3);
        // Looking for zeros is looking for ones in the complement.
        int flip = bit == 1 ? 0 : 0xff;
        long skip = bit == 1 ? 0 : -1L;
        int v = ((b[base + firstByte] & 0xff) ^ flip) & ~before(fromBit);
        if (firstByte == lastByte) return firstOne(firstByte, v & ~after(toBit) & 0xff);
        if ((v & 0xff) != 0) return firstOne(firstByte, v & 0xff);
        int p = firstByte + 1;
        // Skip a run 32 bytes at a time; the word loop below then finds the exact bit.
        for (; p + 32 <= lastByte; p += 32) {
            long differs = (anyOrder(b, base + p) ^ skip) | (anyOrder(b, base + p + 8) ^ skip)
                    | (anyOrder(b, base + p + 16) ^ skip) | (anyOrder(b, base + p + 24) ^ skip);
            if (differs != 0) break;
        }
        for (; p + 8 <= lastByte; p += 8) {
            long w = word(b, base + p);
            if (w != skip) return p * 8L + Long.numberOfLeadingZeros(w ^ skip);
        }
        for (; p < lastByte; p++) {
            int x = (b[base + p] & 0xff) ^ flip;
            if (x != 0) return firstOne(p, x);
        }
        return firstOne(lastByte, ((b[base + lastByte] & 0xff) ^ flip) & ~after(toBit) & 0xff);
    }

    /** The index of the first 1 of byte {@code x} at byte index {@code at}, -1 for no 1. */
    private static long firstOne(int at, int x) {
        return x == 0 ? -1 : at * 8L + Integer.numberOfLeadingZeros(x) - 24;
    }

    /** Mask of the bits of its byte before {@code bit}. */
    private static int before(long bit) { return ~(0xff >>> (bit & 7)) & 0xff; }

    /** Mask of the bits of its byte after {@code bit}. */
    private static int after(long bit) { return (1 << (7 - (bit & 7))) - 1; }
}
