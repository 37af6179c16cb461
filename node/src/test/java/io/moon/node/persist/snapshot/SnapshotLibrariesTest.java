package io.moon.node.persist.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moon.node.persist.format.FormatException;
import io.moon.node.persist.format.FormatHeader;
import io.moon.node.persist.rdb.RdbString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot format's LIBRARY entries (version 2): written at the cut before the keys, handed
 * to the loader only once the whole file checks out, refused at their offset when they do not
 * load; version 1 files (no libraries) still read.
 */
class SnapshotLibrariesTest {
    @TempDir
    Path tmp;

    private static final byte[] LIB_A = bytes("#!lua name=liba\nredis.register_function('fa', function() return 1 end)");
    private static final byte[] LIB_B = bytes("#!lua name=libb\n" + "-- padding\n".repeat(300)
            + "redis.register_function('fb', function() return 2 end)");

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** What one read handed over, in order. */
    private record Read(long keys, List<String> keyNames, List<String> libraries) {}

    private Path write(List<byte[]> libraries, int keys) throws IOException {
        SnapshotWriter w = new SnapshotWriter(tmp.resolve("snap"), 0, 42);
        for (byte[] code : libraries) w.addLibrary(code);
        for (int i = 0; i < keys; i++) w.add(i % 3, bytes("key:" + i), i == 0 ? 1_900_000_000_000L : -1, new RdbString(bytes("value-" + i)));
        w.finish();
        return w.target();
    }

    private static Read read(Path file) throws IOException {
        List<String> keyNames = new ArrayList<>(), libraries = new ArrayList<>();
        long n = SnapshotReader.read(file, 0, (db, key, expireAt, value) -> keyNames.add(db + ":" + new String(key, StandardCharsets.UTF_8)),
                code -> libraries.add(new String(code, StandardCharsets.UTF_8)), null);
        return new Read(n, keyNames, libraries);
    }

    /** Rewrites a file with {@code change} applied and its closing checksum made right again. */
    private static void rewrite(Path file, java.util.function.Consumer<byte[]> change) throws IOException {
        byte[] b = Files.readAllBytes(file);
        change.accept(b);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b, b.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        Files.write(file, b);
    }

    @Test
    void librariesComeBackInOrderBesideTheKeys() throws IOException {
        Path file = write(List.of(LIB_A, LIB_B), 50);
        Read r = read(file);
        assertThat(r.libraries()).containsExactly(new String(LIB_A, StandardCharsets.UTF_8), new String(LIB_B, StandardCharsets.UTF_8));
        assertThat(r.keys()).isEqualTo(50);
        assertThat(r.keyNames()).hasSize(50).contains("0:key:0", "1:key:49");
        // The entry sits right after the header: tag, length, code.
        byte[] b = Files.readAllBytes(file);
        assertThat(b[FormatHeader.LENGTH]).isEqualTo(SnapshotFormat.LIBRARY);
        assertThat(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort(FormatHeader.VERSION_OFFSET))
                .isEqualTo((short) SnapshotFormat.VERSION_CURRENT);
    }

    @Test
    void aSnapshotWithoutLibrariesReadsAsBefore() throws IOException {
        Read r = read(write(List.of(), 10));
        assertThat(r.libraries()).isEmpty();
        assertThat(r.keys()).isEqualTo(10);
    }

    @Test
    void aVersionOneSnapshotIsStillRead() throws IOException {
        Path file = write(List.of(), 20);
        rewrite(file, b -> setVersion(b, 1));
        Read r = read(file);
        assertThat(r.keys()).isEqualTo(20);
        assertThat(r.libraries()).isEmpty();
    }

    @Test
    void aLibraryEntryInAVersionOneSnapshotIsDamage() throws IOException {
        Path file = write(List.of(LIB_A), 5);
        rewrite(file, b -> setVersion(b, 1));
        assertThatThrownBy(() -> read(file)).isInstanceOf(FormatException.class)
                .hasMessage(file + " at offset " + FormatHeader.LENGTH + ": unknown entry tag 2");
    }

    private static void setVersion(byte[] b, int version) {
        ByteBuffer h = new FormatHeader(SnapshotFormat.FORMAT, version, 0, 42, 1).encode();
        h.get(0, b, 0, FormatHeader.LENGTH);
    }

    /** A damaged file loads no library: their code runs only once the checksum holds. */
    @Test
    void aDamagedFileHandsOverNoLibrary() throws IOException {
        Path file = write(List.of(LIB_A), 30);
        byte[] b = Files.readAllBytes(file);
        b[b.length - 40] ^= 0x10;
        Files.write(file, b);
        List<byte[]> loaded = new ArrayList<>();
        assertThatThrownBy(() -> SnapshotReader.read(file, 0, (db, key, expireAt, value) -> {}, loaded::add, null))
                .isInstanceOf(FormatException.class).hasMessageContaining(file.toString()).hasMessageContaining(" at offset ");
        assertThat(loaded).isEmpty();
    }

    /** A library the loader refuses stops the read at that library's entry, with the loader's reason. */
    @Test
    void aLibraryThatDoesNotLoadIsReportedAtItsOffset() throws IOException {
        Path file = write(List.of(LIB_A, LIB_B), 3);
        long second = FormatHeader.LENGTH + 1 + 1 + LIB_A.length; // LIB_A's length fits one varint byte
        assertThatThrownBy(() -> SnapshotReader.read(file, 0, (db, key, expireAt, value) -> {}, code -> {
            if (new String(code, StandardCharsets.UTF_8).contains("libb")) throw new IllegalArgumentException("library 'libb' refused");
        }, null)).isInstanceOf(FormatException.class).hasMessage(file + " at offset " + second + ": library 'libb' refused");
    }

    @Test
    void aTruncatedLibraryEntryIsReportedAsTruncation() throws IOException {
        Path file = write(List.of(LIB_B), 0);
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, FormatHeader.LENGTH + 100));
        assertThatThrownBy(() -> read(file)).isInstanceOf(FormatException.class)
                .hasMessage(file + " at offset " + (FormatHeader.LENGTH + 1) + ": library length " + LIB_B.length
                        + " past the end of the file");
    }

    @Test
    void aWrongLibraryLengthIsDamage() throws IOException {
        Path file = write(List.of(LIB_A), 0);
        // The length (one varint byte for LIB_A) made longer than the code: what follows is garbage.
        rewrite(file, b -> b[FormatHeader.LENGTH + 1] = (byte) 0x7f);
        assertThatThrownBy(() -> read(file)).isInstanceOf(FormatException.class).hasMessageContaining(file.toString());
    }
}
