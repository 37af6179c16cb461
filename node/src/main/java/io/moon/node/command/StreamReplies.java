package io.moon.node.command;

import io.moon.node.protocol.Reply;
import io.moon.node.store.stream.EntryView;
import io.moon.node.store.stream.StreamCursor;
import io.netty.buffer.ByteBuf;

/**
 * How stream replies are written: ids as "ms-seq" bulk strings, entries as [id, [field, value
 * ...]] (t_stream.c addReplyStreamID, streamReplyWithRange), and arrays whose length is known only
 * once written (Redis's deferred lengths) through a scratch buffer.
 */
final class StreamReplies {
    private StreamReplies() {}

    /** Longest "ms-seq" text: two 20-digit halves and the dash. */
    private static final int ID_TEXT_MAX = 41;

    static void id(Reply r, long ms, long seq) {
        byte[] text = new byte[ID_TEXT_MAX];
        int p = writeUnsigned(text, 0, ms);
        text[p++] = '-';
        p = writeUnsigned(text, p, seq);
        r.bulk(text, 0, p);
    }

    /** The decimal digits of v read unsigned, at b[p...]; returns the end. */
    private static int writeUnsigned(byte[] b, int p, long v) {
        byte[] digits = new byte[20];
        int n = 0;
        if (v < 0) { // above Long.MAX_VALUE: take the last digit unsigned, the rest fits a long
            long q = Long.divideUnsigned(v, 10);
            digits[n++] = (byte) ('0' + (v - q * 10));
            v = q;
        }
        do {
            digits[n++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        while (n > 0) b[p++] = digits[--n];
        return p;
    }

    /** One entry: [id, [field, value, ...]]; the cursor must stand on it. */
    static void entry(Reply r, StreamCursor c) {
        EntryView e = c.fields();
        r.arrayHeader(2);
        id(r, e.ms(), e.seq());
        int n = e.fieldCount();
        r.arrayHeader(2L * n);
        byte[] d = e.data();
        for (int i = 0; i < n; i++) {
            r.bulk(d, e.fieldOffset(i), e.fieldLength(i));
            r.bulk(d, e.valueOffset(i), e.valueLength(i));
        }
    }

    /** Every entry of the cursor, at most {@code count} (0: no limit); returns how many. */
    static long entries(Reply r, StreamCursor c, long count) {
        long n = 0;
        while ((count == 0 || n < count) && c.next()) {
            entry(r, c);
            n++;
        }
        return n;
    }

    /**
     * An array whose elements are written before their number is known: write them into
     * {@link #reply()}, then {@link #finishArray} writes the header and the elements to the real
     * reply. Release with {@link #close}.
     */
    static final class Deferred implements AutoCloseable {
        private final ByteBuf buf;
        private final Reply reply;

        Deferred(CommandContext c) {
            buf = c.reply().buffer().alloc().heapBuffer(256);
            reply = new Reply().target(buf, c.reply().protocol());
        }

        Reply reply() { return reply; }

        void finishArray(Reply out, long n) {
            out.arrayHeader(n);
            out.buffer().writeBytes(buf);
        }

        @Override
        public void close() { buf.release(); }
    }
}
