package io.moon.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ElementTableTest {
    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static String s(byte[] e) { return new String(e, StandardCharsets.UTF_8); }

    private static int find(ElementTable t, String k) {
        byte[] kb = b(k);
        return t.find(kb, 0, kb.length);
    }

    private static Set<String> contents(ElementTable t) {
        Set<String> out = new HashSet<>();
        for (int i = t.next(0); i >= 0; i = t.next(i + 1)) out.add(s(t.at(i)));
        return out;
    }

    @Test
    void randomOperationsAgreeWithAJavaSet() {
        Random rnd = new Random(1);
        ElementTable t = new ElementTable(false, 0);
        Set<String> model = new HashSet<>();
        for (int op = 0; op < 200_000; op++) {
            String k = "m" + rnd.nextInt(3000);
            int slot = find(t, k);
            assertThat(slot >= 0).isEqualTo(model.contains(k));
            if (rnd.nextInt(3) == 0) {
                if (slot >= 0) {
                    assertThat(s(t.removeAt(slot))).isEqualTo(k);
                    model.remove(k);
                }
            } else if (slot < 0) {
                t.add(b(k));
                model.add(k);
            }
            assertThat(t.size()).isEqualTo(model.size());
        }
        assertThat(contents(t)).isEqualTo(model);
        // Emptying shrinks the table back to its minimum.
        for (String k : model) t.removeAt(find(t, k));
        assertThat(t.size()).isZero();
        assertThat(t.capacity()).isEqualTo(ElementTable.MIN_CAPACITY);
    }

    @Test
    void pairsAreLookedUpByFieldOnly() {
        ElementTable t = new ElementTable(true, 0);
        byte[] e = {3, 'a', 'b', 'c', 'v', 'a', 'l'};
        t.add(e);
        assertThat(find(t, "abc")).isGreaterThanOrEqualTo(0);
        assertThat(find(t, "abcval")).isEqualTo(-1);
        assertThat(t.keyOffset(e)).isEqualTo(1);
        assertThat(t.keyLength(e)).isEqualTo(3);
    }

    @Test
    void growsAndShrinksWithinItsLoadBounds() {
        ElementTable t = new ElementTable(false, 0);
        for (int i = 0; i < 10_000; i++) {
            t.add(b("k" + i));
            assertThat(t.size() * 4L).isLessThanOrEqualTo(t.capacity() * 3L);
        }
        for (int i = 0; i < 9_990; i++) {
            t.removeAt(find(t, "k" + i));
            assertThat(t.size() * 8L >= t.capacity() || t.capacity() == ElementTable.MIN_CAPACITY).isTrue();
        }
        for (int i = 9_990; i < 10_000; i++) assertThat(find(t, "k" + i)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void memoryCountsEveryElementArray() {
        ElementTable t = new ElementTable(false, 0);
        long empty = t.memoryUsage();
        t.add(new byte[100]);
        long one = t.memoryUsage();
        assertThat(one - empty).isEqualTo(Jvm.arraySize(100));
        byte[] other = new byte[100];
        other[0] = 1;
        t.add(other);
        t.removeAt(find(t, s(new byte[100])));
        assertThat(t.memoryUsage()).isEqualTo(one);
    }

    @Test
    void copiesAreIndependent() {
        ElementTable t = new ElementTable(false, 0);
        for (int i = 0; i < 100; i++) t.add(b("k" + i));
        ElementTable c = t.copy();
        for (int i = 0; i < 50; i++) t.removeAt(find(t, "k" + i));
        c.add(b("new"));
        assertThat(t.size()).isEqualTo(50);
        assertThat(c.size()).isEqualTo(101);
        assertThat(find(c, "k0")).isGreaterThanOrEqualTo(0);
        assertThat(find(t, "new")).isEqualTo(-1);
    }

    /** Redis's SCAN guarantee: what is there for the whole scan comes back, whatever changes between steps. */
    @Test
    void scanReturnsEveryElementPresentThroughoutWhileTheTableGrowsAndShrinks() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 40; round++) {
            ElementTable t = new ElementTable(false, 0);
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                t.add(b("s" + round + ":" + i));
                stable.add("s" + round + ":" + i);
            }
            Set<String> seen = new HashSet<>();
            Set<String> churn = new HashSet<>();
            long cursor = 0;
            int steps = 0;
            do {
                cursor = t.scan(cursor, 1 + rnd.nextInt(30), slot -> seen.add(s(t.at(slot))));
                // Between steps: grow a lot, or remove the churn so the table shrinks.
                if (rnd.nextBoolean()) {
                    for (int i = 0; i < rnd.nextInt(3000); i++) {
                        String k = "c" + rnd.nextInt(1_000_000);
                        if (churn.add(k)) t.add(b(k));
                    }
                } else {
                    for (String k : churn) t.removeAt(find(t, k));
                    churn.clear();
                }
                assertThat(++steps).isLessThan(100_000);
            } while (cursor != 0);
            assertThat(seen).containsAll(stable);
        }
    }

    @Test
    void scanOfAnUnchangedTableReturnsEachElementOnce() {
        ElementTable t = new ElementTable(false, 0);
        for (int i = 0; i < 5000; i++) t.add(b("k" + i));
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        do {
            cursor = t.scan(cursor, 10, slot -> seen.merge(s(t.at(slot)), 1, Integer::sum));
        } while (cursor != 0);
        assertThat(seen).hasSize(5000);
        assertThat(seen.values()).containsOnly(1);
    }

    @Test
    void randomSlotsAreUniform() {
        ElementTable t = new ElementTable(false, 0);
        for (int i = 0; i < 10; i++) t.add(b("k" + i));
        // Leave holes so the table is sparse, as after removals.
        for (int i = 0; i < 40; i++) t.add(b("x" + i));
        for (int i = 0; i < 40; i++) t.removeAt(find(t, "x" + i));
        Map<String, Integer> counts = new HashMap<>();
        Random rnd = new Random(3);
        int draws = 100_000;
        for (int i = 0; i < draws; i++) counts.merge(s(t.at(t.randomSlot(rnd))), 1, Integer::sum);
        assertThat(counts).hasSize(10);
        for (int n : counts.values()) assertThat(n).isBetween(draws / 10 - 1500, draws / 10 + 1500);
    }
}
