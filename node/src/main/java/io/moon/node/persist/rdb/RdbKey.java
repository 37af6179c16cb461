package io.moon.node.persist.rdb;

/**
 * One key of a file with its value and the attributes the opcodes before it gave.
 *
 * @param db database number (SELECTDB), not checked against any limit
 * @param expireAtMs absolute expiry in unix milliseconds, or {@link #NO_EXPIRE}; keys already
 *     expired are passed on all the same, the caller decides (Redis drops them when loading as a
 *     primary)
 * @param lruIdleSeconds idle seconds from an IDLE opcode, or -1
 * @param lfuFreq LFU counter 0..255 from a FREQ opcode, or -1
 */
public record RdbKey(long db, byte[] key, RdbValue value, long expireAtMs, long lruIdleSeconds, int lfuFreq) {
    public static final long NO_EXPIRE = -1;
}
