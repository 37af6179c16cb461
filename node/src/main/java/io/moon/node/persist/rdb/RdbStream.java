package io.moon.node.persist.rdb;

import java.util.List;

/**
 * A stream value as RDB_TYPE_STREAM_LISTPACKS_2 holds it: the live entries in id order, the
 * stream's counters and its consumer groups. Deleted entries are not kept: RDB keeps them only
 * inside its node blobs, and {@link #maxDeletedId} and {@link #entriesAdded} carry what they mean
 * to XINFO and to the groups' lag.
 *
 * @param entries live entries, ids strictly increasing
 * @param lastId the greatest id ever added (XADD's floor), even if since deleted
 * @param entriesAdded count of entries ever added
 * @param maxDeletedId greatest id ever deleted, or 0-0
 * @param firstId id of the first live entry, or 0-0 when empty
 * @param groups consumer groups, names distinct
 */
public record RdbStream(
        List<Entry> entries,
        StreamId lastId,
        long entriesAdded,
        StreamId maxDeletedId,
        StreamId firstId,
        List<Group> groups) implements RdbValue {

    /** One entry: its id and field/value pairs in order (fields may repeat, as XADD allows). */
    public record Entry(StreamId id, List<FieldValue> fields) {}

    /**
     * A consumer group.
     *
     * @param lastDeliveredId last id delivered to the group
     * @param entriesRead logical count of entries read, or -1 when unknown (SCG_INVALID_ENTRIES_READ)
     * @param pending the group's pending entries list, each owned by exactly one consumer
     */
    public record Group(byte[] name, StreamId lastDeliveredId, long entriesRead, List<PendingEntry> pending,
            List<Consumer> consumers) {}

    /** An entry delivered but not acknowledged: when it was last delivered and how often. */
    public record PendingEntry(StreamId id, long deliveryTimeMs, long deliveryCount) {}

    /** A consumer: its name, when it was last seen, and the ids of the pending entries it owns. */
    public record Consumer(byte[] name, long seenTimeMs, List<StreamId> pending) {}

    @Override
    public long size() { return entries.size(); }
}
