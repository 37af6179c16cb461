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
