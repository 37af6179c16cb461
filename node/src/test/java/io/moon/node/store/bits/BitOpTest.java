package io.moon.node.store.bits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** BITOP's operations on sources of different lengths, against a byte-by-byte model. */
class BitOpTest {
    private final Random random = new Random(3);

    @Test
    void everyOperationMatchesTheModel() {
        for (int round = 0; round < 2000; round++) {
            BitOp op = BitOp.values()[random.nextInt(4)];
            int n = op == BitOp.NOT ? 1 : 1 + random.nextInt(5);
            byte[][] src = new byte[n][];
            int[] off = new int[n], len = new int[n];
            int max = 0;
            for (int j = 0; j < n; j++) {
                off[j] = random.nextInt(4);
                len[j] = random.nextInt(70);
                src[j] = new byte[off[j] + len[j]];
                random.nextBytes(src[j]);
                max = Math.max(max, len[j]);
            }
            byte[] dst = new byte[max + 3];
            op.apply(src, off, len, dst, 3, max);
            for (int i = 0; i < max; i++) {
                int expected = i < len[0] ? src[0][off[0] + i] : 0;
                if (op == BitOp.NOT) expected = ~expected;
                for (int j = 1; j < n; j++) {
                    int s = i < len[j] ? src[j][off[j] + i] : 0;
                    expected = op == BitOp.AND ? expected & s : op == BitOp.OR ? expected | s : expected ^ s;
                }
                assertThat(dst[3 + i]).as("%s byte %d", op, i).isEqualTo((byte) expected);
            }
        }
    }
}
