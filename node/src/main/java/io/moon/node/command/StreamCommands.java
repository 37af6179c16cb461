package io.moon.node.command;

import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.stream.StreamIds;
import io.moon.node.store.stream.StreamValue;

/**
 * The stream family (Redis's t_stream.c): the rows of every stream command, and XADD, XRANGE,
 * XREVRANGE, XLEN, XDEL, XTRIM and XSETID. Reads are in {@link StreamReadCommands} (XREAD,
 * XREADGROUP), consumer groups in {@link StreamGroupCommands}, introspection in
 * {@link StreamInfoCommand}. Handlers keep Redis's order: parse every argument, look up, check
 * the type, change, reply, then notify.
 */
public final class StreamCommands {
    private StreamCommands() {}

    static final String STREAM = "@stream";

    static void register(CommandTable t) {
        t.add(new CommandSpec("xadd", -5, "write denyoom fast", 1, 1, 1, STREAM, StreamCommands::xadd)
                .keySpecs(KeySpec.range("RW update", 1, 0, 1)
                        .withNotes("UPDATE instead of INSERT because of the optional trimming feature"))
                .tips("nondeterministic_output")
                .doc("stream", "5.0.0", "Appends a new entry to a stream")
                .complexity("O(1) when adding a new entry, O(N) when trimming where N being the number of entries"
                        + " evicted."));
        t.add(new CommandSpec("xrange", -4, "readonly", 1, 1, 1, STREAM, c -> xrange(c, false))
                .keyFlags("RO access")
                .doc("stream", "5.0.0", "Return a range of elements in a stream, with IDs matching the specified IDs"
                        + " interval")
                .complexity(RANGE_COMPLEXITY));
        t.add(new CommandSpec("xrevrange", -4, "readonly", 1, 1, 1, STREAM, c -> xrange(c, true))
                .keyFlags("RO access")
                .doc("stream", "5.0.0", "Return a range of elements in a stream, with IDs matching the specified IDs"
                        + " interval, in reverse order (from greater to smaller IDs) compared to XRANGE")
                .complexity(RANGE_COMPLEXITY));
        t.add(new CommandSpec("xlen", 2, "readonly fast", 1, 1, 1, STREAM, StreamCommands::xlen)
                .keyFlags("RO")
                .doc("stream", "5.0.0", "Return the number of entries in a stream").complexity("O(1)"));
        t.add(new CommandSpec("xdel", -3, "write fast", 1, 1, 1, STREAM, StreamCommands::xdel)
                .keyFlags("RW delete")
                .doc("stream", "5.0.0", "Removes the specified entries from the stream. Returns the number of items"
                        + " actually deleted, that may be different from the number of IDs passed in case certain IDs"
                        + " do not exist.")
                .complexity("O(1) for each single item to delete in the stream, regardless of the stream size."));
        t.add(new CommandSpec("xtrim", -4, "write", 1, 1, 1, STREAM, StreamCommands::xtrim)
                .keyFlags("RW delete")
                .tips("nondeterministic_output")
                .doc("stream", "5.0.0", "Trims the stream to (approximately if '~' is passed) a certain size")
                .complexity("O(N), with N being the number of evicted entries. Constant times are very small however,"
                        + " since entries are organized in macro nodes containing multiple entries that can be released"
                        + " with a single deallocation."));
        t.add(new CommandSpec("xsetid", -3, "write denyoom fast", 1, 1, 1, STREAM, StreamCommands::xsetid)
                .keyFlags("RW update")
                .doc("stream", "5.0.0", "An internal command for replicating stream values").complexity("O(1)"));
        StreamReadCommands.register(t);
        StreamGroupCommands.register(t);
        StreamInfoCommand.register(t);
    }

    private static final String RANGE_COMPLEXITY = "O(N) with N being the number of elements being returned. If N"
            + " is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).";

    // ---------------------------------------------------------------- shared helpers

    /** The stream at argument i for reading; null when missing; WRONGTYPE for other types. */
    static StreamValue read(CommandContext c, int i) { return c.readValue(i, StreamValue.class); }

    /** The stream at argument i before a change; null when missing; WRONGTYPE for other types. */
    static StreamValue write(CommandContext c, int i) { return c.writeValue(i, StreamValue.class); }

    /**
     * The stream at argument i for a command that reads it but changes its consumer groups
     * (XACK, XCLAIM, XAUTOCLAIM): looked up as Redis does (lookupKeyRead, counting a hit or miss),
     * then announced as about to change, so that a snapshot being written keeps it as it was.
     */
    static StreamValue readForGroupChange(CommandContext c, int i) {
        StreamValue s = read(c, i);
        if (s != null) c.lookupWrite(i);
        return s;
    }

    static long nodeMaxBytes(CommandContext c) { return c.node().config().getLong("stream-node-max-bytes"); }

    static long nodeMaxEntries(CommandContext c) { return c.node().config().getLong("stream-node-max-entries"); }

    // ---------------------------------------------------------------- XADD and XTRIM

    /**
     * XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value
     * [field value ...], as Redis's xaddCommand.
     */
    static void xadd(CommandContext c) {
        StreamTrimArgs a = StreamTrimArgs.parse(c, true);
        int fieldPos = a.idPos + 1;
        int pairs = c.argc() - fieldPos;
        if (pairs < 2 || pairs % 2 == 1) throw RedisError.arity("xadd");
        if (a.idGiven && a.seqGiven && a.id[0] == 0 && a.id[1] == 0) {
            throw new RedisError("ERR The ID specified in XADD must be greater than 0-0");
        }
        StreamValue s = write(c, 1);
        if (s == null) {
            if (a.noMkStream) {
                c.reply().nullBulk();
                return;
            }
            // As Redis, the key exists from here even if the entry is then refused.
            s = new StreamValue();
            c.storeValue(1, s);
        }
        if (s.lastMs() == StreamIds.MAX && s.lastSeq() == StreamIds.MAX) {
            throw new RedisError("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        long[] id = newId(c, s, a);
        long total = 0;
        int[] off = new int[pairs], len = new int[pairs];
        for (int i = 0; i < pairs; i++) {
            off[i] = c.off(fieldPos + i);
            len[i] = c.len(fieldPos + i);
            total += len[i];
        }
        if (total > StreamValue.NODE_MAX_SIZE) throw new RedisError("ERR Elements are too large to be stored");
        s.append(id[0], id[1], c.buf(), off, len, pairs, nodeMaxBytes(c), nodeMaxEntries(c));
        StreamReplies.id(c.reply(), id[0], id[1]);
        c.notify(KeyspaceEvents.STREAM, "xadd", 1);
        if (a.strategy != StreamTrimArgs.NONE && a.trim(s) > 0) c.notify(KeyspaceEvents.STREAM, "xtrim", 1);
        byte[][] logged = a.logForm(c, s, id);
        if (logged != null) c.propagateAs(logged);
        c.valueChanged(1);
        c.signalKeyAsReady(1);
    }

    /**
     * The id of the entry XADD adds (streamAppendItem's rules): the next id after the last one
     * for "*", the last sequence plus one (or 0) for "ms-*", else the given id; it must be above
     * the stream's last id.
     */
    private static long[] newId(CommandContext c, StreamValue s, StreamTrimArgs a) {
        long lastMs = s.lastMs(), lastSeq = s.lastSeq();
        long[] id = new long[2];
        if (!a.idGiven) {
            long now = c.now();
            if (Long.compareUnsigned(now, lastMs) > 0) {
                id[0] = now;
            } else {
                id[0] = lastMs;
                id[1] = lastSeq;
                StreamIds.increment(id);
            }
        } else if (!a.seqGiven) {
            id[0] = a.id[0];
            if (lastMs == a.id[0]) {
                if (lastSeq == StreamIds.MAX) throw new RedisError(TOO_SMALL);
                id[1] = lastSeq + 1;
            }
        } else {
            id[0] = a.id[0];
            id[1] = a.id[1];
        }
        if (StreamIds.compare(id[0], id[1], lastMs, lastSeq) <= 0) throw new RedisError(TOO_SMALL);
        return id;
    }

    private static final String TOO_SMALL = "ERR The ID specified in XADD is equal or smaller than the target stream"
            + " top item";

    /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]. */
    static void xtrim(CommandContext c) {
        StreamTrimArgs a = StreamTrimArgs.parse(c, false);
        StreamValue s = write(c, 1);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = a.trim(s);
        if (deleted > 0) {
            byte[][] logged = a.logForm(c, s, null);
            if (logged != null) c.propagateAs(logged);
            c.notify(KeyspaceEvents.STREAM, "xtrim", 1);
            c.valueChanged(1);
        }
        c.reply().integer(deleted);
    }

    // ---------------------------------------------------------------- reading

    /** XRANGE key start end [COUNT n] and XREVRANGE key end start [COUNT n]. */
    static void xrange(CommandContext c, boolean rev) {
        long[] start = new long[2], end = new long[2];
        StreamIdArgs.parseBound(c, rev ? 3 : 2, true, start);
        StreamIdArgs.parseBound(c, rev ? 2 : 3, false, end);
        long count = -1;
        for (int j = 4; j < c.argc(); j++) {
            if (c.is(j, "count") && j + 1 < c.argc()) {
                count = Math.max(0, c.longArg(++j));
            } else {
                throw RedisError.syntax();
            }
        }
        StreamValue s = read(c, 1);
        if (s == null) {
            c.reply().emptyArray();
            return;
        }
        if (count == 0) {
            c.reply().nullArray();
            return;
        }
        try (StreamReplies.Deferred d = new StreamReplies.Deferred(c)) {
            long n = StreamReplies.entries(d.reply(), s.cursor(start[0], start[1], end[0], end[1], rev), Math.max(0, count));
            d.finishArray(c.reply(), n);
        }
    }

    static void xlen(CommandContext c) {
        StreamValue s = read(c, 1);
        c.reply().integer(s == null ? 0 : s.length());
    }

    // ---------------------------------------------------------------- deleting and setting ids

    /** XDEL key id [id ...]. */
    static void xdel(CommandContext c) {
        StreamValue s = write(c, 1);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        long[] ids = StreamIdArgs.parseAll(c, 2);
        int deleted = 0;
        for (int j = 0; j < ids.length; j += 2) if (s.delete(ids[j], ids[j + 1])) deleted++;
        if (deleted > 0) {
            c.valueChanged(1);
            c.notify(KeyspaceEvents.STREAM, "xdel", 1);
        }
        c.reply().integer(deleted);
    }

    /** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]. */
    static void xsetid(CommandContext c) {
        long[] id = new long[2], maxDeleted = new long[2];
        StreamIdArgs.parseOrError(c, 2, 0, true, id);
        long entriesAdded = -1;
        for (int i = 3; i < c.argc(); i += 2) {
            boolean more = i + 1 < c.argc();
            if (c.is(i, "entriesadded") && more) {
                entriesAdded = c.longArg(i + 1);
                if (entriesAdded < 0) throw new RedisError("ERR entries_added must be positive");
            } else if (c.is(i, "maxdeletedid") && more) {
                StreamIdArgs.parseOrError(c, i + 1, 0, true, maxDeleted);
                if (StreamIds.compare(id[0], id[1], maxDeleted[0], maxDeleted[1]) < 0) {
                    throw new RedisError("ERR The ID specified in XSETID is smaller than the provided"
                            + " max_deleted_entry_id");
                }
            } else {
                throw RedisError.syntax();
            }
        }
        StreamValue s = write(c, 1);
        if (s == null) throw new RedisError(RedisError.NO_SUCH_KEY);
        if (s.length() > 0) {
            long[] top = new long[2];
            s.lastLiveId(top);
            if (StreamIds.compare(id[0], id[1], top[0], top[1]) < 0) {
                throw new RedisError("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                throw new RedisError("ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.setIds(id[0], id[1], entriesAdded, maxDeleted[0], maxDeleted[1]);
        c.reply().ok();
        c.valueResized(1);
        c.notify(KeyspaceEvents.STREAM, "xsetid", 1);
    }
}
