package io.moon.node.server;

import io.moon.node.persist.ValueCodec;
import io.moon.node.persist.snapshot.SnapshotWriter;
import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import io.moon.node.store.Keyspace;
import io.moon.node.store.SnapshotHook;
import io.moon.node.util.ByteKey;
import io.moon.node.util.Progress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One shard's snapshot in progress: its keys as they were at the cut, written a slice at a time
 * on the shard's loop while it goes on serving (Redis forks for this; Java cannot).
 *
 * <p>The walk visits each database in hash order ({@link Db#snapshotChunk}), so "already written"
 * is "hash at or below the cursor". A key ahead of the cursor that is about to change (or be
 * created, or deleted) is written first, with its state at the cut, and remembered, so the walk
 * skips it later ({@link SnapshotHook}). Keys created after the cut are remembered as absent.
 * Memory held: the keys changed ahead of the cursor while the snapshot runs.
 *
 * <p>Loop-owned: the hook runs where the store runs (the loop, or a transaction holding it).
 */
final class ShardSnapshot implements SnapshotHook {
    private static final long SLICE_NANOS = 2_000_000;

    private final Shard shard;
    private final SnapshotWriter out;
    private final Runnable onDone;
    private final List<Set<ByteKey>> taken = new ArrayList<>();
    private final boolean[] dbFinished;
    private int db;
    private long cursor;
    private boolean started;
    private boolean finished;
    private IOException failure;
    private final List<Object> chunk = new ArrayList<>();
    long keysWritten;
    private final Progress progress;
    private long keysReported;

    ShardSnapshot(Shard shard, SnapshotWriter out, Progress progress, Runnable onDone) {
        this.shard = shard;
        this.out = out;
        this.progress = progress;
        this.onDone = onDone;
        int dbs = shard.keyspace().databases();
        for (int i = 0; i < dbs; i++) taken.add(new HashSet<>());
        this.dbFinished = new boolean[dbs];
    }

    IOException failure() { return failure; }
    SnapshotWriter writer() { return out; }

    /** True when {@code h} in database {@code d} is not yet written by the walk. */
    private boolean ahead(int d, long h) {
        if (dbFinished[d] || d < db) return false;
        if (d > db || !started) return true;
        return Long.compareUnsigned(h, cursor) > 0;
    }

    @Override
    public void beforeWrite(Db d, byte[] k, int off, int len, long h) {
        if (!ahead(d.index, h)) return;
        ByteKey key = ByteKey.copyOf(k, off, len);
        if (!taken.get(d.index).add(key)) return;
        Object e = d.peekRaw(k, off, len, h);
        if (e != null) write(d.index, e);
    }

    @Override
    public void beforeWholeDb(Db d) {
        // Everything of that database not yet written goes now, as it is.
        if (dbFinished[d.index] || d.index < db) return;
        List<Object> all = new ArrayList<>();
        boolean first = !(d.index == db && started);
        long c = d.index == db ? cursor : 0;
        while (true) {
            all.clear();
            c = d.snapshotChunk(c, first, all);
            first = false;
            for (Object e : all) writeUnlessTaken(d.index, e);
            if (d.snapshotChunkDone()) break;
        }
        dbFinished[d.index] = true;
    }

    private void writeUnlessTaken(int d, Object e) {
        byte[] key = Entries.key(e);
        if (taken.get(d).remove(new ByteKey(key))) return;
        write(d, e);
    }

    private void write(int d, Object e) {
        try {
            out.add(d, Entries.key(e), Entries.expireAt(e), ValueCodec.toRdb(e));
            keysWritten++;
        } catch (RuntimeException ex) {
            if (failure == null) failure = new IOException("cannot write key to snapshot: " + ex.getMessage(), ex);
        }
    }

    /** Runs one slice of the walk on the shard's loop, then schedules the next (deferred while the shard is held). */
    void step() {
        if (finished) return;
        Keyspace ks = shard.keyspace();
        long deadline = System.nanoTime() + SLICE_NANOS;
        while (System.nanoTime() < deadline && out.wantsMore() && failure == null) {
            if (db >= ks.databases()) {
                finish();
                return;
            }
            if (dbFinished[db]) {
                db++;
                started = false;
                continue;
            }
            Db d = ks.db(db);
            chunk.clear();
            cursor = d.snapshotChunk(cursor, !started, chunk);
            started = true;
            for (Object e : chunk) writeUnlessTaken(db, e);
            if (d.snapshotChunkDone()) {
                dbFinished[db] = true;
                taken.get(db).clear();
                db++;
                started = false;
            }
        }
        progress.add(keysWritten - keysReported);
        keysReported = keysWritten;
        if (failure != null) {
            finish();
            return;
        }
        shard.loop().execute(() -> shard.runOrDefer(this::step));
    }

    private void finish() {
        finished = true;
        shard.keyspace().snapshotHook(null);
        onDone.run();
    }
}
