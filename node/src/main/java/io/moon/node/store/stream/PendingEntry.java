package io.moon.node.store.stream;

import io.moon.node.store.Jvm;

/**
 * An entry delivered to a consumer of a group and not yet acknowledged (Redis's streamNACK): when
 * it was last delivered, how many times, and to whom. The same object sits in the group's pending
 * list and in its consumer's.
 */
public final class PendingEntry {
    static final long BYTES = Jvm.objectSize(8 + 8 + 4);

    long deliveryTime;
    long deliveryCount;
    /** The owner; null only briefly, for an entry XCLAIM FORCE creates before it is assigned. */
    Consumer consumer;

    PendingEntry(long deliveryTime, long deliveryCount, Consumer consumer) {
        this.deliveryTime = deliveryTime;
        this.deliveryCount = deliveryCount;
        this.consumer = consumer;
    }

    public long deliveryTime() { return deliveryTime; }
    public long deliveryCount() { return deliveryCount; }
    public Consumer consumer() { return consumer; }
}
