package io.moon.node.persist.snapshot;

import io.moon.node.persist.format.FormatHeader;
import io.moon.node.persist.rdb.RdbOutput;
import io.moon.node.persist.rdb.RdbValue;
import io.moon.node.persist.rdb.RdbValueWriter;
import io.moon.node.persist.rdb.RdbWriteOptions;
import io.moon.node.persist.wal.WalSegment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.CRC32C;

/**
 * Writes one shard's snapshot ({@link SnapshotFormat}). Entries are encoded into memory chunks by
 * the shard's loop; a writer thread puts the chunks on disk and keeps the checksum, so the loop
 * never waits on the disk. {@link #wantsMore} is false while the writer is behind (the loop then
 * slows down instead of piling up memory).
 */
public final class SnapshotWriter {
    private static final int CHUNK = 1 << 20;
    private static final byte[] POISON = new byte[0];

    private final Path tmp, target;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(8);
    private final Thread thread;
    private ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK + 4096);
    private long entries;
    private volatile IOException failure;
    private final RdbWriteOptions options = RdbWriteOptions.DEFAULTS;
    /** An entry's fixed fields at their longest: tag, db, key length, expiry, type, value length. */
    private static final int HEADER_MAX = 1 + 2 + 5 + 8 + 1 + 5;
    private ByteBuffer header = ByteBuffer.allocate(HEADER_MAX + 256).order(ByteOrder.LITTLE_ENDIAN);
    private final RdbOutput valueOut = RdbOutput.inMemory(true);

    public SnapshotWriter(Path dir, int shard, long lsn) throws IOException {
        Files.createDirectories(dir);
        this.target = dir.resolve(String.format("%020d", lsn) + SnapshotFormat.SUFFIX);
        this.tmp = dir.resolve(target.getFileName() + ".tmp");
        FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        thread = new Thread(() -> drain(ch, new FormatHeader(SnapshotFormat.FORMAT, SnapshotFormat.VERSION_CURRENT, shard, lsn,
                System.currentTimeMillis()).encode()), "moon-snapshot-" + shard);
        thread.setDaemon(true);
        thread.start();
    }

    public Path target() { return target; }

    /** Encodes one key (on the shard's loop). */
    public void add(int db, byte[] key, long expireAt, RdbValue value) {
        // One value buffer and one header buffer for every key: a snapshot of millions of small
        // keys must not make garbage per key.
        valueOut.reset();
        int type = RdbValueWriter.typeFor(value, options);
        RdbValueWriter.write(valueOut, value, type, options);
        ByteBuffer b = header;
        if (b.capacity() < HEADER_MAX + key.length) b = header = ByteBuffer.allocate(HEADER_MAX + key.length).order(ByteOrder.LITTLE_ENDIAN);
        b.clear();
        b.put(SnapshotFormat.ENTRY).putShort((short) db);
        putVarint(b, key.length);
        b.put(key).putLong(expireAt).put((byte) type);
        putVarint(b, valueOut.length());
        chunk.write(b.array(), 0, b.position());
        valueOut.copyTo(chunk);
        entries++;
        if (chunk.size() >= CHUNK) handOff();
    }

    /** Writes one function library (shard 0, at the cut, before any key). */
    public void addLibrary(byte[] code) {
        ByteBuffer b = ByteBuffer.allocate(1 + 5).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SnapshotFormat.LIBRARY);
        putVarint(b, code.length);
        chunk.write(b.array(), 0, b.position());
        chunk.write(code, 0, code.length);
        if (chunk.size() >= CHUNK) handOff();
    }

    /** False while the writer thread is behind: the caller should come back later. */
    public boolean wantsMore() { return queue.remainingCapacity() > 1; }

    /** Writes the end, forces the file and renames it into place (blocks the caller until done). */
    public void finish() throws IOException {
        ByteBuffer end = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
        end.put(SnapshotFormat.END).putLong(entries);
        chunk.write(end.array(), 0, 9);
        handOff();
        put(POISON);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while finishing " + target);
        }
        if (failure != null) throw failure;
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        WalSegment.syncDirectory(target.getParent());
    }

    /** Gives up: stops the writer and removes the partial file. */
    public void abandon() {
        queue.clear();
        put(POISON);
        try {
            thread.join(10_000);
            Files.deleteIfExists(tmp);
        } catch (InterruptedException | IOException ignored) {
            // a leftover .tmp is removed at the next start
        }
    }

    public IOException failure() { return failure; }

    private void handOff() {
        if (chunk.size() == 0) return;
        put(chunk.toByteArray());
        chunk = new ByteArrayOutputStream(CHUNK + 4096);
    }

    /** Queues a chunk; gives up once the writer thread has failed (finish() then reports it). */
    private void put(byte[] b) {
        try {
            while (!queue.offer(b, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (failure != null || !thread.isAlive()) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain(FileChannel ch, ByteBuffer header) {
        CRC32C crc = new CRC32C();
        try (ch) {
            crc.update(header.duplicate());
            while (header.hasRemaining()) ch.write(header);
            while (true) {
                byte[] b = queue.take();
                if (b == POISON) break;
                crc.update(b);
                ByteBuffer w = ByteBuffer.wrap(b);
                while (w.hasRemaining()) ch.write(w);
            }
            ByteBuffer c = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).flip();
            while (c.hasRemaining()) ch.write(c);
            ch.force(true);
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            failure = new IOException("snapshot writer interrupted");
        }
    }

    static void putVarint(ByteBuffer out, int v) {
        while ((v & ~0x7f) != 0) {
            out.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }
}
