package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrtodTest {
    private static Strtod.Result parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return Strtod.parse(b, 0, b.length);
    }

    private static double whole(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return Strtod.whole(b, 0, b.length);
    }

    private static double cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return Strtod.cString(b, 0, b.length);
    }

    @Test
    void sortScoresAreWholeCStringsInRange() {
        assertThat(cString("")).isZero();
        assertThat(cString(" 5")).isEqualTo(5);
        assertThat(cString("5 ")).isNaN();
        assertThat(cString("0x10")).isEqualTo(16);
        assertThat(cString("1\0trailing")).as("C stops at the NUL").isEqualTo(1);
        assertThat(cString("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(cString("nan")).isNaN();
        assertThat(cString("1e400")).as("ERANGE overflow").isNaN();
        assertThat(cString("1e-400")).as("ERANGE underflow to zero").isNaN();
        assertThat(cString("4.9e-324")).as("ERANGE for a subnormal").isNaN();
        assertThat(cString("2.225073858507201e-308")).as("the largest subnormal").isNaN();
        assertThat(cString("2.2250738585072014e-308")).isEqualTo(Double.MIN_NORMAL);
        assertThat(cString("0e-999")).isZero();
        assertThat(Double.doubleToRawLongBits(cString("-0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void readsTheLongestNumberPrefixAsGlibc() {
        assertThat(parse("1.5abc")).isEqualTo(new Strtod.Result(1.5, 3));
        assertThat(parse("  -2e3")).isEqualTo(new Strtod.Result(-2000, 6));
        assertThat(parse("1e")).isEqualTo(new Strtod.Result(1, 1)); // no exponent digits: the "e" is left
        assertThat(parse("1e+")).isEqualTo(new Strtod.Result(1, 1));
        assertThat(parse(".5")).isEqualTo(new Strtod.Result(0.5, 2));
        assertThat(parse("5.")).isEqualTo(new Strtod.Result(5, 2));
        assertThat(parse(".")).isEqualTo(new Strtod.Result(0, 0)); // nothing read: the end is the start
        assertThat(parse("   ")).isEqualTo(new Strtod.Result(0, 0));
        assertThat(parse("")).isEqualTo(new Strtod.Result(0, 0));
        assertThat(parse("0x1p3")).isEqualTo(new Strtod.Result(8, 5));
        assertThat(parse("0X.8")).isEqualTo(new Strtod.Result(0.5, 4));
        assertThat(parse("0xg")).isEqualTo(new Strtod.Result(0, 1)); // just the "0"
        assertThat(parse("-InFiNiTy")).isEqualTo(new Strtod.Result(Double.NEGATIVE_INFINITY, 9));
        assertThat(parse("infin")).isEqualTo(new Strtod.Result(Double.POSITIVE_INFINITY, 3));
        assertThat(parse("nan(abc)x").end()).isEqualTo(8);
        assertThat(parse("nan").value()).isNaN();
        assertThat(parse("1e400").value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parse("0.1").value()).isEqualTo(0.1);
    }

    @Test
    void wholeArgumentAsRedisString2d() {
        assertThat(whole("10")).isEqualTo(10);
        assertThat(whole("-7")).isEqualTo(-7);
        assertThat(Double.doubleToRawLongBits(whole("-0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(whole("123456789012345")).isEqualTo(123456789012345.0);
        assertThat(whole("12345678901234567890")).isEqualTo(1.2345678901234567e19);
        assertThat(whole("0x10")).isEqualTo(16);
        assertThat(whole("inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(whole("-infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(whole("1e-310")).isEqualTo(1e-310); // subnormal: allowed
        assertThat(whole("0e5")).isZero();
        for (String bad : new String[] {"", " 1", "1 ", "1e400", "1e-400", "0x1p99999", "nan", "-", "1.5x", "--1", "+"}) {
            assertThat(whole(bad)).as("'%s'", bad).isNaN();
        }
    }
}
