package io.moon.node.store.bits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Counting and searching bits, against a bit-by-bit model, at every alignment. */
class BitmapTest {
    private final Random random = new Random(7);

    private static int bit(byte[] b, int base, long i) { return (b[base + (int) (i >>> 3)] >>> (7 - (int) (i & 7))) & 1; }

    private static long modelCount(byte[] b, int base, long from, long to) {
        long n = 0;
        for (long i = from; i <= to; i++) n += bit(b, base, i);
        return n;
    }

    private static long modelPosition(byte[] b, int base, long from, long to, int value) {
        for (long i = from; i <= to; i++) if (bit(b, base, i) == value) return i;
        return -1;
    }

    /** Random bytes biased towards runs of zeros and of ones, so words are skipped and partly matched. */
    private byte[] value(int len) {
        byte[] b = new byte[len];
        int mode = random.nextInt(3);
        for (int i = 0; i < len; i++) {
            int r = random.nextInt(20);
            b[i] = (byte) (mode == 0 ? random.nextInt(256) : r == 0 ? random.nextInt(256) : mode == 1 ? 0 : 0xff);
        }
        return b;
    }

    @Test
    void popcountCountsEveryByteOnce() {
        for (int round = 0; round < 500; round++) {
            byte[] b = value(random.nextInt(200));
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1), to = from + random.nextInt(b.length - from + 1);
            assertThat(Bitmap.popcount(b, from, to)).isEqualTo(to == from ? 0 : modelCount(b, 0, from * 8L, to * 8L - 1));
        }
    }

    @Test
    void countOfBitRangesMatchesTheModel() {
        for (int round = 0; round < 2000; round++) {
            int base = random.nextInt(5);
            byte[] b = value(base + 1 + random.nextInt(100));
            long bits = (b.length - base) * 8L;
            long from = random.nextInt((int) bits), to = from + random.nextInt((int) (bits - from));
            assertThat(Bitmap.count(b, base, from, to)).as("bits %d..%d", from, to).isEqualTo(modelCount(b, base, from, to));
        }
    }

    @Test
    void positionFindsTheFirstMatchingBitOrNone() {
        for (int round = 0; round < 4000; round++) {
            int base = random.nextInt(5);
            byte[] b = value(base + 1 + random.nextInt(100));
            long bits = (b.length - base) * 8L;
            long from = random.nextInt((int) bits), to = from + random.nextInt((int) (bits - from));
            int value = random.nextInt(2);
            assertThat(Bitmap.position(b, base, from, to, value)).as("bit %d in %d..%d", value, from, to)
                    .isEqualTo(modelPosition(b, base, from, to, value));
        }
    }

    @Test
    void anEmptyRangeHasNoPosition() {
        assertThat(Bitmap.position(new byte[] {0}, 0, 5, 4, 0)).isEqualTo(-1);
    }

    @Test
    void longRunsAreSkippedAWordAtATime() {
        byte[] b = new byte[1 << 20];
        assertThat(Bitmap.position(b, 0, 0, b.length * 8L - 1, 1)).isEqualTo(-1);
        b[b.length - 3] = 0x10;
        assertThat(Bitmap.position(b, 0, 0, b.length * 8L - 1, 1)).isEqualTo((b.length - 3) * 8L + 3);
        assertThat(Bitmap.popcount(b, 0, b.length)).isEqualTo(1);
        java.util.Arrays.fill(b, (byte) 0xff);
        b[12345] = (byte) 0xfe;
        assertThat(Bitmap.position(b, 0, 9, b.length * 8L - 1, 0)).isEqualTo(12345 * 8L + 7);
        assertThat(Bitmap.count(b, 0, 0, b.length * 8L - 1)).isEqualTo(b.length * 8L - 1);
    }
}
