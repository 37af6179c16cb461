package io.moon.node.protocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Doubles as Redis reads and prints them: C's {@code strtod} grammar (no Java suffixes, no
 * surrounding blanks) and C's {@code "%.17g"} output, so replies match redis-server's bytes.
 */
public final class Doubles {
    private Doubles() {}

    private static final MathContext SEVENTEEN = new MathContext(17, RoundingMode.HALF_EVEN);

    /** C's printf("%.17g", d), with "inf"/"-inf"/"nan" as Redis writes them. */
    public static String toRedisString(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        return formatG(d, 17);
    }

    /** C's printf("%.<precision>g", d) for a finite d: significant digits, trailing zeros dropped. */
    public static String formatG(double d, int precision) {
        if (d == 0) return (1 / d < 0) ? "-0" : "0";
        // Integral values below 2^53 print all their digits under %.17g: the common case of scores.
        if (precision >= 16 && d == (long) d && Math.abs(d) < 0x1p53) return Long.toString((long) d);
        BigDecimal bd = new BigDecimal(d).round(precision == 17 ? SEVENTEEN : new MathContext(precision, RoundingMode.HALF_EVEN));
        String digits = bd.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - bd.scale(); // decimal exponent of the first digit
        // %g drops trailing zeros of the significand.
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') end--;
        digits = digits.substring(0, end);
        StringBuilder sb = new StringBuilder(32);
        if (d < 0) sb.append('-');
        if (exponent < -4 || exponent >= precision) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int ae = Math.abs(exponent);
            if (ae < 10) sb.append('0');
            sb.append(ae);
        } else if (exponent >= 0) {
            if (digits.length() <= exponent + 1) {
                sb.append(digits);
                for (int i = digits.length(); i <= exponent; i++) sb.append('0');
            } else {
                sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
            }
        } else {
            sb.append("0.");
            for (int i = -1; i > exponent; i--) sb.append('0');
            sb.append(digits);
        }
        return sb.toString();
    }

    /**
     * Parses as C's strtod over the whole argument (Redis's {@code string2d}): decimal or
     * "inf"/"infinity" with an optional sign. Returns NaN when the text is not a number; callers
     * answer with their command's error. Redis refuses "nan" as input, so NaN cannot mean both.
     */
    public static double parse(byte[] b, int off, int len) {
        if (len == 0 || len > 5000) return Double.NaN;
        int i = off, end = off + len;
        int signLen = (b[i] == '+' || b[i] == '-') ? 1 : 0;
        String s = new String(b, off, len, StandardCharsets.ISO_8859_1);
        String body = s.substring(signLen).toLowerCase();
        if (body.equals("inf") || body.equals("infinity")) {
            return b[off] == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        i += signLen;
        int digits = 0;
        while (i < end && isDigit(b[i])) { i++; digits++; }
        if (i < end && b[i] == '.') {
            i++;
            while (i < end && isDigit(b[i])) { i++; digits++; }
        }
        if (digits == 0) return Double.NaN;
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < end && (b[i] == '+' || b[i] == '-')) i++;
            int expDigits = 0;
            while (i < end && isDigit(b[i])) { i++; expDigits++; }
            if (expDigits == 0) return Double.NaN;
        }
        if (i != end) return Double.NaN;
        double v = Double.parseDouble(s);
        // strtod reports ERANGE on overflow and on underflow to zero; Redis refuses both.
        if (Double.isInfinite(v)) return Double.NaN;
        if (v == 0 && hasNonZeroDigit(b, off, len)) return Double.NaN;
        return v;
    }

    public static double parse(byte[] b) { return parse(b, 0, b.length); }

    private static boolean hasNonZeroDigit(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == 'e' || b[i] == 'E') return false;
            if (b[i] >= '1' && b[i] <= '9') return true;
        }
        return false;
    }

    private static boolean isDigit(byte c) { return c >= '0' && c <= '9'; }
}
