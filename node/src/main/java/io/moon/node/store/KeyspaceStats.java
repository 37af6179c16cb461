package io.moon.node.store;

/**
 * Per-shard counters behind INFO stats. Written only by the owning loop; INFO sums them over
 * shards from a multi-shard step, which orders the reads after the writes.
 */
public final class KeyspaceStats {
    public long keyspaceHits;
    public long keyspaceMisses;
    public long expiredKeys;
    public long expiredStalePercSum;
    public long expireCycles;
    public long expiredTimeCapReached;
    public long evictedKeys;
    public long evictionTimeMicros;

    public void reset() {
        keyspaceHits = keyspaceMisses = expiredKeys = expiredStalePercSum = expireCycles = 0;
        expiredTimeCapReached = evictedKeys = evictionTimeMicros = 0;
    }
}
