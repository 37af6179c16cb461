package io.moon.node.persist.snapshot;

/**
 * A shard's snapshot file: its keys as they were at one LSN of its write-ahead log (the cut).
 * Source of truth: checked in full on load. Named {@code <lsn, 20 digits>.snap} under
 * {@code <dir>/shard-<n>/snapshot/}; written as {@code .snap.tmp} and renamed once complete and
 * forced, so a crash in the middle of writing never leaves a file that looks whole.
 *
 * <pre>
 *   the common header (persist/format/FormatHeader): "SNAPSHOT", version 2, shard, file id = LSN
 *   then in shard 0's snapshot (node-wide state), per function library, before the keys:
 *     u8      LIBRARY (2)
 *     varint  code length, then the library's code as FUNCTION LOAD took it
 *   then per key:
 *     u8      ENTRY (1)
 *     u16     database
 *     varint  key length, then the key
 *     i64     expire at, Unix ms, or -1
 *     u8      RDB value type (persist/rdb: Redis 7.0's type codes)
 *     varint  value length, then the value in RDB value encoding
 *   then:
 *     u8      END (0xFF)
 *     u64     number of keys (ENTRY)
 *     u32     CRC32C of every byte before it, header included
 * </pre>
 * Little endian. Values use Redis's RDB value encoding so the same code serves DUMP/RESTORE and
 * RDB import. Version 1 (before function libraries were saved) has no LIBRARY entries and is
 * read as well.
 */
public final class SnapshotFormat {
    private SnapshotFormat() {}

    public static final String FORMAT = "SNAPSHOT";
    public static final int VERSION_CURRENT = 2;
    /** The first version with {@link #LIBRARY} entries. */
    public static final int VERSION_LIBRARIES = 2;
    public static final String SUFFIX = ".snap";
    public static final byte ENTRY = 1;
    public static final byte LIBRARY = 2;
    public static final byte END = (byte) 0xFF;
}
