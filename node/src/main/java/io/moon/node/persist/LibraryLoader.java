package io.moon.node.persist;

/**
 * Where the function libraries saved with the data (in shard 0's snapshot, in a Redis dump) go at
 * start-up, before the logs are replayed.
 */
@FunctionalInterface
public interface LibraryLoader {
    /** Loads one library from its code; a RuntimeException, naming the library, says why it cannot. */
    void load(byte[] code);
}
