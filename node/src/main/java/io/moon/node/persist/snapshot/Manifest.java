package io.moon.node.persist.snapshot;

import io.moon.node.persist.format.FormatException;
import io.moon.node.persist.format.FormatHeader;
import io.moon.node.persist.wal.WalSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The checkpoint: which snapshot of each shard is current, and the LSN it covers (its cut). A
 * node-wide file {@code <dir>/MANIFEST}, source of truth, replaced atomically (written to
 * {@code MANIFEST.tmp}, forced, renamed over, directory forced), so a crash leaves either the old
 * or the new one. Log segments and snapshots older than it may go once it is written.
 *
 * <pre>
 *   the common header: "MANIFEST", version 1, shard 0xFFFF, file id = snapshot id (Unix ms of the cut)
 *   u16     number of shards
 *   per shard: u64 LSN of the cut
 *   u32     CRC32C of every byte before it
 * </pre>
 * The snapshot of shard n is {@code shard-n/snapshot/<its LSN, 20 digits>.snap}.
 */
public record Manifest(long snapshotId, long[] lsn) {
    public static final String FORMAT = "MANIFEST";
    public static final int VERSION_CURRENT = 1;

    public static Path path(Path dir) { return dir.resolve("MANIFEST"); }

    public static Path snapshotPath(Path dir, int shard, long lsn) {
        return io.moon.node.persist.DataDir.snapshotDir(dir, shard).resolve(String.format("%020d", lsn) + SnapshotFormat.SUFFIX);
    }

    public void write(Path dir) throws IOException {
        ByteBuffer h = new FormatHeader(FORMAT, VERSION_CURRENT, FormatHeader.NODE_WIDE, snapshotId, System.currentTimeMillis()).encode();
        ByteBuffer b = ByteBuffer.allocate(h.remaining() + 2 + 8 * lsn.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(h).putShort((short) lsn.length);
        for (long l : lsn) b.putLong(l);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue()).flip();
        Path tmp = dir.resolve("MANIFEST.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        Files.move(tmp, path(dir), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        WalSegment.syncDirectory(dir);
    }

    /** The current manifest, or null when the node never finished a snapshot. */
    public static Manifest read(Path dir, int shards) throws IOException {
        Path p = path(dir);
        if (!Files.exists(p)) return null;
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        FormatHeader h = FormatHeader.read(p, b, FORMAT, 1, VERSION_CURRENT, -1);
        if (b.remaining() < 6) throw new FormatException(p, b.position(), "manifest truncated");
        int n = Short.toUnsignedInt(b.getShort());
        if (n != shards) {
            throw new FormatException(p, FormatHeader.LENGTH, "written by a node with " + n + " shard(s); this node has " + shards
                    + " (start it with --shards " + n + ")");
        }
        if (b.remaining() != 8L * n + 4) throw new FormatException(p, b.position(), "manifest truncated");
        long[] lsn = new long[n];
        for (int i = 0; i < n; i++) lsn[i] = b.getLong();
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        if ((int) crc.getValue() != b.getInt()) throw new FormatException(p, b.position() - 4, "manifest checksum mismatch");
        return new Manifest(h.fileId(), lsn);
    }
}
