package io.moon.node.store.stream;

import io.moon.node.store.Jvm;

/**
 * A consumer of a group (Redis's streamConsumer): its name, when it was last seen, and the
 * pending entries delivered to it.
 */
public final class Consumer {
    final byte[] name;
    long seenTime;
    final IdMap<PendingEntry> pel;

    Consumer(byte[] name, long seenTime, Meter meter) {
        this.name = name;
        this.seenTime = seenTime;
        this.pel = new IdMap<>(meter);
    }

    /** The consumer's own heap, its pending list apart. */
    static long shellBytes(byte[] name) { return Jvm.objectSize(4 + 8 + 4) + Jvm.arraySize(name.length); }

    public byte[] name() { return name; }
    public long seenTime() { return seenTime; }
    public int pendingCount() { return pel.size(); }

    /** The consumer's first pending entry at or after the id, its id in {@code idOut[0..1]}; null when none. */
    public PendingEntry nextPending(long ms, long seq, long[] idOut) { return ConsumerGroup.next(pel, ms, seq, idOut); }
}
