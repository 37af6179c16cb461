package io.moon.node.script;

import java.nio.charset.StandardCharsets;

/**
 * C's strtod over a prefix of bytes: decimal numbers with an exponent, hexadecimal ones
 * ("0x1F", "0x1.8p3"), "inf"/"infinity" and "nan", each with an optional sign. {@link #scan}
 * finds where the number ends (the start when there is none), {@link #value} converts it.
 */
final class Strtod {
    private Strtod() {}

    static int scan(byte[] d, int p) {
        int q = p;
        if (q < d.length && (d[q] == '+' || d[q] == '-')) q++;
        if (word(d, q, "infinity")) return q + 8;
        if (word(d, q, "inf") || word(d, q, "nan")) return q + 3;
        if (q + 1 < d.length && d[q] == '0' && (d[q + 1] | 0x20) == 'x') {
            int h = q + 2, digits = 0;
            while (h < d.length && Character.digit(d[h], 16) >= 0) { h++; digits++; }
            if (h < d.length && d[h] == '.') {
                h++;
                while (h < d.length && Character.digit(d[h], 16) >= 0) { h++; digits++; }
            }
            if (digits == 0) return q + 1; // "0" then an x that is not part of the number
            if (h < d.length && (d[h] | 0x20) == 'p') {
                int e = h + 1;
                if (e < d.length && (d[e] == '+' || d[e] == '-')) e++;
                int ed = e;
                while (ed < d.length && d[ed] >= '0' && d[ed] <= '9') ed++;
                if (ed > e) h = ed;
            }
            return h;
        }
        int digits = 0;
        while (q < d.length && d[q] >= '0' && d[q] <= '9') { q++; digits++; }
        if (q < d.length && d[q] == '.') {
            q++;
            while (q < d.length && d[q] >= '0' && d[q] <= '9') { q++; digits++; }
        }
        if (digits == 0) return p;
        if (q < d.length && (d[q] | 0x20) == 'e') {
            int e = q + 1;
            if (e < d.length && (d[e] == '+' || d[e] == '-')) e++;
            int ed = e;
            while (ed < d.length && d[ed] >= '0' && d[ed] <= '9') ed++;
            if (ed > e) q = ed;
        }
        return q;
    }

    private static boolean word(byte[] d, int q, String w) {
        if (q + w.length() > d.length) return false;
        for (int i = 0; i < w.length(); i++) if ((d[q + i] | 0x20) != w.charAt(i)) return false;
        return true;
    }

    static double value(byte[] d, int from, int to) {
        String s = new String(d, from, to - from, StandardCharsets.ISO_8859_1).toLowerCase();
        boolean neg = s.startsWith("-");
        String body = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        double v;
        if (body.startsWith("inf")) v = Double.POSITIVE_INFINITY;
        else if (body.startsWith("nan")) v = Double.NaN;
        else if (body.startsWith("0x")) {
            String hex = body.contains("p") ? body : body + "p0";
            v = Double.parseDouble("0x" + hex.substring(2));
        } else {
            v = Double.parseDouble(body);
        }
        return neg ? -v : v;
    }
}
