package io.moon.node.store.hll;

/**
 * The byte layout of a HyperLogLog string value, exactly as Redis 7.0's hyperloglog.c writes it
 * (struct hllhdr), so that values GET or DUMPed from Redis count the same in Moon and the reverse.
 *
 * <pre>
 *   offset  size   field
 *   0       4      magic "HYLL"
 *   4       1      encoding: 0 dense, 1 sparse
 *   5       3      unused, zero
 *   8       8      cached cardinality, little-endian; bit 7 of byte 15 set = cache invalid
 *   16      ...    registers: dense = 16384 registers of 6 bits (12288 bytes), LSB first;
 *                  sparse = ZERO / XZERO / VAL opcodes (see {@link SparseRegisters})
 * </pre>
 * Offsets here are relative to the first byte of the value, wherever the value sits in its array.
 */
public final class HllLayout {
    private HllLayout() {}

    public static final int P = 14;
    /** Hash bits left after the register index: the run of zeros is counted in these. */
    public static final int Q = 64 - P;
    public static final int REGISTERS = 1 << P;
    public static final int REGISTER_BITS = 6;
    public static final int REGISTER_MAX = (1 << REGISTER_BITS) - 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int ENCODING_OFFSET = 4;
    public static final int CARD_OFFSET = 8;
    public static final int CARD_LENGTH = 8;
    public static final int HEADER_SIZE = CARD_OFFSET + CARD_LENGTH;
    public static final int DENSE_SIZE = HEADER_SIZE + (REGISTERS * REGISTER_BITS + 7) / 8;

    public static final int DENSE = 0;
    public static final int SPARSE = 1;
    private static final int MAX_ENCODING = SPARSE;

    /**
     * Redis's isHLLObjectOrReply: magic, a known encoding, and the exact length of a dense value.
     * A sparse value's opcodes are checked only when they are read.
     */
    public static boolean isValid(byte[] b, int off, int len) {
        if (len < HEADER_SIZE) return false;
        if (b[off] != 'H' || b[off + 1] != 'Y' || b[off + 2] != 'L' || b[off + 3] != 'L') return false;
        int encoding = b[off + ENCODING_OFFSET] & 0xff;
        if (encoding > MAX_ENCODING) return false;
        return encoding != DENSE || len == DENSE_SIZE;
    }

    public static int encoding(byte[] b, int off) { return b[off + ENCODING_OFFSET] & 0xff; }

    /** Writes the header of a new value of the given encoding: magic, zeros, cardinality 0 (valid). */
    static void writeHeader(byte[] b, int off, int encoding) {
        b[off] = 'H';
        b[off + 1] = 'Y';
        b[off + 2] = 'L';
        b[off + 3] = 'L';
        b[off + ENCODING_OFFSET] = (byte) encoding;
    }

    /** True when the cached cardinality may be answered as it is (HLL_VALID_CACHE). */
    public static boolean cacheValid(byte[] b, int off) {
        return (b[off + CARD_OFFSET + CARD_LENGTH - 1] & 0x80) == 0;
    }

    public static long cachedCardinality(byte[] b, int off) {
        long card = 0;
        for (int i = CARD_LENGTH - 1; i >= 0; i--) card = (card << 8) | (b[off + CARD_OFFSET + i] & 0xff);
        return card;
    }

    public static void writeCardinality(byte[] b, int off, long card) {
        for (int i = 0; i < CARD_LENGTH; i++) b[off + CARD_OFFSET + i] = (byte) (card >>> (8 * i));
    }

    /** HLL_INVALIDATE_CACHE: the next PFCOUNT recomputes. */
    public static void invalidateCache(byte[] b, int off) {
        b[off + CARD_OFFSET + CARD_LENGTH - 1] |= (byte) 0x80;
    }
}
