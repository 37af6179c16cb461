package io.moon.node.persist;

import io.moon.node.persist.snapshot.Manifest;
import io.moon.node.persist.snapshot.SnapshotReader;
import io.moon.node.util.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout of a node's data directory, and what start-up checks and loads from it, with or
 * without write-ahead logs:
 * <pre>
 *   &lt;dir&gt;/MANIFEST                      the current snapshots and their cut (persist/snapshot/Manifest)
 *   &lt;dir&gt;/CLEAN_SHUTDOWN                 present after a graceful stop, until the next start
 *   &lt;dir&gt;/shard-&lt;n&gt;/wal/*.wal           write-ahead log segments (persist/wal)
 *   &lt;dir&gt;/shard-&lt;n&gt;/snapshot/*.snap     snapshots (persist/snapshot)
 * </pre>
 */
public final class DataDir {
    private static final Logger log = LoggerFactory.getLogger(DataDir.class);

    private DataDir() {}

    public static Path walDir(Path dir, int shard) { return dir.resolve("shard-" + shard).resolve("wal"); }

    public static Path snapshotDir(Path dir, int shard) { return dir.resolve("shard-" + shard).resolve("snapshot"); }

    public static Path cleanShutdownMarker(Path dir) { return dir.resolve("CLEAN_SHUTDOWN"); }

    /**
     * Refuses data written with another shard count (keys route to shards by slot ranges that
     * depend on it) and removes files a crash left half written.
     */
    public static void check(Path dir, int shards) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (var list = Files.list(dir)) {
            for (Path p : list.toList()) {
                String n = p.getFileName().toString();
                if (n.matches("shard-\\d+") && Integer.parseInt(n.substring(6)) >= shards) {
                    throw new IOException("the data in " + dir + " was written by a node with more shards (found " + n
                            + "); start it with the same --shards as before");
                }
            }
        }
        Files.deleteIfExists(dir.resolve("MANIFEST.tmp"));
        for (int s = 0; s < shards; s++) {
            Path snaps = snapshotDir(dir, s);
            if (!Files.isDirectory(snaps)) continue;
            try (var list = Files.list(snaps)) {
                for (Path p : list.toList()) if (p.getFileName().toString().endsWith(".tmp")) Files.delete(p);
            }
        }
    }

    /** What {@link #loadSnapshots} loaded: the manifest (null: none) and how many keys. */
    public record Loaded(Manifest manifest, long keys) {}

    /**
     * Loads the snapshots the manifest names (shards in parallel): keys through {@code loader},
     * function libraries (in shard 0's) through {@code libraries}.
     */
    public static Loaded loadSnapshots(Path dir, int shards, Persistence.Loader loader, LibraryLoader libraries)
            throws IOException {
        Manifest m = Manifest.read(dir, shards);
        if (m == null) return new Loaded(null, 0);
        long t0 = System.currentTimeMillis();
        IOException[] error = new IOException[1];
        long[] keys = new long[shards];
        long bytes = 0;
        for (int s = 0; s < shards; s++) bytes += Files.size(Manifest.snapshotPath(dir, s, m.lsn()[s]));
        Progress progress = new Progress(log, "Loading snapshot " + m.snapshotId(), "bytes", bytes);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            int shard = s;
            threads.add(Thread.ofPlatform().name("moon-load-" + s).start(() -> {
                try {
                    keys[shard] = SnapshotReader.read(Manifest.snapshotPath(dir, shard, m.lsn()[shard]), shard,
                            (db, key, expireAt, value) -> loader.load(shard, db, key, expireAt, value), libraries, progress);
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
        log.info("Loaded snapshot {} ({} keys) in {} ms", m.snapshotId(), total, System.currentTimeMillis() - t0);
        return new Loaded(m, total);
    }
}
