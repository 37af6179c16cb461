package io.moon.node.store;

/**
 * Told when a key may now serve clients blocked on it (Redis's signalKeyAsReady): a list, sorted
 * set or stream was created under it or grew, or a stream under it went away (its XREADGROUP
 * waiters must be told). Implemented by the shard's blocking registry.
 */
public interface ReadyKeys {
    void signalReady(int db, byte[] key);

    /**
     * Every key of database {@code db} that clients wait on may have changed (FLUSHDB, FLUSHALL,
     * SWAPDB): Redis's scanDatabaseForReadyKeys and scanDatabaseForDeletedStreams. Each waiter's
     * command runs again and finds out for itself.
     */
    default void signalDatabase(int db) {}
}
