package io.moon.node.store;

/**
 * Told when a key may now serve clients blocked on it (Redis's signalKeyAsReady): a list, sorted
 * set or stream was created under it or grew. Implemented by the shard's blocking registry.
 */
public interface ReadyKeys {
    void signalReady(int db, byte[] key);

    /** Every key of database db that clients wait on may be ready (SWAPDB brought in new keys). */
    default void signalDatabase(int db) {}
}
