package io.moon.node.command;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * C's {@code long double} as redis-server on x86-64 computes INCRBYFLOAT: the x87 80-bit
 * extended format (64-bit significand, smallest subnormal 2^-16445, overflow at 2^16384), read by
 * {@code strtold}, added with one rounding to nearest-even, printed by {@code "%.17Lf"}.
 *
 * <p>A finite value is kept as the exact decimal expansion of its binary value, so parsing,
 * adding and printing each round exactly once, as glibc and the FPU do. That is what makes
 * "0.1 + 0.1" print "0.2" (the binary error stays below the 17th decimal) while a Java double
 * would show it.
 */
final class LongDouble {
    private static final int SIGNIFICAND_BITS = 64;
    /** Exponent of the unit in the last place of the smallest subnormal. */
    private static final int MIN_EXPONENT = -16445;
    /** Values of 2^16384 and above overflow to infinity. */
    private static final int OVERFLOW_BITS = 16384;
    /** Redis's MAX_LONG_DOUBLE_CHARS: longer text is refused before parsing. */
    private static final int MAX_CHARS = 5 * 1024;
    /**
     * Decimal exponents beyond these overflow or underflow to zero whatever the digits (the
     * largest value is about 1.19e4932, the smallest subnormal about 3.65e-4951); checking first
     * keeps huge exponents from building huge numbers.
     */
    private static final long MAX_DECIMAL_EXPONENT = 4940, MIN_DECIMAL_EXPONENT = -4960;

    /** Exact value when finite; null when infinite or NaN. */
    private final BigDecimal value;
    /** Infinity with its sign, or NaN, when {@link #value} is null. */
    private final double special;

    private LongDouble(BigDecimal value, double special) {
        this.value = value;
        this.special = special;
    }

    static final LongDouble ZERO = new LongDouble(BigDecimal.ZERO, 0);

    boolean isFinite() { return value != null; }

    /**
     * Redis's string2ld: the whole text must be a number for {@code strtold} (decimal, hex with
     * an optional binary exponent, or inf/infinity), with no blank at the start; NaN, overflow and
     * underflow to zero are refused. Returns null when refused.
     */
    static LongDouble parse(byte[] b, int off, int len) {
        if (len == 0 || len >= MAX_CHARS) return null;
        String s = new String(b, off, len, StandardCharsets.ISO_8859_1);
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        String body = s.substring(i);
        if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
            return new LongDouble(null, negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        BigDecimal exact = body.length() > 1 && body.charAt(0) == '0' && (body.charAt(1) == 'x' || body.charAt(1) == 'X')
                ? parseHex(body.substring(2))
                : parseDecimal(body);
        if (exact == null) return null;
        if (exact.signum() == 0) return ZERO;
        LongDouble r = round(negative ? exact.negate() : exact);
        // strtold's ERANGE: overflow to HUGE_VAL or underflow to zero.
        if (!r.isFinite() || r.value.signum() == 0) return null;
        return r;
    }

    /** digits [. digits] [e [sign] digits], at least one digit in the significand. */
    private static BigDecimal parseDecimal(String s) {
        int i = 0, n = s.length(), digits = 0;
        while (i < n && isDigit(s.charAt(i))) { i++; digits++; }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) { i++; digits++; }
        }
        if (digits == 0) return null;
        String significand = s.substring(0, i);
        long exponent = 0;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            Long e = parseExponent(s, i + 1);
            if (e == null) return null;
            exponent = e;
        } else if (i != n) {
            return null;
        }
        BigDecimal m = new BigDecimal(significand);
        if (m.signum() == 0) return BigDecimal.ZERO;
        long magnitude = exponent + m.precision() - m.scale();
        if (magnitude > MAX_DECIMAL_EXPONENT) return overflowMarker();
        if (magnitude < MIN_DECIMAL_EXPONENT) return underflowMarker();
        return m.scaleByPowerOfTen((int) exponent);
    }

    /** hexdigits [. hexdigits] [p [sign] digits], after "0x". */
    private static BigDecimal parseHex(String s) {
        int i = 0, n = s.length(), digits = 0;
        BigInteger mantissa = BigInteger.ZERO;
        long binaryExponent = 0;
        boolean fraction = false;
        for (; i < n; i++) {
            char ch = s.charAt(i);
            if (ch == '.' && !fraction) {
                fraction = true;
                continue;
            }
            int d = Character.digit(ch, 16);
            if (d < 0) break;
            digits++;
            mantissa = mantissa.shiftLeft(4).add(BigInteger.valueOf(d));
            if (fraction) binaryExponent -= 4;
        }
        if (digits == 0) return null;
        if (i < n && (s.charAt(i) == 'p' || s.charAt(i) == 'P')) {
            Long e = parseExponent(s, i + 1);
            if (e == null) return null;
            binaryExponent += e;
        } else if (i != n) {
            return null;
        }
        if (mantissa.signum() == 0) return BigDecimal.ZERO;
        long magnitude = binaryExponent + mantissa.bitLength();
        if (magnitude > OVERFLOW_BITS + 1) return overflowMarker();
        if (magnitude < MIN_EXPONENT - 1) return underflowMarker();
        return binary(mantissa, (int) binaryExponent);
    }

    /** [sign] digits, saturated far beyond any exponent that keeps a value finite and non-zero. */
    private static Long parseExponent(String s, int i) {
        int n = s.length();
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) negative = s.charAt(i++) == '-';
        if (i == n) return null;
        long e = 0;
        for (; i < n; i++) {
            char ch = s.charAt(i);
            if (!isDigit(ch)) return null;
            e = Math.min(e * 10 + (ch - '0'), 1_000_000_000L);
        }
        return negative ? -e : e;
    }

    /** A value certain to round to infinity. */
    private static BigDecimal overflowMarker() { return BigDecimal.ONE.scaleByPowerOfTen(5000); }

    /** A non-zero value certain to round to zero. */
    private static BigDecimal underflowMarker() { return BigDecimal.ONE.scaleByPowerOfTen(-5000); }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    /** This plus other, rounded once, as the FPU's fadd. */
    LongDouble add(LongDouble other) {
        if (isFinite() && other.isFinite()) return round(value.add(other.value));
        double a = isFinite() ? 0 : special, b = other.isFinite() ? 0 : other.special;
        return new LongDouble(null, a + b); // inf + -inf is NaN, as in C
    }

    /** Rounds an exact value to the nearest long double, ties to even. */
    private static LongDouble round(BigDecimal exact) {
        int sign = exact.signum();
        if (sign == 0) return ZERO;
        BigDecimal abs = exact.abs();
        BigInteger num, den;
        if (abs.scale() <= 0) {
            num = abs.unscaledValue().multiply(BigInteger.TEN.pow(-abs.scale()));
            den = BigInteger.ONE;
        } else {
            num = abs.unscaledValue();
            den = BigInteger.TEN.pow(abs.scale());
        }
        // Exponent of the last significand bit: first a guess from bit lengths, then exact.
        long e = (long) num.bitLength() - den.bitLength() - SIGNIFICAND_BITS;
        BigInteger q = scaledQuotient(num, den, e)[0];
        if (q.bitLength() > SIGNIFICAND_BITS) e += q.bitLength() - SIGNIFICAND_BITS;
        else if (q.bitLength() < SIGNIFICAND_BITS) e -= SIGNIFICAND_BITS - q.bitLength();
        if (e < MIN_EXPONENT) e = MIN_EXPONENT; // subnormal: fewer significand bits
        if (e > OVERFLOW_BITS) return infinity(sign);
        BigInteger[] qr = scaledQuotient(num, den, e);
        q = qr[0];
        BigInteger denominator = qr[2];
        int half = qr[1].shiftLeft(1).compareTo(denominator);
        if (half > 0 || (half == 0 && q.testBit(0))) q = q.add(BigInteger.ONE);
        if (q.signum() == 0) return ZERO;
        if (q.bitLength() + e > OVERFLOW_BITS) return infinity(sign);
        BigDecimal r = binary(q, (int) e);
        return new LongDouble(sign < 0 ? r.negate() : r, 0);
    }

    /** {quotient, remainder, divisor} of num / (den * 2^e). */
    private static BigInteger[] scaledQuotient(BigInteger num, BigInteger den, long e) {
        BigInteger n = e < 0 ? num.shiftLeft((int) -e) : num;
        BigInteger d = e > 0 ? den.shiftLeft((int) e) : den;
        BigInteger[] qr = n.divideAndRemainder(d);
        return new BigInteger[] {qr[0], qr[1], d};
    }

    /** The exact decimal value of m * 2^e. */
    private static BigDecimal binary(BigInteger m, int e) {
        if (e >= 0) return new BigDecimal(m.shiftLeft(e));
        return new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-e)), -e).stripTrailingZeros();
    }

    private static LongDouble infinity(int sign) {
        return new LongDouble(null, sign < 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    }

    /**
     * C's {@code (long long) ceill(x * 1000.0L)}, as Redis's getTimeoutFromObjectOrReply turns
     * seconds into milliseconds: infinities and results outside the range of a long come out as
     * LLONG_MIN, as the x86-64 conversion gives them.
     */
    long ceilMillis() {
        if (!isFinite()) return Long.MIN_VALUE;
        LongDouble p = round(value.multiply(BigDecimal.valueOf(1000)));
        if (!p.isFinite()) return Long.MIN_VALUE;
        BigDecimal ms = p.value.setScale(0, RoundingMode.CEILING);
        if (ms.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 || ms.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
            return Long.MIN_VALUE;
        }
        return ms.longValueExact();
    }

    /**
     * Redis's ld2string in LD_STR_HUMAN mode: {@code "%.17Lf"} (glibc rounds the exact value
     * half to even), trailing zeros and a bare '.' removed, and "-0" written as "0".
     */
    String toHumanString() {
        if (!isFinite()) return Double.isNaN(special) ? "nan" : special > 0 ? "inf" : "-inf";
        String s = value.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }
}
