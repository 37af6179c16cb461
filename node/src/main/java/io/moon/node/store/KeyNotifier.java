package io.moon.node.store;

/** Keyspace notifications the store itself raises: "new" keys and read misses ("keymiss"). */
public interface KeyNotifier {
    int KEY_MISS = 1 << 11, NEW = 1 << 14;

    boolean enabled(int type);

    void publish(int type, String event, int db, byte[] key);
}
