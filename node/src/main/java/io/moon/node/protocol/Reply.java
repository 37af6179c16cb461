package io.moon.node.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Writes RESP2 or RESP3 replies straight into an outbound {@link ByteBuf}: no reply objects, no
 * intermediate buffers. The protocol version picks the RESP3 types (map, set, double, boolean,
 * null, push, verbatim) or their RESP2 shapes, as Redis's networking.c does.
 *
 * <p>One instance per executing thread, re-pointed at the buffer of the command it serves
 * ({@link #target}). Constant replies come from {@link Replies}.
 */
public final class Reply {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] MIN_LONG = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);

    private ByteBuf out;
    private int protocol = 2;
    private final byte[] digits = new byte[20];

    public Reply target(ByteBuf out, int protocol) {
        this.out = out;
        this.protocol = protocol;
        return this;
    }

    public ByteBuf buffer() { return out; }
    public int protocol() { return protocol; }
    public boolean resp3() { return protocol == 3; }

    public void ok() { out.writeBytes(Replies.OK); }

    public void simple(String s) {
        out.writeByte('+');
        out.writeCharSequence(s, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    /**
     * An error reply. {@code message} starts with the error code ("ERR ...", "WRONGTYPE ...");
     * newlines would break the protocol and are replaced by blanks, as Redis does.
     */
    public void error(String message) {
        out.writeByte('-');
        int from = out.writerIndex();
        out.writeCharSequence(message, StandardCharsets.UTF_8);
        for (int i = from; i < out.writerIndex(); i++) {
            byte b = out.getByte(i);
            if (b == '\r' || b == '\n') out.setByte(i, ' ');
        }
        out.writeBytes(CRLF);
    }

    public void integer(long v) {
        if (v >= 0 && v < Replies.SMALL_INTEGERS) {
            out.writeBytes(Replies.integer((int) v));
            return;
        }
        out.writeByte(':');
        writeDecimal(v);
        out.writeBytes(CRLF);
    }

    public void bulk(byte[] b) { bulk(b, 0, b.length); }

    public void bulk(byte[] b, int off, int len) {
        out.ensureWritable(len + 16);
        out.writeByte('$');
        writeDecimal(len);
        out.writeBytes(CRLF);
        out.writeBytes(b, off, len);
        out.writeBytes(CRLF);
    }

    public void bulk(String s) { bulk(s.getBytes(StandardCharsets.UTF_8)); }

    /** A long written as a bulk string (e.g. INCRBYFLOAT-like replies, CONFIG GET values). */
    public void bulkLong(long v) {
        int n = toDecimal(v);
        out.writeByte('$');
        // The length (at most 20) is written by hand: writeDecimal would reuse the digit buffer.
        if (n >= 10) out.writeByte('0' + n / 10);
        out.writeByte('0' + n % 10);
        out.writeBytes(CRLF);
        out.writeBytes(digits, 20 - n, n);
        out.writeBytes(CRLF);
    }

    /** The null bulk string: RESP2 "$-1", RESP3 "_". */
    public void nullBulk() { out.writeBytes(protocol == 3 ? Replies.NULL3 : Replies.NULL_BULK); }

    /** The null array: RESP2 "*-1", RESP3 "_". */
    public void nullArray() { out.writeBytes(protocol == 3 ? Replies.NULL3 : Replies.NULL_ARRAY); }

    public void arrayHeader(long n) { header('*', n); }

    /** A map of n pairs: RESP3 "%n", RESP2 a flat array of 2n. */
    public void mapHeader(long n) {
        if (protocol == 3) header('%', n); else header('*', n * 2);
    }

    /** A set: RESP3 "~n", RESP2 an array. */
    public void setHeader(long n) { header(protocol == 3 ? '~' : '*', n); }

    /** An out-of-band push (pub/sub, invalidation): RESP3 ">n", RESP2 an array. */
    public void pushHeader(long n) { header(protocol == 3 ? '>' : '*', n); }

    public void emptyArray() { out.writeBytes(Replies.EMPTY_ARRAY); }

    /** A double: RESP3 ",d", RESP2 a bulk string in Redis's %.17g form. */
    public void doubleValue(double d) {
        String s = Doubles.toRedisString(d);
        if (protocol == 3) {
            out.writeByte(',');
            out.writeCharSequence(s, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        } else {
            bulk(s.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A boolean: RESP3 "#t"/"#f", RESP2 ":1"/":0". */
    public void bool(boolean b) {
        if (protocol == 3) out.writeBytes(b ? Replies.TRUE3 : Replies.FALSE3);
        else out.writeBytes(Replies.integer(b ? 1 : 0));
    }

    /** Verbatim text (INFO, CLIENT LIST...): RESP3 "=n\r\ntxt:...", RESP2 a bulk string. */
    public void verbatim(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (protocol == 3) {
            out.writeByte('=');
            writeDecimal(b.length + 4);
            out.writeBytes(CRLF);
            out.writeBytes(Replies.TXT_PREFIX);
            out.writeBytes(b);
            out.writeBytes(CRLF);
        } else {
            bulk(b);
        }
    }

    /** Raw, pre-encoded bytes. */
    public void raw(byte[] encoded) { out.writeBytes(encoded); }

    private void header(char type, long n) {
        out.writeByte(type);
        writeDecimal(n);
        out.writeBytes(CRLF);
    }

    private void writeDecimal(long v) {
        if (v == Long.MIN_VALUE) {
            out.writeBytes(MIN_LONG);
            return;
        }
        int n = toDecimal(v);
        out.writeBytes(digits, 20 - n, n);
    }

    /** Writes v right-aligned into {@link #digits}; returns the digit count (with sign). */
    private int toDecimal(long v) {
        if (v == Long.MIN_VALUE) {
            System.arraycopy(MIN_LONG, 0, digits, 0, 20);
            return 20;
        }
        boolean neg = v < 0;
        if (neg) v = -v;
        int i = 20;
        do {
            digits[--i] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        if (neg) digits[--i] = '-';
        return 20 - i;
    }
}
