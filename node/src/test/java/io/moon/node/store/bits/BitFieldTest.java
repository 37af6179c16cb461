package io.moon.node.store.bits;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.store.bits.BitField.Overflow;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** BITFIELD's integers against a bit-by-bit model, and its overflow rules against exact arithmetic. */
class BitFieldTest {
    private final Random random = new Random(11);

    private static BigInteger unsigned(long v) { return new BigInteger(Long.toUnsignedString(v)); }

    @Test
    void setThenGetRoundTripsAndLeavesOtherBitsAlone() {
        for (int round = 0; round < 3000; round++) {
            int base = random.nextInt(4);
            byte[] b = new byte[base + 12];
            random.nextBytes(b);
            byte[] before = b.clone();
            int bits = 1 + random.nextInt(64);
            long offset = random.nextInt((b.length - base) * 8 - bits + 1);
            long value = random.nextLong();
            BitField.set(b, base, offset, bits, value);
            long mask = bits == 64 ? -1L : (1L << bits) - 1;
            assertThat(BitField.getUnsigned(b, base, b.length - base, offset, bits)).isEqualTo(value & mask);
            long signed = bits == 64 ? value : (value << (64 - bits)) >> (64 - bits);
            assertThat(BitField.getSigned(b, base, b.length - base, offset, bits)).isEqualTo(signed);
            for (long i = 0; i < (b.length - base) * 8L; i++) {
                if (i >= offset && i < offset + bits) continue;
                int at = base + (int) (i >>> 3), shift = 7 - (int) (i & 7);
                assertThat((b[at] >>> shift) & 1).as("bit %d", i).isEqualTo((before[at] >>> shift) & 1);
            }
        }
    }

    @Test
    void bitsPastTheEndReadAsZero() {
        byte[] b = {(byte) 0xff, (byte) 0xff};
        assertThat(BitField.getUnsigned(b, 0, 2, 12, 8)).isEqualTo(0xf0);
        assertThat(BitField.getSigned(b, 0, 2, 12, 8)).isEqualTo(-16);
        assertThat(BitField.getUnsigned(b, 0, 2, 100, 63)).isZero();
        assertThat(BitField.getUnsigned(b, 1, 1, 0, 16)).isEqualTo(0xff00);
    }

    @Test
    void unsignedOverflowMatchesExactArithmetic() {
        for (int round = 0; round < 20000; round++) {
            int bits = 1 + random.nextInt(63);
            BigInteger max = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
            long value = random.nextBoolean() ? random.nextLong() & max.longValue() : random.nextLong();
            long incr = random.nextInt(4) == 0 ? 0 : random.nextBoolean() ? random.nextLong() : random.nextInt(1 << 20) - (1 << 19);
            BigInteger exact = unsigned(value).add(BigInteger.valueOf(incr));
            int expected = unsigned(value).compareTo(max) > 0 || exact.compareTo(max) > 0 ? 1 : exact.signum() < 0 ? -1 : 0;
            int overflow = BitField.unsignedOverflow(value, incr, bits);
            assertThat(overflow).as("u%d %s + %d", bits, Long.toUnsignedString(value), incr).isEqualTo(expected);
            if (overflow == 0) continue;
            long wrapped = exact.and(max).longValue();
            assertThat(BitField.unsignedLimit(value, incr, bits, Overflow.WRAP, overflow)).isEqualTo(wrapped);
            assertThat(BitField.unsignedLimit(value, incr, bits, Overflow.SAT, overflow))
                    .isEqualTo(overflow > 0 ? max.longValue() : 0);
        }
    }

    @Test
    void signedOverflowMatchesExactArithmetic() {
        for (int round = 0; round < 20000; round++) {
            int bits = 1 + random.nextInt(64);
            BigInteger max = BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE), min = max.negate().subtract(BigInteger.ONE);
            // An INCRBY starts from a value read from the field; a SET (incr 0) checks any value.
            boolean set = random.nextInt(4) == 0;
            long value = set ? random.nextLong() >> random.nextInt(64) : (random.nextLong() << (64 - bits)) >> (64 - bits);
            long incr = set ? 0 : random.nextBoolean() ? random.nextLong() : random.nextInt(1 << 20) - (1 << 19);
            if (set && BigInteger.valueOf(value).compareTo(max.add(max)) > 0) continue;
            if (set && BigInteger.valueOf(value).compareTo(min.add(min).subtract(BigInteger.ONE)) < 0) continue;
            BigInteger exact = BigInteger.valueOf(value).add(BigInteger.valueOf(incr));
            int expected = exact.compareTo(max) > 0 ? 1 : exact.compareTo(min) < 0 ? -1 : 0;
            int overflow = BitField.signedOverflow(value, incr, bits);
            assertThat(overflow).as("i%d %d + %d", bits, value, incr).isEqualTo(expected);
            if (overflow == 0) continue;
            long wrapped = exact.subtract(min).mod(BigInteger.ONE.shiftLeft(bits)).add(min).longValue();
            assertThat(BitField.signedLimit(value, incr, bits, Overflow.WRAP, overflow)).isEqualTo(wrapped);
            assertThat(BitField.signedLimit(value, incr, bits, Overflow.SAT, overflow))
                    .isEqualTo(overflow > 0 ? max.longValue() : min.longValue());
        }
    }

    /**
     * Redis computes "max - value" in 64 bits, so a SET of a value far below a wide type's minimum
     * wraps around and counts as an overflow upwards: SAT stores the maximum. Kept as Redis does.
     */
    @Test
    void aHugeNegativeSetOfAWideSignedTypeOverflowsUpwardsAsInRedis() {
        assertThat(BitField.signedOverflow(Long.MIN_VALUE, 0, 63)).isEqualTo(1);
        assertThat(BitField.signedLimit(Long.MIN_VALUE, 0, 63, Overflow.SAT, 1)).isEqualTo((1L << 62) - 1);
        assertThat(BitField.signedOverflow(-200, 0, 8)).isEqualTo(-1);
    }
}
