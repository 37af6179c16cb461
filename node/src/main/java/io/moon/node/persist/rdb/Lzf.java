package io.moon.node.persist.rdb;

import java.util.Arrays;

/**
 * LZF, the compression of RDB strings and compressed quicklist nodes (lzf_c.c, lzf_d.c as Redis
 * builds them: HLOG 16, VERY_FAST). The compressed stream is a series of runs:
 * <pre>
 * 000LLLLL + L+1 bytes          literal run of 1..32 bytes
 * LLLooooo oooooooo             copy L+2 bytes (L = 1..6) from o+1 bytes back
 * 111ooooo LLLLLLLL oooooooo    copy L+9 bytes from o+1 bytes back
 * </pre>
 * The compressor follows Redis's matcher step by step (hash of three bytes, one slot per hash,
 * matches up to 264 bytes within 8 KB, two positions re-hashed after a match). Redis leaves its
 * hash table uninitialised between calls, so its output may in rare cases pick a different but
 * equally valid match; any LZF decoder reads both.
 *
 * <p>An instance keeps its 256 KB hash table for reuse and is not thread-safe; decompression is
 * static.
 */
public final class Lzf {
    private static final int HASH_SIZE = 1 << 16;
    private static final int MAX_LITERAL = 1 << 5;
    private static final int MAX_OFFSET = 1 << 13;
    private static final int MAX_REFERENCE = (1 << 8) + (1 << 3);
    /** A back reference of at most 3 bytes yields at most 264 bytes: the largest expansion. */
    static final int MAX_EXPANSION = MAX_REFERENCE / 3;

    /** Slot values are {@code base + position}; values below {@code base} are from earlier calls. */
    private final int[] table = new int[HASH_SIZE];
    private int base = 1;

    private static int hashIndex(int h) {
        return ((h >>> 8) - h * 5) & (HASH_SIZE - 1);
    }

    /**
     * Compresses {@code len} bytes of {@code in} from {@code off}; returns null when the result
     * would be longer than {@code maxOut} bytes (lzf_compress returning 0).
     */
    public byte[] compress(byte[] in, int off, int len, int maxOut) {
        if (len == 0 || maxOut <= 0) return null;
        if (base > Integer.MAX_VALUE - len - 1) {
            Arrays.fill(table, 0);
            base = 1;
        }
        // Reserve this call's range of slot values up front: a call that gives up early must not
        // leave values the next call would take for its own positions.
        int base = this.base;
        this.base += len + 1;
        byte[] out = new byte[maxOut + 4]; // slack for the unchecked tail bytes of a run header
        int end = off + len;
        int ip = off, op = 0, lit = 0;
        op++; // the header byte of the first literal run
        int hval = len >= 2 ? ((in[ip] & 0xff) << 8) | (in[ip + 1] & 0xff) : 0;
        while (ip < end - 2) {
            hval = (hval << 8) | (in[ip + 2] & 0xff);
            int slot = hashIndex(hval);
            int ref = table[slot] - base + off; // absolute position, or below off when empty or stale
            table[slot] = base + (ip - off);
            int distance = ip - ref - 1;
            if (ref > off && distance >= 0 && distance < MAX_OFFSET && in[ref + 2] == in[ip + 2] && in[ref] == in[ip]
                    && in[ref + 1] == in[ip + 1]) {
                int matched = 2;
                int maxMatch = Math.min(end - ip - matched, MAX_REFERENCE);
                if (op + 4 >= maxOut && op - (lit == 0 ? 1 : 0) + 4 >= maxOut) return null;
                out[op - lit - 1] = (byte) (lit - 1); // close the literal run
                if (lit == 0) op--; // it was empty: drop its header
                scan:
                {
                    if (maxMatch > 16) {
                        for (int k = 0; k < 16; k++) {
                            matched++;
                            if (in[ref + matched] != in[ip + matched]) break scan;
                        }
                    }
                    do {
                        matched++;
                    } while (matched < maxMatch && in[ref + matched] == in[ip + matched]);
                }
                int code = matched - 2;
                ip++;
                if (code < 7) {
                    out[op++] = (byte) ((distance >> 8) + (code << 5));
                } else {
                    out[op++] = (byte) ((distance >> 8) + (7 << 5));
                    out[op++] = (byte) (code - 7);
                }
                out[op++] = (byte) distance;
                lit = 0;
                op++; // header of the next literal run
                ip += code + 1;
                if (ip >= end - 2) break;
                // VERY_FAST: hash the two positions before the new one, as Redis does.
                ip -= 2;
                hval = ((in[ip] & 0xff) << 8) | (in[ip + 1] & 0xff);
                hval = (hval << 8) | (in[ip + 2] & 0xff);
                table[hashIndex(hval)] = base + (ip - off);
                ip++;
                hval = (hval << 8) | (in[ip + 2] & 0xff);
                table[hashIndex(hval)] = base + (ip - off);
                ip++;
            } else {
                if (op >= maxOut) return null;
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LITERAL) {
                    out[op - lit - 1] = (byte) (lit - 1);
                    lit = 0;
                    op++;
                }
            }
        }
        if (op + 3 > maxOut) return null;
        while (ip < end) {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LITERAL) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1);
        if (lit == 0) op--;
        if (op > maxOut) return null;
        return Arrays.copyOf(out, op);
    }

    /**
     * Decompresses {@code len} bytes of {@code in} from {@code off} into exactly
     * {@code originalLength} bytes; anything else (a run past either end, a reference before the
     * start, a different length) is "Invalid LZF compressed string".
     */
    public static byte[] decompress(byte[] in, int off, int len, int originalLength) throws RdbFormatException {
        if (originalLength < 0 || (long) originalLength > (long) len * MAX_EXPANSION) {
            throw invalid();
        }
        byte[] out = new byte[originalLength];
        int ip = off, end = off + len, op = 0;
        while (ip < end) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < MAX_LITERAL) {
                int run = ctrl + 1;
                if (op + run > originalLength || ip + run > end) throw invalid();
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int run = ctrl >> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (ip >= end) throw invalid();
                if (run == 7) {
                    run += in[ip++] & 0xff;
                    if (ip >= end) throw invalid();
                }
                ref -= in[ip++] & 0xff;
                run += 2;
                if (op + run > originalLength || ref < 0) throw invalid();
                // Byte by byte: source and target may overlap (a run repeating its own output).
                for (int k = 0; k < run; k++) out[op++] = out[ref++];
            }
        }
        if (op != originalLength) throw invalid();
        return out;
    }

    private static RdbFormatException invalid() {
        return new RdbFormatException("Invalid LZF compressed string");
    }
}
