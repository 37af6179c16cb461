package io.moon.node.command;

import io.moon.node.persist.StreamLogForms;
import io.moon.node.protocol.Reply;
import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.stream.Consumer;
import io.moon.node.store.stream.ConsumerGroup;
import io.moon.node.store.stream.PendingEntry;
import io.moon.node.store.stream.StreamCursor;
import io.moon.node.store.stream.StreamIds;
import io.moon.node.store.stream.StreamValue;

/**
 * Consumer groups (t_stream.c): XGROUP and its subcommands, XACK, XPENDING, XCLAIM and
 * XAUTOCLAIM. Redis counts changes to groups as dirty but does not signal them as modifications
 * of the key (no WATCH invalidation): handlers re-count memory with
 * {@link CommandContext#valueResized} instead of {@link CommandContext#valueChanged}.
 */
final class StreamGroupCommands {
    private StreamGroupCommands() {}

    private static final String[] XGROUP_HELP = {
        "CREATE <key> <groupname> <id|$> [option]",
        "    Create a new consumer group. Options are:",
        "    * MKSTREAM",
        "      Create the empty stream if it does not exist.",
        "    * ENTRIESREAD entries_read",
        "      Set the group's entries_read counter (internal use).",
        "CREATECONSUMER <key> <groupname> <consumer>",
        "    Create a new consumer in the specified group.",
        "DELCONSUMER <key> <groupname> <consumer>",
        "    Remove the specified consumer.",
        "DESTROY <key> <groupname>",
        "    Remove the specified group.",
        "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
        "    Set the current group ID and entries_read counter.",
    };

    static void register(CommandTable t) {
        String s = StreamCommands.STREAM;
        t.add(new CommandSpec("xgroup", -2, "", 0, 0, 0, "", null)
                .doc("stream", "5.0.0", "A container for consumer groups commands").complexity("Depends on subcommand.")
                .sub(new CommandSpec("create", -5, "write denyoom", 2, 2, 1, s, StreamGroupCommands::xgroup)
                        .keyFlags("RW insert")
                        .doc("stream", "5.0.0", "Create a consumer group.").complexity("O(1)"))
                .sub(new CommandSpec("setid", -5, "write", 2, 2, 1, s, StreamGroupCommands::xgroup)
                        .keyFlags("RW update")
                        .doc("stream", "5.0.0", "Set a consumer group to an arbitrary last delivered ID value.")
                        .complexity("O(1)"))
                .sub(new CommandSpec("destroy", 4, "write", 2, 2, 1, s, StreamGroupCommands::xgroup)
                        .keyFlags("RW delete")
                        .doc("stream", "5.0.0", "Destroy a consumer group.")
                        .complexity("O(N) where N is the number of entries in the group's pending entries list (PEL)."))
                .sub(new CommandSpec("createconsumer", 5, "write denyoom", 2, 2, 1, s, StreamGroupCommands::xgroup)
                        .keyFlags("RW insert")
                        .doc("stream", "6.2.0", "Create a consumer in a consumer group.").complexity("O(1)"))
                .sub(new CommandSpec("delconsumer", 5, "write", 2, 2, 1, s, StreamGroupCommands::xgroup)
                        .keyFlags("RW delete")
                        .doc("stream", "5.0.0", "Delete a consumer from a consumer group.").complexity("O(1)"))
                .sub(new CommandSpec("help", 2, "loading stale", 0, 0, 0, s, c -> Help.reply(c, XGROUP_HELP))
                        .doc("stream", "5.0.0", "Show helpful text about the different subcommands").complexity("O(1)")));
        t.add(new CommandSpec("xack", -4, "write fast", 1, 1, 1, s, StreamGroupCommands::xack)
                .keyFlags("RW update")
                .doc("stream", "5.0.0", "Marks a pending message as correctly processed, effectively removing it from"
                        + " the pending entries list of the consumer group. Return value of the command is the number of"
                        + " messages successfully acknowledged, that is, the IDs we were actually able to resolve in the"
                        + " PEL.")
                .complexity("O(1) for each message ID processed."));
        t.add(new CommandSpec("xpending", -3, "readonly", 1, 1, 1, s, StreamGroupCommands::xpending)
                .keyFlags("RO access")
                .tips("nondeterministic_output")
                .doc("stream", "5.0.0", "Return information and entries from a stream consumer group pending entries"
                        + " list, that are messages fetched but never acknowledged.")
                .complexity("O(N) with N being the number of elements returned, so asking for a small fixed number of"
                        + " entries per call is O(1). O(M), where M is the total number of entries scanned when used with"
                        + " the IDLE filter. When the command returns just the summary and the list of consumers is"
                        + " small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every"
                        + " consumer."));
        t.add(new CommandSpec("xclaim", -6, "write fast", 1, 1, 1, s, StreamGroupCommands::xclaim)
                .keyFlags("RW update")
                .tips("nondeterministic_output")
                .doc("stream", "5.0.0", "Changes (or acquires) ownership of a message in a consumer group, as if the"
                        + " message was delivered to the specified consumer.")
                .complexity("O(log N) with N being the number of messages in the PEL of the consumer group."));
        t.add(new CommandSpec("xautoclaim", -6, "write fast", 1, 1, 1, s, StreamGroupCommands::xautoclaim)
                .keyFlags("RW delete")
                .tips("nondeterministic_output")
                .doc("stream", "6.2.0", "Changes (or acquires) ownership of messages in a consumer group, as if the"
                        + " messages were delivered to the specified consumer.")
                .complexity("O(1) if COUNT is small."));
    }

    private static RedisError noGroup(CommandContext c, int keyArg, int groupArg) {
        return new RedisError("NOGROUP No such key '" + c.str(keyArg) + "' or consumer group '" + c.str(groupArg) + "'");
    }

    // ---------------------------------------------------------------- XGROUP

    /** XGROUP CREATE|SETID|DESTROY|CREATECONSUMER|DELCONSUMER, as Redis's xgroupCommand. */
    static void xgroup(CommandContext c) {
        boolean create = c.is(1, "create"), setid = c.is(1, "setid");
        boolean mkstream = false;
        long entriesRead = ConsumerGroup.INVALID_ENTRIES_READ;
        long seenTime = -1;
        for (int i = 5; i < c.argc(); ) {
            if (c.replaying() && c.is(1, "createconsumer") && c.is(i, StreamLogForms.SEENTIME) && i + 1 < c.argc()) {
                seenTime = c.longArg(i + 1);
                i += 2;
            } else if (create && c.is(i, "mkstream")) {
                mkstream = true;
                i++;
            } else if ((create || setid) && c.is(i, "entriesread") && i + 1 < c.argc()) {
                entriesRead = c.longArg(i + 1);
                if (entriesRead < 0 && entriesRead != ConsumerGroup.INVALID_ENTRIES_READ) {
                    throw new RedisError("ERR value for ENTRIESREAD must be positive or -1");
                }
                i += 2;
            } else {
                throw Help.subcommandSyntaxError(c);
            }
        }
        StreamValue s = StreamCommands.write(c, 2);
        byte[] groupName = c.arg(3);
        ConsumerGroup g = null;
        if (!mkstream) {
            if (s == null) {
                throw new RedisError("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may"
                        + " want to use the MKSTREAM option to create an empty stream automatically.");
            }
            g = s.group(groupName);
            if (g == null && !create && !c.is(1, "destroy")) {
                throw new RedisError("NOGROUP No such consumer group '" + c.str(3) + "' for key name '" + c.str(2) + "'");
            }
        }
        if (create) {
            if (c.argc() > 8) throw Help.subcommandSyntaxError(c);
            xgroupCreate(c, s, groupName, entriesRead);
        } else if (setid) {
            if (c.argc() != 5 && c.argc() != 7) throw Help.subcommandSyntaxError(c);
            long[] id = new long[2];
            if (isDollar(c, 4)) {
                id[0] = s.lastMs();
                id[1] = s.lastSeq();
            } else {
                StreamIdArgs.parseOrError(c, 4, 0, false, id);
            }
            g.setLastId(id[0], id[1], entriesRead);
            c.reply().ok();
            c.valueResized(2);
            c.notify(KeyspaceEvents.STREAM, "xgroup-setid", 2);
        } else if (c.is(1, "destroy")) {
            if (g == null) {
                c.reply().integer(0);
                return;
            }
            s.destroyGroup(groupName);
            c.reply().integer(1);
            c.valueResized(2);
            c.notify(KeyspaceEvents.STREAM, "xgroup-destroy", 2);
            // Clients blocked in XREADGROUP on this group get their NOGROUP error now.
            c.signalKeyAsReady(2);
        } else if (c.is(1, "createconsumer")) {
            long seen = seenTime >= 0 ? seenTime : c.now();
            Consumer created = g.createConsumer(c.arg(4), seen);
            c.reply().integer(created != null ? 1 : 0);
            if (created != null) {
                c.propagateAs(StreamLogForms.consumerSeen(c.arg(2), c.arg(3), c.arg(4), seen));
                c.valueResized(2);
                c.notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", 2);
            } else if (seenTime >= 0) {
                // Replaying a consumer's seen time (Moon's log form): it exists already.
                g.consumer(c.arg(4), true, seenTime);
                c.valueResized(2);
            }
        } else {
            Consumer consumer = g.consumer(c.arg(4), false, c.now());
            long pending = 0;
            if (consumer != null) {
                pending = g.deleteConsumer(consumer);
                c.valueResized(2);
                c.notify(KeyspaceEvents.STREAM, "xgroup-delconsumer", 2);
            }
            c.reply().integer(pending);
        }
    }

    private static void xgroupCreate(CommandContext c, StreamValue s, byte[] groupName, long entriesRead) {
        long[] id = new long[2];
        if (isDollar(c, 4)) {
            if (s != null) {
                id[0] = s.lastMs();
                id[1] = s.lastSeq();
            }
        } else {
            StreamIdArgs.parseOrError(c, 4, 0, true, id);
        }
        if (s == null) {
            s = new StreamValue();
            c.storeValue(2, s);
        }
        if (s.createGroup(groupName, id[0], id[1], entriesRead) == null) {
            throw new RedisError("BUSYGROUP Consumer Group name already exists");
        }
        c.reply().ok();
        c.valueResized(2);
        c.notify(KeyspaceEvents.STREAM, "xgroup-create", 2);
    }

    private static boolean isDollar(CommandContext c, int i) { return c.len(i) == 1 && c.buf()[c.off(i)] == '$'; }

    // ---------------------------------------------------------------- XACK

    /** XACK key group id [id ...]. */
    static void xack(CommandContext c) {
        StreamValue s = StreamCommands.readForGroupChange(c, 1);
        ConsumerGroup g = s == null ? null : s.group(c.arg(2));
        if (g == null) {
            c.reply().integer(0);
            return;
        }
        long[] ids = StreamIdArgs.parseAll(c, 3);
        int acked = 0;
        for (int j = 0; j < ids.length; j += 2) if (g.ack(ids[j], ids[j + 1])) acked++;
        if (acked > 0) c.valueResized(1);
        c.reply().integer(acked);
    }

    // ---------------------------------------------------------------- XPENDING

    /** XPENDING key group [[IDLE min-idle-time] start end count [consumer]]. */
    static void xpending(CommandContext c) {
        int argc = c.argc();
        boolean summary = argc == 3;
        if (argc != 3 && (argc < 6 || argc > 9)) throw RedisError.syntax();
        long minIdle = 0, count = 0;
        long[] start = new long[2], end = new long[2];
        int consumerArg = -1;
        if (argc >= 6) {
            int at = 3;
            if (c.is(3, "idle")) {
                minIdle = c.longArg(4);
                if (argc < 8) throw RedisError.syntax();
                at += 2;
            }
            count = Math.max(0, c.longArg(at + 2));
            StreamIdArgs.parseBound(c, at, true, start);
            StreamIdArgs.parseBound(c, at + 1, false, end);
            if (at + 3 < argc) consumerArg = at + 3;
        }
        StreamValue s = StreamCommands.read(c, 1);
        ConsumerGroup g = s == null ? null : s.group(c.arg(2));
        if (g == null) throw noGroup(c, 1, 2);
        Reply r = c.reply();
        long[] id = new long[2];
        if (summary) {
            r.arrayHeader(4);
            r.integer(g.pendingCount());
            if (g.pendingCount() == 0) {
                r.nullBulk();
                r.nullBulk();
                r.nullArray();
                return;
            }
            g.nextPending(0, 0, id);
            StreamReplies.id(r, id[0], id[1]);
            g.lastPending(id);
            StreamReplies.id(r, id[0], id[1]);
            int withPending = 0;
            for (Consumer cons : g.consumers()) if (cons.pendingCount() > 0) withPending++;
            r.arrayHeader(withPending);
            for (Consumer cons : g.consumers()) {
                if (cons.pendingCount() == 0) continue;
                r.arrayHeader(2);
                r.bulk(cons.name());
                r.bulkLong(cons.pendingCount());
            }
            return;
        }
        Consumer consumer = null;
        if (consumerArg >= 0) {
            consumer = g.consumer(c.arg(consumerArg), false, c.now());
            if (consumer == null) {
                r.emptyArray();
                return;
            }
        }
        long now = c.now();
        try (StreamReplies.Deferred d = new StreamReplies.Deferred(c)) {
            long n = 0;
            id[0] = start[0];
            id[1] = start[1];
            boolean more = true;
            while (count > 0 && more) {
                PendingEntry pe = consumer != null ? consumer.nextPending(id[0], id[1], id) : g.nextPending(id[0], id[1], id);
                if (pe == null || StreamIds.compare(id[0], id[1], end[0], end[1]) > 0) break;
                long ms = id[0], seq = id[1];
                more = StreamIds.increment(id);
                if (minIdle != 0 && now - pe.deliveryTime() < minIdle) continue;
                n++;
                count--;
                Reply dr = d.reply();
                dr.arrayHeader(4);
                StreamReplies.id(dr, ms, seq);
                dr.bulk(pe.consumer().name());
                dr.integer(Math.max(0, now - pe.deliveryTime()));
                dr.integer(pe.deliveryCount());
            }
            d.finishArray(r, n);
        }
    }

    // ---------------------------------------------------------------- XCLAIM

    /**
     * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-ms] [RETRYCOUNT n]
     * [FORCE] [JUSTID] [LASTID id], as Redis's xclaimCommand.
     */
    static void xclaim(CommandContext c) {
        StreamValue s = StreamCommands.readForGroupChange(c, 1);
        ConsumerGroup g = s == null ? null : s.group(c.arg(2));
        if (g == null) throw noGroup(c, 1, 2);
        long minIdle = Math.max(0, c.longArg(4, "ERR Invalid min-idle-time argument for XCLAIM"));
        int argc = c.argc();
        // The ids run until the first argument that is not one: the options follow.
        long[] ids = new long[2 * (argc - 5)], id = new long[2];
        int j = 5;
        for (; j < argc; j++) {
            if (!StreamIdArgs.tryParse(c, j, 0, true, id)) break;
            ids[2 * (j - 5)] = id[0];
            ids[2 * (j - 5) + 1] = id[1];
        }
        int idCount = j - 5;
        long now = c.now();
        long retryCount = -1, deliveryTime = -1;
        boolean force = false, justId = false;
        long[] lastId = new long[2];
        long seenTime = -1;
        for (; j < argc; j++) {
            boolean more = j + 1 < argc;
            if (c.is(j, StreamLogForms.SEENTIME) && more && c.replaying()) {
                seenTime = c.longArg(++j);
            } else if (c.is(j, "force")) {
                force = true;
            } else if (c.is(j, "justid")) {
                justId = true;
            } else if (c.is(j, "idle") && more) {
                deliveryTime = now - c.longArg(++j, "ERR Invalid IDLE option argument for XCLAIM");
            } else if (c.is(j, "time") && more) {
                deliveryTime = c.longArg(++j, "ERR Invalid TIME option argument for XCLAIM");
            } else if (c.is(j, "retrycount") && more) {
                retryCount = c.longArg(++j, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (c.is(j, "lastid") && more) {
                StreamIdArgs.parseOrError(c, ++j, 0, true, lastId);
            } else {
                throw new RedisError("ERR Unrecognized XCLAIM option '" + c.str(j) + "'");
            }
        }
        boolean changed = false, lastIdMoved = false;
        if (StreamIds.compare(lastId[0], lastId[1], g.lastMs(), g.lastSeq()) > 0) {
            g.setLastId(lastId[0], lastId[1], g.entriesRead());
            changed = lastIdMoved = true;
        }
        byte[] key = c.arg(1), group = c.arg(2);
        long[] groupLast = {g.lastMs(), g.lastSeq()};
        // A bogus delivery time (clients may compute it from their own clock) becomes now.
        if (deliveryTime == -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;

        Consumer consumer = null;
        byte[] name = c.arg(3);
        try (StreamReplies.Deferred d = new StreamReplies.Deferred(c)) {
            long n = 0;
            for (int k = 0; k < idCount; k++) {
                long ms = ids[2 * k], seq = ids[2 * k + 1];
                PendingEntry pe = g.pending(ms, seq);
                if (!s.exists(ms, seq)) {
                    // Pending but no longer in the stream: it can never be processed, drop it.
                    if (pe != null) {
                        c.propagateAs(dropForm(key, group, pe, ms, seq, groupLast));
                        if (g.ack(ms, seq)) changed = true;
                    }
                    continue;
                }
                if (force && pe == null) pe = g.createUnowned(ms, seq, now);
                if (pe == null) continue;
                if (pe.consumer() != null && minIdle != 0 && now - pe.deliveryTime() < minIdle) continue;
                if (consumer == null) consumer = consumerFor(c, g, name);
                long deliveries = retryCount >= 0 ? retryCount : justId ? pe.deliveryCount() : pe.deliveryCount() + 1;
                ConsumerGroup.setDelivery(pe, deliveryTime, deliveries);
                g.assign(pe, ms, seq, consumer);
                c.propagateAs(StreamLogForms.claim(key, group, name, ms, seq, pe.deliveryTime(), pe.deliveryCount(),
                        groupLast, seenTime >= 0 ? seenTime : now));
                claimedReply(d.reply(), s, ms, seq, justId);
                n++;
                changed = true;
            }
            d.finishArray(c.reply(), n);
        }
        if (seenTime >= 0 && consumer != null) g.consumer(consumer.name(), true, seenTime);
        // Redis's streamPropagateGroupID when LASTID moved the group (XCLAIM's own LASTID does
        // not carry entries_read).
        if (lastIdMoved) c.propagateAs(StreamLogForms.setGroupId(key, group, g.lastMs(), g.lastSeq(), g.entriesRead()));
        if (changed) c.valueResized(1);
    }

    /**
     * The log form of dropping a pending entry whose stream entry is gone: an XCLAIM of it by its
     * owner, which replay (the entry gone there too) turns into the same drop.
     */
    private static byte[][] dropForm(byte[] key, byte[] group, PendingEntry pe, long ms, long seq, long[] groupLast) {
        byte[] owner = pe.consumer() != null ? pe.consumer().name() : new byte[0];
        return StreamLogForms.claim(key, group, owner, ms, seq, pe.deliveryTime(), pe.deliveryCount(), groupLast, -1);
    }

    /** The consumer named at argument 3, seen now, created (and announced) when new. */
    private static Consumer consumerFor(CommandContext c, ConsumerGroup g, byte[] name) {
        Consumer consumer = g.consumer(name, true, c.now());
        if (consumer == null) {
            consumer = g.createConsumer(name, c.now());
            c.notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", 1);
        }
        return consumer;
    }

    private static void claimedReply(Reply r, StreamValue s, long ms, long seq, boolean justId) {
        if (justId) {
            StreamReplies.id(r, ms, seq);
            return;
        }
        StreamCursor cur = s.cursor(ms, seq, ms, seq, false);
        cur.next();
        StreamReplies.entry(r, cur);
    }

    // ---------------------------------------------------------------- XAUTOCLAIM

    /** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]. */
    static void xautoclaim(CommandContext c) {
        long minIdle = Math.max(0, c.longArg(4, "ERR Invalid min-idle-time argument for XAUTOCLAIM"));
        long[] cur = new long[2];
        StreamIdArgs.parseBound(c, 5, true, cur);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < c.argc(); j++) {
            if (c.is(j, "count") && j + 1 < c.argc()) {
                count = c.longArg(++j, "ERR COUNT must be > 0");
                if (count < 1 || count > Long.MAX_VALUE / 16) throw new RedisError("ERR COUNT must be > 0");
            } else if (c.is(j, "justid")) {
                justId = true;
            } else {
                throw RedisError.syntax();
            }
        }
        StreamValue s = StreamCommands.readForGroupChange(c, 1);
        ConsumerGroup g = s == null ? null : s.group(c.arg(2));
        if (g == null) throw noGroup(c, 1, 2);

        long attempts = count * 10;
        long now = c.now();
        byte[] name = c.arg(3);
        Consumer consumer = null;
        boolean changed = false;
        long[] deleted = new long[16];
        int deletedCount = 0;
        long[] id = new long[2];
        boolean more = true;
        Reply r = c.reply();
        byte[] key = c.arg(1), group = c.arg(2);
        long[] groupLast = {g.lastMs(), g.lastSeq()};
        try (StreamReplies.Deferred d = new StreamReplies.Deferred(c)) {
            long n = 0;
            while (more && attempts-- > 0 && count > 0) {
                PendingEntry pe = g.nextPending(cur[0], cur[1], id);
                if (pe == null) {
                    more = false;
                    break;
                }
                cur[0] = id[0];
                cur[1] = id[1];
                more = StreamIds.increment(cur);
                long ms = id[0], seq = id[1];
                if (!s.exists(ms, seq)) {
                    c.propagateAs(dropForm(key, group, pe, ms, seq, groupLast));
                    g.ack(ms, seq);
                    changed = true;
                    if (deletedCount * 2 == deleted.length) deleted = java.util.Arrays.copyOf(deleted, deleted.length * 2);
                    deleted[2 * deletedCount] = ms;
                    deleted[2 * deletedCount + 1] = seq;
                    deletedCount++;
                    count--;
                    continue;
                }
                if (minIdle != 0 && now - pe.deliveryTime() < minIdle) continue;
                if (consumer == null) consumer = consumerFor(c, g, name);
                g.assign(pe, ms, seq, consumer);
                ConsumerGroup.setDelivery(pe, now, justId ? pe.deliveryCount() : pe.deliveryCount() + 1);
                c.propagateAs(StreamLogForms.claim(key, group, name, ms, seq, pe.deliveryTime(), pe.deliveryCount(),
                        groupLast, now));
                claimedReply(d.reply(), s, ms, seq, justId);
                n++;
                count--;
                changed = true;
            }
            // The next id to scan from: the pending entry after the last one looked at, or 0-0.
            long[] next = new long[2];
            if (!more || g.nextPending(cur[0], cur[1], next) == null) next[0] = next[1] = 0;
            r.arrayHeader(3);
            StreamReplies.id(r, next[0], next[1]);
            d.finishArray(r, n);
        }
        r.arrayHeader(deletedCount);
        for (int k = 0; k < deletedCount; k++) StreamReplies.id(r, deleted[2 * k], deleted[2 * k + 1]);
        if (changed) c.valueResized(1);
    }
}
