package io.moon.node.persist.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The writing side of RDB's primitives ({@link RdbFormat}), into a growing array (a DUMP payload)
 * or through to a stream (a file, flushed every 64 KB), keeping the CRC-64 of every byte written.
 * Strings are written as Redis's rdbSaveRawString writes them: integer-encoded when they are a
 * canonical integer of up to 32 bits, LZF-compressed when {@code compress} is on, they are longer
 * than 20 bytes and compression saves at least 4 bytes, plain otherwise. Not thread-safe.
 */
public final class RdbOutput {
    private static final int FLUSH_AT = 64 * 1024;

    private final OutputStream sink; // null: keep everything in memory
    private final boolean compress;
    private byte[] buf = new byte[256];
    private int len;
    private long flushed;
    private long crc;
    /**
     * One compressor per thread: its 256 KB table is reused call after call (a new one per string
     * cost more in allocation and zeroing than the compression itself). Shard loops, the script
     * thread and snapshot threads are long-lived, so each keeps its one.
     */
    private static final ThreadLocal<Lzf> LZF = ThreadLocal.withInitial(Lzf::new);

    private RdbOutput(OutputStream sink, boolean compress) {
        this.sink = sink;
        this.compress = compress;
    }

    public static RdbOutput inMemory(boolean compress) { return new RdbOutput(null, compress); }

    public static RdbOutput to(OutputStream sink, boolean compress) { return new RdbOutput(sink, compress); }

    /** Bytes written so far. */
    public long position() { return flushed + len; }

    /** CRC-64 of every byte written so far. */
    public long crc() { return Crc64.update(crc, buf, 0, len); }

    /** The bytes of an in-memory output. */
    public byte[] toByteArray() {
        if (sink != null) throw new IllegalStateException("output goes to a stream");
        return Arrays.copyOf(buf, len);
    }

    /** Empties an in-memory output for its next use (its buffer is kept). */
    public void reset() {
        if (sink != null) throw new IllegalStateException("output goes to a stream");
        len = 0;
        crc = 0;
        if (buf.length > (1 << 20)) buf = new byte[256]; // do not keep a huge value's buffer
    }

    /** Bytes of an in-memory output written so far. */
    public int length() { return len; }

    /** Copies an in-memory output's bytes to {@code out}. */
    public void copyTo(java.io.ByteArrayOutputStream out) {
        if (sink != null) throw new IllegalStateException("output goes to a stream");
        out.write(buf, 0, len);
    }

    /** Writes buffered bytes to the stream. */
    public void flush() throws IOException {
        if (sink == null || len == 0) return;
        crc = Crc64.update(crc, buf, 0, len);
        sink.write(buf, 0, len);
        flushed += len;
        len = 0;
    }

    private void ensure(int more) {
        if (len + more <= buf.length) return;
        if (sink != null && len > 0 && len + more > FLUSH_AT) {
            try {
                flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (more <= buf.length) return;
        }
        buf = Arrays.copyOf(buf, Math.max(len + more, buf.length * 2));
    }

    public void writeByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    public void writeBytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    public void writeBytes(byte[] b) { writeBytes(b, 0, b.length); }

    /** rdbSaveLen: the shortest of the 6, 14, 32 and 64-bit forms; {@code v} is unsigned. */
    public void writeLength(long v) {
        if (v >= 0 && v < (1 << 6)) {
            writeByte((int) v);
        } else if (v >= 0 && v < (1 << 14)) {
            writeByte((int) (v >> 8) | (RdbFormat.LEN_14BIT << 6));
            writeByte((int) v);
        } else if (v >= 0 && v <= 0xffffffffL) {
            writeByte(RdbFormat.LEN_32BIT);
            for (int s = 24; s >= 0; s -= 8) writeByte((int) (v >>> s));
        } else {
            writeByte(RdbFormat.LEN_64BIT);
            for (int s = 56; s >= 0; s -= 8) writeByte((int) (v >>> s));
        }
    }

    /** rdbSaveRawString: integer form, LZF or plain bytes. */
    public void writeString(byte[] s) {
        if (s.length <= 11 && RdbNumbers.isCanonicalLong(s) && writeEncodedInt(RdbNumbers.parseCanonicalLong(s))) {
            return;
        }
        if (compress && s.length > 20 && writeLzf(s)) return;
        writeLength(s.length);
        writeBytes(s);
    }

    /** rdbSaveLongLongAsStringObject: an integer-encoded value, or its decimal text. */
    public void writeLongString(long v) {
        if (!writeEncodedInt(v)) {
            byte[] text = RdbNumbers.decimal(v);
            writeLength(text.length);
            writeBytes(text);
        }
    }

    /** rdbEncodeInteger: false when {@code v} needs more than 32 bits. */
    private boolean writeEncodedInt(long v) {
        int tag = RdbFormat.LEN_ENCODED << 6;
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            writeByte(tag | RdbFormat.ENC_INT8);
            writeByte((int) v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            writeByte(tag | RdbFormat.ENC_INT16);
            writeByte((int) v);
            writeByte((int) (v >> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            writeByte(tag | RdbFormat.ENC_INT32);
            writeInt32LE((int) v);
        } else {
            return false;
        }
        return true;
    }

    /** rdbSaveLzfStringObject: false when compression would not save at least 4 bytes. */
    private boolean writeLzf(byte[] s) {
        if (s.length <= 4) return false;
        byte[] packed = LZF.get().compress(s, 0, s.length, s.length - 4);
        if (packed == null) return false;
        writeLzfBlob(packed, s.length);
        return true;
    }

    /** rdbSaveLzfBlob: an already compressed string. */
    public void writeLzfBlob(byte[] packed, int originalLength) {
        writeByte((RdbFormat.LEN_ENCODED << 6) | RdbFormat.ENC_LZF);
        writeLength(packed.length);
        writeLength(originalLength);
        writeBytes(packed);
    }

    public void writeInt32LE(int v) {
        for (int s = 0; s < 32; s += 8) writeByte(v >>> s);
    }

    public void writeInt64LE(long v) {
        for (int s = 0; s < 64; s += 8) writeByte((int) (v >>> s));
    }

    public void writeInt64BE(long v) {
        for (int s = 56; s >= 0; s -= 8) writeByte((int) (v >>> s));
    }

    public void writeBinaryDouble(double d) {
        writeInt64LE(Double.doubleToRawLongBits(d));
    }
}
