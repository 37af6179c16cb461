package io.moon.node.persist.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * One write-ahead log record. Source of truth: checked record by record on recovery.
 *
 * <pre>
 *   offset  size  field
 *   0       1     MARKER 0xA5: where to look for the next record when scanning past damage
 *   1       4     LENGTH of the whole record, marker to CRC included
 *   5       8     LSN, one more than the record before it in this shard's log
 *   13      1     TYPE (below)
 *   14      1     FLAGS: bit 0 {@link #FLAG_LZ4}, the payload is compressed ({@link PayloadCompression})
 *   15      n     PAYLOAD
 *   15+n    4     CRC32C of every byte before it, marker included
 * </pre>
 * Little endian. The CRC covers the length, so a torn length or a torn payload both fail it.
 *
 * <p>Types (codes are persisted: never reuse a retired one):
 * <ul>
 *   <li>{@link #COMMAND}: a write as it is replayed: [db u16][argc varint] then per argument
 *       [length varint][bytes];</li>
 *   <li>{@link #TX_BEGIN}: [txid u64][participants u16][shard u16]...: the commands up to the
 *       matching TX_COMMIT are one atomic part of a transaction over those shards;</li>
 *   <li>{@link #TX_COMMIT}: [txid u64].</li>
 * </ul>
 */
public final class WalRecord {
    private WalRecord() {}

    public static final byte MARKER = (byte) 0xA5;
    public static final int MARKER_OFFSET = 0, MARKER_LENGTH = 1;
    public static final int LENGTH_OFFSET = MARKER_OFFSET + MARKER_LENGTH, LENGTH_LENGTH = 4;
    public static final int LSN_OFFSET = LENGTH_OFFSET + LENGTH_LENGTH, LSN_LENGTH = 8;
    public static final int TYPE_OFFSET = LSN_OFFSET + LSN_LENGTH, TYPE_LENGTH = 1;
    public static final int FLAGS_OFFSET = TYPE_OFFSET + TYPE_LENGTH, FLAGS_LENGTH = 1;
    public static final int PAYLOAD_OFFSET = FLAGS_OFFSET + FLAGS_LENGTH;
    public static final int CRC_LENGTH = 4;
    public static final int OVERHEAD = PAYLOAD_OFFSET + CRC_LENGTH;
    /** Larger records are refused on write and treated as damage on read. */
    public static final int MAX_LENGTH = 1 << 30;

    /** The payload is [original length u32][LZ4 block]; other flag bits are never set. */
    public static final byte FLAG_LZ4 = 1;

    public static final byte COMMAND = 1;
    public static final byte TX_BEGIN = 2;
    public static final byte TX_COMMIT = 3;

    /** A record read back: its LSN, type and a view of its payload. */
    public record Read(long lsn, byte type, ByteBuffer payload) {}

    /** Opens a record at {@code out.position()}; returns its start. Finish with {@link #finish}. */
    static int begin(ByteBuffer out, long lsn, byte type) { return begin(out, lsn, type, (byte) 0); }

    static int begin(ByteBuffer out, long lsn, byte type, byte flags) {
        int start = out.position();
        out.put(MARKER).putInt(0).putLong(lsn).put(type).put(flags);
        return start;
    }

    /** Fills in the length and appends the CRC of the record begun at {@code start}. */
    static void finish(ByteBuffer out, int start) {
        int length = out.position() - start + CRC_LENGTH;
        out.putInt(start + LENGTH_OFFSET, length);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), out.arrayOffset() + start, length - CRC_LENGTH);
        out.putInt((int) crc.getValue());
    }

    /**
     * Decodes the record at {@code at} in {@code b}, or returns null when the bytes there are not
     * a whole valid record (torn, damaged, or simply the end).
     */
    static Read decode(ByteBuffer b, int at) {
        int limit = b.limit();
        if (at + OVERHEAD > limit || b.get(at) != MARKER) return null;
        int length = b.getInt(at + LENGTH_OFFSET);
        if (length < OVERHEAD || length > MAX_LENGTH || at + (long) length > limit) return null;
        CRC32C crc = new CRC32C();
        crc.update(b.slice(at, length - CRC_LENGTH));
        if ((int) crc.getValue() != b.getInt(at + length - CRC_LENGTH)) return null;
        ByteBuffer payload = b.slice(at + PAYLOAD_OFFSET, length - OVERHEAD).order(ByteOrder.LITTLE_ENDIAN);
        byte flags = b.get(at + FLAGS_OFFSET);
        if ((flags & ~FLAG_LZ4) != 0) return null; // from a newer format: not a record this version can apply
        if ((flags & FLAG_LZ4) != 0 && (payload = PayloadCompression.decompress(payload)) == null) return null;
        return new Read(b.getLong(at + LSN_OFFSET), b.get(at + TYPE_OFFSET), payload);
    }

    static void putVarint(ByteBuffer out, int v) {
        while ((v & ~0x7f) != 0) {
            out.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    public static int getVarint(ByteBuffer in) {
        int v = 0, shift = 0;
        byte b;
        do {
            if (shift > 28) throw new IllegalArgumentException("varint too long");
            b = in.get();
            v |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return v;
    }
}
