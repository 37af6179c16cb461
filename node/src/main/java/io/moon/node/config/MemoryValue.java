package io.moon.node.config;

import java.util.Locale;

/** Redis's memtoull: "100", "1k" (1000), "1kb" (1024), "5mb", "1gb"; case-insensitive. */
public final class MemoryValue {
    private MemoryValue() {}

    /** Bytes, or Long.MIN_VALUE when not a memory value. */
    public static long parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"},
            {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (v.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                v = v.substring(0, v.length() - u[0].length());
                break;
            }
        }
        if (v.isEmpty()) return Long.MIN_VALUE;
        try {
            long n = Long.parseLong(v);
            return Math.multiplyExact(n, mul);
        } catch (NumberFormatException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }
}
