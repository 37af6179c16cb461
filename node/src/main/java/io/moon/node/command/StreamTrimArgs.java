package io.moon.node.command;

import io.moon.node.store.stream.StreamCursor;
import io.moon.node.store.stream.StreamIds;
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
    /** Where MAXLEN/MINID, its "~" or "=" (or -1) and its threshold are: the log form rewrites them. */
    int strategyPos = -1, markPos = -1, thresholdPos = -1;

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
                a.strategyPos = i;
                i = a.approxOrExact(c, i, more);
                a.thresholdPos = i + 1;
                a.maxlen = c.longArg(i + 1);
                if (a.maxlen < 0) throw new RedisError("ERR The MAXLEN argument must be >= 0.");
                i++;
                a.strategy = MAXLEN;
            } else if (c.is(i, "minid") && more > 0) {
                if (a.strategy != NONE) throw new RedisError(BOTH);
                a.strategyPos = i;
                i = a.approxOrExact(c, i, more);
                a.thresholdPos = i + 1;
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
        markPos = -1;
        if (more >= 2 && c.len(i + 1) == 1) {
            byte b = c.buf()[c.off(i + 1)];
            if (b == '~' || b == '=') {
                approx = b == '~';
                markPos = i + 1;
                return i + 1;
            }
        }
        return i;
    }

    /**
     * The command as the log gets it when replaying it as sent could differ (Redis's XADD id
     * rewrite, streamRewriteApproxSpecifier and streamRewriteTrimArgument): an id given as "*" or
     * "ms-*" becomes {@code added}, the id added; "~" becomes "=" with the threshold the stream
     * reached (MAXLEN its length, MINID its first id, or MAXLEN 0 when nothing is left), and
     * LIMIT goes, as an exact trim takes none. Null when the command replays as sent. For XTRIM
     * {@code added} is null.
     */
    byte[][] logForm(CommandContext c, StreamValue s, long[] added) {
        boolean newId = added != null && (!idGiven || !seqGiven);
        if (!newId && !approx) return null;
        int options = added != null ? idPos : c.argc();
        java.util.List<byte[]> out = new java.util.ArrayList<>(c.argc());
        for (int i = 0; i < c.argc(); i++) {
            // Every LIMIT goes (it may be given more than once); no other option's value can be the word.
            if (approx && i > 1 && i < options && i != thresholdPos && c.is(i, "limit")) {
                i++; // and its count
                continue;
            }
            if (newId && i == idPos) {
                out.add(StreamIds.toBytes(added[0], added[1]));
            } else if (approx && i == markPos) {
                out.add(EXACT);
            } else if (approx && i == thresholdPos) {
                out.add(threshold(s));
            } else if (approx && i == strategyPos && strategy == MINID && s.length() == 0) {
                out.add(MAXLEN_WORD);
            } else {
                out.add(c.arg(i));
            }
        }
        return out.toArray(new byte[0][]);
    }

    private static final byte[] EXACT = {'='}, MAXLEN_WORD = CommandContext.ascii("MAXLEN");

    private byte[] threshold(StreamValue s) {
        if (strategy == MAXLEN || s.length() == 0) return CommandContext.ascii(Long.toString(s.length()));
        StreamCursor first = s.cursor();
        first.next();
        return StreamIds.toBytes(first.entry().ms(), first.entry().seq());
    }

    /** Applies the strategy; returns the entries removed. */
    long trim(StreamValue s) {
        return s.trim(strategy == MINID, maxlen, minId[0], minId[1], approx, limit);
    }
}
