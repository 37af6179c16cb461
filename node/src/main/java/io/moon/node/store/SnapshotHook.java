package io.moon.node.store;

/**
 * Told before the store changes a key while a snapshot of the shard is being written, so the
 * snapshot can take the key's state as it was at the snapshot's cut first (copy before write).
 * Every change of a key goes through {@link Db}: a write lookup before an in-place change, a set,
 * a delete, an expiry change or expiry itself.
 */
public interface SnapshotHook {
    /** Before the key at {@code k[off, off+len)} (hash {@code hash}) is created, changed or removed. */
    void beforeWrite(Db db, byte[] k, int off, int len, long hash);

    /** Before a whole database changes at once (FLUSHDB, FLUSHALL, SWAPDB). */
    void beforeWholeDb(Db db);
}
