package io.moon.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ScoreTreeTest {
    private static byte[] el(double score, String member) {
        byte[] m = member.getBytes(StandardCharsets.UTF_8);
        return ScoredElement.of(score, m, 0, m.length);
    }

    private static String member(byte[] e) {
        return new String(e, ScoredElement.MEMBER_OFFSET, ScoredElement.memberLength(e), StandardCharsets.UTF_8);
    }

    private static byte[] removeKey(ScoreTree t, byte[] e) {
        return t.remove(ScoredElement.score(e), e, ScoredElement.MEMBER_OFFSET, ScoredElement.memberLength(e));
    }

    private static long rankOf(ScoreTree t, byte[] e) {
        return t.rank(ScoredElement.score(e), e, ScoredElement.MEMBER_OFFSET, ScoredElement.memberLength(e));
    }

    private static List<byte[]> walkAll(ScoreTree t, boolean reverse) {
        List<byte[]> out = new ArrayList<>();
        t.walk(reverse ? t.size() - 1 : 0, t.size(), reverse, e -> out.add(e));
        return out;
    }

    @Test
    void ordersByScoreThenMemberBytesUnsigned() {
        ScoreTree t = new ScoreTree();
        t.insert(el(2, "a"));
        t.insert(el(1, "b"));
        t.insert(el(1, "a"));
        byte[] high = ScoredElement.of(1, new byte[] {(byte) 0xff}, 0, 1);
        t.insert(high);
        t.insert(el(-0.0, "z"));
        t.insert(el(0.0, "y"));
        List<String> order = walkAll(t, false).stream().map(ScoreTreeTest::member).toList();
        // 0 and -0 tie on score, so the member decides, as C's == does in Redis.
        assertThat(order).containsExactly("y", "z", "a", "b", "\ufffd", "a");
        assertThat(rankOf(t, high)).isEqualTo(4);
        assertThat(walkAll(t, true).stream().map(ScoreTreeTest::member).toList())
                .containsExactly("a", "\ufffd", "b", "a", "z", "y");
        t.check();
    }

    @Test
    void randomOperationsMatchASortedModel() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 4; round++) {
            ScoreTree t = new ScoreTree();
            TreeSet<byte[]> model = new TreeSet<>(ScoredElement::compare);
            int universe = 50 + round * 3000;
            for (int op = 0; op < 40_000; op++) {
                int which = rnd.nextInt(10);
                byte[] e = el(rnd.nextInt(universe / 4 + 1), "m" + rnd.nextInt(universe));
                if (which < 6) {
                    if (model.add(e)) t.insert(e);
                } else if (which < 9) {
                    byte[] removed = removeKey(t, e);
                    assertThat(removed != null).isEqualTo(model.remove(e));
                } else if (t.size() > 0) {
                    long r = rnd.nextLong(t.size());
                    byte[] gone = t.removeAt(r);
                    assertThat(model.remove(gone)).isTrue();
                }
                if (op % 997 == 0) {
                    t.check();
                    assertThat(t.size()).isEqualTo(model.size());
                    List<byte[]> sorted = new ArrayList<>(model);
                    assertThat(walkAll(t, false)).containsExactlyElementsOf(sorted);
                    for (int k = 0; k < 20 && !sorted.isEmpty(); k++) {
                        int r = rnd.nextInt(sorted.size());
                        assertThat(t.at(r)).isSameAs(sorted.get(r));
                        assertThat(rankOf(t, sorted.get(r))).isEqualTo(r);
                        double bound = rnd.nextInt(universe / 4 + 1);
                        long expected = sorted.stream().filter(x -> ScoredElement.score(x) < bound).count();
                        assertThat(t.countBefore(x -> ScoredElement.score(x) < bound)).isEqualTo(expected);
                    }
                }
            }
            t.check();
            // Drain: the tree must shrink back to nothing in good shape.
            while (t.size() > 0) {
                byte[] gone = t.removeAt(rnd.nextLong(t.size()));
                assertThat(model.remove(gone)).isTrue();
                if (t.size() % 500 == 0) t.check();
            }
            assertThat(model).isEmpty();
            assertThat(t.first()).isNull();
        }
    }

    @Test
    void risingScoresFillLeavesAndCountMemory() {
        ScoreTree t = new ScoreTree();
        long empty = t.memory();
        for (int i = 0; i < 100_000; i++) t.insert(el(i, "m"));
        t.check();
        // Appends split unevenly: about one reference (4 bytes) per element, plus leaf headers.
        long perElement = (t.memory() - empty) / t.size();
        assertThat(perElement).isBetween(4L, 6L);
        assertThat(member(t.first())).isEqualTo("m");
        assertThat(ScoredElement.score(t.last())).isEqualTo(99_999.0);
        for (int i = 0; i < 100_000; i++) t.removeAt(0);
        t.check();
        assertThat(t.memory()).isEqualTo(empty);
    }

    @Test
    void walkStopsWhenTheSinkSaysSo() {
        ScoreTree t = new ScoreTree();
        for (int i = 0; i < 1000; i++) t.insert(el(i, "x"));
        List<Double> seen = new ArrayList<>();
        t.walk(500, 1000, false, e -> {
            seen.add(ScoredElement.score(e));
            return seen.size() < 3;
        });
        assertThat(seen).containsExactly(500.0, 501.0, 502.0);
        seen.clear();
        t.walk(2, 10, true, e -> seen.add(ScoredElement.score(e)));
        assertThat(seen).containsExactly(2.0, 1.0, 0.0);
        seen.clear();
        t.walk(1000, 5, false, e -> seen.add(ScoredElement.score(e)));
        assertThat(seen).isEmpty();
    }
}
