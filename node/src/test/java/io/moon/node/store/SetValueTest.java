package io.moon.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SetValueTest {
    private static final long MAX_INTS = 512;

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static boolean add(SetValue s, String m) { return add(s, m, MAX_INTS); }

    private static boolean add(SetValue s, String m, long max) {
        byte[] mb = b(m);
        return s.add(mb, 0, mb.length, max);
    }

    private static boolean remove(SetValue s, String m) {
        byte[] mb = b(m);
        return s.remove(mb, 0, mb.length);
    }

    private static List<String> members(SetValue s) {
        List<String> out = new ArrayList<>();
        for (int h = s.first(); h >= 0; h = s.next(h)) out.add(new String(s.member(h), StandardCharsets.UTF_8));
        return out;
    }

    @Test
    void integersStayAnIntsetInAscendingOrder() {
        SetValue s = new SetValue();
        for (String m : new String[] {"5", "-3", "100000", "0", "-9223372036854775808", "9223372036854775807", "5"}) {
            add(s, m);
        }
        assertThat(s.encodingName()).isEqualTo("intset");
        assertThat(members(s)).containsExactly("-9223372036854775808", "-3", "0", "5", "100000", "9223372036854775807");
        assertThat(s.contains(b("100000"))).isTrue();
        assertThat(s.contains(b("abc"))).isFalse();
    }

    @Test
    void nonCanonicalIntegersAreStrings() {
        for (String m : new String[] {"01", "-0", "+1", " 1", "1 ", "9223372036854775808", "-9223372036854775809", "", "-"}) {
            SetValue s = new SetValue();
            add(s, m);
            assertThat(s.encodingName()).as(m).isEqualTo("hashtable");
            assertThat(members(s)).containsExactly(m);
        }
    }

    @Test
    void convertsToATableOnAStringOrPastTheIntsetLimitAndNeverBack() {
        SetValue s = new SetValue();
        for (int i = 0; i < 512; i++) add(s, Integer.toString(i));
        assertThat(s.encodingName()).isEqualTo("intset");
        add(s, "512");
        assertThat(s.encodingName()).isEqualTo("hashtable");
        for (int i = 0; i < 500; i++) remove(s, Integer.toString(i));
        assertThat(s.encodingName()).isEqualTo("hashtable");
        assertThat(new TreeSet<>(members(s))).hasSize(13).contains("512", "500");

        SetValue t = new SetValue();
        add(t, "1");
        add(t, "a");
        assertThat(t.encodingName()).isEqualTo("hashtable");
        assertThat(new HashSet<>(members(t))).containsOnly("1", "a");
        assertThat(t.contains(b("1"))).isTrue();
    }

    @Test
    void smallStringSetsArePackedAndReportedAsHashtables() {
        SetValue s = new SetValue();
        add(s, "1");
        add(s, "a");
        long packedMemory = s.memoryUsage();
        for (int i = 0; i < 126; i++) add(s, "member:" + i);
        assertThat(s.size()).isEqualTo(SetValue.PACKED_MAX_ENTRIES);
        assertThat(s.encodingName()).isEqualTo("hashtable");
        // 128 members of about 10 bytes: one array, far below a table's cost.
        assertThat(s.memoryUsage()).isLessThan(packedMemory + 126 * 12);
        long full = s.memoryUsage();
        add(s, "one more");
        assertThat(s.memoryUsage()).as("a table past 128 members").isGreaterThan(full + 128 * 20);
        assertThat(new HashSet<>(members(s))).hasSize(129).contains("1", "a", "member:125", "one more");

        SetValue longMember = new SetValue();
        add(longMember, "short");
        long small = longMember.memoryUsage();
        add(longMember, "x".repeat(65));
        assertThat(longMember.memoryUsage()).isGreaterThan(small + 65 + 20);
        assertThat(longMember.contains(b("short"))).isTrue();

        SetValue bigIntset = new SetValue();
        for (int i = 0; i < 200; i++) add(bigIntset, Integer.toString(i));
        assertThat(bigIntset.encodingName()).isEqualTo("intset");
        add(bigIntset, "s");
        assertThat(bigIntset.size()).isEqualTo(201);
        assertThat(bigIntset.contains(b("199"))).isTrue();
        assertThat(bigIntset.contains(b("s"))).isTrue();
    }

    @Test
    void intsetsWidenAsValuesGrow() {
        byte[] is = IntSet.EMPTY;
        is = IntSet.add(is, 1);
        assertThat(IntSet.width(is)).isEqualTo(2);
        is = IntSet.add(is, 70_000);
        assertThat(IntSet.width(is)).isEqualTo(4);
        is = IntSet.add(is, -5_000_000_000L);
        assertThat(IntSet.width(is)).isEqualTo(8);
        assertThat(new long[] {IntSet.get(is, 0), IntSet.get(is, 1), IntSet.get(is, 2)})
                .containsExactly(-5_000_000_000L, 1, 70_000);
        assertThat(is.length).isEqualTo(1 + 3 * 8);
        is = IntSet.removeAt(is, 0);
        assertThat(IntSet.width(is)).as("the width never goes down").isEqualTo(8);
        assertThat(IntSet.search(is, 70_000)).isEqualTo(1);
        assertThat(IntSet.search(is, 2)).isEqualTo(-2);
    }

    @Test
    void randomOperationsAgreeWithAJavaSet() {
        Random rnd = new Random(5);
        for (boolean strings : new boolean[] {false, true}) {
            SetValue s = new SetValue();
            Set<String> model = new HashSet<>();
            for (int op = 0; op < 40_000; op++) {
                long v = switch (rnd.nextInt(3)) {
                    case 0 -> rnd.nextInt(200) - 100;
                    case 1 -> rnd.nextInt(70_000);
                    default -> rnd.nextLong() >> rnd.nextInt(64);
                };
                String m = strings && rnd.nextInt(10) == 0 ? "s" + v : Long.toString(v);
                if (rnd.nextInt(3) == 0) {
                    assertThat(remove(s, m)).isEqualTo(model.remove(m));
                } else {
                    assertThat(add(s, m, 1_000_000)).isEqualTo(model.add(m));
                }
                assertThat(s.size()).isEqualTo(model.size());
            }
            assertThat(new HashSet<>(members(s))).isEqualTo(model);
            assertThat(s.encodingName()).isEqualTo(strings ? "hashtable" : "intset");
        }
    }

    @Test
    void randomOperationsOnASmallStringSetStayPacked() {
        Random rnd = new Random(11);
        SetValue s = new SetValue();
        Set<String> model = new HashSet<>();
        for (int op = 0; op < 20_000; op++) {
            String m = rnd.nextInt(4) == 0 ? Integer.toString(rnd.nextInt(50)) : "m" + rnd.nextInt(70);
            if (rnd.nextBoolean()) assertThat(remove(s, m)).isEqualTo(model.remove(m));
            else assertThat(add(s, m)).isEqualTo(model.add(m));
            assertThat(s.size()).isEqualTo(model.size());
            if (!model.isEmpty() && op % 100 == 0) {
                assertThat(model).contains(new String(s.member(s.random(rnd)), StandardCharsets.UTF_8));
            }
        }
        assertThat(new HashSet<>(members(s))).isEqualTo(model);
        // 120 distinct members at most, so the set never left the packed form: one small array.
        assertThat(s.memoryUsage()).isLessThan(16 + 120 * 5 + 64);
    }

    @Test
    void randomMembersAreUniformInBothEncodings() {
        for (String prefix : new String[] {"", "m"}) {
            SetValue s = new SetValue();
            for (int i = 0; i < 10; i++) add(s, prefix + i);
            Random rnd = new Random(9);
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i < 50_000; i++) counts.merge(new String(s.member(s.random(rnd)), StandardCharsets.UTF_8), 1, Integer::sum);
            assertThat(counts).hasSize(10);
            for (int n : counts.values()) assertThat(n).isBetween(4000, 6000);
        }
    }

    @Test
    void copiesAndMemory() {
        for (String prefix : new String[] {"", "m"}) {
            SetValue s = new SetValue();
            long empty = s.memoryUsage();
            for (int i = 0; i < 100; i++) add(s, prefix + i);
            assertThat(s.memoryUsage()).isGreaterThan(empty + 100);
            SetValue c = s.copy();
            for (int i = 0; i < 100; i++) remove(s, prefix + i);
            assertThat(s.isEmpty()).isTrue();
            assertThat(c.size()).isEqualTo(100);
            assertThat(s.memoryUsage()).isLessThan(c.memoryUsage());
            for (int i = 0; i < 100; i++) assertThat(c.contains(b(prefix + i))).isTrue();
        }
        SetValue ints = new SetValue();
        for (int i = 0; i < 100; i++) add(ints, Integer.toString(i));
        assertThat(ints.memoryUsage()).as("100 two-byte integers").isLessThan(200 + 48);
    }

    @Test
    void scanCoversBothEncodings() {
        for (String prefix : new String[] {"", "m"}) {
            SetValue s = new SetValue();
            for (int i = 0; i < 3000; i++) add(s, prefix + i, 1_000_000);
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int steps = 0;
            do {
                cursor = s.scan(cursor, 10, h -> seen.add(new String(s.member(h), StandardCharsets.UTF_8)));
                steps++;
            } while (cursor != 0);
            assertThat(seen).hasSize(3000);
            if (prefix.isEmpty()) assertThat(steps).as("an intset answers at once").isEqualTo(1);
            else assertThat(steps).as("a table answers a step at a time").isGreaterThan(100);
        }
    }
}
