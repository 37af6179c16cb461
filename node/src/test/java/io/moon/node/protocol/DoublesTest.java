package io.moon.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DoublesTest {
    @Test
    void printsLikeCPercent17g() {
        // Expected strings are what printf("%.17g") prints in C.
        assertThat(Doubles.toRedisString(1.5)).isEqualTo("1.5");
        assertThat(Doubles.toRedisString(3.0)).isEqualTo("3");
        assertThat(Doubles.toRedisString(0.1)).isEqualTo("0.10000000000000001");
        assertThat(Doubles.toRedisString(-2.5e-5)).isEqualTo("-2.5000000000000001e-05");
        assertThat(Doubles.toRedisString(1e17)).isEqualTo("1e+17");
        assertThat(Doubles.toRedisString(12345678901234567.0)).isEqualTo("12345678901234568");
        assertThat(Doubles.toRedisString(0.0001)).isEqualTo("0.0001");
        assertThat(Doubles.toRedisString(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(Doubles.toRedisString(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }

    private static double parse(String s) {
        return Doubles.parse(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void parsesStrtodGrammarOnly() {
        assertThat(parse("1.5")).isEqualTo(1.5);
        assertThat(parse("-.5e1")).isEqualTo(-5);
        assertThat(parse("+3")).isEqualTo(3);
        assertThat(parse("inf")).isInfinite();
        assertThat(parse("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        for (String bad : new String[] {"", " 1", "1 ", "1d", "1f", "0x10", "nan", "abc", "1e", "1e400", "1e-400", "."}) {
            assertThat(parse(bad)).as(bad).isNaN();
        }
    }
}
