package io.moon.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DictTest {
    private static byte[] entry(String key) {
        return entry(key, "v");
    }

    private static byte[] entry(String key, String value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8), v = value.getBytes(StandardCharsets.UTF_8);
        return Entries.newString(k, 0, k.length, v, 0, v.length, Entries.NO_EXPIRE);
    }

    private static String keyOf(Object e) { return new String(Entries.key(e), StandardCharsets.UTF_8); }

    private static Object get(Dict d, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return d.get(k, 0, k.length, KeyHash.hash(k, 0, k.length));
    }

    private static Object put(Dict d, String key) {
        byte[] e = entry(key);
        return d.put(e, Entries.hashKey(e), 0);
    }

    private static Object remove(Dict d, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return d.remove(k, 0, k.length, KeyHash.hash(k, 0, k.length));
    }

    /** Every key a full scan returns, with how many times each came back. */
    private static Map<String, Integer> fullScan(Dict d, int count) {
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        do {
            cursor = d.scan(cursor, count, e -> seen.merge(keyOf(e), 1, Integer::sum));
        } while (cursor >= 0);
        return seen;
    }

    @Test
    void insertsFindsReplacesAndRemoves() {
        Dict d = new Dict();
        assertThat(put(d, "a")).isNull();
        assertThat(put(d, "b")).isNull();
        assertThat(d.size()).isEqualTo(2);
        byte[] replacement = entry("a", "new");
        Object old = d.put(replacement, Entries.hashKey(replacement), 0);
        assertThat(keyOf(old)).isEqualTo("a");
        assertThat(d.size()).isEqualTo(2);
        assertThat(get(d, "a")).isSameAs(replacement);
        assertThat(remove(d, "a")).isSameAs(replacement);
        assertThat(remove(d, "a")).isNull();
        assertThat(get(d, "a")).isNull();
        assertThat(get(d, "b")).isNotNull();
        assertThat(d.size()).isEqualTo(1);
    }

    @Test
    void growsAndSplitsKeepingEveryKey() {
        Dict d = new Dict();
        long before = d.tableMemory();
        int n = 50_000; // many times MAX_SLOTS: segments double, then split, the directory grows
        for (int i = 0; i < n; i++) assertThat(put(d, "key:" + i)).isNull();
        assertThat(d.size()).isEqualTo(n);
        assertThat(d.tableMemory()).isGreaterThan(before + (long) n * 5);
        for (int i = 0; i < n; i++) assertThat(get(d, "key:" + i)).as("key:" + i).isNotNull();
        assertThat(get(d, "key:" + n)).isNull();
    }

    @Test
    void reusesSlotsAfterManyRemovals() {
        Dict d = new Dict();
        // Churn in one small table: removals leave tombstones that a rebuild must clear.
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < 5; i++) put(d, "r" + round + ":" + i);
            for (int i = 0; i < 5; i++) assertThat(remove(d, "r" + round + ":" + i)).isNotNull();
        }
        assertThat(d.size()).isZero();
        put(d, "last");
        assertThat(get(d, "last")).isNotNull();
        assertThat(fullScan(d, 10)).containsOnlyKeys("last");
    }

    @Test
    void clockFollowsTheLastLookup() {
        Dict d = new Dict();
        byte[] e = entry("k");
        d.put(e, Entries.hashKey(e), 42);
        get(d, "k");
        assertThat(d.lastClock()).isEqualTo(42);
        d.setLastClock(7);
        put(d, "other");
        get(d, "k");
        assertThat(d.lastClock()).isEqualTo(7);
    }

    @Test
    void scanOfAnUnchangedTableReturnsEachKeyOnce() {
        Dict d = new Dict();
        for (int i = 0; i < 20_000; i++) put(d, "k" + i);
        for (int count : new int[] {1, 10, 1000}) {
            Map<String, Integer> seen = fullScan(d, count);
            assertThat(seen).hasSize(20_000);
            assertThat(seen.values()).allMatch(times -> times == 1);
        }
    }

    @Test
    void scanOfAnEmptyTableEndsAtOnce() {
        Dict d = new Dict();
        List<Object> got = new ArrayList<>();
        assertThat(d.scan(0, 10, got::add)).isEqualTo(-1);
        assertThat(got).isEmpty();
    }

    @Test
    void scanReturnsEveryKeyPresentThroughoutWhileTheTableSplits() {
        SplittableRandom rnd = new SplittableRandom(1);
        Dict d = new Dict();
        Set<String> stable = new HashSet<>();
        List<String> churn = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            put(d, "stable:" + i);
            stable.add("stable:" + i);
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int added = 0, steps = 0;
        do {
            cursor = d.scan(cursor, 1 + rnd.nextInt(20), e -> seen.add(keyOf(e)));
            // Between steps: grow the table (segments double and split under the cursor) and
            // remove some of what was added, so tombstones and rebuilds happen too. Growth stops
            // at some point: a table growing faster than it is scanned never ends a scan.
            int adds = added < 30_000 ? 200 : 50;
            for (int i = 0; i < adds; i++) {
                String k = "new:" + added++;
                put(d, k);
                churn.add(k);
            }
            for (int i = 0; i < 50 && !churn.isEmpty(); i++) remove(d, churn.remove(rnd.nextInt(churn.size())));
            steps++;
        } while (cursor >= 0);
        assertThat(added).as("the table grew well past its start during the scan").isGreaterThan(20_000);
        assertThat(steps).isGreaterThan(100);
        assertThat(seen).containsAll(stable);
    }

    @Test
    void scanReturnsEveryKeyPresentThroughoutWhileASmallSegmentDoubles() {
        // A small table is one segment that doubles in place (8, 16, ... 1024 slots) under the
        // cursor: the cursor must keep its meaning across each doubling.
        for (int seed = 0; seed < 50; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            Dict d = new Dict();
            int stableCount = 5 + rnd.nextInt(60);
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < stableCount; i++) {
                put(d, "s" + i);
                stable.add("s" + i);
            }
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int added = 0;
            do {
                cursor = d.scan(cursor, 1 + rnd.nextInt(4), e -> seen.add(keyOf(e)));
                for (int i = 0; i < 3 && added < 700; i++) put(d, "n" + added++);
            } while (cursor >= 0);
            assertThat(seen).as("seed " + seed).containsAll(stable);
        }
    }

    @Test
    void scanReturnsEveryKeyPresentThroughoutWhileKeysAreRemoved() {
        Dict d = new Dict();
        for (int i = 0; i < 10_000; i++) put(d, "k" + i);
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int removed = 0;
        do {
            cursor = d.scan(cursor, 50, e -> seen.add(keyOf(e)));
            for (int i = 0; i < 20 && removed < 5000; i++) remove(d, "k" + (2 * removed++ + 1)); // odd keys go
        } while (cursor >= 0);
        for (int i = 0; i < 10_000; i += 2) assertThat(seen).contains("k" + i);
    }

    @Test
    void randomReturnsLiveEntriesAndReachesThemAll() {
        Dict d = new Dict();
        SplittableRandom rnd = new SplittableRandom(7);
        assertThat(d.random(rnd)).isNull();
        for (int i = 0; i < 5000; i++) put(d, "k" + i);
        for (int i = 0; i < 5000; i += 2) remove(d, "k" + i);
        Set<String> drawn = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            String k = keyOf(d.random(rnd));
            assertThat(Integer.parseInt(k.substring(1)) % 2).as(k).isEqualTo(1);
            drawn.add(k);
        }
        assertThat(drawn).hasSize(2500);
    }

    @Test
    void forEachVisitsEveryEntryOnce() {
        Dict d = new Dict();
        for (int i = 0; i < 30_000; i++) put(d, "k" + i);
        Map<String, Integer> seen = new HashMap<>();
        d.forEach(e -> seen.merge(keyOf(e), 1, Integer::sum));
        assertThat(seen).hasSize(30_000);
        assertThat(seen.values()).allMatch(times -> times == 1);
    }
}
