package io.moon.node.persist.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The reading side of RDB's primitives ({@link RdbFormat}): bytes, lengths, strings (plain,
 * integer-encoded, LZF), little-endian numbers and doubles, over either a byte array (a DUMP
 * payload) or a stream (a file, read through a 64 KB buffer so a big file never sits in memory).
 * Tracks the position for progress and error messages and, on request, the CRC-64 of every byte
 * consumed. A length read from the input never sizes an allocation by itself: strings longer than
 * the bytes left fail at once, and from a stream of unknown size they are read in bounded chunks.
 * Not thread-safe.
 */
public final class RdbInput {
    /** Largest Java array we hand out; longer strings cannot be values anyway (512 MB in Redis). */
    static final int MAX_STRING = Integer.MAX_VALUE - 16;
    private static final int BUFFER = 64 * 1024;
    private static final int CHUNK = 1 << 20;

    private final InputStream stream; // null when reading an array
    private final byte[] buf;
    private int pos, limit;
    private long consumedBefore; // input bytes before buf[0]
    private final long total; // -1 when unknown
    private boolean crcEnabled;
    private long crc;
    private int crcFrom; // buf index from which bytes are not yet in crc

    private RdbInput(InputStream stream, byte[] buf, int pos, int limit, long total) {
        this.stream = stream;
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
        this.total = total;
        this.consumedBefore = -pos;
        this.crcFrom = pos;
    }

    /** Reads {@code len} bytes of {@code b} from {@code off}; positions count from {@code off}. */
    public static RdbInput of(byte[] b, int off, int len) {
        return new RdbInput(null, b, off, off + len, len);
    }

    public static RdbInput of(byte[] b) { return of(b, 0, b.length); }

    /** Reads a stream of {@code totalBytes} bytes, or of unknown size when -1. */
    public static RdbInput of(InputStream in, long totalBytes) {
        return new RdbInput(in, new byte[BUFFER], 0, 0, totalBytes);
    }

    /** Bytes consumed so far. */
    public long position() { return consumedBefore + pos; }

    /** Size of the whole input, or -1 when unknown. */
    public long total() { return total; }

    /** Starts the CRC-64 over every byte consumed from now on. */
    public void enableCrc() {
        crcEnabled = true;
        crc = 0;
        crcFrom = pos;
    }

    /** CRC-64 of the bytes consumed since {@link #enableCrc()}. */
    public long crc() {
        flushCrc();
        return crc;
    }

    private void flushCrc() {
        if (crcEnabled && pos > crcFrom) crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
        crcFrom = pos;
    }

    /** An error at the current position. */
    public RdbFormatException error(String message) {
        return new RdbFormatException(message, position());
    }

    private RdbFormatException eof() {
        return error("Unexpected EOF reading RDB file");
    }

    /** Makes at least one byte available; false at the end of the input. */
    private boolean fill() throws RdbFormatException {
        if (pos < limit) return true;
        if (stream == null) return false;
        flushCrc();
        consumedBefore += limit;
        pos = limit = crcFrom = 0;
        try {
            while (limit == 0) {
                int n = stream.read(buf, 0, buf.length);
                if (n < 0) return false;
                limit = n;
            }
        } catch (IOException e) {
            throw new RdbFormatException("I/O error reading RDB input: " + e.getMessage(), position());
        }
        return true;
    }

    /** True when no byte is left. */
    public boolean atEnd() throws RdbFormatException { return !fill(); }

    public int readUnsignedByte() throws RdbFormatException {
        if (!fill()) throw eof();
        return buf[pos++] & 0xff;
    }

    public void readFully(byte[] dst, int off, int len) throws RdbFormatException {
        while (len > 0) {
            if (!fill()) throw eof();
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** {@code len} bytes, refusing lengths beyond what the input can still hold. */
    public byte[] readBytes(long len) throws RdbFormatException {
        if (len < 0 || len > MAX_STRING) throw error("String too long: " + Long.toUnsignedString(len));
        if (total >= 0 && len > total - position()) throw eof();
        int n = (int) len;
        if (total >= 0 || n <= CHUNK) {
            byte[] out = new byte[n];
            readFully(out, 0, n);
            return out;
        }
        // Unknown size: grow as bytes arrive so a bogus length cannot allocate gigabytes.
        byte[] out = new byte[CHUNK];
        int have = 0;
        while (have < n) {
            if (have == out.length) out = Arrays.copyOf(out, (int) Math.min(n, (long) out.length * 2));
            int step = Math.min(n - have, out.length - have);
            readFully(out, have, step);
            have += step;
        }
        return out;
    }

    public void skip(long len) throws RdbFormatException {
        while (len > 0) {
            if (!fill()) throw eof();
            int n = (int) Math.min(len, limit - pos);
            pos += n;
            len -= n;
        }
    }

    /**
     * A length (rdbLoadLenByRef) as an unsigned 64-bit value in a long; fails on the special string
     * encodings, which only {@link #readString()} accepts.
     */
    public long readLength() throws RdbFormatException {
        long start = position();
        int first = readUnsignedByte();
        int kind = first >> 6;
        if (kind == RdbFormat.LEN_ENCODED) {
            throw new RdbFormatException("Encoded string where a length was expected", start);
        }
        return readLengthAfter(first, start);
    }

    private long readLengthAfter(int first, long start) throws RdbFormatException {
        int kind = first >> 6;
        if (kind == RdbFormat.LEN_6BIT) return first & 0x3f;
        if (kind == RdbFormat.LEN_14BIT) return ((first & 0x3f) << 8) | readUnsignedByte();
        if (first == RdbFormat.LEN_32BIT) {
            long v = 0;
            for (int i = 0; i < 4; i++) v = (v << 8) | readUnsignedByte();
            return v;
        }
        if (first == RdbFormat.LEN_64BIT) {
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | readUnsignedByte();
            return v;
        }
        throw new RdbFormatException("Unknown length encoding " + kind + " in rdbLoadLen()", start);
    }

    /** A length used as an element count: at most {@link Long#MAX_VALUE}. */
    public long readCount() throws RdbFormatException {
        long start = position();
        long n = readLength();
        if (n < 0) throw new RdbFormatException("Count too large: " + Long.toUnsignedString(n), start);
        return n;
    }

    /** An RDB string in any of its forms, as its bytes (integers as their decimal text). */
    public byte[] readString() throws RdbFormatException {
        long start = position();
        int first = readUnsignedByte();
        if (first >> 6 != RdbFormat.LEN_ENCODED) return readBytes(readLengthAfter(first, start));
        int enc = first & 0x3f;
        switch (enc) {
            case RdbFormat.ENC_INT8:
                return decimal((byte) readUnsignedByte());
            case RdbFormat.ENC_INT16:
                return decimal((short) (readUnsignedByte() | readUnsignedByte() << 8));
            case RdbFormat.ENC_INT32:
                return decimal(readInt32LE());
            case RdbFormat.ENC_LZF: {
                long compressed = readLength();
                long original = readLength();
                if (compressed < 0 || compressed > MAX_STRING || original < 0 || original > MAX_STRING) {
                    throw new RdbFormatException("Invalid LZF compressed string", start);
                }
                byte[] data = readBytes(compressed);
                try {
                    return Lzf.decompress(data, 0, data.length, (int) original);
                } catch (RdbFormatException e) {
                    throw new RdbFormatException(e.getMessage(), start);
                }
            }
            default:
                throw new RdbFormatException("Unknown RDB string encoding type " + enc, start);
        }
    }

    private static byte[] decimal(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    public int readInt32LE() throws RdbFormatException {
        return readUnsignedByte() | readUnsignedByte() << 8 | readUnsignedByte() << 16 | readUnsignedByte() << 24;
    }

    public long readInt64LE() throws RdbFormatException {
        long v = 0;
        for (int i = 0; i < 8; i++) v |= (long) readUnsignedByte() << (8 * i);
        return v;
    }

    public long readInt64BE() throws RdbFormatException {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | readUnsignedByte();
        return v;
    }

    /** An IEEE 754 double, little-endian (RDB 8 and later). */
    public double readBinaryDouble() throws RdbFormatException {
        return Double.longBitsToDouble(readInt64LE());
    }

    /** A double as text after a length byte, with 253/254/255 for nan/+inf/-inf (rdbLoadDoubleValue). */
    public double readTextDouble() throws RdbFormatException {
        long start = position();
        int len = readUnsignedByte();
        switch (len) {
            case RdbFormat.DOUBLE_NEG_INF:
                return Double.NEGATIVE_INFINITY;
            case RdbFormat.DOUBLE_POS_INF:
                return Double.POSITIVE_INFINITY;
            case RdbFormat.DOUBLE_NAN:
                return Double.NaN;
            default:
                byte[] text = new byte[len];
                readFully(text, 0, len);
                double d = RdbNumbers.parseDouble(text);
                if (Double.isNaN(d)) throw new RdbFormatException("Invalid double value", start);
                return d;
        }
    }
}
