package io.moon.node.persist.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The header every Moon data file starts with (WAL segments, snapshots, the manifest), after
 * Lucene's CodecUtil: it says what the file is, in which version, for which shard, so a file from
 * another format, version or shard is refused with a clear message.
 *
 * <pre>
 *   offset  size  field
 *   0       4     MAGIC 0x4D4F4F4E ("MOON")
 *   4       8     format name, ASCII, zero padded ("WAL", "SNAPSHOT", "MANIFEST")
 *   12      2     version of that format
 *   14      2     shard (0xFFFF for node-wide files)
 *   16      8     file id (a WAL segment's base LSN, a snapshot's LSN)
 *   24      8     created at, Unix ms
 *   32      4     CRC32C of bytes 0..31
 * </pre>
 * All integers little endian. Source of truth: checked on every open.
 */
public record FormatHeader(String format, int version, int shard, long fileId, long createdMs) {
    public static final int MAGIC = 0x4D4F4F4E;
    public static final int MAGIC_OFFSET = 0, MAGIC_LENGTH = 4;
    public static final int NAME_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH, NAME_LENGTH = 8;
    public static final int VERSION_OFFSET = NAME_OFFSET + NAME_LENGTH, VERSION_LENGTH = 2;
    public static final int SHARD_OFFSET = VERSION_OFFSET + VERSION_LENGTH, SHARD_LENGTH = 2;
    public static final int FILE_ID_OFFSET = SHARD_OFFSET + SHARD_LENGTH, FILE_ID_LENGTH = 8;
    public static final int CREATED_OFFSET = FILE_ID_OFFSET + FILE_ID_LENGTH, CREATED_LENGTH = 8;
    public static final int CRC_OFFSET = CREATED_OFFSET + CREATED_LENGTH, CRC_LENGTH = 4;
    public static final int LENGTH = CRC_OFFSET + CRC_LENGTH;
    public static final int NODE_WIDE = 0xFFFF;

    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC);
        byte[] name = format.getBytes(StandardCharsets.US_ASCII);
        if (name.length > NAME_LENGTH) throw new IllegalArgumentException("format name too long: " + format);
        b.put(name).put(new byte[NAME_LENGTH - name.length]);
        b.putShort((short) version).putShort((short) shard).putLong(fileId).putLong(createdMs);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, CRC_OFFSET);
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    /**
     * Reads and checks a header: the magic, the CRC, the format name, a version in
     * [minVersion, maxVersion] and (unless {@code shard} is negative) the shard.
     */
    public static FormatHeader read(Path file, ByteBuffer in, String format, int minVersion, int maxVersion, int shard)
            throws FormatException {
        if (in.remaining() < LENGTH) throw new FormatException(file, 0, "header truncated (" + in.remaining() + " bytes; file truncated?)");
        ByteBuffer b = in.slice(in.position(), LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(MAGIC_OFFSET) != MAGIC) throw new FormatException(file, 0, "not a Moon file (bad magic)");
        CRC32C crc = new CRC32C();
        crc.update(b.slice(0, CRC_OFFSET));
        if ((int) crc.getValue() != b.getInt(CRC_OFFSET)) throw new FormatException(file, CRC_OFFSET, "header checksum mismatch (damaged header)");
        byte[] nameBytes = new byte[NAME_LENGTH];
        b.get(NAME_OFFSET, nameBytes);
        String name = new String(nameBytes, StandardCharsets.US_ASCII).replace("\0", "");
        if (!name.equals(format)) throw new FormatException(file, NAME_OFFSET, "is a " + name + " file, expected " + format);
        int version = Short.toUnsignedInt(b.getShort(VERSION_OFFSET));
        if (version < minVersion) throw new FormatException(file, VERSION_OFFSET, format + " version " + version + " is too old (supported: " + minVersion + ".." + maxVersion + ")");
        if (version > maxVersion) throw new FormatException(file, VERSION_OFFSET, format + " version " + version + " is too new (supported: " + minVersion + ".." + maxVersion + "); written by a newer Moon?");
        int fileShard = Short.toUnsignedInt(b.getShort(SHARD_OFFSET));
        if (shard >= 0 && fileShard != shard) throw new FormatException(file, SHARD_OFFSET, "belongs to shard " + fileShard + ", expected shard " + shard);
        in.position(in.position() + LENGTH);
        return new FormatHeader(name, version, fileShard, b.getLong(FILE_ID_OFFSET), b.getLong(CREATED_OFFSET));
    }
}
