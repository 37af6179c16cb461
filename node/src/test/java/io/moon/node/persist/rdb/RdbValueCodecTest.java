package io.moon.node.persist.rdb;

import static io.moon.node.persist.rdb.RdbSamples.bytesList;
import static io.moon.node.persist.rdb.RdbSamples.fv;
import static io.moon.node.persist.rdb.RdbSamples.z;
import static io.moon.node.persist.rdb.RdbValues.b;
import static io.moon.node.persist.rdb.RdbValues.canonical;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RdbValueCodecTest {
    private static final RdbWriteOptions SMALL = new RdbWriteOptions(false, 3, 1L << 30, 2, 4, 2, 4, 2, 4096, 100);

    @Test
    void everySampleRoundTripsThroughADumpPayload() throws RdbFormatException {
        for (Map.Entry<String, RdbValue> e : RdbSamples.all().entrySet()) {
            for (RdbWriteOptions o : List.of(RdbWriteOptions.DEFAULTS, SMALL, RdbWriteOptions.DEFAULTS.withCompress(false))) {
                byte[] p = DumpPayload.create(e.getValue(), o);
                assertThat(DumpPayload.verify(p)).isTrue();
                assertThat(DumpPayload.version(p)).isEqualTo(10);
                assertThat(canonical(DumpPayload.read(p))).as(e.getKey()).isEqualTo(canonical(e.getValue()));
            }
        }
    }

    @Test
    void encodingsAreChosenAsRedisChoosesThem() {
        RdbWriteOptions d = RdbWriteOptions.DEFAULTS;
        assertThat(RdbValueWriter.typeFor(new RdbSet(bytesList("1", "-5")), d)).isEqualTo(RdbType.SET_INTSET);
        assertThat(RdbValueWriter.typeFor(new RdbSet(bytesList("1", "01")), d)).isEqualTo(RdbType.SET);
        assertThat(RdbValueWriter.typeFor(new RdbSet(bytesList("1", "2", "3")), SMALL)).isEqualTo(RdbType.SET);
        assertThat(RdbValueWriter.typeFor(new RdbHash(List.of(fv("a", "b"))), d)).isEqualTo(RdbType.HASH_LISTPACK);
        assertThat(RdbValueWriter.typeFor(new RdbHash(List.of(fv("a", "x".repeat(65)))), d)).isEqualTo(RdbType.HASH);
        assertThat(RdbValueWriter.typeFor(new RdbHash(List.of(fv("a", "1"), fv("b", "2"), fv("c", "3"))), SMALL))
                .isEqualTo(RdbType.HASH);
        assertThat(RdbValueWriter.typeFor(new RdbZset(List.of(z("a", 1))), d)).isEqualTo(RdbType.ZSET_LISTPACK);
        assertThat(RdbValueWriter.typeFor(new RdbZset(List.of(z("a".repeat(65), 1))), d)).isEqualTo(RdbType.ZSET_2);
        assertThat(RdbValueWriter.typeFor(new RdbList(bytesList("a")), d)).isEqualTo(RdbType.LIST_QUICKLIST_2);
        assertThat(RdbValueWriter.typeFor(new RdbString(b("a")), d)).isEqualTo(RdbType.STRING);
    }

    @Test
    void stringsUseIntegerFormsAndCompressionAsRdbSaveRawString() {
        assertThat(DumpPayload.create(new RdbString(b("-128")))).startsWith(0, 0xc0, 0x80);
        assertThat(DumpPayload.create(new RdbString(b("300")))).startsWith(0, 0xc1, 0x2c, 0x01);
        assertThat(DumpPayload.create(new RdbString(b("70000")))).startsWith(0, 0xc2, 0x70, 0x11, 0x01, 0x00);
        assertThat(DumpPayload.create(new RdbString(b("2147483648")))).startsWith(0, 10);
        assertThat(DumpPayload.create(new RdbString(b("007")))).startsWith(0, 3, '0', '0', '7');
        assertThat(DumpPayload.create(new RdbString(b("a".repeat(20))))).startsWith(0, 20);
        assertThat(DumpPayload.create(new RdbString(b("a".repeat(21))))).startsWith(0, 0xc3);
        assertThat(DumpPayload.create(new RdbString(b("a".repeat(21))), RdbWriteOptions.DEFAULTS.withCompress(false)))
                .startsWith(0, 21);
    }

    @Test
    void listNodesSplitByCountOrSizeAndHugeElementsGetPlainNodes() throws RdbFormatException {
        List<byte[]> elements = new ArrayList<>();
        for (int i = 0; i < 10; i++) elements.add(b("e" + i));
        assertThat(nodeCount(DumpPayload.create(new RdbList(elements), SMALL))).isEqualTo(4); // 3 per node
        assertThat(nodeCount(DumpPayload.create(new RdbList(elements)))).isEqualTo(1);
        List<byte[]> fat = new ArrayList<>();
        for (int i = 0; i < 4; i++) fat.add(b("f".repeat(3000)));
        assertThat(nodeCount(DumpPayload.create(new RdbList(fat)))).isEqualTo(2); // 8 KB nodes
        RdbWriteOptions plain = new RdbWriteOptions(true, -2, 100, 512, 64, 128, 64, 512, 4096, 100);
        RdbList mixed = new RdbList(bytesList("a", "b".repeat(100), "c"));
        byte[] p = DumpPayload.create(mixed, plain);
        assertThat(nodeCount(p)).isEqualTo(3);
        assertThat(canonical(DumpPayload.read(p))).isEqualTo(canonical(mixed));
    }

    private static long nodeCount(byte[] payload) throws RdbFormatException {
        return RdbInput.of(payload, 1, payload.length - 11).readLength();
    }

    @Test
    void streamsSplitIntoNodesAsXaddDoes() throws RdbFormatException {
        RdbStream s = RdbSamples.stream(250, 1, false);
        assertThat(nodeCount(DumpPayload.create(s))).isEqualTo(3); // 100 entries per node
        RdbWriteOptions tiny = new RdbWriteOptions(true, -2, 1L << 30, 512, 64, 128, 64, 512, 200, 0);
        byte[] p = DumpPayload.create(s, tiny);
        assertThat(nodeCount(p)).isGreaterThan(10);
        assertThat(canonical(DumpPayload.read(p))).isEqualTo(canonical(s));
    }

    @Test
    void everyTruncationOfAValueIsAFormatError() {
        for (Map.Entry<String, RdbValue> e : RdbSamples.all().entrySet()) {
            byte[] p = DumpPayload.create(e.getValue());
            if (p.length > 3000) continue;
            int type = p[0];
            for (int len = 0; len < p.length - DumpPayload.FOOTER_LENGTH - 1; len++) {
                RdbInput in = RdbInput.of(p, 1, len);
                assertThatThrownBy(() -> RdbValueReader.read(type, in)).as("%s cut at %d", e.getKey(), len)
                        .isInstanceOf(RdbFormatException.class);
            }
        }
    }

    @Test
    void everyFlippedBitFailsTheChecksum() {
        for (RdbValue v : List.of(RdbSamples.all().get("hash small"), RdbSamples.all().get("stream with groups"))) {
            byte[] p = DumpPayload.create(v);
            for (int at = 0; at < p.length; at++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] bad = p.clone();
                    bad[at] ^= (byte) (1 << bit);
                    assertThat(DumpPayload.verify(bad)).as("byte %d bit %d", at, bit).isFalse();
                }
            }
        }
    }

    @Test
    void randomDamageBehindAValidChecksumOnlyEverGivesAFormatError() {
        List<byte[]> seeds = RdbSamples.all().values().stream().map(DumpPayload::create).filter(p -> p.length < 2000).toList();
        Random r = new Random(8);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 100_000; i++) {
                byte[] p = seeds.get(r.nextInt(seeds.size())).clone();
                for (int k = 0; k < 1 + r.nextInt(4); k++) p[r.nextInt(p.length - 10)] = (byte) r.nextInt(256);
                p = RestoreIntoRedisIT.reseal(p);
                try {
                    DumpPayload.read(p);
                } catch (RdbFormatException expected) {
                    // the only failure allowed
                }
            }
        });
    }

    @Test
    void whatRedisRefusesIsRefused() {
        assertRefused(LegacyEncodings.payload(RdbType.SET, body(o -> {
            o.writeLength(2);
            o.writeString(b("a"));
            o.writeString(b("a"));
        })), "Duplicate set members detected");
        assertRefused(LegacyEncodings.payload(RdbType.HASH, body(o -> {
            o.writeLength(2);
            for (int i = 0; i < 2; i++) {
                o.writeString(b("f"));
                o.writeString(b("v"));
            }
        })), "Duplicate hash fields detected");
        assertRefused(LegacyEncodings.payload(RdbType.ZSET_2, body(o -> {
            o.writeLength(1);
            o.writeString(b("m"));
            o.writeBinaryDouble(Double.NaN);
        })), "NAN");
        assertRefused(LegacyEncodings.payload(RdbType.LIST_QUICKLIST_2, body(o -> o.writeLength(0))), "Empty");
        assertRefused(LegacyEncodings.payload(RdbType.HASH_LISTPACK, body(o ->
                o.writeString(new Listpack.Builder().append(b("f")).append(b("1")).append(b("f")).append(b("2")).build()))),
                "duplicate field");
        assertRefused(LegacyEncodings.payload(RdbType.ZSET_LISTPACK, body(o ->
                o.writeString(new Listpack.Builder().append(b("m")).append(b("x")).build()))), "not a number");
        assertRefused(LegacyEncodings.payload(RdbType.MODULE_2, body(o -> o.writeLength(12345))), "Module values are not supported");
        assertRefused(LegacyEncodings.payload(8, new byte[] {0}), "Unknown RDB value type");
        assertRefused(LegacyEncodings.payload(RdbType.LIST_QUICKLIST_2, body(o -> {
            o.writeLength(1);
            o.writeLength(3);
            o.writeString(b("x"));
        })), "container");
        StreamId id = new StreamId(1, 1);
        RdbStream.Entry entry = new RdbStream.Entry(id, List.of(fv("a", "b")));
        RdbStream orphan = new RdbStream(List.of(entry), id, 1, StreamId.ZERO, id, List.of(new RdbStream.Group(b("g"), id, 1,
                List.of(new RdbStream.PendingEntry(id, 5, 1)), List.of())));
        assertRefused(DumpPayload.create(orphan), "PEL entry without consumer");
        RdbStream stranger = new RdbStream(List.of(entry), id, 1, StreamId.ZERO, id, List.of(new RdbStream.Group(b("g"), id, 1,
                List.of(), List.of(new RdbStream.Consumer(b("c"), 5, List.of(id))))));
        assertRefused(DumpPayload.create(stranger), "not found in group global PEL");
        RdbStream twice = new RdbStream(List.of(entry), id, 1, StreamId.ZERO, id, List.of(new RdbStream.Group(b("g"), id, 1,
                List.of(new RdbStream.PendingEntry(id, 5, 1)), List.of(new RdbStream.Consumer(b("c1"), 5, List.of(id)),
                        new RdbStream.Consumer(b("c2"), 5, List.of(id))))));
        assertRefused(DumpPayload.create(twice), "Duplicated consumer PEL entry");
        byte[] lyingNode = new Listpack.Builder().appendLong(1L << 40).appendLong(0).appendLong(0).appendLong(0).build();
        assertRefused(LegacyEncodings.payload(RdbType.STREAM_LISTPACKS_2, body(o -> {
            o.writeLength(1);
            o.writeString(new byte[16]);
            o.writeString(lyingNode);
        })), "bad master entry counts");
    }

    private static void assertRefused(byte[] payload, String reason) {
        assertThat(DumpPayload.verify(payload)).isTrue();
        assertThatThrownBy(() -> DumpPayload.read(payload)).isInstanceOf(RdbFormatException.class).hasMessageContaining(reason);
    }

    private static byte[] body(java.util.function.Consumer<RdbOutput> writer) {
        RdbOutput o = RdbOutput.inMemory(false);
        writer.accept(o);
        return o.toByteArray();
    }
}
