package io.moon.node.persist;

import io.moon.node.persist.wal.FsyncPolicy;
import io.moon.node.persist.wal.Wal;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's durability: one write-ahead log per shard under {@code <dir>/shard-<n>/wal/}, recovered
 * at start-up before the node listens, appended to by every write, closed (flushed and forced)
 * on shutdown. See docs/persistence.md for the formats and guarantees.
 */
public final class Persistence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Persistence.class);

    private final Path dir;
    private final Wal[] wals;
    private final Propagator[] propagators;
    /** Transaction ids: random start per process, so ids of two runs never meet in one log. */
    private final AtomicLong txIds = new AtomicLong(new SecureRandom().nextLong() & Long.MAX_VALUE);
    private volatile Recovery.Report recovery;

    public Persistence(Path dir, int shards) {
        this.dir = dir;
        this.wals = new Wal[shards];
        this.propagators = new Propagator[shards + 1];
    }

    public static Path walDir(Path dir, int shard) { return dir.resolve("shard-" + shard).resolve("wal"); }

    /** Loads a snapshot's keys into the store (during recovery, one thread per shard). */
    @FunctionalInterface
    public interface Loader {
        void load(int shard, int db, byte[] key, long expireAt, io.moon.node.persist.rdb.RdbValue value);
    }

    /**
     * Recovers: the current snapshots (if a manifest names them) through {@code loader}, then each
     * shard's log after its snapshot's cut through {@code applier}; then opens the logs for new
     * writes. Returns the manifest found (null: none).
     */
    public Recovery.Report open(FsyncPolicy policy, boolean salvage, Loader loader, Recovery.Applier applier) throws IOException {
        checkShardCount();
        removeLeftovers();
        io.moon.node.persist.snapshot.Manifest m = io.moon.node.persist.snapshot.Manifest.read(dir, wals.length);
        long[] from = new long[wals.length];
        long snapKeys = 0;
        if (m != null) {
            long t0 = System.currentTimeMillis();
            from = m.lsn();
            snapKeys = loadSnapshots(m, loader);
            log.info("Loaded snapshot {} ({} keys) in {} ms", m.snapshotId(), snapKeys, System.currentTimeMillis() - t0);
        }
        this.manifest = m;
        this.snapshotKeys = snapKeys;
        Recovery.Report r = Recovery.run(wals.length, s -> walDir(dir, s), from, salvage, applier);
        long records = 0, truncated = 0, replayed = 0;
        for (int s = 0; s < wals.length; s++) {
            records += r.records()[s];
            truncated += r.bytesTruncated()[s];
            replayed += r.replayed()[s];
        }
        log.info("Recovered {} shard log(s) in {} ms: {} records, {} replayed, {} bytes of torn tail truncated, {} incomplete transaction(s) dropped",
                wals.length, r.millis(), records, replayed, truncated, r.droppedTransactions());
        for (int s = 0; s < wals.length; s++) wals[s] = new Wal(walDir(dir, s), s, r.lastLsn()[s], policy);
        for (int i = 0; i < propagators.length; i++) propagators[i] = new Propagator(this, wals.length);
        this.recovery = r;
        return r;
    }

    private io.moon.node.persist.snapshot.Manifest manifest;
    private long snapshotKeys;

    /** The manifest recovery started from, or null. */
    public io.moon.node.persist.snapshot.Manifest manifest() { return manifest; }
    public long snapshotKeys() { return snapshotKeys; }
    public Path dir() { return dir; }

    private long loadSnapshots(io.moon.node.persist.snapshot.Manifest m, Loader loader) throws IOException {
        IOException[] error = new IOException[1];
        long[] keys = new long[wals.length];
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int s = 0; s < wals.length; s++) {
            int shard = s;
            threads.add(Thread.ofPlatform().name("moon-load-" + s).start(() -> {
                try {
                    Path f = io.moon.node.persist.snapshot.Manifest.snapshotPath(dir, shard, m.lsn()[shard]);
                    keys[shard] = io.moon.node.persist.snapshot.SnapshotReader.read(f, shard,
                            (db, key, expireAt, value) -> loader.load(shard, db, key, expireAt, value));
                } catch (IOException e) {
                    synchronized (error) {
                        if (error[0] == null) error[0] = e;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (error[0] != null) throw error[0];
        long total = 0;
        for (long k : keys) total += k;
        return total;
    }

    /** Files a crash left half written (a snapshot or manifest being written): never valid. */
    private void removeLeftovers() throws IOException {
        java.nio.file.Files.deleteIfExists(dir.resolve("MANIFEST.tmp"));
        for (int s = 0; s < wals.length; s++) {
            Path snaps = dir.resolve("shard-" + s).resolve("snapshot");
            if (!java.nio.file.Files.isDirectory(snaps)) continue;
            try (var list = java.nio.file.Files.list(snaps)) {
                for (Path p : list.toList()) if (p.getFileName().toString().endsWith(".tmp")) java.nio.file.Files.delete(p);
            }
        }
    }

    /**
     * Keys route to shards by slot ranges that depend on the shard count: data written with
     * another count would be read by the wrong shards. Refuse instead.
     */
    private void checkShardCount() throws IOException {
        if (!java.nio.file.Files.isDirectory(dir)) return;
        try (var list = java.nio.file.Files.list(dir)) {
            for (Path p : list.toList()) {
                String n = p.getFileName().toString();
                if (n.matches("shard-\\d+") && Integer.parseInt(n.substring(6)) >= wals.length) {
                    throw new IOException("the data in " + dir + " was written by a node with more shards (found " + n
                            + "); start it with the same --shards as before");
                }
            }
        }
    }

    public Wal wal(int shard) { return wals[shard]; }
    public int shards() { return wals.length; }

    /** The propagator of shard loop {@code shard}; index {@code shards()} is the script thread's. */
    public Propagator propagator(int index) { return propagators[index]; }

    public long nextTxId() { return txIds.incrementAndGet(); }

    public Recovery.Report recovery() { return recovery; }

    public void policy(FsyncPolicy p) {
        for (Wal w : wals) if (w != null) w.policy(p);
    }

    public void segmentBytes(long bytes) {
        for (Wal w : wals) if (w != null) w.segmentBytes(bytes);
    }

    /** The first failing log's error, or null when every log is writable. */
    public IOException failure() {
        for (Wal w : wals) {
            IOException e = w == null ? null : w.failure();
            if (e != null) return e;
        }
        return null;
    }

    @Override
    public void close() {
        for (Wal w : wals) if (w != null) w.close();
    }
}
