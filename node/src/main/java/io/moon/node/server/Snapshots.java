package io.moon.node.server;

import io.moon.node.persist.Persistence;
import io.moon.node.persist.snapshot.Manifest;
import io.moon.node.persist.snapshot.SnapshotFormat;
import io.moon.node.persist.snapshot.SnapshotWriter;
import io.moon.node.persist.wal.WalSegment;
import io.moon.node.server.tx.MultiShardTx;
import io.moon.node.util.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of the whole node (SAVE, BGSAVE, BGREWRITEAOF, the save rules, graceful shutdown):
 * <ol>
 *   <li>The cut: a transaction holding every shard notes each shard's log position (its LSN) and
 *       starts each shard's {@link ShardSnapshot}; shard 0's snapshot gets the function libraries
 *       then. Multi-shard writes are atomic against that transaction, so the cut never splits
 *       one, and a FUNCTION command (which holds a shard) is wholly before or after it.</li>
 *   <li>Each shard writes its keys as they were at the cut, a slice at a time on its loop.</li>
 *   <li>When all are written and forced: the {@link Manifest} naming them and their LSNs is
 *       written atomically; only then go the older snapshots and the log segments whose records
 *       are all at or below the cut. A crash before that leaves the previous manifest, snapshots
 *       and logs, which still recover.</li>
 * </ol>
 * One snapshot at a time. Thread-safe.
 */
public final class Snapshots {
    private static final Logger log = LoggerFactory.getLogger(Snapshots.class);

    private final Node node;
    private final Persistence persistence;
    private final Path dir;
    private boolean running;
    private final List<Consumer<Boolean>> waiting = new ArrayList<>();
    private volatile long lastSaveMs;
    private volatile boolean lastOk = true;
    private volatile long lastDurationMs = -1;
    private volatile long startedMs;
    private volatile long dirtyAtCut;
    private volatile int saves;

    /** The cut number of the last snapshot without logs (appendonly no): see {@link #start}. */
    private long lastNoLogCut;

    Snapshots(Node node, Persistence persistence, Path dir, long lastSaveMs) {
        this.node = node;
        this.persistence = persistence;
        this.dir = dir;
        this.lastSaveMs = lastSaveMs;
        this.lastNoLogCut = lastSaveMs;
    }

    /** The snapshot being written (INFO current_save_keys_*), or null. */
    private volatile Progress current;

    public synchronized boolean running() { return running; }
    /** Keys written so far by the snapshot in progress (0 when none). */
    public long keysProcessed() { Progress p = current; return p == null ? 0 : p.done(); }
    /** Keys at the cut of the snapshot in progress (0 when none). */
    public long keysTotal() { Progress p = current; return p == null ? 0 : p.total(); }
    public long lastSaveMs() { return lastSaveMs; }
    public boolean lastOk() { return lastOk; }
    public long lastDurationMs() { return lastDurationMs; }
    public long startedMs() { return startedMs; }
    public int saves() { return saves; }
    /** Data changes since the cut of the last successful snapshot (INFO rdb_changes_since_last_save). */
    public long changesSinceSave() { return node.totalDirty() - dirtyAtCut; }

    /**
     * Starts a snapshot, or joins the one running; {@code done} is told whether it succeeded
     * (from a background thread). Returns false when one was already running.
     */
    public boolean start(Consumer<Boolean> done) {
        synchronized (this) {
            if (done != null) waiting.add(done);
            if (running) return false;
            running = true;
        }
        startedMs = System.currentTimeMillis();
        Shard[] shards = node.shards();
        ShardSnapshot[] parts = new ShardSnapshot[shards.length];
        long[] lsn = new long[shards.length];
        AtomicInteger left = new AtomicInteger(shards.length);
        // Without logs there is no position to cut at, but each snapshot still needs file names of
        // its own: the manifest switches from the old files to the new ones in one rename, and
        // a crash before it must find the old ones whole. A number above every earlier cut.
        long noLogCut = Math.max(startedMs, lastNoLogCut + 1);
        lastNoLogCut = noLogCut;
        MultiShardTx.schedule(shards, executing -> {
            long d = 0, keys = 0;
            for (Shard s : shards) keys += s.keyspace().keys();
            Progress progress = new Progress(log, "Snapshot", "keys", keys);
            current = progress;
            try {
                for (Shard s : shards) {
                    lsn[s.id()] = persistence == null ? noLogCut : persistence.wal(s.id()).appendedLsn();
                    d += s.keyspace().dirty;
                    SnapshotWriter w = new SnapshotWriter(dir.resolve("shard-" + s.id()).resolve("snapshot"), s.id(), lsn[s.id()]);
                    if (s.id() == Persistence.NODE_WIDE_LOG) {
                        // The libraries as they are at the cut: every change to them holds a shard.
                        for (byte[] code : node.scripting().functions().codes()) w.addLibrary(code);
                    }
                    parts[s.id()] = new ShardSnapshot(s, w, progress, () -> {
                        if (left.decrementAndGet() == 0) Thread.ofPlatform().name("moon-snapshot-commit").start(() -> commit(parts, lsn));
                    });
                    s.keyspace().snapshotHook(parts[s.id()]);
                }
                cutDirty = d;
            } catch (IOException e) {
                log.error("Snapshot could not start: {}", e.toString());
                for (ShardSnapshot p : parts) if (p != null) p.writer().abandon();
                for (Shard s : shards) s.keyspace().snapshotHook(null);
                Thread.ofPlatform().start(() -> done(false, 0));
                return;
            }
            // The walks start once the cut's transaction has released the shards.
            for (Shard s : shards) s.loop().execute(() -> s.runOrDefer(parts[s.id()]::step));
        });
        return true;
    }

    /** The data-change counter at the cut of the snapshot in progress. */
    private volatile long cutDirty;

    private void commit(ShardSnapshot[] parts, long[] lsn) {
        long keys = 0;
        try {
            for (ShardSnapshot p : parts) {
                if (p.failure() != null) throw p.failure();
                p.writer().finish();
                keys += p.keysWritten;
            }
            long id = startedMs;
            new Manifest(id, lsn).write(dir);
            cleanUp(lsn);
            log.info("Snapshot done: {} keys in {} ms", keys, System.currentTimeMillis() - startedMs);
            done(true, cutDirty);
        } catch (IOException e) {
            log.error("Snapshot failed: {}", e.toString());
            for (ShardSnapshot p : parts) p.writer().abandon();
            done(false, 0);
        }
    }

    private void done(boolean ok, long dirtyBaseline) {
        List<Consumer<Boolean>> tell;
        synchronized (this) {
            running = false;
            current = null;
            lastOk = ok;
            lastDurationMs = System.currentTimeMillis() - startedMs;
            if (ok) {
                lastSaveMs = System.currentTimeMillis();
                dirtyAtCut = dirtyBaseline;
                saves++;
            }
            tell = new ArrayList<>(waiting);
            waiting.clear();
        }
        for (Consumer<Boolean> c : tell) c.accept(ok);
    }

    /** Removes older snapshots and the log segments whose records are all at or below the cut. */
    private void cleanUp(long[] lsn) throws IOException {
        for (int s = 0; s < lsn.length; s++) {
            Path snapDir = io.moon.node.persist.DataDir.snapshotDir(dir, s);
            Path current = Manifest.snapshotPath(dir, s, lsn[s]);
            try (Stream<Path> files = Files.list(snapDir)) {
                for (Path f : files.toList()) {
                    String n = f.getFileName().toString();
                    if (!f.equals(current) && (n.endsWith(SnapshotFormat.SUFFIX) || n.endsWith(".tmp"))) Files.deleteIfExists(f);
                }
            }
            if (persistence == null) continue;
            List<Path> segments = WalSegment.list(Persistence.walDir(dir, s));
            for (int i = 0; i + 1 < segments.size(); i++) {
                // Segment i holds LSNs below the next one's base: all covered when that base <= cut + 1.
                if (WalSegment.baseLsn(segments.get(i + 1)) <= lsn[s] + 1) Files.delete(segments.get(i));
            }
        }
    }
}
