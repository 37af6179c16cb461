package io.moon.node.persist.rdb;

/**
 * A value as RDB carries it, independent of how Moon stores it: the bridge between Redis's format
 * and Moon's types. Each Moon type converts to and from its record here, and this package turns
 * the records into RDB bytes and back (DUMP/RESTORE, RDB import, export), choosing the encoding on
 * write as Redis 7.0 would. Byte arrays are owned by the record once built: neither side changes
 * them afterwards.
 *
 * <p>Collections hold what Redis holds: set members, hash fields, sorted set members and consumer
 * names are unique (the readers reject duplicates; writers trust their caller). Order is kept as
 * read: list order, hash and set order as stored, sorted sets as stored (the writer sorts).
 */
public sealed interface RdbValue permits RdbString, RdbList, RdbSet, RdbZset, RdbHash, RdbStream {
    /** Number of elements (bytes for a string, entries for a stream). */
    long size();

    /**
     * True for a collection with no elements. Redis never stores one: it skips such keys in a file
     * and refuses them in RESTORE. Strings and streams may be empty.
     */
    default boolean isEmptyCollection() { return false; }
}
