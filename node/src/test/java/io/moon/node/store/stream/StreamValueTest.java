package io.moon.node.store.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The stream value against a simple model (a list of entries): appends into small nodes,
 * deletions, exact trims, ranges both ways, the stream's counters, and the running memory count
 * against a recount; plus approximate trimming, which depends on node boundaries, on the cases
 * Redis's own tests pin down.
 */
class StreamValueTest {
    record Entry(long ms, long seq, List<String> strings) {}

    @Test
    void randomOperationsMatchAModel() {
        Random rnd = new Random(7);
        for (int round = 0; round < 40; round++) {
            long maxEntries = rnd.nextInt(12);
            long maxBytes = rnd.nextBoolean() ? 4096 : 40 + rnd.nextInt(200);
            StreamValue s = new StreamValue();
            List<Entry> model = new ArrayList<>();
            long lastMs = 0, lastSeq = 0, added = 0, maxDelMs = 0, maxDelSeq = 0;
            for (int op = 0; op < 600; op++) {
                int kind = rnd.nextInt(20);
                if (kind < 12) {
                    long ms = lastMs + (rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(5));
                    long seq = ms == lastMs ? lastSeq + 1 + rnd.nextInt(2) : rnd.nextInt(3);
                    if (model.isEmpty() && added == 0 && ms == 0 && seq == 0) seq = 1;
                    List<String> strings = randomFields(rnd);
                    append(s, ms, seq, strings, maxBytes, maxEntries);
                    model.add(new Entry(ms, seq, strings));
                    lastMs = ms;
                    lastSeq = seq;
                    added++;
                } else if (kind < 16) {
                    long ms, seq;
                    if (!model.isEmpty() && rnd.nextBoolean()) {
                        Entry e = model.get(rnd.nextInt(model.size()));
                        ms = e.ms;
                        seq = e.seq;
                    } else {
                        ms = rnd.nextInt((int) lastMs + 2);
                        seq = rnd.nextInt(4);
                    }
                    boolean live = model.removeIf(e -> e.ms == ms && e.seq == seq);
                    assertThat(s.delete(ms, seq)).isEqualTo(live);
                    if (live && StreamIds.compare(ms, seq, maxDelMs, maxDelSeq) > 0) {
                        maxDelMs = ms;
                        maxDelSeq = seq;
                    }
                } else if (kind < 17) {
                    int keep = model.isEmpty() ? 0 : rnd.nextInt(model.size() + 1);
                    long removed = s.trim(false, keep, 0, 0, false, 0);
                    assertThat(removed).isEqualTo(Math.max(0, model.size() - keep));
                    while (model.size() > keep) model.remove(0);
                } else if (kind < 18) {
                    long minMs = rnd.nextInt((int) lastMs + 2), minSeq = rnd.nextInt(3);
                    int before = model.size();
                    model.removeIf(e -> StreamIds.compare(e.ms, e.seq, minMs, minSeq) < 0);
                    assertThat(s.trim(true, 0, minMs, minSeq, false, 0)).isEqualTo(before - model.size());
                } else {
                    long aMs = rnd.nextInt((int) lastMs + 2), bMs = aMs + rnd.nextInt(6);
                    long aSeq = rnd.nextInt(3), bSeq = rnd.nextInt(3);
                    boolean rev = rnd.nextBoolean();
                    List<Entry> expected = new ArrayList<>();
                    for (Entry e : model) {
                        if (StreamIds.compare(e.ms, e.seq, aMs, aSeq) >= 0 && StreamIds.compare(e.ms, e.seq, bMs, bSeq) <= 0) {
                            expected.add(e);
                        }
                    }
                    if (rev) java.util.Collections.reverse(expected);
                    assertThat(read(s.cursor(aMs, aSeq, bMs, bSeq, rev))).isEqualTo(expected);
                }
                assertThat(s.length()).isEqualTo(model.size());
                assertThat(s.entriesAdded()).isEqualTo(added);
                assertThat(StreamIds.toString(s.lastMs(), s.lastSeq())).isEqualTo(StreamIds.toString(lastMs, lastSeq));
                assertThat(StreamIds.toString(s.maxDeletedMs(), s.maxDeletedSeq()))
                        .isEqualTo(StreamIds.toString(maxDelMs, maxDelSeq));
                if (model.isEmpty()) {
                    assertThat(s.firstMs()).isZero();
                    assertThat(s.firstSeq()).isZero();
                } else {
                    assertThat(StreamIds.toString(s.firstMs(), s.firstSeq()))
                            .isEqualTo(StreamIds.toString(model.get(0).ms, model.get(0).seq));
                }
            }
            assertThat(read(s.cursor())).isEqualTo(model);
            long[] top = new long[2];
            assertThat(s.lastLiveId(top)).isEqualTo(!model.isEmpty());
            if (!model.isEmpty()) assertThat(top).containsExactly(model.getLast().ms, model.getLast().seq);
            assertThat(s.memoryUsage()).isEqualTo(s.recountMemory());
        }
    }

    @Test
    void approximateMaxlenRemovesWholeNodesOnly() {
        // Redis's "XADD with MAXLEN option and the '~' argument": nodes of 100 keep 600 of 1000.
        StreamValue s = new StreamValue();
        for (int j = 0; j < 1000; j++) {
            append(s, j + 1, 0, List.of(j % 10 == 0 ? "yitem" : "xitem", "" + j), 4096, 100);
            s.trim(false, 555, 0, 0, true, 100 * 100);
        }
        assertThat(s.length()).isEqualTo(600);
        assertThat(s.radixTreeKeys()).isEqualTo(6);
    }

    @Test
    void limitCapsApproximateTrimming() {
        // "XADD with LIMIT consecutive calls": nodes of 10, MAXLEN ~ 55 LIMIT 30.
        StreamValue s = new StreamValue();
        for (int j = 0; j < 100; j++) append(s, j + 1, 0, List.of("xitem", "v"), 4096, 10);
        append(s, 101, 0, List.of("xitem", "v"), 4096, 10);
        s.trim(false, 55, 0, 0, true, 30);
        assertThat(s.length()).isEqualTo(71);
        append(s, 102, 0, List.of("xitem", "v"), 4096, 10);
        s.trim(false, 55, 0, 0, true, 30);
        assertThat(s.length()).isEqualTo(62);
        // "XTRIM with LIMIT delete entries no more than limit": nodes of 2 holding 3 entries.
        StreamValue t = new StreamValue();
        for (int j = 0; j < 3; j++) append(t, j + 1, 0, List.of("xitem", "v"), 4096, 2);
        assertThat(t.trim(false, 0, 0, 0, true, 1)).isZero();
        assertThat(t.trim(false, 0, 0, 0, true, 2)).isEqualTo(2);
    }

    @Test
    void exactTrimMarksEntriesInsideANode() {
        StreamValue s = new StreamValue();
        for (int j = 1; j <= 5; j++) append(s, j, 0, List.of("f", "v"), 4096, 100);
        assertThat(s.trim(true, 0, 3, 0, false, 0)).isEqualTo(2);
        assertThat(read(s.cursor()).stream().map(Entry::ms)).containsExactly(3L, 4L, 5L);
        assertThat(s.radixTreeKeys()).isEqualTo(1);
        assertThat(s.firstMs()).isEqualTo(3);
        // Deleted entries still count toward a node's size, as in Redis.
        for (int j = 6; j <= 100; j++) append(s, j, 0, List.of("f", "v"), 4096, 100);
        assertThat(s.radixTreeKeys()).isEqualTo(1);
        append(s, 101, 0, List.of("f", "v"), 4096, 100);
        assertThat(s.radixTreeKeys()).isEqualTo(2);
    }

    @Test
    void deletingTheLastLiveEntryOfANodeDropsTheNode() {
        StreamValue s = new StreamValue();
        for (int j = 1; j <= 6; j++) append(s, j, 0, List.of("f", "v"), 4096, 2);
        assertThat(s.radixTreeKeys()).isEqualTo(3);
        s.delete(3, 0);
        s.delete(4, 0);
        assertThat(s.radixTreeKeys()).isEqualTo(2);
        assertThat(read(s.cursor(0, 0, -1, -1, true)).stream().map(Entry::ms)).containsExactly(6L, 5L, 2L, 1L);
        s.delete(1, 0);
        s.delete(2, 0);
        s.delete(5, 0);
        s.delete(6, 0);
        assertThat(s.length()).isZero();
        assertThat(s.radixTreeKeys()).isZero();
        assertThat(s.radixTreeNodes()).isEqualTo(1);
        assertThat(s.firstMs()).isZero();
        assertThat(s.memoryUsage()).isEqualTo(s.recountMemory());
    }

    @Test
    void radixTreeNodesCountAsRedis() {
        // Values measured on redis-server 7.0 with one entry per node at ids 1-0 .. n-0.
        StreamValue s = new StreamValue();
        append(s, 1, 0, List.of("a", "b"), 4096, 1);
        assertThat(s.radixTreeNodes()).isEqualTo(2);
        for (int n = 2; n <= 50; n++) {
            append(s, n, 0, List.of("a", "b"), 4096, 1);
            assertThat(s.radixTreeNodes()).isEqualTo(2 + 2L * n);
        }
    }

    @Test
    void entriesKeepTheirFieldsWhetherOrNotTheyMatchTheNodesFirst() {
        StreamValue s = new StreamValue();
        append(s, 1, 0, List.of("a", "1", "b", "2"), 4096, 100);
        append(s, 2, 0, List.of("a", "3", "b", "4"), 4096, 100);
        append(s, 3, 0, List.of("a", "5"), 4096, 100);
        append(s, 4, 0, List.of("b", "6", "a", "7"), 4096, 100);
        append(s, 5, 0, List.of("a", "", "b", "x".repeat(300)), 4096, 100);
        assertThat(read(s.cursor()).stream().map(Entry::strings)).containsExactly(
                List.of("a", "1", "b", "2"), List.of("a", "3", "b", "4"), List.of("a", "5"), List.of("b", "6", "a", "7"),
                List.of("a", "", "b", "x".repeat(300)));
    }

    @Test
    void idsAtTheEdgesOfTheUnsignedRange() {
        StreamValue s = new StreamValue();
        append(s, 1, -1L, List.of("f", "v"), 4096, 100); // 1-18446744073709551615
        append(s, 2, 0, List.of("f", "v"), 4096, 100); // seq delta below the master's
        append(s, -1L, -2L, List.of("f", "v"), 4096, 100);
        List<Entry> all = read(s.cursor());
        assertThat(all).extracting(e -> StreamIds.toString(e.ms, e.seq))
                .containsExactly("1-18446744073709551615", "2-0", "18446744073709551615-18446744073709551614");
        assertThat(read(s.cursor(2, 0, -1L, -1L, false))).hasSize(2);
    }

    @Test
    void copyIsIndependent() {
        StreamValue s = new StreamValue();
        for (int j = 1; j <= 30; j++) append(s, j, 0, List.of("f", "" + j), 4096, 4);
        ConsumerGroup g = s.createGroup(bytes("g"), 0, 0, ConsumerGroup.INVALID_ENTRIES_READ);
        Consumer alice = g.createConsumer(bytes("alice"), 100);
        for (int j = 1; j <= 10; j++) {
            s.groupRead(g, j, 0);
            g.delivered(alice, j, 0, 200);
        }
        StreamValue c = s.copy();
        assertThat(c.memoryUsage()).isEqualTo(c.recountMemory());
        s.delete(5, 0);
        s.trim(false, 3, 0, 0, false, 0);
        g.ack(1, 0);
        assertThat(c.length()).isEqualTo(30);
        assertThat(read(c.cursor())).hasSize(30);
        ConsumerGroup cg = c.group(bytes("g"));
        assertThat(cg.pendingCount()).isEqualTo(10);
        assertThat(cg.consumer(bytes("alice"), false, 0).pendingCount()).isEqualTo(10);
        assertThat(cg.pending(1, 0).consumer()).isSameAs(cg.consumer(bytes("alice"), false, 0));
        assertThat(cg.entriesRead()).isEqualTo(10);
    }

    @Test
    void groupsKeepBothPendingListsInStep() {
        StreamValue s = new StreamValue();
        for (int j = 1; j <= 20; j++) append(s, j, 0, List.of("f", "v"), 4096, 100);
        ConsumerGroup g = s.createGroup(bytes("g"), 0, 0, 0);
        assertThat(s.createGroup(bytes("g"), 0, 0, 0)).isNull();
        Consumer a = g.createConsumer(bytes("a"), 1), b = g.createConsumer(bytes("b"), 1);
        assertThat(g.createConsumer(bytes("a"), 1)).isNull();
        for (int j = 1; j <= 10; j++) g.delivered(j % 2 == 0 ? a : b, j, 0, 10);
        assertThat(a.pendingCount()).isEqualTo(5);
        // Delivered again after SETID moved the group back: reassigned, count reset.
        g.delivered(a, 1, 0, 20);
        assertThat(g.pending(1, 0).consumer()).isSameAs(a);
        assertThat(g.pending(1, 0).deliveryCount()).isEqualTo(1);
        assertThat(b.pendingCount()).isEqualTo(4);
        g.assign(g.pending(2, 0), 2, 0, b);
        assertThat(a.pendingCount()).isEqualTo(5);
        assertThat(g.ack(2, 0)).isTrue();
        assertThat(g.ack(2, 0)).isFalse();
        assertThat(b.pendingCount()).isEqualTo(4);
        assertThat(g.deleteConsumer(a)).isEqualTo(5);
        assertThat(g.pendingCount()).isEqualTo(4);
        assertThat(g.consumers()).extracting(c -> new String(c.name(), StandardCharsets.UTF_8)).containsExactly("b");
        assertThat(s.memoryUsage()).isEqualTo(s.recountMemory());
        assertThat(s.destroyGroup(bytes("g"))).isTrue();
        assertThat(s.destroyGroup(bytes("g"))).isFalse();
        assertThat(s.memoryUsage()).isEqualTo(s.recountMemory());
    }

    @Test
    void lagAndEntriesReadFollowRedis() {
        // Redis's "Consumer group lag with XDELs".
        StreamValue s = new StreamValue();
        for (int j = 1; j <= 5; j++) append(s, j, 0, List.of("data", "x"), 4096, 100);
        s.delete(3, 0);
        ConsumerGroup g1 = s.createGroup(bytes("g1"), 0, 0, ConsumerGroup.INVALID_ENTRIES_READ);
        ConsumerGroup g2 = s.createGroup(bytes("g2"), 0, 0, ConsumerGroup.INVALID_ENTRIES_READ);
        assertThat(s.lag(g1)).isEqualTo(StreamValue.UNKNOWN);
        long[] reads = {1, 2, 4};
        for (long ms : reads) {
            s.groupRead(g1, ms, 0);
            assertThat(g1.entriesRead()).isEqualTo(ConsumerGroup.INVALID_ENTRIES_READ);
            assertThat(s.lag(g1)).isEqualTo(StreamValue.UNKNOWN);
        }
        s.groupRead(g1, 5, 0);
        assertThat(g1.entriesRead()).isEqualTo(5);
        assertThat(s.lag(g1)).isZero();
        append(s, 6, 0, List.of("data", "f"), 4096, 100);
        assertThat(s.lag(g1)).isEqualTo(1);
        s.trim(true, 0, 3, 0, false, 0);
        assertThat(s.lag(g1)).isEqualTo(1);
        assertThat(s.lag(g2)).isEqualTo(3);
        s.trim(true, 0, 5, 0, false, 0);
        assertThat(s.lag(g2)).isEqualTo(2);
    }

    @Test
    void memoryGrowsWithEntriesAndComesBackWhenTheyGo() {
        StreamValue s = new StreamValue();
        long empty = s.memoryUsage();
        for (int j = 1; j <= 10_000; j++) append(s, j, 0, List.of("field", "value" + j), 4096, 100);
        long full = s.memoryUsage();
        // A small entry costs about its payload plus a few bytes of header, as in a listpack.
        assertThat((full - empty) / 10_000.0).isBetween(10.0, 30.0);
        assertThat(full).isEqualTo(s.recountMemory());
        s.trim(false, 0, 0, 0, false, 0);
        assertThat(s.memoryUsage()).isEqualTo(s.recountMemory()).isLessThan(empty + 200);
    }

    // ------------------------------------------------------------------ helpers

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static void append(StreamValue s, long ms, long seq, List<String> strings, long maxBytes, long maxEntries) {
        StringBuilder all = new StringBuilder();
        int[] off = new int[strings.size()], len = new int[strings.size()];
        for (int i = 0; i < strings.size(); i++) {
            off[i] = all.length();
            len[i] = strings.get(i).length();
            all.append(strings.get(i));
        }
        s.append(ms, seq, bytes(all.toString()), off, len, strings.size(), maxBytes, maxEntries);
    }

    static List<Entry> read(StreamCursor c) {
        List<Entry> out = new ArrayList<>();
        while (c.next()) {
            EntryView e = c.fields();
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < e.fieldCount(); i++) {
                strings.add(new String(e.data(), e.fieldOffset(i), e.fieldLength(i), StandardCharsets.UTF_8));
                strings.add(new String(e.data(), e.valueOffset(i), e.valueLength(i), StandardCharsets.UTF_8));
            }
            out.add(new Entry(e.ms(), e.seq(), strings));
        }
        return out;
    }

    private static List<String> randomFields(Random rnd) {
        List<String> out = new ArrayList<>();
        if (rnd.nextInt(4) != 0) {
            out.addAll(List.of("item", "" + rnd.nextInt(1000), "other", "x".repeat(rnd.nextInt(3))));
        } else {
            int n = 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                out.add("f" + rnd.nextInt(3));
                out.add("v".repeat(rnd.nextInt(rnd.nextInt(10) == 0 ? 200 : 5)));
            }
        }
        return out;
    }
}
