package io.moon.node.util;

import java.nio.charset.StandardCharsets;

/**
 * Glob-style matching exactly as Redis's util.c {@code stringmatchlen}: *, ?, [abc], [^a-z] and
 * backslash escapes, with the "skip longer matches" cut that keeps patterns like a*a*a*b linear
 * enough. Serves KEYS, SCAN MATCH, CONFIG GET and pub/sub patterns.
 */
public final class Glob {
    private Glob() {}

    public static boolean matches(String pattern, String s, boolean nocase) {
        byte[] p = pattern.getBytes(StandardCharsets.UTF_8);
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return matches(p, 0, p.length, b, 0, b.length, nocase);
    }

    public static boolean matches(byte[] pat, int poff, int plen, byte[] str, int soff, int slen, boolean nocase) {
        // Fast path, as Redis's KEYS: "*" matches everything.
        if (plen == 1 && pat[poff] == '*') return true;
        boolean[] skipLonger = {false};
        return match(pat, poff, plen, str, soff, slen, nocase, skipLonger);
    }

    private static int at(byte[] a, int i, int end) { return i < end ? a[i] & 0xff : 0; }

    private static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

    private static boolean match(byte[] pat, int p, int plen, byte[] str, int s, int slen, boolean nocase,
                                 boolean[] skipLonger) {
        int pend = p + plen;
        while (plen > 0 && slen > 0) {
            int pc = pat[p] & 0xff;
            switch (pc) {
                case '*' -> {
                    while (plen > 0 && at(pat, p + 1, pend) == '*') {
                        p++;
                        plen--;
                    }
                    if (plen == 1) return true;
                    while (slen > 0) {
                        if (match(pat, p + 1, plen - 1, str, s, slen, nocase, skipLonger)) return true;
                        if (skipLonger[0]) return false;
                        s++;
                        slen--;
                    }
                    skipLonger[0] = true;
                    return false;
                }
                case '?' -> {
                    s++;
                    slen--;
                }
                case '[' -> {
                    p++;
                    plen--;
                    boolean not = at(pat, p, pend) == '^';
                    if (not) {
                        p++;
                        plen--;
                    }
                    boolean m = false;
                    int sc = str[s] & 0xff;
                    while (true) {
                        int c0 = at(pat, p, pend);
                        if (c0 == '\\' && plen >= 2) {
                            p++;
                            plen--;
                            if (at(pat, p, pend) == sc) m = true;
                        } else if (c0 == ']') {
                            break;
                        } else if (plen == 0) {
                            p--;
                            plen++;
                            break;
                        } else if (plen >= 3 && at(pat, p + 1, pend) == '-') {
                            int start = c0, end = at(pat, p + 2, pend), c = sc;
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = lower(start);
                                end = lower(end);
                                c = lower(c);
                            }
                            p += 2;
                            plen -= 2;
                            if (c >= start && c <= end) m = true;
                        } else if (!nocase ? c0 == sc : lower(c0) == lower(sc)) {
                            m = true;
                        }
                        p++;
                        plen--;
                    }
                    if (not) m = !m;
                    if (!m) return false;
                    s++;
                    slen--;
                }
                default -> {
                    if (pc == '\\' && plen >= 2) {
                        p++;
                        plen--;
                        pc = pat[p] & 0xff;
                    }
                    int sc = str[s] & 0xff;
                    if (!nocase ? pc != sc : lower(pc) != lower(sc)) return false;
                    s++;
                    slen--;
                }
            }
            p++;
            plen--;
            if (slen == 0) {
                while (plen > 0 && at(pat, p, pend) == '*') {
                    p++;
                    plen--;
                }
                break;
            }
        }
        return plen == 0 && slen == 0;
    }
}
