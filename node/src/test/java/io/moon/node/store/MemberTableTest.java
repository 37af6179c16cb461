package io.moon.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MemberTableTest {
    private static byte[] el(String member, double score) {
        byte[] m = member.getBytes(StandardCharsets.UTF_8);
        return ScoredElement.of(score, m, 0, m.length);
    }

    private static String member(byte[] e) {
        return new String(e, ScoredElement.MEMBER_OFFSET, ScoredElement.memberLength(e), StandardCharsets.UTF_8);
    }

    private static byte[] get(MemberTable t, String member) {
        byte[] m = member.getBytes(StandardCharsets.UTF_8);
        return t.get(m, 0, m.length);
    }

    private static byte[] remove(MemberTable t, String member) {
        byte[] m = member.getBytes(StandardCharsets.UTF_8);
        return t.remove(m, 0, m.length);
    }

    @Test
    void randomOperationsMatchAHashMap() {
        SplittableRandom rnd = new SplittableRandom(3);
        MemberTable t = new MemberTable();
        Map<String, Double> model = new HashMap<>();
        for (int op = 0; op < 200_000; op++) {
            String m = "k" + rnd.nextInt(op < 100_000 ? 20_000 : 2_000);
            if (rnd.nextInt(3) > 0 && op < 150_000) {
                if (!model.containsKey(m)) {
                    double s = rnd.nextDouble();
                    model.put(m, s);
                    t.add(el(m, s));
                }
            } else {
                byte[] e = remove(t, m);
                Double s = model.remove(m);
                assertThat(e == null).isEqualTo(s == null);
                if (e != null) assertThat(ScoredElement.score(e)).isEqualTo(s);
            }
            if (op % 10_007 == 0) {
                assertThat(t.size()).isEqualTo(model.size());
                for (var x : model.entrySet()) assertThat(ScoredElement.score(get(t, x.getKey()))).isEqualTo(x.getValue());
            }
        }
        assertThat(get(t, "absent")).isNull();
        // Shrinks as it empties.
        long big = t.memory();
        for (String m : new HashSet<>(model.keySet())) remove(t, m);
        assertThat(t.size()).isZero();
        assertThat(t.memory()).isLessThan(big);
    }

    @Test
    void scanReturnsEveryStableMemberDespiteResizes() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int round = 0; round < 20; round++) {
            MemberTable t = new MemberTable();
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                stable.add("s" + i);
                t.add(el("s" + i, i));
            }
            Set<String> seen = new HashSet<>();
            int transientCount = 0;
            long cursor = 0;
            int steps = 0;
            do {
                cursor = t.scan(cursor, 10, e -> seen.add(member(e)));
                // Between steps: grow hard or shrink hard, so homes move under the cursor.
                if (rnd.nextBoolean()) {
                    for (int i = 0; i < 300; i++) t.add(el("t" + round + "-" + transientCount++, 0));
                } else {
                    for (int i = 0; i < transientCount; i++) remove(t, "t" + round + "-" + i);
                }
                steps++;
            } while (cursor != 0 && steps < 100_000);
            assertThat(cursor).isZero();
            assertThat(seen).containsAll(stable);
        }
    }

    @Test
    void scanOfAFullTableInOneStepSeesEverythingOnce() {
        MemberTable t = new MemberTable();
        for (int i = 0; i < 1000; i++) t.add(el("m" + i, i));
        Map<String, Integer> seen = new HashMap<>();
        long cursor = t.scan(0, 1_000_000, e -> seen.merge(member(e), 1, Integer::sum));
        assertThat(cursor).isZero();
        assertThat(seen).hasSize(1000);
        assertThat(seen.values()).containsOnly(1);
    }
}
