package io.moon.node.command;

import io.moon.node.store.stream.StreamValue;

/**
 * The options of XADD and XTRIM (t_stream.c streamParseAddOrTrimArgsOrReply): a trimming
 * strategy (MAXLEN or MINID, exact "=" or approximate "~", LIMIT), and for XADD NOMKSTREAM and
 * the entry id.
 */
final class StreamTrimArgs {
    static final int NONE = 0, MAXLEN = 1, MINID = 2;

    int strategy = NONE;
    boolean approx;
    long limit;
    long maxlen;
    final long[] minId = new long[2];
    /** XADD: an explicit id (not "*"), whether its sequence was given (not "ms-*"), and where it is. */
    boolean idGiven, seqGiven;
    final long[] id = new long[2];
    int idPos;
    boolean noMkStream;

    private static final String BOTH = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";

    static StreamTrimArgs parse(CommandContext c, boolean xadd) {
        StreamTrimArgs a = new StreamTrimArgs();
        int argc = c.argc();
        boolean limitGiven = false;
        int i = 2;
        for (; i < argc; i++) {
            int more = argc - 1 - i;
            if (xadd && c.len(i) == 1 && c.buf()[c.off(i)] == '*') {
                break;
            } else if (c.is(i, "maxlen") && more > 0) {
                if (a.strategy != NONE) throw new RedisError(BOTH);
                i = a.approxOrExact(c, i, more);
                a.maxlen = c.longArg(i + 1);
                if (a.maxlen < 0) throw new RedisError("ERR The MAXLEN argument must be >= 0.");
                i++;
                a.strategy = MAXLEN;
            } else if (c.is(i, "minid") && more > 0) {
                if (a.strategy != NONE) throw new RedisError(BOTH);
                i = a.approxOrExact(c, i, more);
                StreamIdArgs.parseOrError(c, i + 1, 0, true, a.minId);
                i++;
                a.strategy = MINID;
            } else if (c.is(i, "limit") && more > 0) {
                a.limit = c.longArg(i + 1);
                if (a.limit < 0) throw new RedisError("ERR The LIMIT argument must be >= 0.");
                limitGiven = true;
                i++;
            } else if (xadd && c.is(i, "nomkstream")) {
                a.noMkStream = true;
            } else if (xadd) {
                int r = StreamIdArgs.parse(c.buf(), c.off(i), c.len(i), 0, true, true, a.id);
                if (r == StreamIdArgs.INVALID_ID) throw new RedisError(StreamIdArgs.INVALID);
                a.idGiven = true;
                a.seqGiven = r == StreamIdArgs.SEQ_GIVEN;
                break;
            } else {
                throw RedisError.syntax();
            }
        }
        a.idPos = i;
        if (a.limit != 0 && a.strategy == NONE) {
            throw new RedisError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && a.strategy == NONE) {
            throw new RedisError("ERR syntax error, XTRIM must be called with a trimming strategy");
        }
        if (limitGiven) {
            if (!a.approx) throw new RedisError("ERR syntax error, LIMIT cannot be used without the special ~ option");
        } else if (a.approx) {
            // Redis bounds the work of "~" to 100 nodes unless told otherwise.
            long l = 100 * StreamCommands.nodeMaxEntries(c);
            if (l <= 0) l = 10000;
            if (l > 1000000) l = 1000000;
            a.limit = l;
        } else {
            a.limit = 0;
        }
        return a;
    }

    /** Reads an optional "~" or "=" after MAXLEN/MINID; returns the index before the threshold. */
    private int approxOrExact(CommandContext c, int i, int more) {
        approx = false;
        if (more >= 2 && c.len(i + 1) == 1) {
            byte b = c.buf()[c.off(i + 1)];
            if (b == '~') {
                approx = true;
                return i + 1;
            }
            if (b == '=') return i + 1;
        }
        return i;
    }

    /** Applies the strategy; returns the entries removed. */
    long trim(StreamValue s) {
        return s.trim(strategy == MINID, maxlen, minId[0], minId[1], approx, limit);
    }
}
