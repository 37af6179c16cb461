package io.moon.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ListValueTest {
    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static String s(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

    private static List<String> all(ListValue l) {
        List<String> out = new ArrayList<>();
        ListValue.Cursor c = l.cursor(0, true);
        while (c.next()) out.add(s(c.bytes()));
        return out;
    }

    private static List<String> allBackwards(ListValue l) {
        List<String> out = new ArrayList<>();
        ListValue.Cursor c = l.cursor(l.size() - 1, false);
        while (c.next()) out.add(0, s(c.bytes()));
        return out;
    }

    /** Every node a valid listpack within its limits, and the counts adding up. */
    private static void checkNodes(ListValue l, int fill) {
        long[] total = {0};
        int[] nodes = {0};
        l.forEachListpack((buf, off, len) -> {
            assertThat(Listpack.valid(buf, off, len)).isTrue();
            int cnt = Listpack.count(buf, off);
            assertThat(cnt).isPositive();
            if (cnt > 1 && fill < 0) assertThat(len).isLessThanOrEqualTo(new int[] {4096, 8192, 16384, 32768, 65536}[-fill - 1]);
            if (cnt > 1 && fill > 0) assertThat(cnt).isLessThanOrEqualTo(fill);
            total[0] += cnt;
            nodes[0]++;
        });
        assertThat(total[0]).isEqualTo(l.size());
        assertThat(nodes[0]).isEqualTo(l.nodeCount());
    }

    @Test
    void pushesAndPopsAtBothEnds() {
        ListValue l = new ListValue(-2);
        l.push(false, b("b"));
        l.push(true, b("a"));
        l.push(false, b("300"));
        assertThat(all(l)).containsExactly("a", "b", "300");
        assertThat(s(l.pop(false))).isEqualTo("300");
        assertThat(s(l.pop(true))).isEqualTo("a");
        assertThat(s(l.pop(true))).isEqualTo("b");
        assertThat(l.isEmpty()).isTrue();
        assertThat(l.pop(true)).isNull();
    }

    @Test
    void nodesFollowTheSizeLimit() {
        ListValue l = new ListValue(-1); // 4 KiB nodes
        byte[] hundred = new byte[100];
        Arrays.fill(hundred, (byte) 'x');
        for (int i = 0; i < 1000; i++) l.push(i % 2 == 0, hundred);
        assertThat(l.nodeCount()).isBetween(1000 * 102 / 4096, 1000 * 102 / 4096 + 3);
        checkNodes(l, -1);
    }

    @Test
    void positiveFillCountsEntries() {
        ListValue l = new ListValue(5);
        for (int i = 0; i < 23; i++) l.push(false, b("e" + i));
        assertThat(l.nodeCount()).isEqualTo(5);
        checkNodes(l, 5);
        ListValue one = new ListValue(1);
        for (int i = 0; i < 4; i++) one.push(true, b("e" + i));
        assertThat(one.nodeCount()).isEqualTo(4);
    }

    @Test
    void anElementLargerThanTheLimitGetsItsOwnNode() {
        ListValue l = new ListValue(-2);
        l.push(false, b("a"));
        l.push(false, new byte[20_000]);
        l.push(false, b("c"));
        assertThat(l.nodeCount()).isEqualTo(3);
        assertThat(all(l).get(1)).hasSize(20_000);
    }

    @Test
    void memoryIsCountedAsNodesChange() {
        ListValue l = new ListValue(-2);
        long empty = l.memoryUsage();
        for (int i = 0; i < 10_000; i++) l.push(false, b("element-" + i));
        long full = l.memoryUsage();
        // About 14 bytes an element (the listpack entry) plus node slack.
        assertThat(full - empty).isBetween(10_000L * 14, 10_000L * 20);
        for (int i = 0; i < 10_000; i++) l.pop(true);
        assertThat(l.memoryUsage()).isLessThan(empty + 1024);
    }

    @Test
    void copyIsIndependent() {
        ListValue l = new ListValue(2);
        for (int i = 0; i < 7; i++) l.push(false, b("" + i));
        ListValue c = l.copy();
        c.push(false, b("x"));
        l.pop(true);
        assertThat(all(c)).containsExactly("0", "1", "2", "3", "4", "5", "6", "x");
        assertThat(all(l)).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(c.memoryUsage()).isPositive();
    }

    @Test
    void listpacksRoundTrip() {
        ListValue l = new ListValue(3);
        for (int i = 0; i < 10; i++) l.push(false, b(i % 3 == 0 ? "" + i * 1000 : "v" + i));
        ListValue back = new ListValue(-2);
        l.forEachListpack(back::appendListpack);
        assertThat(all(back)).isEqualTo(all(l));
        assertThat(back.size()).isEqualTo(10);
        back.push(true, b("h"));
        assertThat(all(back).get(0)).isEqualTo("h");
    }

    /** Random operations of every kind, compared with a plain Java list after each one. */
    @Test
    void randomOperationsMatchAModel() {
        for (int fill : new int[] {-5, -2, -1, 1, 2, 5, 128}) {
            SplittableRandom rnd = new SplittableRandom(fill + 1000);
            ListValue l = new ListValue(fill);
            List<String> model = new ArrayList<>();
            for (int step = 0; step < 4000; step++) {
                String v = randomElement(rnd);
                switch (rnd.nextInt(10)) {
                    case 0, 1 -> {
                        l.push(true, b(v));
                        model.add(0, v);
                    }
                    case 2, 3 -> {
                        l.push(false, b(v));
                        model.add(v);
                    }
                    case 4 -> {
                        boolean head = rnd.nextBoolean();
                        byte[] got = l.pop(head);
                        String want = model.isEmpty() ? null : head ? model.remove(0) : model.remove(model.size() - 1);
                        assertThat(got == null ? null : s(got)).isEqualTo(want);
                    }
                    case 5 -> {
                        if (model.isEmpty()) break;
                        int at = rnd.nextInt(model.size());
                        ListValue.Cursor c = l.cursor(at, true);
                        assertThat(c.next()).isTrue();
                        boolean after = rnd.nextBoolean();
                        c.insert(after, b(v), 0, b(v).length);
                        model.add(after ? at + 1 : at, v);
                    }
                    case 6 -> {
                        if (model.isEmpty()) break;
                        int at = rnd.nextInt(model.size());
                        ListValue.Cursor c = l.cursor(0, true);
                        assertThat(l.get(at - (rnd.nextBoolean() ? model.size() : 0), c)).isTrue();
                        assertThat(s(c.bytes())).isEqualTo(model.get(at));
                        c.replace(b(v), 0, b(v).length);
                        model.set(at, v);
                    }
                    case 7 -> {
                        if (model.isEmpty()) break;
                        String needle = rnd.nextBoolean() ? model.get(rnd.nextInt(model.size())) : v;
                        long limit = rnd.nextInt(4) - 1; // -1: from the tail
                        boolean fromTail = limit < 0;
                        long removed = l.remove(new ListValue.Needle(b(needle), 0, b(needle).length), Math.abs(limit), fromTail);
                        long want = 0;
                        if (fromTail) {
                            for (int k = model.size() - 1; k >= 0 && want < 1; k--) {
                                if (model.get(k).equals(needle)) {
                                    model.remove(k);
                                    want++;
                                }
                            }
                        } else {
                            for (int k = 0; k < model.size() && (limit == 0 || want < limit); ) {
                                if (model.get(k).equals(needle)) {
                                    model.remove(k);
                                    want++;
                                } else {
                                    k++;
                                }
                            }
                        }
                        assertThat(removed).isEqualTo(want);
                    }
                    case 8 -> {
                        if (model.isEmpty() || rnd.nextInt(8) != 0) break;
                        int start = rnd.nextInt(model.size());
                        int end = start + rnd.nextInt(model.size() - start);
                        l.trim(start, end);
                        model = new ArrayList<>(model.subList(start, end + 1));
                    }
                    default -> {
                        long n = rnd.nextInt(5);
                        boolean head = rnd.nextBoolean();
                        l.removeEnd(head, n);
                        for (long k = 0; k < n && !model.isEmpty(); k++) model.remove(head ? 0 : model.size() - 1);
                    }
                }
                assertThat(l.size()).isEqualTo(model.size());
                if (step % 50 == 0 || model.size() < 5) {
                    assertThat(all(l)).as("fill %d step %d", fill, step).isEqualTo(model);
                    assertThat(allBackwards(l)).isEqualTo(model);
                    checkNodes(l, fill);
                    if (!model.isEmpty()) {
                        int at = rnd.nextInt(model.size());
                        ListValue.Cursor c = l.cursor(0, true);
                        assertThat(l.get(at, c)).isTrue();
                        assertThat(s(c.bytes())).isEqualTo(model.get(at));
                        assertThat(c.index()).isEqualTo(at);
                    }
                }
            }
        }
    }

    private static String randomElement(SplittableRandom rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> Long.toString(rnd.nextLong());
            case 1 -> Integer.toString(rnd.nextInt(-5000, 5000));
            case 2 -> "x".repeat(rnd.nextInt(0, 300));
            case 3 -> "y".repeat(rnd.nextInt(4000, 9000));
            case 4 -> "0" + rnd.nextInt(100); // looks numeric, is not canonical
            default -> "e" + rnd.nextInt(20);
        };
    }
}
