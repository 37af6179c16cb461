package io.moon.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashValueTest {
    private static final long ENTRIES = 128, VALUE = 64;

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static boolean set(HashValue h, String f, String v) { return set(h, f, v, ENTRIES, VALUE); }

    private static boolean set(HashValue h, String f, String v, long entries, long value) {
        byte[] fb = b(f), vb = b(v);
        return h.set(fb, 0, fb.length, vb, 0, vb.length, entries, value);
    }

    private static String get(HashValue h, String f) {
        byte[] fb = b(f);
        int i = h.find(fb, 0, fb.length);
        return i < 0 ? null : new String(h.valueBuf(i), h.valueOff(i), h.valueLen(i), StandardCharsets.UTF_8);
    }

    private static boolean delete(HashValue h, String f) {
        byte[] fb = b(f);
        return h.delete(fb, 0, fb.length);
    }

    private static Map<String, String> contents(HashValue h) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = h.first(); i >= 0; i = h.next(i)) {
            out.put(new String(h.fieldBuf(i), h.fieldOff(i), h.fieldLen(i), StandardCharsets.UTF_8),
                    new String(h.valueBuf(i), h.valueOff(i), h.valueLen(i), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void smallHashesArePackedInInsertionOrder() {
        HashValue h = new HashValue();
        assertThat(set(h, "b", "1")).isTrue();
        assertThat(set(h, "a", "2")).isTrue();
        assertThat(set(h, "b", "three")).isFalse();
        assertThat(h.encodingName()).isEqualTo("listpack");
        assertThat(contents(h)).containsExactly(Map.entry("b", "three"), Map.entry("a", "2"));
        assertThat(get(h, "c")).isNull();
        // Empty fields and values are values like others.
        assertThat(set(h, "", "")).isTrue();
        assertThat(get(h, "")).isEmpty();
    }

    @Test
    void convertsToATableWhenAFieldOrValueIsTooLong() {
        HashValue h = new HashValue();
        set(h, "f", "v");
        set(h, "g", "x".repeat(64));
        assertThat(h.encodingName()).isEqualTo("listpack");
        set(h, "g", "x".repeat(65));
        assertThat(h.encodingName()).isEqualTo("hashtable");
        assertThat(contents(h)).containsOnly(Map.entry("f", "v"), Map.entry("g", "x".repeat(65)));

        HashValue byField = new HashValue();
        set(byField, "k".repeat(65), "v");
        assertThat(byField.encodingName()).isEqualTo("hashtable");
    }

    @Test
    void convertsToATableWhenItHasTooManyFieldsAndNeverBack() {
        HashValue h = new HashValue();
        for (int i = 0; i < 128; i++) set(h, "f" + i, "v" + i);
        assertThat(h.encodingName()).isEqualTo("listpack");
        set(h, "f128", "v");
        assertThat(h.encodingName()).isEqualTo("hashtable");
        for (int i = 0; i < 120; i++) delete(h, "f" + i);
        assertThat(h.encodingName()).as("Redis never converts back").isEqualTo("hashtable");
        assertThat(h.size()).isEqualTo(9);
        assertThat(get(h, "f127")).isEqualTo("v127");
    }

    @Test
    void zeroEntriesMeansATableAtOnce() {
        HashValue h = new HashValue();
        set(h, "a", "1", 0, VALUE);
        assertThat(h.encodingName()).isEqualTo("hashtable");
        assertThat(get(h, "a")).isEqualTo("1");
    }

    @Test
    void randomOperationsAgreeWithAJavaMapInBothEncodings() {
        for (long entries : new long[] {ENTRIES, 1_000_000}) {
            Random rnd = new Random(entries);
            HashValue h = new HashValue();
            Map<String, String> model = new HashMap<>();
            for (int op = 0; op < 30_000; op++) {
                String f = "f" + rnd.nextInt(300);
                switch (rnd.nextInt(4)) {
                    case 0 -> assertThat(delete(h, f)).isEqualTo(model.remove(f) != null);
                    case 1 -> assertThat(get(h, f)).isEqualTo(model.get(f));
                    default -> {
                        String v = "v".repeat(rnd.nextInt(8)) + op;
                        assertThat(set(h, f, v, entries, VALUE)).isEqualTo(model.put(f, v) == null);
                    }
                }
                assertThat(h.size()).isEqualTo(model.size());
            }
            assertThat(contents(h)).isEqualTo(model);
            assertThat(h.encodingName()).isEqualTo(entries == ENTRIES ? "hashtable" : "listpack");
        }
    }

    @Test
    void memoryIsKeptUpToDateAndMatchesARecount() {
        HashValue h = new HashValue();
        long empty = h.memoryUsage();
        for (int i = 0; i < 500; i++) set(h, "field" + i, "value" + i);
        HashValue rebuilt = new HashValue();
        for (Map.Entry<String, String> e : contents(h).entrySet()) set(rebuilt, e.getKey(), e.getValue());
        assertThat(h.memoryUsage()).isEqualTo(rebuilt.memoryUsage()).isGreaterThan(empty + 500 * 10);
        for (int i = 0; i < 500; i++) delete(h, "field" + i);
        assertThat(h.isEmpty()).isTrue();
        assertThat(h.memoryUsage()).isLessThan(empty + 200);
    }

    @Test
    void packedHashesCostAboutTheirBytes() {
        HashValue h = new HashValue();
        for (int i = 0; i < 100; i++) set(h, String.format("f:%03d", i), String.format("v:%03d", i));
        // 100 pairs of 5+5 bytes and a length byte each: one array of 1200 bytes plus headers.
        assertThat(h.memoryUsage()).isLessThan(1200 + 64);
    }

    @Test
    void copiesAreIndependentInBothEncodings() {
        for (int n : new int[] {10, 1000}) {
            HashValue h = new HashValue();
            for (int i = 0; i < n; i++) set(h, "f" + i, "v" + i);
            HashValue c = h.copy();
            assertThat(c.encodingName()).isEqualTo(h.encodingName());
            set(h, "f0", "changed");
            delete(h, "f1");
            assertThat(get(c, "f0")).isEqualTo("v0");
            assertThat(get(c, "f1")).isEqualTo("v1");
            assertThat(c.size()).isEqualTo(n);
        }
    }

    @Test
    void randomFieldsAndScanCoverTheHash() {
        for (int n : new int[] {10, 1000}) {
            HashValue h = new HashValue();
            for (int i = 0; i < n; i++) set(h, "f" + i, "v" + i);
            Random rnd = new Random(n);
            Map<String, Integer> hits = new HashMap<>();
            for (int i = 0; i < n * 50; i++) {
                int r = h.random(rnd);
                hits.merge(new String(h.fieldBuf(r), h.fieldOff(r), h.fieldLen(r), StandardCharsets.UTF_8), 1, Integer::sum);
            }
            assertThat(hits).hasSize(n);
            Map<String, String> scanned = new HashMap<>();
            long cursor = 0;
            do {
                cursor = h.scan(cursor, 7, i -> scanned.put(
                        new String(h.fieldBuf(i), h.fieldOff(i), h.fieldLen(i), StandardCharsets.UTF_8),
                        new String(h.valueBuf(i), h.valueOff(i), h.valueLen(i), StandardCharsets.UTF_8)));
            } while (cursor != 0);
            assertThat(scanned).isEqualTo(contents(h));
            assertThat(h.handles()).hasSize(n);
        }
    }
}
