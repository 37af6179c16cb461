package io.moon.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SortedSetValueTest {
    private static final SortedSetValue.Limits DEFAULTS = new SortedSetValue.Limits(128, 64);
    private static final SortedSetValue.Limits SMALL = new SortedSetValue.Limits(16, 8);
    private static final SortedSetValue.Limits NEVER_COMPACT = new SortedSetValue.Limits(0, 0);

    record El(String member, double score) {}

    private static final Comparator<El> ORDER = (a, b) -> {
        if (a.score < b.score) return -1;
        if (a.score > b.score) return 1;
        return Arrays.compareUnsigned(bytes(a.member), bytes(b.member));
    };

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static int add(SortedSetValue z, double score, String m, int flags, SortedSetValue.Limits l) {
        byte[] b = bytes(m);
        return z.add(score, b, 0, b.length, flags, l);
    }

    private static int add(SortedSetValue z, double score, String m) { return add(z, score, m, 0, DEFAULTS); }

    private static double score(SortedSetValue z, String m) {
        byte[] b = bytes(m);
        return z.score(b, 0, b.length);
    }

    private static boolean remove(SortedSetValue z, String m) {
        byte[] b = bytes(m);
        return z.remove(b, 0, b.length);
    }

    private static long rank(SortedSetValue z, String m, boolean reverse) {
        byte[] b = bytes(m);
        return z.rank(b, 0, b.length, reverse);
    }

    private static List<El> all(SortedSetValue z) {
        List<El> out = new ArrayList<>();
        z.forEach((b, off, len, s) -> out.add(new El(new String(b, off, len, StandardCharsets.UTF_8), s)));
        return out;
    }

    private static SortedSetValue.Visitor into(List<El> out) {
        return (b, off, len, s) -> out.add(new El(new String(b, off, len, StandardCharsets.UTF_8), s));
    }

    @Test
    void addFlagsFollowRedisZsetAdd() {
        for (SortedSetValue z : List.of(SortedSetValue.compact(), SortedSetValue.large())) {
            assertThat(add(z, 1, "a")).isEqualTo(SortedSetValue.ADDED);
            assertThat(add(z, 1, "a")).isZero(); // same score: neither added nor updated
            assertThat(add(z, 2, "a")).isEqualTo(SortedSetValue.UPDATED);
            assertThat(add(z, 5, "a", SortedSetValue.NX, DEFAULTS)).isEqualTo(SortedSetValue.NOP);
            assertThat(add(z, 5, "b", SortedSetValue.XX, DEFAULTS)).isEqualTo(SortedSetValue.NOP);
            assertThat(add(z, 1, "a", SortedSetValue.GT, DEFAULTS)).isEqualTo(SortedSetValue.NOP);
            assertThat(add(z, 3, "a", SortedSetValue.LT, DEFAULTS)).isEqualTo(SortedSetValue.NOP);
            assertThat(add(z, 3, "a", SortedSetValue.GT, DEFAULTS)).isEqualTo(SortedSetValue.UPDATED);
            assertThat(add(z, 10, "a", SortedSetValue.INCR, DEFAULTS)).isEqualTo(SortedSetValue.UPDATED);
            assertThat(score(z, "a")).isEqualTo(13);
            assertThat(add(z, Double.NaN, "a")).isEqualTo(SortedSetValue.NAN);
            assertThat(add(z, Double.POSITIVE_INFINITY, "a")).isEqualTo(SortedSetValue.UPDATED);
            assertThat(add(z, Double.NEGATIVE_INFINITY, "a", SortedSetValue.INCR, DEFAULTS)).isEqualTo(SortedSetValue.NAN);
            assertThat(score(z, "a")).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(score(z, "missing")).isNaN();
            assertThat(z.size()).isEqualTo(1);
        }
    }

    @Test
    void listpackKeepsMinusZeroAsZeroLikeRedisButTheLargeEncodingKeepsIt() {
        SortedSetValue small = SortedSetValue.compact(), big = SortedSetValue.large();
        add(small, -0.0, "z");
        add(big, -0.0, "z");
        assertThat(Double.doubleToRawLongBits(score(small, "z"))).isEqualTo(Double.doubleToRawLongBits(0.0));
        assertThat(Double.doubleToRawLongBits(score(big, "z"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void listpackStoresScoresOfEveryWidthExactly() {
        SortedSetValue z = SortedSetValue.compact();
        double[] scores = {0, 1, -1, 127, -128, 128, -129, 32767, -32768, 32768, 2147483647, -2147483648.0,
            2147483648.0, 1.5, -0.1, 1e300, Double.MIN_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < scores.length; i++) add(z, scores[i], "m" + i, 0, new SortedSetValue.Limits(1000, 64));
        assertThat(z.encodingName()).isEqualTo("listpack");
        for (int i = 0; i < scores.length; i++) assertThat(score(z, "m" + i)).isEqualTo(scores[i]);
        List<Double> order = all(z).stream().map(El::score).toList();
        assertThat(order).isSortedAccordingTo(Double::compare);
        // A long member needs a multi-byte length.
        String longMember = "x".repeat(300);
        add(z, 7, longMember, 0, new SortedSetValue.Limits(1000, 1000));
        assertThat(score(z, longMember)).isEqualTo(7);
    }

    @Test
    void convertsToLargeWhenEntriesOrMemberLengthExceedTheLimitsAndBackOnCompact() {
        SortedSetValue z = SortedSetValue.forFirstMember(SMALL, 1);
        assertThat(z.encodingName()).isEqualTo("listpack");
        for (int i = 0; i < 16; i++) add(z, i, "m" + i, 0, SMALL);
        assertThat(z.encodingName()).isEqualTo("listpack");
        add(z, 16, "m16", 0, SMALL);
        assertThat(z.encodingName()).isEqualTo("skiplist");
        assertThat(all(z)).hasSize(17);
        remove(z, "m16");
        assertThat(z.encodingName()).as("no conversion back on removal").isEqualTo("skiplist");
        z.compactIfSmall(SMALL);
        assertThat(z.encodingName()).isEqualTo("listpack");
        assertThat(all(z)).hasSize(16);
        assertThat(score(z, "m15")).isEqualTo(15);

        SortedSetValue y = SortedSetValue.forFirstMember(SMALL, 1);
        add(y, 1, "short", 0, SMALL);
        add(y, 2, "muchlongerthan8", 0, SMALL);
        assertThat(y.encodingName()).isEqualTo("skiplist");
        y.compactIfSmall(SMALL);
        assertThat(y.encodingName()).as("a long member keeps it large").isEqualTo("skiplist");

        assertThat(SortedSetValue.forFirstMember(SMALL, 9).encodingName()).isEqualTo("skiplist");
        assertThat(SortedSetValue.forFirstMember(NEVER_COMPACT, 1).encodingName()).isEqualTo("skiplist");
        assertThat(SortedSetValue.forSize(SMALL, 17).encodingName()).isEqualTo("skiplist");
        assertThat(SortedSetValue.forSize(SMALL, -1).encodingName()).isEqualTo("listpack");
    }

    @Test
    void randomOperationsMatchAModelInEveryEncoding() {
        for (SortedSetValue.Limits limits : List.of(DEFAULTS, SMALL, NEVER_COMPACT)) {
            SplittableRandom rnd = new SplittableRandom(limits.maxListpackEntries() + 5);
            for (int round = 0; round < 30; round++) {
                SortedSetValue z = SortedSetValue.forFirstMember(limits, 1);
                Map<String, Double> model = new HashMap<>();
                int universe = 5 + rnd.nextInt(300);
                for (int op = 0; op < 400; op++) {
                    String m = "m" + rnd.nextInt(universe);
                    double s = rnd.nextInt(8) == 0 ? rnd.nextDouble() * 100 : rnd.nextInt(20) - 10;
                    switch (rnd.nextInt(6)) {
                        case 0, 1, 2 -> {
                            int r = add(z, s, m, 0, limits);
                            Double old = model.put(m, s);
                            int expected = old == null ? SortedSetValue.ADDED : old == s ? 0 : SortedSetValue.UPDATED;
                            assertThat(r).isEqualTo(expected);
                        }
                        case 3 -> {
                            add(z, s, m, SortedSetValue.INCR, limits);
                            model.merge(m, s, Double::sum);
                        }
                        case 4 -> assertThat(remove(z, m)).isEqualTo(model.remove(m) != null);
                        default -> {
                            if (model.isEmpty()) break;
                            List<El> sorted = sorted(model);
                            long a = rnd.nextInt(sorted.size()), b = rnd.nextInt(sorted.size());
                            long from = Math.min(a, b), to = Math.max(a, b);
                            assertThat(z.removeRange(from, to)).isEqualTo(to - from + 1);
                            for (long i = from; i <= to; i++) model.remove(sorted.get((int) i).member);
                        }
                    }
                    if (op % 25 == 0) compare(z, model, rnd);
                }
                compare(z, model, rnd);
                SortedSetValue copy = z.copy();
                assertThat(copy.encodingName()).isEqualTo(z.encodingName());
                add(copy, 1000, "only-in-copy", 0, limits);
                assertThat(score(z, "only-in-copy")).isNaN();
                assertThat(all(copy)).hasSize(z.size() + 1);
            }
        }
    }

    private static List<El> sorted(Map<String, Double> model) {
        List<El> l = new ArrayList<>();
        model.forEach((m, s) -> l.add(new El(m, s)));
        l.sort(ORDER);
        return l;
    }

    private static void compare(SortedSetValue z, Map<String, Double> model, SplittableRandom rnd) {
        List<El> sorted = sorted(model);
        assertThat(z.size()).isEqualTo(sorted.size());
        assertThat(all(z)).containsExactlyElementsOf(sorted);
        for (int i = 0; i < sorted.size(); i++) {
            assertThat(rank(z, sorted.get(i).member, false)).isEqualTo(i);
            assertThat(rank(z, sorted.get(i).member, true)).isEqualTo(sorted.size() - 1 - i);
            assertThat(score(z, sorted.get(i).member)).isEqualTo(sorted.get(i).score);
        }
        assertThat(rank(z, "absent", false)).isEqualTo(-1);
        if (sorted.isEmpty()) return;
        // Ranges by rank, both directions.
        int a = rnd.nextInt(sorted.size()), b = rnd.nextInt(sorted.size());
        int from = Math.min(a, b), to = Math.max(a, b);
        List<El> got = new ArrayList<>();
        z.range(from, to, false, into(got));
        assertThat(got).containsExactlyElementsOf(sorted.subList(from, to + 1));
        got.clear();
        z.range(from, to, true, into(got));
        List<El> rev = new ArrayList<>(sorted);
        java.util.Collections.reverse(rev);
        assertThat(got).containsExactlyElementsOf(rev.subList(from, to + 1));
        // Score ranges with random ends, exclusivity, offset and limit.
        for (int k = 0; k < 5; k++) {
            double lo = rnd.nextInt(24) - 12, hi = rnd.nextInt(24) - 12;
            ScoreRange r = new ScoreRange(lo, rnd.nextBoolean(), hi, rnd.nextBoolean());
            List<El> in = sorted.stream().filter(e -> r.contains(e.score)).toList();
            assertThat(z.count(r)).isEqualTo(in.size());
            long offset = rnd.nextInt(4) - 1, limit = rnd.nextInt(5) - 1;
            for (boolean reverse : new boolean[] {false, true}) {
                List<El> expected = new ArrayList<>(in);
                if (reverse) java.util.Collections.reverse(expected);
                expected = offset < 0 ? List.of()
                        : expected.subList((int) Math.min(offset, expected.size()), expected.size());
                if (limit >= 0) expected = expected.subList(0, (int) Math.min(limit, expected.size()));
                got.clear();
                long n = z.rangeByScore(r, reverse, offset, limit, into(got));
                assertThat(got).as("%s reverse=%s offset=%d limit=%d", r, reverse, offset, limit)
                        .containsExactlyElementsOf(expected);
                assertThat(n).isEqualTo(expected.size());
            }
        }
    }

    @Test
    void lexRangesOverMembersOfEqualScore() {
        for (SortedSetValue.Limits limits : List.of(DEFAULTS, NEVER_COMPACT)) {
            SortedSetValue z = SortedSetValue.forFirstMember(limits, 1);
            List<String> members = List.of("a", "b", "c", "d", "e", "ff", "g", "\u00e9");
            for (String m : members) add(z, 0, m, 0, limits);
            assertThat(lex(z, LexRange.MIN, false, LexRange.MAX, false, false)).containsExactlyElementsOf(
                    members.stream().sorted((x, y) -> Arrays.compareUnsigned(bytes(x), bytes(y))).toList());
            assertThat(lex(z, bytes("b"), false, bytes("d"), false, false)).containsExactly("b", "c", "d");
            assertThat(lex(z, bytes("b"), true, bytes("d"), true, false)).containsExactly("c");
            assertThat(lex(z, bytes("b"), true, bytes("d"), true, true)).containsExactly("c");
            assertThat(lex(z, bytes("e"), false, LexRange.MAX, false, true)).containsExactly("\u00e9", "g", "ff", "e");
            assertThat(lex(z, LexRange.MAX, false, LexRange.MIN, false, false)).isEmpty();
            assertThat(lex(z, LexRange.MIN, true, LexRange.MIN, true, false)).isEmpty();
            assertThat(z.lexCount(new LexRange(bytes("b"), false, bytes("f"), false))).isEqualTo(4);
            assertThat(z.lexCount(new LexRange(bytes("f"), false, bytes("b"), false))).isZero();
            List<String> got = new ArrayList<>();
            z.rangeByLex(new LexRange(LexRange.MIN, false, LexRange.MAX, false), false, 2, 3,
                    (b, off, len, s) -> got.add(new String(b, off, len, StandardCharsets.UTF_8)));
            assertThat(got).containsExactly("c", "d", "e");
            assertThat(z.removeByLex(new LexRange(bytes("b"), false, bytes("e"), true))).isEqualTo(3);
            assertThat(lex(z, LexRange.MIN, false, LexRange.MAX, false, false)).containsExactly("a", "e", "ff", "g", "\u00e9");
        }
    }

    private static List<String> lex(SortedSetValue z, byte[] min, boolean minEx, byte[] max, boolean maxEx, boolean rev) {
        List<String> out = new ArrayList<>();
        z.rangeByLex(new LexRange(min, minEx, max, maxEx), rev, 0, -1,
                (b, off, len, s) -> out.add(new String(b, off, len, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void popsAndRemovesByScore() {
        for (SortedSetValue.Limits limits : List.of(DEFAULTS, NEVER_COMPACT)) {
            SortedSetValue z = SortedSetValue.forFirstMember(limits, 1);
            for (int i = 0; i < 10; i++) add(z, i, "m" + i, 0, limits);
            List<El> got = new ArrayList<>();
            assertThat(z.pop(false, 2, into(got))).isEqualTo(2);
            assertThat(z.pop(true, 1, into(got))).isEqualTo(1);
            assertThat(got).containsExactly(new El("m0", 0), new El("m1", 1), new El("m9", 9));
            assertThat(z.removeByScore(new ScoreRange(3, true, 6, false))).isEqualTo(3);
            assertThat(all(z).stream().map(El::member).toList()).containsExactly("m2", "m3", "m7", "m8");
            assertThat(z.removeByScore(new ScoreRange(5, false, 4, false))).isZero();
            assertThat(z.pop(false, 100, (b, off, len, s) -> {})).isEqualTo(4);
            assertThat(z.isEmpty()).isTrue();
        }
    }

    @Test
    void scanOfTheLargeEncodingVisitsEveryMemberAndListpackAnswersAtOnce() {
        SortedSetValue small = SortedSetValue.compact();
        add(small, 1e18, "big");
        add(small, 1.5, "half");
        List<byte[]> out = new ArrayList<>();
        assertThat(small.scan(0, 1, out)).isZero();
        assertThat(out.stream().map(b -> new String(b, StandardCharsets.US_ASCII)).toList())
                .containsExactly("half", "1.5", "big", "1000000000000000000");

        SortedSetValue z = SortedSetValue.large();
        Set<String> members = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            add(z, i, "m" + i);
            members.add("m" + i);
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        do {
            out.clear();
            cursor = z.scan(cursor, 10, out);
            for (int i = 0; i < out.size(); i += 2) {
                String m = new String(out.get(i), StandardCharsets.US_ASCII);
                seen.add(m);
                assertThat(new String(out.get(i + 1), StandardCharsets.US_ASCII)).isEqualTo(m.substring(1));
            }
        } while (cursor != 0);
        assertThat(seen).isEqualTo(members);
    }

    @Test
    void memoryUsageFollowsTheContentAndStaysSmallPerElement() {
        SortedSetValue small = SortedSetValue.compact();
        long empty = small.memoryUsage();
        for (int i = 0; i < 100; i++) add(small, i, "member:" + (1000 + i));
        // 11-byte members with small integer scores: 14 bytes each in the listpack.
        assertThat((small.memoryUsage() - empty) / 100).isBetween(13L, 16L);

        SortedSetValue big = SortedSetValue.large();
        for (int i = 0; i < 100_000; i++) add(big, i, "member:" + (1000 + i), 0, NEVER_COMPACT);
        long perElement = big.memoryUsage() / 100_000;
        // Element array (header + 8 + 12, aligned) + tree reference + table slot: about 50, Redis ~110.
        assertThat(perElement).isBetween(30L, 60L);
        for (int i = 0; i < 100_000; i++) remove(big, "member:" + (1000 + i));
        assertThat(big.memoryUsage()).isLessThan(400);
    }

    @Test
    void scoreWalksStopAtTheRangeEndOrWhenTheWalkerSaysSo() {
        for (SortedSetValue.Limits l : List.of(DEFAULTS, NEVER_COMPACT)) {
            SortedSetValue z = SortedSetValue.forFirstMember(l, 1);
            for (int i = 0; i < 100; i++) add(z, i, "m" + i, 0, l);
            List<Double> seen = new ArrayList<>();
            z.walkScores(new ScoreRange(10, false, 20, true), (b, off, len, s) -> {
                seen.add(s);
                return true;
            });
            assertThat(seen).containsExactly(10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0);
            seen.clear();
            z.walkScores(new ScoreRange(10, false, 20, true), (b, off, len, s) -> {
                seen.add(s);
                return seen.size() < 3;
            });
            assertThat(seen).containsExactly(10.0, 11.0, 12.0);
            seen.clear();
            z.walkScores(new ScoreRange(100, false, 200, true), (b, off, len, s) -> seen.add(s));
            z.walkScores(new ScoreRange(5, true, 5, false), (b, off, len, s) -> seen.add(s));
            assertThat(seen).isEmpty();
        }
    }
}
