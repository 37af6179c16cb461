package io.moon.node.command;

import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.LexRange;
import io.moon.node.store.ScoreRange;
import io.moon.node.store.SortedSetValue;

/**
 * ZRANGE and ZRANGESTORE with BYSCORE, BYLEX, REV, LIMIT and WITHSCORES, and the older
 * ZREVRANGE, Z[REV]RANGEBYSCORE and Z[REV]RANGEBYLEX that fix the type and direction (Redis's
 * zrangeGenericCommand and its result handlers: to the client, or into a new sorted set).
 */
final class ZsetRange {
    private ZsetRange() {}

    static final String LIMIT_NEEDS_BY = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
    static final String WITHSCORES_AND_BYLEX = "ERR syntax error, WITHSCORES not supported in combination with BYLEX";

    enum Type { AUTO, RANK, SCORE, LEX }

    enum Direction { AUTO, FORWARD, REVERSE }

    /**
     * {@code <src> <min> <max> [BYSCORE|BYLEX] [REV] [WITHSCORES] [LIMIT offset count]} with the
     * source key at {@code src}; {@code store}: ZRANGESTORE, whose destination is argument 1.
     */
    static void zrange(CommandContext c, int src, boolean store, Type type, Direction direction) {
        boolean withScores = false;
        long offset = 0, limit = -1;
        for (int j = src + 3; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            if (!store && c.is(j, "withscores")) {
                withScores = true;
            } else if (c.is(j, "limit") && left >= 2) {
                offset = c.longArg(j + 1);
                limit = c.longArg(j + 2);
                j += 2;
            } else if (direction == Direction.AUTO && c.is(j, "rev")) {
                direction = Direction.REVERSE;
            } else if (type == Type.AUTO && c.is(j, "bylex")) {
                type = Type.LEX;
            } else if (type == Type.AUTO && c.is(j, "byscore")) {
                type = Type.SCORE;
            } else {
                throw RedisError.syntax();
            }
        }
        if (direction == Direction.AUTO) direction = Direction.FORWARD;
        if (type == Type.AUTO) type = Type.RANK;
        // As Redis: "LIMIT 0 -1" is the default, so it passes with a rank range.
        if (limit != -1 && type == Type.RANK) throw new RedisError(LIMIT_NEEDS_BY);
        if (withScores && type == Type.LEX) throw new RedisError(WITHSCORES_AND_BYLEX);
        boolean reverse = direction == Direction.REVERSE;
        int minArg = src + 1, maxArg = src + 2;
        if (reverse && type != Type.RANK) { // the range is given as max, min
            minArg = src + 2;
            maxArg = src + 1;
        }
        long start = 0, end = 0;
        ScoreRange scores = null;
        LexRange lex = null;
        switch (type) {
            case SCORE -> scores = ZsetRanges.score(c, minArg, maxArg);
            case LEX -> lex = ZsetRanges.lex(c, minArg, maxArg);
            default -> {
                start = c.longArg(minArg);
                end = c.longArg(maxArg);
            }
        }
        boolean emitScores = withScores || store;
        SortedSetValue z = c.readValue(src, SortedSetValue.class);
        if (z == null) {
            if (store) finishStore(c, null, 0);
            else c.reply().emptyArray();
            return;
        }
        Sink out = store ? new StoreSink(SortedSetCommands.limits(c)) : new ClientSink(c, emitScores);
        long n = switch (type) {
            case SCORE -> byScore(z, scores, reverse, offset, limit, out);
            case LEX -> byLex(z, lex, reverse, offset, limit, out);
            default -> byRank(z, start, end, reverse, out);
        };
        if (store) finishStore(c, ((StoreSink) out).dst, n);
    }

    /** Where a range goes: told the count first (-1 when not known), then each element. */
    private interface Sink extends SortedSetValue.Visitor {
        void begin(long n);

        /** True when {@link #begin} needs the exact count of a score or lex range. */
        default boolean needsCount() { return true; }
    }

    /** Answers the client: the count is known before any element is written. */
    private record ClientSink(CommandContext c, boolean withScores) implements Sink {
        @Override
        public void begin(long n) { SortedSetCommands.replyRangeHeader(c, n, withScores); }

        @Override
        public void visit(byte[] b, int off, int len, double score) {
            SortedSetCommands.replyElement(c, b, off, len, score, withScores);
        }
    }

    /** Fills a new sorted set for ZRANGESTORE, created as Redis's zrangeResultBeginStore creates it. */
    private static final class StoreSink implements Sink {
        final SortedSetValue.Limits limits;
        SortedSetValue dst;

        StoreSink(SortedSetValue.Limits limits) { this.limits = limits; }

        @Override
        public void begin(long n) { dst = SortedSetValue.forSize(limits, n); }

        @Override
        public boolean needsCount() { return false; }

        @Override
        public void visit(byte[] b, int off, int len, double score) { dst.add(score, b, off, len, 0, limits); }
    }

    /** Redis's zrangeResultFinalizeStore: the new set replaces the destination, or an empty result deletes it. */
    private static void finishStore(CommandContext c, SortedSetValue dst, long n) {
        if (n > 0) {
            c.storeValue(1, dst);
            c.reply().integer(n);
            c.notify(KeyspaceEvents.ZSET, "zrangestore", 1);
        } else {
            c.reply().integer(0);
            if (c.db(1).delete(c.buf(), c.off(1), c.len(1)) != null) c.notify(KeyspaceEvents.GENERIC, "del", 1);
        }
    }

    /** Redis's genericZrangebyrankCommand: indexes from the end when negative, clipped to the set. */
    private static long byRank(SortedSetValue z, long start, long end, boolean reverse, Sink out) {
        long llen = z.size();
        if (start < 0) start = llen + start;
        if (end < 0) end = llen + end;
        if (start < 0) start = 0;
        if (start > end || start >= llen) {
            out.begin(0);
            return 0;
        }
        if (end >= llen) end = llen - 1;
        out.begin(end - start + 1);
        z.range(start, end, reverse, out);
        return end - start + 1;
    }

    /** A client's count is taken by a first walk, so the reply header comes before the elements. */
    private static long byScore(SortedSetValue z, ScoreRange r, boolean reverse, long offset, long limit, Sink out) {
        out.begin(out.needsCount() ? z.rangeByScore(r, reverse, offset, limit, (b, off, len, s) -> {}) : -1);
        return z.rangeByScore(r, reverse, offset, limit, out);
    }

    private static long byLex(SortedSetValue z, LexRange r, boolean reverse, long offset, long limit, Sink out) {
        out.begin(out.needsCount() ? z.rangeByLex(r, reverse, offset, limit, (b, off, len, s) -> {}) : -1);
        return z.rangeByLex(r, reverse, offset, limit, out);
    }
}
