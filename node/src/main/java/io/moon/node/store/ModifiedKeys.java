package io.moon.node.store;

/**
 * Told of every change to a key of the shard, whatever its database: writes, deletes, expiry
 * (lazy or active) and eviction, as Redis's signalModifiedKey calls trackingInvalidateKey. The
 * shard's client-side caching table implements it (see docs/architecture.md, "client-side
 * caching").
 *
 * <p>Called on the thread that owns (or holds) the shard; {@link #wanted} is asked first so that a
 * shard nobody caches from pays one check per write.
 */
public interface ModifiedKeys {
    /** True when some client may cache a key of this shard (the key bytes are worth passing on). */
    boolean wanted();

    void modified(byte[] key, int off, int len);
}
