package io.moon.node.script;

import io.moon.node.protocol.Doubles;

/** C's printf("%.<precision>g") for doubles, as glibc prints it (inf, -inf, nan, -nan). */
final class CFormat {
    private CFormat() {}

    static String g(double d, int precision) {
        if (Double.isNaN(d)) return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        return Doubles.formatG(d, Math.max(1, precision));
    }
}
