package io.moon.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ListpackTest {
    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    /** One listpack holding the given elements, written as ListValue writes them. */
    private static byte[] listpackOf(String... elements) {
        ListValue l = new ListValue(-2);
        for (String e : elements) l.push(false, bytes(e));
        byte[][] out = new byte[1][];
        l.forEachListpack((b, off, len) -> out[0] = java.util.Arrays.copyOfRange(b, off, off + len));
        return out[0];
    }

    @Test
    void integersTakeTheSmallestEncodingAndReadBack() {
        long[] values = {0, 127, 128, -1, 4095, -4096, 4096, 32767, -32768, 32768, 8388607, -8388608, 8388608,
            Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE + 1L, Long.MAX_VALUE, Long.MIN_VALUE};
        int[] sizes = {1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 9, 9, 9};
        for (int i = 0; i < values.length; i++) {
            byte[] b = new byte[16];
            int n = Listpack.writeInt(b, 0, values[i]);
            assertThat(Listpack.encodedSize(b, 0)).as("size of %d", values[i]).isEqualTo(sizes[i]);
            assertThat(n).isEqualTo(sizes[i] + 1);
            assertThat(Listpack.isString(b, 0)).isFalse();
            assertThat(Listpack.intValue(b, 0)).isEqualTo(values[i]);
            assertThat(Listpack.prev(b, n)).isZero();
        }
    }

    @Test
    void stringsOfEveryLengthClassReadBackAndWalkBackwards() {
        for (int len : new int[] {0, 1, 63, 64, 127, 128, 4095, 4096, 16382, 16383, 70000}) {
            byte[] s = new byte[len];
            java.util.Arrays.fill(s, (byte) 'x');
            byte[] b = new byte[len + 16];
            int n = Listpack.writeString(b, 0, s, 0, len);
            assertThat(Listpack.entrySizeAt(b, 0)).isEqualTo(n);
            assertThat(Listpack.isString(b, 0)).isTrue();
            assertThat(Listpack.stringLength(b, 0)).isEqualTo(len);
            assertThat(Listpack.prev(b, n)).as("backlen of %d", len).isZero();
        }
    }

    @Test
    void canonicalIntegerTextOnly() {
        assertThat(Listpack.parseInt(bytes("12"), 0, 2)).isEqualTo(12);
        assertThat(Listpack.parseInt(bytes("-0"), 0, 2)).isEqualTo(Listpack.NOT_INT);
        assertThat(Listpack.parseInt(bytes("012"), 0, 3)).isEqualTo(Listpack.NOT_INT);
        assertThat(Listpack.parseInt(bytes("+1"), 0, 2)).isEqualTo(Listpack.NOT_INT);
        assertThat(Listpack.parseInt(bytes("9223372036854775808"), 0, 19)).isEqualTo(Listpack.NOT_INT);
        byte[] min = bytes("-9223372036854775808");
        assertThat(Listpack.parseInt(min, 0, min.length)).isEqualTo(Listpack.NOT_INT);
        assertThat(Listpack.isMinInt(min, 0, min.length)).isTrue();
    }

    @Test
    void sameBytesAsRedisForAKnownListpack() {
        // The listpack inside redis-server 7.0.15's DUMP of RPUSH l a 1 -1 hello 300.
        byte[] lp = listpackOf("a", "1", "-1", "hello", "300");
        assertThat(HexFormat.of().formatHex(lp))
                .isEqualTo("19000000" + "0500" + "816102" + "0101" + "dfff02" + "8568656c6c6f06" + "c12c02" + "ff");
        assertThat(Listpack.valid(lp, 0, lp.length)).isTrue();
    }

    @Test
    void damagedListpacksAreRefused() {
        byte[] lp = listpackOf("a", "bb", "12345");
        assertThat(Listpack.valid(lp, 0, lp.length)).isTrue();
        for (int i = 0; i < lp.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = lp.clone();
                bad[i] ^= (byte) (1 << bit);
                // A flipped bit may still give a valid listpack (a different integer); it must never throw.
                Listpack.valid(bad, 0, bad.length);
            }
        }
        byte[] wrongCount = lp.clone();
        wrongCount[4] = 7;
        assertThat(Listpack.valid(wrongCount, 0, wrongCount.length)).isFalse();
        assertThat(Listpack.valid(lp, 0, lp.length - 1)).isFalse();
        byte[] noEof = lp.clone();
        noEof[lp.length - 1] = 0;
        assertThat(Listpack.valid(noEof, 0, noEof.length)).isFalse();
    }
}
