package io.moon.node.persist.rdb;

/**
 * The settings that decide which encoding a value is written in, named after the Redis configs
 * they mirror; {@link #DEFAULTS} are Redis 7.0's defaults, so a value is written as a default
 * redis-server would DUMP it.
 *
 * @param compress rdbcompression: LZF for strings over 20 bytes when it saves space
 * @param listMaxListpackSize list-max-listpack-size: entries per quicklist node when positive,
 *     else -1..-5 for node sizes of 4..64 KB
 * @param listPackedThreshold elements at least this long get a plain quicklist node of their own
 *     (1 GB in Redis; its DEBUG QUICKLIST-PACKED-THRESHOLD changes it)
 * @param hashMaxListpackEntries hash-max-listpack-entries
 * @param hashMaxListpackValue hash-max-listpack-value: longest field or value in a listpack hash
 * @param zsetMaxListpackEntries zset-max-listpack-entries
 * @param zsetMaxListpackValue zset-max-listpack-value: longest member in a listpack sorted set
 * @param setMaxIntsetEntries set-max-intset-entries
 * @param streamNodeMaxBytes stream-node-max-bytes (0: no limit but 1 GB)
 * @param streamNodeMaxEntries stream-node-max-entries (0: no limit)
 */
public record RdbWriteOptions(
        boolean compress,
        int listMaxListpackSize,
        long listPackedThreshold,
        int hashMaxListpackEntries,
        int hashMaxListpackValue,
        int zsetMaxListpackEntries,
        int zsetMaxListpackValue,
        int setMaxIntsetEntries,
        int streamNodeMaxBytes,
        int streamNodeMaxEntries) {

    public static final RdbWriteOptions DEFAULTS =
            new RdbWriteOptions(true, -2, 1L << 30, 512, 64, 128, 64, 512, 4096, 100);

    public RdbWriteOptions withCompress(boolean on) {
        return new RdbWriteOptions(on, listMaxListpackSize, listPackedThreshold, hashMaxListpackEntries,
                hashMaxListpackValue, zsetMaxListpackEntries, zsetMaxListpackValue, setMaxIntsetEntries,
                streamNodeMaxBytes, streamNodeMaxEntries);
    }
}
