package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Lcs keeps one bit per cell where Redis keeps the whole table of lengths; both must walk back to
 * the same subsequence and ranges. The reference here is Redis's table walk as lcsCommand does it.
 */
class LcsTest {
    @Test
    void sameAnswerAsTheFullTable() {
        Random random = new Random(3);
        for (int round = 0; round < 2000; round++) {
            String alphabet = round % 3 == 0 ? "AB" : round % 3 == 1 ? "ACGT" : "abcdefghij";
            byte[] a = randomString(random, alphabet, random.nextInt(30));
            byte[] b = randomString(random, alphabet, random.nextInt(30));
            int min = random.nextInt(4);
            Lcs lcs = Lcs.of(a, 0, a.length, b, 0, b.length, min);
            Reference ref = new Reference(a, b, min);
            assertThat(lcs.sequence).isEqualTo(ref.sequence);
            assertThat(lcs.matches).isEqualTo(ref.matches);
            assertThat(Lcs.lengthOf(a, 0, a.length, b, 0, b.length).length).isEqualTo(ref.sequence.length);
        }
    }

    @Test
    void readsValuesInsideLargerArrays() {
        byte[] a = "xxohmytext".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "mynewtextyyy".getBytes(StandardCharsets.US_ASCII);
        Lcs lcs = Lcs.of(a, 2, 8, b, 0, 9, 0);
        assertThat(new String(lcs.sequence, StandardCharsets.US_ASCII)).isEqualTo("mytext");
        assertThat(lcs.matches).containsExactly(new Lcs.Match(4, 7, 5, 8), new Lcs.Match(2, 3, 0, 1));
        assertThat(Lcs.of(a, 0, 0, b, 0, 9, 0).matches).isEmpty();
    }

    private static byte[] randomString(Random random, String alphabet, int n) {
        byte[] s = new byte[n];
        for (int i = 0; i < n; i++) s[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
        return s;
    }

    /** Redis's lcsCommand over a full table of lengths. */
    private static final class Reference {
        final byte[] sequence;
        final List<Lcs.Match> matches = new ArrayList<>();

        Reference(byte[] a, byte[] b, int minMatchLen) {
            int[][] t = new int[a.length + 1][b.length + 1];
            for (int i = 1; i <= a.length; i++) {
                for (int j = 1; j <= b.length; j++) {
                    t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
                }
            }
            int idx = t[a.length][b.length];
            sequence = new byte[idx];
            int i = a.length, j = b.length;
            int as = a.length, ae = 0, bs = 0, be = 0;
            while (i > 0 && j > 0) {
                boolean emit = false;
                if (a[i - 1] == b[j - 1]) {
                    sequence[idx - 1] = a[i - 1];
                    if (as == a.length) {
                        as = ae = i - 1;
                        bs = be = j - 1;
                    } else if (as == i && bs == j) {
                        as--;
                        bs--;
                    } else {
                        emit = true;
                    }
                    if (as == 0 || bs == 0) emit = true;
                    idx--;
                    i--;
                    j--;
                } else {
                    if (t[i - 1][j] > t[i][j - 1]) i--;
                    else j--;
                    if (as != a.length) emit = true;
                }
                if (emit) {
                    if (minMatchLen == 0 || ae - as + 1 >= minMatchLen) matches.add(new Lcs.Match(as, ae, bs, be));
                    as = a.length;
                }
            }
        }
    }
}
