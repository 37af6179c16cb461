package io.moon.node.persist.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a whole RDB file ({@link RdbFormat}) as a stream, handing each key to a
 * {@link RdbVisitor} as soon as it is decoded, so only one value is in memory at a time. Accepts
 * versions {@link RdbFormat#VERSION_MIN} to {@link RdbFormat#VERSION_CURRENT}, checks the
 * trailing CRC-64 (unless it is 0: written with checksums off), and fails with an
 * {@link RdbFormatException} naming the offset (and the key, for a bad value) on anything else:
 * a bad header, a truncated file, module data, an unknown opcode or type, a corrupt value. Bytes
 * after the checksum are ignored, as Redis ignores them.
 */
public final class RdbFileReader {
    /** How the trailing checksum was found. */
    public enum Checksum { VERIFIED, DISABLED_IN_FILE, ABSENT_BEFORE_VERSION_5 }

    /** What a complete read found. */
    public record Summary(int version, long keys, long emptyKeysSkipped, Checksum checksum, long bytes) {}

    private static final long PROGRESS_STEP = 4L << 20;

    private final RdbInput in;

    /** Reads {@code totalBytes} bytes from {@code stream} (-1: unknown). The caller closes the stream. */
    public RdbFileReader(InputStream stream, long totalBytes) {
        this.in = RdbInput.of(stream, totalBytes);
    }

    public RdbFileReader(byte[] file) {
        this.in = RdbInput.of(file);
    }

    /** Bytes read so far. */
    public long position() { return in.position(); }

    public Summary read(RdbVisitor visitor) throws IOException {
        in.enableCrc();
        int version = readHeader();
        visitor.onHeader(version);
        long db = 0, keys = 0, empty = 0, lastProgress = 0;
        long expireAt = RdbKey.NO_EXPIRE, idle = -1;
        int freq = -1;
        while (true) {
            long opStart = in.position();
            int type = in.readUnsignedByte();
            switch (type) {
                case RdbOpcode.EXPIRETIME -> {
                    expireAt = in.readInt32LE() * 1000L;
                    continue;
                }
                case RdbOpcode.EXPIRETIME_MS -> {
                    expireAt = in.readInt64LE();
                    continue;
                }
                case RdbOpcode.FREQ -> {
                    freq = in.readUnsignedByte();
                    continue;
                }
                case RdbOpcode.IDLE -> {
                    idle = in.readCount();
                    continue;
                }
                case RdbOpcode.SELECTDB -> {
                    db = in.readCount();
                    visitor.onSelectDb(db);
                    continue;
                }
                case RdbOpcode.RESIZEDB -> {
                    long size = in.readCount();
                    long expires = in.readCount();
                    visitor.onResizeDb(db, size, expires);
                    continue;
                }
                case RdbOpcode.AUX -> {
                    byte[] key = in.readString();
                    byte[] value = in.readString();
                    visitor.onAux(key, value);
                    continue;
                }
                case RdbOpcode.FUNCTION2 -> {
                    visitor.onFunction(in.readString());
                    continue;
                }
                case RdbOpcode.FUNCTION -> {
                    visitor.onFunction(readOldFunction());
                    continue;
                }
                case RdbOpcode.MODULE_AUX ->
                    throw new RdbFormatException("The RDB file contains module auxiliary data, which is not supported", opStart);
                case RdbOpcode.EOF -> {
                    Checksum checksum = readChecksum(version);
                    visitor.onProgress(in.position(), in.total());
                    return new Summary(version, keys, empty, checksum, in.position());
                }
                default -> {
                    if (!RdbType.isValueType(type)) {
                        throw new RdbFormatException("Unknown RDB opcode or value type " + type, opStart);
                    }
                }
            }
            byte[] key = in.readString();
            RdbValue value;
            try {
                value = RdbValueReader.read(type, in);
            } catch (RdbFormatException e) {
                throw e.withContext("key '" + printable(key) + "' in db " + db);
            }
            if (value.isEmptyCollection()) {
                empty++;
                visitor.onEmptyKeySkipped(db, key);
            } else {
                keys++;
                visitor.onKey(new RdbKey(db, key, value, expireAt, idle, freq));
            }
            expireAt = RdbKey.NO_EXPIRE;
            idle = -1;
            freq = -1;
            if (in.position() - lastProgress >= PROGRESS_STEP) {
                lastProgress = in.position();
                visitor.onProgress(lastProgress, in.total());
            }
        }
    }

    private int readHeader() throws RdbFormatException {
        byte[] header = new byte[RdbFormat.HEADER_LENGTH];
        in.readFully(header, 0, header.length);
        for (int i = 0; i < RdbFormat.MAGIC.length; i++) {
            if (header[i] != RdbFormat.MAGIC[i]) throw new RdbFormatException("Wrong signature: not an RDB file", 0);
        }
        int version = 0;
        for (int i = RdbFormat.MAGIC.length; i < header.length; i++) {
            if (header[i] < '0' || header[i] > '9') throw new RdbFormatException("Bad RDB version digits", i);
            version = version * 10 + (header[i] - '0');
        }
        if (version < RdbFormat.VERSION_MIN || version > RdbFormat.VERSION_CURRENT) {
            throw new RdbFormatException("Can't handle RDB format version " + version + " (expected: "
                    + RdbFormat.VERSION_MIN + ".." + RdbFormat.VERSION_CURRENT + ")", 5);
        }
        return version;
    }

    /** RDB_OPCODE_FUNCTION of 7.0 rc1/rc2, turned into the later payload as rdbFunctionLoad does. */
    private byte[] readOldFunction() throws RdbFormatException {
        String name = new String(in.readString(), StandardCharsets.ISO_8859_1);
        String engine = new String(in.readString(), StandardCharsets.ISO_8859_1);
        if (in.readLength() != 0) in.readString(); // description, dropped
        String code = new String(in.readString(), StandardCharsets.ISO_8859_1);
        return ("#!" + engine + " name=" + name + "\n" + code).getBytes(StandardCharsets.ISO_8859_1);
    }

    private Checksum readChecksum(int version) throws RdbFormatException {
        if (version < RdbFormat.VERSION_WITH_CHECKSUM) return Checksum.ABSENT_BEFORE_VERSION_5;
        long expected = in.crc();
        long at = in.position();
        long stored = in.readInt64LE();
        if (stored == 0) return Checksum.DISABLED_IN_FILE;
        if (stored != expected) {
            throw new RdbFormatException("RDB CRC error: file has " + Long.toHexString(stored) + ", content gives "
                    + Long.toHexString(expected), at);
        }
        return Checksum.VERIFIED;
    }

    /** A key for a message: printable ASCII kept, the rest as \xNN, at most 64 bytes shown. */
    static String printable(byte[] key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(key.length, 64); i++) {
            int c = key[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') sb.append((char) c);
            else sb.append(String.format("\\x%02x", c));
        }
        if (key.length > 64) sb.append("...");
        return sb.toString();
    }
}
