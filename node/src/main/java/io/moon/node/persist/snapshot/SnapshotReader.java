package io.moon.node.persist.snapshot;

import io.moon.node.persist.LibraryLoader;
import io.moon.node.persist.format.FormatException;
import io.moon.node.persist.format.FormatHeader;
import io.moon.node.persist.rdb.RdbFormatException;
import io.moon.node.persist.rdb.RdbInput;
import io.moon.node.persist.rdb.RdbValue;
import io.moon.node.persist.rdb.RdbValueReader;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import io.moon.node.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * Reads a shard's snapshot ({@link SnapshotFormat}) as a stream, handing each key to a callback,
 * and checks the count and the checksum at the end: a damaged or truncated file fails, naming the
 * file and the offset, after which start-up stops (the caller has not opened the node). Function
 * libraries are handed over only once the checksum holds (their code runs when they load), and a
 * library that does not load fails the same way, at its entry's offset.
 */
public final class SnapshotReader {
    private SnapshotReader() {}

    /** Bytes read between two additions to the progress (keeps shared counters cold). */
    private static final long PROGRESS_STEP = 1 << 20;

    @FunctionalInterface
    public interface Sink {
        void entry(int db, byte[] key, long expireAt, RdbValue value);
    }

    /** A library entry read, loaded once the whole file has been checked. */
    private record SavedLibrary(long offset, byte[] code) {}

    /**
     * Reads {@code file}: keys to {@code sink}, function libraries to {@code libraries}, adding the
     * bytes read to {@code progress} (may be null) as it goes; returns the number of keys.
     */
    public static long read(Path file, int shard, Sink sink, LibraryLoader libraries, Progress progress) throws IOException {
        long size = Files.size(file);
        long reported = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            CRC32C crc = new CRC32C();
            CheckedInputStream checked = new CheckedInputStream(raw, crc);
            DataInputStream in = new DataInputStream(checked);
            byte[] h = new byte[FormatHeader.LENGTH];
            readFully(in, h, file, 0);
            FormatHeader header = FormatHeader.read(file, ByteBuffer.wrap(h), SnapshotFormat.FORMAT, 1,
                    SnapshotFormat.VERSION_CURRENT, shard);
            long offset = FormatHeader.LENGTH, count = 0;
            List<SavedLibrary> saved = new ArrayList<>();
            while (true) {
                int tag = in.read();
                if (tag < 0) throw new FormatException(file, offset, "snapshot truncated (no end marker; file truncated?)");
                offset++;
                if ((byte) tag == SnapshotFormat.END) {
                    long declared = Long.reverseBytes(in.readLong());
                    long expected = crc.getValue();
                    int stored = Integer.reverseBytes(new DataInputStream(raw).readInt());
                    if ((int) expected != stored) throw new FormatException(file, offset + 8, "snapshot checksum mismatch (damaged file)");
                    if (declared != count) throw new FormatException(file, offset, "snapshot says " + declared + " keys, holds " + count);
                    if (offset + 12 != size) throw new FormatException(file, offset + 12, "bytes after the end of the snapshot");
                    if (progress != null) progress.add(size - reported);
                    for (SavedLibrary lib : saved) {
                        try {
                            libraries.load(lib.code());
                        } catch (RuntimeException e) {
                            throw new FormatException(file, lib.offset(), e.getMessage());
                        }
                    }
                    return count;
                }
                if ((byte) tag == SnapshotFormat.LIBRARY && header.version() >= SnapshotFormat.VERSION_LIBRARIES) {
                    int len = varint(in, file, offset);
                    if (len > size) throw new FormatException(file, offset, "library length " + len + " past the end of the file");
                    byte[] code = new byte[len];
                    readFully(in, code, file, offset);
                    saved.add(new SavedLibrary(offset - 1, code));
                    offset += varintSize(len) + len;
                    continue;
                }
                if ((byte) tag != SnapshotFormat.ENTRY) throw new FormatException(file, offset - 1, "unknown entry tag " + tag);
                int db = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                byte[] key = new byte[varint(in, file, offset)];
                readFully(in, key, file, offset);
                long expireAt = Long.reverseBytes(in.readLong());
                int type = in.readUnsignedByte();
                int vlen = varint(in, file, offset);
                if (vlen > size) throw new FormatException(file, offset, "value length " + vlen + " past the end of the file");
                byte[] v = new byte[vlen];
                readFully(in, v, file, offset);
                RdbValue value;
                try {
                    value = RdbValueReader.read(type, RdbInput.of(v));
                } catch (RdbFormatException e) {
                    throw new FormatException(file, offset, "bad value of key '" + new String(key, java.nio.charset.StandardCharsets.UTF_8) + "': " + e.getMessage());
                }
                offset += 2 + varintSize(key.length) + key.length + 8 + 1 + varintSize(vlen) + vlen;
                sink.entry(db, key, expireAt, value);
                count++;
                if (progress != null && offset - reported >= PROGRESS_STEP) {
                    progress.add(offset - reported);
                    reported = offset;
                }
            }
        } catch (EOFException e) {
            throw new FormatException(file, size, "snapshot truncated (file truncated?)");
        }
    }

    private static int varintSize(int v) {
        int n = 1;
        while ((v & ~0x7f) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static void readFully(DataInputStream in, byte[] b, Path file, long offset) throws IOException {
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new FormatException(file, offset, "snapshot truncated (file truncated?)");
        }
    }

    private static int varint(DataInputStream in, Path file, long offset) throws IOException {
        int v = 0, shift = 0;
        int b;
        do {
            if (shift > 28) throw new FormatException(file, offset, "bad length");
            b = in.readUnsignedByte();
            v |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return v;
    }
}
