package io.moon.node.persist.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moon.node.persist.format.FormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
    @TempDir
    Path dir;

    private static byte[][] argv(String... s) {
        byte[][] a = new byte[s.length][];
        for (int i = 0; i < s.length; i++) a[i] = s[i].getBytes(StandardCharsets.UTF_8);
        return a;
    }

    private List<String> readAll(Path seg, boolean last) throws Exception {
        List<String> out = new ArrayList<>();
        WalSegment.recover(seg, 0, last, false, r -> out.add(r.lsn() + ":" + describe(r)));
        return out;
    }

    private static String describe(WalRecord.Read r) {
        if (r.type() != WalRecord.COMMAND) return "type" + r.type();
        var p = r.payload();
        int db = p.getShort();
        int argc = WalRecord.getVarint(p);
        StringBuilder sb = new StringBuilder("db" + db);
        for (int i = 0; i < argc; i++) {
            byte[] b = new byte[WalRecord.getVarint(p)];
            p.get(b);
            sb.append(' ').append(new String(b, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private Path writeSegment(int records) throws Exception {
        try (Wal wal = new Wal(dir, 0, 0, FsyncPolicy.ALWAYS)) {
            for (int i = 0; i < records; i++) wal.appendCommand(i % 3, argv("SET", "key" + i, "value" + i));
            wal.appendTxBegin(7, new int[] {0, 1});
            wal.appendTxCommit(7);
        }
        return WalSegment.list(dir).get(0);
    }

    @Test
    void roundTripKeepsOrderLsnAndContent() throws Exception {
        Path seg = writeSegment(100);
        List<String> all = readAll(seg, true);
        assertThat(all).hasSize(102);
        assertThat(all.get(0)).isEqualTo("1:db0 SET key0 value0");
        assertThat(all.get(99)).isEqualTo("100:db0 SET key99 value99");
        assertThat(all.get(100)).isEqualTo("101:type2");
        assertThat(WalSegment.baseLsn(seg)).isEqualTo(1);
    }

    /** Large compressible payloads are stored LZ4-compressed and read back whole; others as they are. */
    @Test
    void largePayloadsAreCompressedWhenThatPays() throws Exception {
        String text = "{\"name\":\"moon\",\"tags\":[\"a\",\"b\"]}".repeat(2_000); // 80 KB of JSON-like text
        byte[] noise = new byte[20_000];
        new java.util.Random(3).nextBytes(noise);
        String small = "v".repeat(100);
        try (Wal wal = new Wal(dir, 0, 0, FsyncPolicy.ALWAYS)) {
            wal.appendCommand(0, argv("SET", "doc", text));
            wal.appendCommand(1, new byte[][] {"SET".getBytes(), "noise".getBytes(), noise});
            wal.appendCommand(0, argv("SET", "small", small));
        }
        Path seg = WalSegment.list(dir).get(0);
        List<byte[]> payloads = new ArrayList<>();
        WalSegment.recover(seg, 0, true, false, r -> {
            byte[] b = new byte[r.payload().remaining()];
            r.payload().duplicate().get(b);
            payloads.add(b);
        });
        assertThat(readAll(seg, true)).containsExactly("1:db0 SET doc " + text,
                "2:" + describe(new WalRecord.Read(0, WalRecord.COMMAND, java.nio.ByteBuffer.wrap(payloads.get(1)).order(java.nio.ByteOrder.LITTLE_ENDIAN))),
                "3:db0 SET small " + small);
        // The file holds the document compressed: far smaller than the text itself.
        assertThat(java.nio.file.Files.size(seg)).isLessThan(text.length() / 4 + noise.length + 2_000);
        byte[] bytes = java.nio.file.Files.readAllBytes(seg);
        int first = io.moon.node.persist.format.FormatHeader.LENGTH;
        assertThat(bytes[first + WalRecord.FLAGS_OFFSET]).as("flags of the document's record").isEqualTo(WalRecord.FLAG_LZ4);
        int second = first + java.nio.ByteBuffer.wrap(bytes, first + WalRecord.LENGTH_OFFSET, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        assertThat(bytes[second + WalRecord.FLAGS_OFFSET]).as("random bytes do not compress: stored as they are").isZero();
        assertThat(payloads.get(1)).hasSizeGreaterThan(noise.length);
    }

    /** A compressed record whose CRC holds but whose block does not decode is damage, not data. */
    @Test
    void aCompressedRecordThatDoesNotDecodeIsDamage() throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(256).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int start = WalRecord.begin(b, 1, WalRecord.COMMAND, WalRecord.FLAG_LZ4);
        b.putInt(10_000).put(new byte[] {(byte) 0xF0, 1, 2, 3}); // claims 10,000 bytes, holds garbage
        WalRecord.finish(b, start);
        b.flip();
        assertThat(WalRecord.decode(b, 0)).isNull();
        java.nio.ByteBuffer unknown = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        start = WalRecord.begin(unknown, 1, WalRecord.COMMAND, (byte) 0x02);
        unknown.putShort((short) 0).put((byte) 0);
        WalRecord.finish(unknown, start);
        unknown.flip();
        assertThat(WalRecord.decode(unknown, 0)).as("a flag this version does not know").isNull();
    }

    @Test
    void tornTailIsCutAtEveryPossibleLength() throws Exception {
        Path seg = writeSegment(5);
        byte[] whole = Files.readAllBytes(seg);
        List<String> full = readAll(seg, true);
        for (int len = whole.length - 1; len > whole.length - 200 && len > 36; len--) {
            Files.write(seg, java.util.Arrays.copyOf(whole, len));
            List<String> got = new ArrayList<>();
            var rec = WalSegment.recover(seg, 0, true, false, r -> got.add(r.lsn() + ":" + describe(r)));
            assertThat(full).startsWith(got.toArray(new String[0]));
            assertThat(got.size()).isLessThan(full.size());
            assertThat(rec.bytesTruncated()).isEqualTo(len - rec.validBytes());
            assertThat(Files.size(seg)).as("file cut back to its valid prefix").isEqualTo(rec.validBytes());
        }
    }

    @Test
    void damageInTheMiddleStopsWithFileAndOffset() throws Exception {
        Path seg = writeSegment(20);
        byte[] b = Files.readAllBytes(seg);
        int mid = b.length / 2;
        b[mid] ^= 0x40;
        Files.write(seg, b);
        assertThatThrownBy(() -> readAll(seg, true)).isInstanceOf(FormatException.class)
                .hasMessageContaining(seg.toString()).hasMessageContaining("damage in the middle");
        // Salvage reads around the damaged record.
        List<String> got = new ArrayList<>();
        WalSegment.recover(seg, 0, true, true, r -> got.add(describe(r)));
        assertThat(got).hasSizeBetween(19, 21);
        assertThat(Files.size(seg)).isEqualTo(b.length); // salvage never cuts valid data
    }

    @Test
    void damageInAnOlderSegmentIsNeverTreatedAsATornTail() throws Exception {
        Path seg = writeSegment(3);
        byte[] b = Files.readAllBytes(seg);
        Files.write(seg, java.util.Arrays.copyOf(b, b.length - 3));
        assertThatThrownBy(() -> readAll(seg, false)).isInstanceOf(FormatException.class);
    }

    @Test
    void headerOfAnotherShardOrFormatIsRefused() throws Exception {
        Path seg = writeSegment(1);
        assertThatThrownBy(() -> WalSegment.recover(seg, 1, true, false, r -> {}))
                .hasMessageContaining("belongs to shard 0, expected shard 1");
        Files.write(seg, "not a wal".getBytes(), StandardOpenOption.TRUNCATE_EXISTING);
        assertThatThrownBy(() -> readAll(seg, true)).isInstanceOf(FormatException.class);
    }

    @Test
    void alwaysRunsDurabilityCallbacksInLsnOrderAfterTheForce() throws Exception {
        try (Wal wal = new Wal(dir, 0, 41, FsyncPolicy.ALWAYS)) {
            CountDownLatch done = new CountDownLatch(100);
            List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 100; i++) {
                long lsn = wal.appendCommand(0, argv("INCR", "n"));
                assertThat(lsn).isEqualTo(42 + i);
                wal.whenDurable(lsn, () -> {
                    seen.add(lsn);
                    done.countDown();
                });
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(seen).isSorted();
            assertThat(wal.durableLsn()).isEqualTo(141);
        }
        assertThat(WalSegment.baseLsn(WalSegment.list(dir).get(0))).isEqualTo(42);
    }

    @Test
    void everysecForcesWithinAboutASecond() throws Exception {
        try (Wal wal = new Wal(dir, 0, 0, FsyncPolicy.EVERYSEC)) {
            long lsn = wal.appendCommand(0, argv("SET", "a", "b"));
            long t0 = System.nanoTime();
            CountDownLatch d = new CountDownLatch(1);
            wal.whenDurable(lsn, d::countDown);
            assertThat(d.await(3, TimeUnit.SECONDS)).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2500);
        }
    }
}
