package io.moon.node.persist.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a whole RDB file ({@link RdbFormat}) as Redis 7.0 does, version 10, streaming: header,
 * then any AUX fields, functions, databases and keys in the caller's order, then
 * {@link #finish()} (EOF and the CRC-64). Values are encoded as {@link RdbValueWriter} chooses
 * under the given options. The caller closes the stream.
 */
public final class RdbFileWriter {
    private final RdbOutput out;
    private final RdbWriteOptions options;

    public RdbFileWriter(OutputStream sink, RdbWriteOptions options) throws IOException {
        this.out = RdbOutput.to(sink, options.compress());
        this.options = options;
        out.writeBytes(RdbFormat.MAGIC);
        out.writeBytes(String.format("%04d", RdbFormat.VERSION_CURRENT).getBytes(StandardCharsets.US_ASCII));
    }

    public RdbFileWriter aux(String key, String value) throws IOException {
        return aux(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    public RdbFileWriter aux(byte[] key, byte[] value) throws IOException {
        return io(() -> {
            out.writeByte(RdbOpcode.AUX);
            out.writeString(key);
            out.writeString(value);
        });
    }

    /** A function library's code, "#!lua name=..." first. */
    public RdbFileWriter function(byte[] code) throws IOException {
        return io(() -> {
            out.writeByte(RdbOpcode.FUNCTION2);
            out.writeString(code);
        });
    }

    /** Starts database {@code db}, with its key count and count of keys with an expiry as hints. */
    public RdbFileWriter selectDb(long db, long keys, long keysWithExpiry) throws IOException {
        return io(() -> {
            out.writeByte(RdbOpcode.SELECTDB);
            out.writeLength(db);
            out.writeByte(RdbOpcode.RESIZEDB);
            out.writeLength(keys);
            out.writeLength(keysWithExpiry);
        });
    }

    /** A key of the current database; {@code expireAtMs} is unix milliseconds or {@link RdbKey#NO_EXPIRE}. */
    public RdbFileWriter key(byte[] key, RdbValue value, long expireAtMs) throws IOException {
        return io(() -> {
            if (expireAtMs != RdbKey.NO_EXPIRE) {
                out.writeByte(RdbOpcode.EXPIRETIME_MS);
                out.writeInt64LE(expireAtMs);
            }
            int type = RdbValueWriter.typeFor(value, options);
            out.writeByte(type);
            out.writeString(key);
            RdbValueWriter.write(out, value, type, options);
        });
    }

    /** EOF and checksum; flushes. Nothing may be written after. */
    public void finish() throws IOException {
        io(() -> {
            out.writeByte(RdbOpcode.EOF);
            out.writeInt64LE(out.crc());
        });
        out.flush();
    }

    /** Bytes written so far. */
    public long position() { return out.position(); }

    private RdbFileWriter io(Runnable r) throws IOException {
        try {
            r.run();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return this;
    }
}
