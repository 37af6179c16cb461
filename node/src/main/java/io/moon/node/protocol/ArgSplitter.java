package io.moon.node.protocol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line into arguments with Redis's quoting rules (sds.c {@code sdssplitargs}): blanks
 * separate arguments, "double quotes" take the escapes \n \r \t \b \a \xHH and \\ \", 'single
 * quotes' take only \'. A closing quote must be followed by a blank or the end of the line.
 * Serves inline commands and redis.conf-style configuration files.
 */
public final class ArgSplitter {
    private ArgSplitter() {}

    /** Returns the arguments, or {@code null} for unbalanced quotes (Redis's error case). */
    public static List<byte[]> split(byte[] line, int from, int to) {
        List<byte[]> out = new ArrayList<>();
        int p = from;
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        while (true) {
            while (p < to && isSpace(line[p])) p++;
            if (p >= to) return out;
            boolean inq = false, insq = false, done = false;
            cur.reset();
            while (!done) {
                int c = p < to ? line[p] & 0xff : 0;
                if (inq) {
                    if (c == '\\' && p + 3 < to && line[p + 1] == 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
                        cur.write(hex(line[p + 2]) * 16 + hex(line[p + 3]));
                        p += 3;
                    } else if (c == '\\' && p + 1 < to) {
                        p++;
                        int e = line[p] & 0xff;
                        cur.write(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (p + 1 < to && !isSpace(line[p + 1])) return null;
                        done = true;
                    } else if (p >= to) {
                        return null;
                    } else {
                        cur.write(c);
                    }
                } else if (insq) {
                    if (c == '\\' && p + 1 < to && line[p + 1] == '\'') {
                        p++;
                        cur.write('\'');
                    } else if (c == '\'') {
                        if (p + 1 < to && !isSpace(line[p + 1])) return null;
                        done = true;
                    } else if (p >= to) {
                        return null;
                    } else {
                        cur.write(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inq = true;
                        case '\'' -> insq = true;
                        default -> cur.write(c);
                    }
                }
                if (p < to) p++;
            }
            out.add(cur.toByteArray());
        }
    }

    public static List<byte[]> split(byte[] line) {
        return split(line, 0, line.length);
    }

    /** C's isspace in the "C" locale. */
    static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == 0x0c;
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static int hex(byte b) {
        return b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
    }
}
