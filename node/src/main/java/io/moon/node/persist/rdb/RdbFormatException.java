package io.moon.node.persist.rdb;

import java.io.IOException;

/**
 * Bytes that are not valid RDB: a truncated file, a bad length, a corrupt listpack, a duplicate
 * member, a checksum mismatch. Every decoding failure of this package surfaces as this one
 * exception, never as an index or arithmetic exception, so a caller (RESTORE, the importer) can
 * answer an error instead of dying. {@link #offset()} is the position in the input where the
 * problem was found, or -1 when the problem is not tied to one place.
 */
public final class RdbFormatException extends IOException {
    private final long offset;
    private final String reason;

    public RdbFormatException(String message, long offset) {
        super(offset >= 0 ? message + " (at offset " + offset + ")" : message);
        this.offset = offset;
        this.reason = message;
    }

    public RdbFormatException(String message) {
        this(message, -1);
    }

    /** Position in the input where the problem was found, or -1. */
    public long offset() { return offset; }

    /** The message without its offset. */
    public String reason() { return reason; }

    /** The same problem with {@code context} in front ("Hash listpack integrity check failed: ..."). */
    public RdbFormatException withContext(String context) {
        return new RdbFormatException(context + ": " + reason, offset);
    }

    /** The same problem placed at {@code at} when it had no position yet. */
    public RdbFormatException at(long at) {
        return offset >= 0 ? this : new RdbFormatException(reason, at);
    }
}
