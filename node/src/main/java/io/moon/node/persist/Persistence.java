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

    /**
     * The shard whose log and snapshot also hold the node-wide state, the function libraries: one
     * log keeps their changes in order, replayed once; shard 0's snapshot holds them at the cut.
     */
    public static final int NODE_WIDE_LOG = 0;

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

    public static Path walDir(Path dir, int shard) { return DataDir.walDir(dir, shard); }

    /** Loads a snapshot's keys into the store (during recovery, one thread per shard). */
    @FunctionalInterface
    public interface Loader {
        void load(int shard, int db, byte[] key, long expireAt, io.moon.node.persist.rdb.RdbValue value);
    }

    /**
     * Recovers: the current snapshots (if a manifest names them) through {@code loader} and
     * {@code libraries}, then each shard's log after its snapshot's cut through {@code applier};
     * then opens the logs for new writes. Returns the manifest found (null: none).
     */
    public Recovery.Report open(FsyncPolicy policy, boolean salvage, Loader loader, LibraryLoader libraries,
                                Recovery.Applier applier) throws IOException {
        DataDir.check(dir, wals.length);
        DataDir.Loaded loaded = DataDir.loadSnapshots(dir, wals.length, loader, libraries);
        io.moon.node.persist.snapshot.Manifest m = loaded.manifest();
        long[] from = m == null ? new long[wals.length] : m.lsn();
        this.manifest = m;
        this.snapshotKeys = loaded.keys();
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

    /** Keys loaded from the snapshot at start. */
    public long snapshotKeys() { return snapshotKeys; }

    /** The manifest recovery started from, or null. */
    public io.moon.node.persist.snapshot.Manifest manifest() { return manifest; }
    public Path dir() { return dir; }

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
