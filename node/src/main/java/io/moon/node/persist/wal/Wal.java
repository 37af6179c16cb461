package io.moon.node.persist.wal;

import io.moon.node.protocol.CommandBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard's write-ahead log: the shard's loop appends records to a memory buffer (no system
 * call on the command path); this log's writer thread ("moon-wal-N") swaps the buffer out,
 * writes it to the current segment and forces it to disk per the {@link FsyncPolicy}. Under
 * ALWAYS it wakes on every append and forces at once, so appends made while one force runs are
 * written and forced together (group commit). {@link #whenDurable} runs a callback once a given
 * LSN is on disk: connections use it to hold replies under ALWAYS.
 *
 * <p>When writing or forcing fails (disk full, I/O error), the data stays buffered, the file is
 * cut back to its last whole write, {@link #failure} is set (writes are then refused with MISCONF
 * by the command path), and the writer retries every 100 ms; once a retry succeeds, writes
 * resume. Nothing already durable is touched.
 *
 * <p>Thread rules: {@code append*} on the shard's loop (or the thread holding the shard);
 * everything else is thread-safe.
 */
public final class Wal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Wal.class);
    /** Default size at which a segment is closed and the next begun (setting wal-segment-size). */
    public static final long SEGMENT_BYTES = 64L << 20;
    private volatile long segmentBytes = SEGMENT_BYTES;
    /**
     * Space written with zeros ahead of the records: records only overwrite space the file already
     * owns, so a full disk shows when the reserve cannot be extended, and is refused (MISCONF)
     * while the records already accepted still fit. It also spares fdatasync a size change.
     */
    static final long RESERVE_BYTES = 4L << 20, EXTEND_BYTES = 16L << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20);

    private final Path dir;
    private final int shard;
    private volatile FsyncPolicy policy;
    private final Object lock = new Object();

    // --- appender side (guarded by lock) ---
    private ByteBuffer active = ByteBuffer.allocate(64 << 10).order(ByteOrder.LITTLE_ENDIAN);
    private long appendedLsn;
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>();
    private boolean closing;

    // --- writer side (writer thread only, except the volatiles) ---
    /** Written buffers kept for reuse (writer thread only; a buffer past 4 MB is dropped instead). */
    private final ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> unwritten = new ArrayDeque<>();
    private FileChannel channel;
    /** End of the records in the current segment. */
    private long segmentSize;
    /** Bytes the current segment's file owns (records plus zeroed reserve). */
    private long allocated;
    private long lastSync = System.currentTimeMillis();
    private volatile long writtenLsn;
    private volatile long durableLsn;
    private volatile IOException failure;
    private final Thread writer;

    private record Waiter(long lsn, long seq, Runnable action) implements Comparable<Waiter> {
        @Override
        public int compareTo(Waiter o) { return lsn != o.lsn ? Long.compare(lsn, o.lsn) : Long.compare(seq, o.seq); }
    }

    private long waiterSeq;

    /**
     * Opens the log of a shard after recovery: new records continue at {@code lastLsn + 1} in a
     * new segment (recovered segments are never appended to, so a repaired file is never at
     * risk again).
     */
    public Wal(Path dir, int shard, long lastLsn, FsyncPolicy policy) throws IOException {
        this.dir = dir;
        this.shard = shard;
        this.policy = policy;
        Files.createDirectories(dir);
        this.appendedLsn = lastLsn;
        this.writtenLsn = lastLsn;
        this.durableLsn = lastLsn;
        openSegment(lastLsn + 1);
        writer = new Thread(this::writeLoop, "moon-wal-" + shard);
        writer.setDaemon(true);
        writer.start();
    }

    public void policy(FsyncPolicy p) { this.policy = p; }
    public void segmentBytes(long bytes) { this.segmentBytes = bytes; }
    public FsyncPolicy policy() { return policy; }
    public int shard() { return shard; }
    public Path dir() { return dir; }
    public long appendedLsn() { synchronized (lock) { return appendedLsn; } }
    public long durableLsn() { return durableLsn; }
    /** The last write or force error, or null when the log is healthy. */
    public IOException failure() { return failure; }

    /** Appends a COMMAND record: the database and the arguments of a command in the arena. */
    public long appendCommand(int db, CommandBuffer args, int fa, int argc) {
        int size = 2 + 5;
        for (int a = 0; a < argc; a++) size += 5 + args.length(fa + a);
        if (size >= PayloadCompression.MIN_BYTES) {
            byte[][] argv = new byte[argc][];
            for (int a = 0; a < argc; a++) {
                int off = args.offset(fa + a);
                argv[a] = java.util.Arrays.copyOfRange(args.data(), off, off + args.length(fa + a));
            }
            return appendCommand(db, argv);
        }
        synchronized (lock) {
            ByteBuffer b = room(WalRecord.OVERHEAD + size);
            long lsn = ++appendedLsn;
            int start = WalRecord.begin(b, lsn, WalRecord.COMMAND);
            b.putShort((short) db);
            WalRecord.putVarint(b, argc);
            for (int a = 0; a < argc; a++) {
                int len = args.length(fa + a);
                WalRecord.putVarint(b, len);
                b.put(args.data(), args.offset(fa + a), len);
            }
            WalRecord.finish(b, start);
            wake();
            return lsn;
        }
    }

    /** Appends a COMMAND record from separate argument arrays (rewritten commands). */
    public long appendCommand(int db, byte[][] argv) {
        int size = 2 + 5;
        for (byte[] a : argv) size += 5 + a.length;
        if (size >= PayloadCompression.MIN_BYTES) {
            // Encoded and compressed outside the lock: the log writer is not held up meanwhile.
            ByteBuffer raw = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            raw.putShort((short) db);
            WalRecord.putVarint(raw, argv.length);
            for (byte[] a : argv) {
                WalRecord.putVarint(raw, a.length);
                raw.put(a);
            }
            byte[] packed = PayloadCompression.compress(raw.array(), raw.position());
            if (packed != null) {
                synchronized (lock) {
                    ByteBuffer b = room(WalRecord.OVERHEAD + packed.length);
                    long lsn = ++appendedLsn;
                    int start = WalRecord.begin(b, lsn, WalRecord.COMMAND, WalRecord.FLAG_LZ4);
                    b.put(packed);
                    WalRecord.finish(b, start);
                    wake();
                    return lsn;
                }
            }
        }
        synchronized (lock) {
            ByteBuffer b = room(WalRecord.OVERHEAD + size);
            long lsn = ++appendedLsn;
            int start = WalRecord.begin(b, lsn, WalRecord.COMMAND);
            b.putShort((short) db);
            WalRecord.putVarint(b, argv.length);
            for (byte[] a : argv) {
                WalRecord.putVarint(b, a.length);
                b.put(a);
            }
            WalRecord.finish(b, start);
            wake();
            return lsn;
        }
    }

    /** Appends TX_BEGIN for a transaction over {@code shards}. */
    public long appendTxBegin(long txid, int[] shards) {
        synchronized (lock) {
            ByteBuffer b = room(WalRecord.OVERHEAD + 10 + 2 * shards.length);
            long lsn = ++appendedLsn;
            int start = WalRecord.begin(b, lsn, WalRecord.TX_BEGIN);
            b.putLong(txid).putShort((short) shards.length);
            for (int s : shards) b.putShort((short) s);
            WalRecord.finish(b, start);
            wake();
            return lsn;
        }
    }

    public long appendTxCommit(long txid) {
        synchronized (lock) {
            ByteBuffer b = room(WalRecord.OVERHEAD + 8);
            long lsn = ++appendedLsn;
            int start = WalRecord.begin(b, lsn, WalRecord.TX_COMMIT);
            b.putLong(txid);
            WalRecord.finish(b, start);
            wake();
            return lsn;
        }
    }

    private ByteBuffer room(int bytes) {
        if (active.remaining() < bytes) {
            int cap = Math.max(active.capacity() * 2, active.position() + bytes);
            ByteBuffer bigger = ByteBuffer.allocate(cap).order(ByteOrder.LITTLE_ENDIAN);
            active.flip();
            bigger.put(active);
            active = bigger;
        }
        return active;
    }

    private void wake() {
        if (policy == FsyncPolicy.ALWAYS) lock.notify();
    }

    /** Runs {@code action} (on the writer thread, or at once) when {@code lsn} is durable. */
    public void whenDurable(long lsn, Runnable action) {
        synchronized (lock) {
            if (lsn > durableLsn) {
                waiters.add(new Waiter(lsn, waiterSeq++, action));
                lock.notify();
                return;
            }
        }
        action.run();
    }

    private void writeLoop() {
        while (true) {
            long upTo;
            synchronized (lock) {
                try {
                    while (!closing && active.position() == 0 && unwritten.isEmpty() && !dueSync()) {
                        lock.wait(failure != null ? 100 : policy == FsyncPolicy.EVERYSEC ? 200 : 1000);
                        if (failure != null) break;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (closing && active.position() == 0 && unwritten.isEmpty()) break;
                if (active.position() > 0) {
                    ByteBuffer full = active;
                    ByteBuffer next = pool.poll();
                    active = next != null ? next : ByteBuffer.allocate(64 << 10).order(ByteOrder.LITTLE_ENDIAN);
                    full.flip();
                    unwritten.add(full);
                }
                upTo = appendedLsn;
            }
            flush(upTo);
        }
        flush(appendedLsnUnlocked());
        try {
            channel.truncate(segmentSize); // a clean stop leaves no reserve behind
            channel.force(true);
            channel.close();
        } catch (IOException ignored) {
            // closing after a final flush; nothing left to save
        }
    }

    private long appendedLsnUnlocked() { synchronized (lock) { return appendedLsn; } }

    private boolean dueSync() {
        return policy == FsyncPolicy.EVERYSEC && writtenLsn > durableLsn && System.currentTimeMillis() - lastSync >= 1000;
    }

    /** Writes what is buffered and forces per policy; on error keeps it for the next try. */
    private void flush(long upTo) {
        try {
            // Rotate only between flushes: then every record written so far is <= writtenLsn and
            // the new segment's base LSN is exactly the next record's.
            if (segmentSize >= segmentBytes && !unwritten.isEmpty()) rotate();
            while (!unwritten.isEmpty()) {
                ByteBuffer buf = unwritten.peek();
                if (segmentSize + buf.remaining() > allocated) {
                    try {
                        extend(segmentSize + buf.remaining() + EXTEND_BYTES);
                    } catch (IOException full) {
                        extend(segmentSize + buf.remaining()); // at least the records themselves
                    }
                }
                while (buf.hasRemaining()) segmentSize += channel.write(buf, segmentSize);
                unwritten.poll();
                if (buf.capacity() <= (4 << 20)) pool.add(buf.clear());
            }
            writtenLsn = upTo;
            // Keep a reserve ahead: failing here refuses new writes, but what is accepted still fits.
            if (allocated - segmentSize < RESERVE_BYTES) {
                if (failure != null) {
                    // Coming back from a full disk: take only the minimum, so that the space freed
                    // is shared with the other shards' logs instead of going to the first to retry.
                    extend(segmentSize + RESERVE_BYTES);
                } else {
                    try {
                        extend(segmentSize + EXTEND_BYTES);
                    } catch (IOException full) {
                        extend(segmentSize + RESERVE_BYTES); // a smaller reserve, or the failure
                    }
                }
            }
            FsyncPolicy p = policy;
            long now = System.currentTimeMillis();
            if (p == FsyncPolicy.ALWAYS || (p == FsyncPolicy.EVERYSEC && now - lastSync >= 1000) || closing) {
                if (writtenLsn > durableLsn) channel.force(false);
                lastSync = now;
                durableLsn = writtenLsn;
            } else if (p == FsyncPolicy.NO) {
                durableLsn = writtenLsn; // as durable as this policy makes anything
            }
            if (failure != null) {
                log.warn("Shard {} write-ahead log writable again; writes resume", shard);
                failure = null;
            }
        } catch (IOException e) {
            if (failure == null) log.error("Shard {} write-ahead log failed: {}; refusing writes until it recovers", shard, e.toString());
            failure = e;
            // A buffer that failed midway is written again from its start at the same position
            // (positional writes over owned space: nothing torn is left behind it).
            for (ByteBuffer b : unwritten) {
                segmentSize -= b.position();
                b.rewind();
            }
            if (unwritten.isEmpty()) {
                // Every record is written; only the reserve could not grow. Make them durable.
                writtenLsn = upTo;
                try {
                    if (policy != FsyncPolicy.NO) channel.force(false);
                    durableLsn = writtenLsn;
                    lastSync = System.currentTimeMillis();
                } catch (IOException forceFailed) {
                    return;
                }
                runWaiters();
            }
            return;
        }
        runWaiters();
    }

    private void runWaiters() {
        while (true) {
            Waiter w;
            synchronized (lock) {
                w = waiters.peek();
                if (w == null || w.lsn > durableLsn) return;
                waiters.poll();
            }
            try {
                w.action.run();
            } catch (RuntimeException e) {
                log.error("durability callback failed", e);
            }
        }
    }

    private void openSegment(long baseLsn) throws IOException {
        // A segment of that name holds no record recovery saw (every record found is below
        // baseLsn): it is the empty segment of a run that wrote nothing. Replace it.
        java.nio.file.Files.deleteIfExists(WalSegment.path(dir, baseLsn));
        channel = WalSegment.create(dir, shard, baseLsn);
        segmentSize = channel.size();
        allocated = segmentSize;
        try {
            extend(segmentSize + EXTEND_BYTES);
        } catch (IOException full) {
            // No room for a reserve: the first flush tries again and reports the failure.
        }
    }

    /** Writes zeros up to {@code size} so the file owns that space; throws when the disk is full. */
    private void extend(long size) throws IOException {
        while (allocated < size) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit((int) Math.min(z.capacity(), size - allocated));
            allocated += channel.write(z, allocated);
        }
    }

    private void rotate() throws IOException {
        // The new segment first: if the disk has no room for it, go on in this one.
        FileChannel old = channel;
        long oldSize = segmentSize, oldAllocated = allocated;
        try {
            openSegment(writtenLsn + 1);
        } catch (IOException e) {
            channel = old;
            segmentSize = oldSize;
            allocated = oldAllocated;
            throw e;
        }
        old.force(false);
        old.truncate(oldSize); // give the old segment's reserve back
        old.close();
    }

    /** Writes and forces everything appended, then stops the writer. */
    @Override
    public void close() {
        synchronized (lock) {
            closing = true;
            lock.notify();
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The size of the segment being written (for INFO). */
    public long segmentSize() { return segmentSize; }
}
