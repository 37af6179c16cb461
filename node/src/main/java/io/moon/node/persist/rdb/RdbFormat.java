package io.moon.node.persist.rdb;

/**
 * Redis's RDB format as Redis 7.0 reads and writes it (rdb.c, rdb.h). The layout below is what
 * {@link RdbFileReader} and {@link RdbFileWriter} implement; value layouts are on each codec
 * ({@link StringCodec}, {@link ListCodec}, {@link SetCodec}, {@link ZsetCodec}, {@link HashCodec},
 * {@link StreamCodec}) and the compact blobs on {@link Listpack}, {@link Ziplist},
 * {@link Intset} and {@link Zipmap}.
 *
 * <h2>File</h2>
 * <pre>
 * "REDIS" + 4 ASCII digits of the version ("0010" for Redis 7.0; 1..10 are read)
 * then opcodes and keys, in any order, until EOF:
 *   AUX (250)            string key, string value
 *   FUNCTION2 (245)      string library code
 *   SELECTDB (254)       length db
 *   RESIZEDB (251)       length keys, length keys-with-expiry
 *   EXPIRETIME_MS (252)  int64 LE unix ms            } attributes of the next key only
 *   EXPIRETIME (253)     int32 LE unix seconds       }
 *   IDLE (248)           length seconds              }
 *   FREQ (249)           1 byte LFU counter          }
 *   type (0..19)         string key, value of that type
 *   EOF (255)
 * CRC-64 (Jones, {@link Crc64}) of every byte from "REDIS" to EOF included, 8 bytes LE;
 * present from version 5 on; 0 means the writer had checksums turned off.
 * </pre>
 *
 * <h2>Length</h2>
 * The top two bits of the first byte choose the form:
 * <pre>
 * 00xxxxxx                  6-bit length
 * 01xxxxxx xxxxxxxx         14-bit length, big-endian
 * 10000000 + 4 bytes        32-bit length, big-endian
 * 10000001 + 8 bytes        64-bit length, big-endian
 * 11xxxxxx                  not a length: a special string encoding follows (below)
 * </pre>
 *
 * <h2>String</h2>
 * A length then that many bytes, or a special encoding: {@link #ENC_INT8}, {@link #ENC_INT16},
 * {@link #ENC_INT32} (a little-endian signed integer standing for its decimal text), or
 * {@link #ENC_LZF}: length compressed, length original, then the {@link Lzf} data.
 * Writers use the integer forms for texts that are canonical integers of up to 32 bits, and LZF
 * for texts longer than 20 bytes when it saves at least 4 bytes (rdbSaveRawString).
 *
 * <h2>DUMP payload</h2>
 * See {@link DumpPayload}: type byte, value, RDB version (2 bytes LE), CRC-64 (8 bytes LE).
 */
public final class RdbFormat {
    private RdbFormat() {}

    /** "REDIS": the first five bytes of a file. */
    public static final byte[] MAGIC = {'R', 'E', 'D', 'I', 'S'};
    /** Bytes of the magic plus the four version digits. */
    public static final int HEADER_LENGTH = 9;
    /** The version Redis 7.0 writes, and the newest this package reads. */
    public static final int VERSION_CURRENT = 10;
    public static final int VERSION_MIN = 1;
    /** From this version on a file ends with a CRC-64 after EOF. */
    public static final int VERSION_WITH_CHECKSUM = 5;

    /** Top two bits of a length byte. */
    static final int LEN_6BIT = 0;
    static final int LEN_14BIT = 1;
    static final int LEN_ENCODED = 3;
    /** Whole first bytes of the wide length forms. */
    static final int LEN_32BIT = 0x80;
    static final int LEN_64BIT = 0x81;

    /** Special string encodings, the low six bits after {@link #LEN_ENCODED}. */
    static final int ENC_INT8 = 0;
    static final int ENC_INT16 = 1;
    static final int ENC_INT32 = 2;
    static final int ENC_LZF = 3;

    /** Text scores of {@link RdbType#ZSET}: a length byte, or one of these for the special values. */
    static final int DOUBLE_NAN = 253;
    static final int DOUBLE_POS_INF = 254;
    static final int DOUBLE_NEG_INF = 255;

    /** Quicklist 2 node containers. */
    static final int QUICKLIST_NODE_PLAIN = 1;
    static final int QUICKLIST_NODE_PACKED = 2;
}
