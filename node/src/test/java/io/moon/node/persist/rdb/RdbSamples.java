package io.moon.node.persist.rdb;

import static io.moon.node.persist.rdb.RdbValues.b;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Values of every type that reach every encoder path under {@link RdbWriteOptions#DEFAULTS}:
 * integer-encoded, compressed and plain strings at the width boundaries, one- and many-node
 * lists, intsets of every width and plain sets, listpack and skiplist sorted sets with special
 * scores, listpack and plain hashes, streams spanning nodes with groups, pending entries and
 * unknown entries-read. Deterministic (seeded).
 */
final class RdbSamples {
    private RdbSamples() {}

    static Map<String, RdbValue> all() {
        Map<String, RdbValue> m = new LinkedHashMap<>();
        Random r = new Random(42);
        for (String s : new String[] {"", "x", "0", "-0", "+1", "01", "127", "128", "-128", "-129", "32767", "32768",
                "-32769", "2147483647", "2147483648", "-2147483648", "-2147483649", "12345678901", "-1234567890",
                "9223372036854775807", "9223372036854775808", "-9223372036854775808", " 1", "1.5"}) {
            m.put("string " + s, new RdbString(b(s)));
        }
        m.put("string compressible", new RdbString(b("moon".repeat(500))));
        m.put("string 21 same bytes", new RdbString(b("a".repeat(21))));
        m.put("string noise", new RdbString(randomBytes(r, 5000)));
        m.put("list small", new RdbList(bytesList("a", "", "1", "-1", "4096", "-4097", "8388607", "8388608",
                "2147483648", "9223372036854775807", "x".repeat(63), "y".repeat(64), "z".repeat(4095), "w".repeat(4096))));
        List<byte[]> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) many.add(i % 3 == 0 ? b(Integer.toString(i * 1000 - 7)) : b("item:" + i));
        m.put("list many nodes", new RdbList(many));
        List<byte[]> fat = new ArrayList<>();
        for (int i = 0; i < 6; i++) fat.add(randomBytes(r, 5000 + i));
        m.put("list fat elements", new RdbList(fat));
        m.put("set int16", new RdbSet(bytesList("5", "-3", "0", "32767", "-32768")));
        m.put("set int32", new RdbSet(bytesList("5", "32768", "-2147483648")));
        m.put("set int64", new RdbSet(bytesList("1", "-9223372036854775808", "9223372036854775807")));
        m.put("set strings", new RdbSet(bytesList("a", "b", "1", "01")));
        List<byte[]> ints = new ArrayList<>();
        for (int i = 0; i < 600; i++) ints.add(b(Integer.toString(i * 13)));
        m.put("set many ints", new RdbSet(ints));
        m.put("zset small", new RdbZset(List.of(z("a", 1), z("b", -2.5), z("c", Double.POSITIVE_INFINITY),
                z("d", Double.NEGATIVE_INFINITY), z("e", 0.1), z("f", 4611686018427387904.0), z("g", 1e-300),
                z("h", 1), z("ab", 1), z("12", 12), z("big", 4611686018427387903.0))));
        List<RdbZset.Entry> bigZ = new ArrayList<>();
        for (int i = 0; i < 300; i++) bigZ.add(z("m" + i, r.nextInt(50) / 4.0));
        bigZ.add(z("negzero", -0.0));
        m.put("zset many", new RdbZset(bigZ));
        m.put("zset long member", new RdbZset(List.of(z("n".repeat(65), 3), z("short", 2))));
        m.put("hash small", new RdbHash(List.of(fv("a", "1"), fv("b", ""), fv("1", "2"), fv("c", "v".repeat(64)))));
        List<FieldValue> bigH = new ArrayList<>();
        for (int i = 0; i < 600; i++) bigH.add(fv("f" + i, "v" + i));
        m.put("hash many", new RdbHash(bigH));
        m.put("hash long value", new RdbHash(List.of(fv("a", "v".repeat(65)), fv("b", "c"))));
        m.put("stream simple", stream(5, 1, false));
        m.put("stream many nodes", stream(450, 3, false));
        m.put("stream with groups", stream(40, 2, true));
        m.put("stream empty with group", new RdbStream(List.of(), new StreamId(5, 5), 3, new StreamId(5, 5), StreamId.ZERO,
                List.of(new RdbStream.Group(b("g"), new StreamId(5, 5), -1, List.of(), List.of()))));
        m.put("stream wide ids", new RdbStream(List.of(
                new RdbStream.Entry(new StreamId(1L << 40, 9), List.of(fv("a", "1"))),
                new RdbStream.Entry(new StreamId((1L << 40) + 1, 0), List.of(fv("a", "2"), fv("a", "3")))),
                new StreamId((1L << 40) + 1, 0), 2, StreamId.ZERO, new StreamId(1L << 40, 9), List.of()));
        return m;
    }

    /** Entries whose field names change every {@code fieldSets} entries; groups with owners when asked. */
    static RdbStream stream(int n, int fieldSets, boolean groups) {
        List<RdbStream.Entry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<FieldValue> fields = new ArrayList<>();
            for (int f = 0; f <= i % fieldSets; f++) fields.add(fv("field" + f, "value-" + i + "-" + f));
            entries.add(new RdbStream.Entry(new StreamId(1_700_000_000_000L + i / 3, i % 3), fields));
        }
        StreamId last = entries.getLast().id();
        List<RdbStream.Group> gs = new ArrayList<>();
        if (groups) {
            List<RdbStream.PendingEntry> pel = new ArrayList<>();
            List<StreamId> alice = new ArrayList<>(), bob = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                StreamId id = entries.get(i).id();
                pel.add(new RdbStream.PendingEntry(id, 1_700_000_000_500L + i, 1 + i % 4));
                (i % 2 == 0 ? alice : bob).add(id);
            }
            gs.add(new RdbStream.Group(b("workers"), entries.get(9).id(), 10, pel, List.of(
                    new RdbStream.Consumer(b("alice"), 1_700_000_001_000L, alice),
                    new RdbStream.Consumer(b("bob"), 1_700_000_002_000L, bob),
                    new RdbStream.Consumer(b("idle"), 1_700_000_003_000L, List.of()))));
            gs.add(new RdbStream.Group(b("audit"), StreamId.ZERO, 0, List.of(), List.of()));
        }
        return new RdbStream(entries, last, n, StreamId.ZERO, entries.getFirst().id(), gs);
    }

    static RdbZset.Entry z(String member, double score) { return new RdbZset.Entry(b(member), score); }

    static FieldValue fv(String f, String v) { return new FieldValue(b(f), b(v)); }

    static List<byte[]> bytesList(String... s) {
        List<byte[]> out = new ArrayList<>();
        for (String x : s) out.add(b(x));
        return out;
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] out = new byte[n];
        r.nextBytes(out);
        return out;
    }
}
