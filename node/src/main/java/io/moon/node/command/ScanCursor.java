package io.moon.node.command;

import io.moon.node.protocol.CommandBuffer;

/**
 * SCAN's cursor over a sharded keyspace: the top {@value #SHARD_BITS} bits name the shard being
 * scanned, the low bits are that shard's table cursor ({@link io.moon.node.store.Dict#scan},
 * which needs fewer). Shards are scanned one after the other, so the cursor alone routes each
 * SCAN call to the shard that continues it, and a key present for the whole scan is returned
 * because its shard's table scan returns it.
 */
final class ScanCursor {
    private ScanCursor() {}

    static final int SHARD_BITS = 8;
    private static final int SHARD_SHIFT = 64 - SHARD_BITS;
    private static final long TABLE_MASK = (1L << SHARD_SHIFT) - 1;
    static final String INVALID = "ERR invalid cursor";

    static int shard(long cursor) { return (int) (cursor >>> SHARD_SHIFT); }

    static long tableCursor(long cursor) { return cursor & TABLE_MASK; }

    static long of(int shard, long tableCursor) { return ((long) shard << SHARD_SHIFT) | tableCursor; }

    /**
     * The cursor text as Redis's parseScanCursorOrReply reads it with strtoul: decimal, an
     * optional sign ("-1" wraps to 2^64-1), no leading blank, nothing after the digits, no
     * overflow of 64 unsigned bits; the empty string reads as 0.
     */
    static long parse(byte[] b, int off, int len) {
        if (len == 0) return 0;
        int i = off, end = off + len;
        int first = b[i];
        if (first == ' ' || (first >= '\t' && first <= '\r')) throw new RedisError(INVALID);
        boolean negative = first == '-';
        if (first == '+' || first == '-') i++;
        if (i == end) throw new RedisError(INVALID);
        long v = 0;
        long limit = Long.divideUnsigned(-1L, 10);
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) throw new RedisError(INVALID);
            if (Long.compareUnsigned(v, limit) > 0) throw new RedisError(INVALID);
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) throw new RedisError(INVALID);
            v = next;
        }
        return negative ? -v : v;
    }

    /** SCAN's router: the shard named by the cursor; the client's own shard for a bad cursor. */
    static int route(CommandBuffer args, int firstArg, int argc, int shards) {
        long cursor;
        try {
            cursor = parse(args.data(), args.offset(firstArg + 1), args.length(firstArg + 1));
        } catch (RedisError e) {
            return -1; // the handler answers the error
        }
        int s = shard(cursor);
        return s < shards ? s : -1;
    }
}
