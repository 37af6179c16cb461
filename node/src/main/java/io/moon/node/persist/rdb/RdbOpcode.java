package io.moon.node.persist.rdb;

/**
 * Opcodes of a whole file, read where a value type would be (rdb.h RDB_OPCODE_*). Each is
 * followed by its own fields, listed here; lengths are {@link RdbFormat} lengths, strings are RDB
 * strings.
 */
public final class RdbOpcode {
    private RdbOpcode() {}

    /** A function library: one string, the library code with its "#!engine name=..." line. */
    public static final int FUNCTION2 = 245;
    /** A function library as Redis 7.0 rc1/rc2 wrote it: name, engine, has-description length, [description], code. */
    public static final int FUNCTION = 246;
    /** Module auxiliary data: module id, when-opcode, when, module payload. Not supported. */
    public static final int MODULE_AUX = 247;
    /** LRU idle seconds of the next key: one length. */
    public static final int IDLE = 248;
    /** LFU counter of the next key: one byte. */
    public static final int FREQ = 249;
    /** A key/value string pair about the file (redis-ver, ctime, used-mem...); unknown ones are skipped. */
    public static final int AUX = 250;
    /** Size hints of the current database: key count, count of keys with an expiry. */
    public static final int RESIZEDB = 251;
    /** Absolute expiry of the next key, unix milliseconds, 8 bytes little-endian. */
    public static final int EXPIRETIME_MS = 252;
    /** Absolute expiry of the next key, unix seconds, 4 bytes little-endian; before RDB 3. */
    public static final int EXPIRETIME = 253;
    /** The database of the keys that follow: one length. */
    public static final int SELECTDB = 254;
    /** End of data; an 8-byte CRC-64 follows from RDB 5 on. */
    public static final int EOF = 255;
}
