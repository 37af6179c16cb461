package io.moon.node.protocol;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Parses client requests from a receive buffer into a {@link CommandBuffer}, following Redis's
 * networking.c ({@code processMultibulkBuffer}, {@code processInlineBuffer}) byte for byte,
 * including its error texts.
 *
 * <p>A state machine in the manner of Netty's {@code RedisDecoder}: {@link #parse} consumes
 * whatever complete pieces the buffer holds (a header line, a whole bulk argument, a whole inline
 * line) and returns when bytes are missing; the next call resumes where it stopped. A multibulk
 * command arriving over many reads is never re-scanned. Limits are checked before anything is
 * copied.
 *
 * <p>Owned by one connection's event loop.
 */
public final class RespParser {
    /** Redis's PROTO_INLINE_MAX_SIZE: an inline request or a header line may not exceed it. */
    public static final int INLINE_MAX_SIZE = 64 * 1024;

    private long maxBulkLength = 512L * 1024 * 1024;
    /** Arguments still expected for the current multibulk command; 0 when between commands. */
    private int multibulkRemaining;
    /** Length of the bulk being read; -1 while its "$n" header is still unread. */
    private long bulkLength = -1;

    public void maxBulkLength(long max) {
        this.maxBulkLength = max;
    }

    /** True while a command has started arriving but is not complete. */
    public boolean midCommand() {
        return multibulkRemaining > 0;
    }

    /**
     * Parses complete commands from {@code in} into {@code out} until the buffer runs dry or
     * {@code maxCommands} are complete. Consumes exactly the bytes it has used.
     *
     * @throws ProtocolException on malformed input; commands completed before it stay in
     *     {@code out}, the partial one is dropped, and the parser is reset.
     */
    public void parse(ByteBuf in, CommandBuffer out, int maxCommands) {
        try {
            while (in.isReadable() && out.commandCount() < maxCommands) {
                boolean progressed = multibulkRemaining > 0 || in.getByte(in.readerIndex()) == '*'
                        ? parseMultibulk(in, out)
                        : parseInline(in, out);
                if (!progressed) return;
            }
        } catch (ProtocolException e) {
            out.dropPartial();
            multibulkRemaining = 0;
            bulkLength = -1;
            throw e;
        }
    }

    private boolean parseMultibulk(ByteBuf in, CommandBuffer out) {
        if (multibulkRemaining == 0) {
            int start = in.readerIndex();
            int cr = in.indexOf(start, in.writerIndex(), (byte) '\r');
            if (cr < 0) {
                if (in.readableBytes() > INLINE_MAX_SIZE) {
                    throw new ProtocolException("Protocol error: too big mbulk count string");
                }
                return false;
            }
            if (cr + 1 >= in.writerIndex()) return false; // the '\n' has not arrived yet
            long n = parseLong(in, start + 1, cr);
            if (n == Long.MIN_VALUE || n > Integer.MAX_VALUE) {
                throw new ProtocolException("Protocol error: invalid multibulk length");
            }
            in.readerIndex(cr + 2);
            if (n <= 0) return true; // "*0" and "*-1" are skipped, as Redis does
            multibulkRemaining = (int) n;
        }
        while (multibulkRemaining > 0) {
            if (bulkLength < 0) {
                int start = in.readerIndex();
                int cr = in.indexOf(start, in.writerIndex(), (byte) '\r');
                if (cr < 0) {
                    if (in.readableBytes() > INLINE_MAX_SIZE) {
                        throw new ProtocolException("Protocol error: too big bulk count string");
                    }
                    return false;
                }
                if (cr + 1 >= in.writerIndex()) return false;
                byte first = in.getByte(start);
                if (first != '$') {
                    throw new ProtocolException("Protocol error: expected '$', got '" + (char) (first & 0xff) + "'");
                }
                long len = parseLong(in, start + 1, cr);
                if (len == Long.MIN_VALUE || len < 0 || len > maxBulkLength) {
                    throw new ProtocolException("Protocol error: invalid bulk length");
                }
                in.readerIndex(cr + 2);
                bulkLength = len;
            }
            // Like Redis, the two bytes after the payload are skipped, not checked.
            if (in.readableBytes() < bulkLength + 2) return false;
            int len = (int) bulkLength;
            int at = out.addArg(len);
            in.readBytes(out.data(), at, len);
            in.skipBytes(2);
            bulkLength = -1;
            multibulkRemaining--;
        }
        out.endCommand();
        return true;
    }

    private boolean parseInline(ByteBuf in, CommandBuffer out) {
        int start = in.readerIndex();
        int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > INLINE_MAX_SIZE) {
                throw new ProtocolException("Protocol error: too big inline request");
            }
            return false;
        }
        int end = lf;
        if (end > start && in.getByte(end - 1) == '\r') end--;
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        List<byte[]> args = ArgSplitter.split(line);
        if (args == null) {
            throw new ProtocolException("Protocol error: unbalanced quotes in request");
        }
        in.readerIndex(lf + 1);
        if (!args.isEmpty()) {
            for (byte[] a : args) out.addArg(a, 0, a.length);
            out.endCommand();
        }
        return true;
    }

    /** Redis's string2ll over [from, to): Long.MIN_VALUE when not a valid 64-bit integer. */
    static long parseLong(ByteBuf in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) return Long.MIN_VALUE;
        int i = from;
        boolean negative = false;
        if (in.getByte(i) == '-') {
            negative = true;
            if (++i == to) return Long.MIN_VALUE;
        }
        // As string2ll: no leading zeros, and "-0" is not a number.
        if (in.getByte(i) == '0') return (i + 1 == to && !negative) ? 0 : Long.MIN_VALUE;
        long v = 0;
        for (; i < to; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9) return Long.MIN_VALUE;
            // Accumulate negatively so that Long.MIN_VALUE itself parses.
            if (v < (Long.MIN_VALUE + d) / 10) return Long.MIN_VALUE;
            v = v * 10 - d;
        }
        if (!negative && v == Long.MIN_VALUE) return Long.MIN_VALUE;
        return negative ? v : -v;
    }
}
