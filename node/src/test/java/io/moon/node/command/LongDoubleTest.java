package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Long double parsing, adding and printing, checked against redis-server 7.0.15's INCRBYFLOAT replies. */
class LongDoubleTest {
    static LongDouble parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return LongDouble.parse(b, 0, b.length);
    }

    /** What INCRBYFLOAT answers for each increment in turn, starting from a missing key. */
    static String[] sums(String... increments) {
        LongDouble v = LongDouble.ZERO;
        String[] out = new String[increments.length];
        for (int i = 0; i < increments.length; i++) {
            v = v.add(parse(increments[i]));
            out[i] = v.toHumanString();
        }
        return out;
    }

    @Test
    void repeatedTenthsStayShort() {
        assertThat(sums("0.1", "0.1", "0.1")).containsExactly("0.1", "0.2", "0.3");
        assertThat(sums("0.3", "-0.1", "-0.1", "-0.1")).containsExactly("0.3", "0.2", "0.1", "0");
        assertThat(sums("10.5", "-0.1")).containsExactly("10.5", "10.4");
    }

    @Test
    void precisionBeyondDouble() {
        assertThat(sums("9007199254740993", "0.5")).containsExactly("9007199254740993", "9007199254740993.5");
        assertThat(sums("123456789.123456789", "0.000000000000000001"))
                .containsExactly("123456789.12345678899873747", "123456789.12345678899873747");
        assertThat(sums("1e20", "1e-20")).containsExactly("100000000000000000000", "100000000000000000000");
        assertThat(sums("1e300", "-1e300")[1]).isEqualTo("0");
        assertThat(sums("1e300")[0]).startsWith("1000000000000000000008997324079559193870523944273290747938260082321");
    }

    @Test
    void printingRoundsHalfToEvenAndNeverShowsMinusZero() {
        assertThat(sums("0.000003814697265625")).containsExactly("0.00000381469726562");
        assertThat(sums("1.5e-17")).containsExactly("0.00000000000000002");
        assertThat(sums("-1e-4950")).containsExactly("0");
        assertThat(sums("-0.0")).containsExactly("0");
        assertThat(sums("0.024390243902439025", "-0.024390243902439025")).containsExactly("0.02439024390243902", "0");
    }

    @Test
    void strtoldGrammar() {
        assertThat(sums("3.0e3", "0x10", "0x1p-2", "0e999999", "1.", ".5", "+1", "0X.8P1"))
                .containsExactly("3000", "3016", "3016.25", "3016.25", "3017.25", "3017.75", "3018.75", "3019.75");
        for (String bad : new String[] {"", " 1", "1 ", "nan", "NaN", "abc", "1e", "1e+", "0x", "0xp1", ".", "+", "-",
                "+-1", "1..2", "infx", "1e5000", "-1e5000", "1e-5000", "0x1p99999", "1\u00002", "0." + "1".repeat(5118)}) {
            assertThat(parse(bad)).as("'%s'", bad).isNull();
        }
        assertThat(parse("0." + "1".repeat(5117))).isNotNull(); // Redis reads up to 5119 characters
    }

    @Test
    void infinityIsParsedButNeverASum() {
        assertThat(parse("inf").isFinite()).isFalse();
        assertThat(parse("-Infinity").isFinite()).isFalse();
        assertThat(parse("+INF").add(LongDouble.ZERO).isFinite()).isFalse();
        assertThat(parse("inf").add(parse("-inf")).toHumanString()).isEqualTo("nan");
        LongDouble max = parse("1.18973149535723176502e+4932");
        assertThat(max.isFinite()).isTrue();
        assertThat(max.add(max).isFinite()).isFalse();
    }

    @Test
    void subnormalsSurviveUntilTheyRoundToZero() {
        assertThat(parse("3.7e-4951")).isNotNull();
        assertThat(parse("1e-4952")).isNull();
    }
}
