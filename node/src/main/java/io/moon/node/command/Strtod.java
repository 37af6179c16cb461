package io.moon.node.command;

import java.nio.charset.StandardCharsets;

/**
 * C's {@code strtod} as glibc reads a double, for the places where Redis calls it directly:
 * leading blanks skipped, an optional sign, then the longest prefix that is "inf"/"infinity",
 * "nan" (with an optional "(chars)"), a hexadecimal float ("0x1.8p3") or a decimal one; the
 * value rounded once, correctly, as glibc does (Java's parser rounds the same way).
 */
final class Strtod {
    private Strtod() {}

    /** What {@link #parse} read: the value and the offset just after the number (the start when none). */
    record Result(double value, int end) {}

    /** strtod over {@code b[off, off+len)}: the value and where the number ends. */
    static Result parse(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end && isSpace(b[i])) i++;
        int signAt = i;
        boolean negative = false;
        if (i < end && (b[i] == '+' || b[i] == '-')) negative = b[i++] == '-';
        if (matchesWord(b, i, end, "infinity")) return new Result(signed(Double.POSITIVE_INFINITY, negative), i + 8);
        if (matchesWord(b, i, end, "inf")) return new Result(signed(Double.POSITIVE_INFINITY, negative), i + 3);
        if (matchesWord(b, i, end, "nan")) {
            i += 3;
            if (i < end && b[i] == '(') {
                int j = i + 1;
                while (j < end && (isAlnum(b[j]) || b[j] == '_')) j++;
                if (j < end && b[j] == ')') i = j + 1;
            }
            return new Result(Double.NaN, i);
        }
        if (i + 1 < end && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) {
            Result hex = hex(b, i + 2, end, negative);
            if (hex != null) return hex;
            // "0x" with no hex digit: strtod reads the "0" alone.
            return new Result(signed(0, negative), i + 1);
        }
        int digits = 0;
        while (i < end && isDigit(b[i])) { i++; digits++; }
        if (i < end && b[i] == '.') {
            int dot = i++;
            while (i < end && isDigit(b[i])) { i++; digits++; }
            if (digits == 0) i = dot;
        }
        if (digits == 0) return new Result(0, off); // no conversion: end is the very start
        i = exponent(b, i, end, 'e');
        double v = Double.parseDouble(new String(b, signAt, i - signAt, StandardCharsets.ISO_8859_1));
        return new Result(v, i);
    }

    private static Result hex(byte[] b, int i, int end, boolean negative) {
        int start = i, digits = 0;
        while (i < end && isHex(b[i])) { i++; digits++; }
        if (i < end && b[i] == '.') {
            i++;
            while (i < end && isHex(b[i])) { i++; digits++; }
        }
        if (digits == 0) return null;
        int mantissaEnd = i;
        i = exponent(b, i, end, 'p');
        String mantissa = new String(b, start, mantissaEnd - start, StandardCharsets.ISO_8859_1);
        String exp = i > mantissaEnd ? new String(b, mantissaEnd + 1, i - mantissaEnd - 1, StandardCharsets.ISO_8859_1) : "0";
        double v = Double.parseDouble("0x" + (mantissa.startsWith(".") ? "0" + mantissa : mantissa) + "p" + exp);
        return new Result(signed(v, negative), i);
    }

    /** After a mantissa ending at i: the end of an optional exponent ("e-5", "p+3"), or i when there is none. */
    private static int exponent(byte[] b, int i, int end, char letter) {
        if (i >= end || (b[i] | 0x20) != letter) return i;
        int j = i + 1;
        if (j < end && (b[j] == '+' || b[j] == '-')) j++;
        int digitsAt = j;
        while (j < end && isDigit(b[j])) j++;
        return j > digitsAt ? j : i;
    }

    /**
     * Redis's string2d (ZADD scores, WEIGHTS): the whole argument must be the number, with no
     * leading blank; NaN, overflow to infinity and underflow to zero are refused. Returns NaN
     * when refused.
     */
    static double whole(byte[] b, int off, int len) {
        if (len == 0 || isSpace(b[off])) return Double.NaN;
        if (len <= 15) { // plain integers, the common score, need no parser
            int i = b[off] == '-' ? 1 : 0;
            long v = 0;
            for (; i < len && b[off + i] >= '0' && b[off + i] <= '9'; i++) v = v * 10 + (b[off + i] - '0');
            if (i == len && len > (b[off] == '-' ? 1 : 0)) return b[off] == '-' ? -(double) v : v;
        }
        Result r = parse(b, off, len);
        if (r.end != off + len || Double.isNaN(r.value)) return Double.NaN;
        if (Double.isInfinite(r.value) && !namesInfinity(b, off, len)) return Double.NaN; // ERANGE overflow
        if (r.value == 0 && hasNonZeroMantissa(b, off, len)) return Double.NaN; // ERANGE underflow
        return r.value;
    }

    /**
     * strtod over a C string as SORT reads scores ({@code strtod(s, &end)}, then {@code *end ==
     * '\0'}, no ERANGE, no NaN): the text up to its first NUL byte must be all number, leading
     * blanks allowed, and an empty text reads as 0; out of range (overflow, underflow, a subnormal
     * result) is refused. Returns NaN when refused.
     */
    static double cString(byte[] b, int off, int len) {
        int n = 0;
        while (n < len && b[off + n] != 0) n++;
        Result r = parse(b, off, n);
        if (r.end != off + n || Double.isNaN(r.value)) return Double.NaN;
        if (Double.isInfinite(r.value) && !namesInfinity(b, off, n)) return Double.NaN; // ERANGE overflow
        if (r.value == 0 && hasNonZeroMantissa(b, off, n)) return Double.NaN; // ERANGE underflow
        // glibc's strtod also sets ERANGE for a subnormal result, which SORT refuses as well.
        if (r.value != 0 && Math.abs(r.value) < Double.MIN_NORMAL) return Double.NaN;
        return r.value;
    }

    private static boolean namesInfinity(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) if ((b[i] | 0x20) == 'i') return true;
        return false;
    }

    /** True when a digit of the mantissa (before any exponent) is not zero. */
    private static boolean hasNonZeroMantissa(byte[] b, int off, int len) {
        boolean hex = false;
        for (int i = off; i < off + len; i++) {
            int c = b[i] | 0x20;
            if (c == 'x') {
                hex = true;
                continue;
            }
            if (hex ? c == 'p' : c == 'e') return false;
            if ((b[i] >= '1' && b[i] <= '9') || (hex && c >= 'a' && c <= 'f')) return true;
        }
        return false;
    }

    private static double signed(double v, boolean negative) { return negative ? -v : v; }

    private static boolean matchesWord(byte[] b, int i, int end, String word) {
        if (end - i < word.length()) return false;
        for (int k = 0; k < word.length(); k++) if ((b[i + k] | 0x20) != word.charAt(k)) return false;
        return true;
    }

    static boolean isSpace(byte c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

    private static boolean isDigit(byte c) { return c >= '0' && c <= '9'; }

    private static boolean isHex(byte c) { return isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

    private static boolean isAlnum(byte c) { return isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }
}
