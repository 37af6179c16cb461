package io.moon.node.command;

import io.moon.node.protocol.Reply;
import io.moon.node.store.stream.Consumer;
import io.moon.node.store.stream.ConsumerGroup;
import io.moon.node.store.stream.PendingEntry;
import io.moon.node.store.stream.StreamCursor;
import io.moon.node.store.stream.StreamIds;
import io.moon.node.store.stream.StreamValue;

/** XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS (t_stream.c xinfoCommand), with Redis 7.0's fields. */
final class StreamInfoCommand {
    private StreamInfoCommand() {}

    private static final String[] HELP = {
        "CONSUMERS <key> <groupname>",
        "    Show consumers of <groupname>.",
        "GROUPS <key>",
        "    Show the stream consumer groups.",
        "STREAM <key> [FULL [COUNT <count>]",
        "    Show information about the stream.",
    };

    static void register(CommandTable t) {
        String s = StreamCommands.STREAM;
        t.add(new CommandSpec("xinfo", -2, "", 0, 0, 0, "", null)
                .doc("stream", "5.0.0", "A container for stream introspection commands").complexity("Depends on subcommand.")
                .sub(new CommandSpec("consumers", 4, "readonly", 2, 2, 1, s, StreamInfoCommand::consumers)
                        .keyFlags("RO access").tips("nondeterministic_output")
                        .doc("stream", "5.0.0", "List the consumers in a consumer group").complexity("O(1)"))
                .sub(new CommandSpec("groups", 3, "readonly", 2, 2, 1, s, StreamInfoCommand::groups)
                        .keyFlags("RO access")
                        .doc("stream", "5.0.0", "List the consumer groups of a stream").complexity("O(1)"))
                .sub(new CommandSpec("stream", -3, "readonly", 2, 2, 1, s, StreamInfoCommand::stream)
                        .keyFlags("RO access")
                        .doc("stream", "5.0.0", "Get information about a stream").complexity("O(1)"))
                .sub(new CommandSpec("help", 2, "loading stale", 0, 0, 0, s, c -> Help.reply(c, HELP))
                        .doc("stream", "5.0.0", "Show helpful text about the different subcommands").complexity("O(1)")));
    }

    /** The stream at argument 2, or Redis's "no such key". */
    private static StreamValue lookup(CommandContext c) {
        StreamValue s = StreamCommands.read(c, 2);
        if (s == null) throw new RedisError(RedisError.NO_SUCH_KEY);
        return s;
    }

    static void consumers(CommandContext c) {
        StreamValue s = lookup(c);
        ConsumerGroup g = s.group(c.arg(3));
        if (g == null) {
            throw new RedisError("NOGROUP No such consumer group '" + c.str(3) + "' for key name '" + c.str(2) + "'");
        }
        Reply r = c.reply();
        long now = c.now();
        r.arrayHeader(g.consumerCount());
        for (Consumer cons : g.consumers()) {
            r.mapHeader(3);
            r.bulk("name");
            r.bulk(cons.name());
            r.bulk("pending");
            r.integer(cons.pendingCount());
            r.bulk("idle");
            r.integer(Math.max(0, now - cons.seenTime()));
        }
    }

    static void groups(CommandContext c) {
        StreamValue s = lookup(c);
        Reply r = c.reply();
        r.arrayHeader(s.groupCount());
        for (ConsumerGroup g : s.groups()) {
            r.mapHeader(6);
            r.bulk("name");
            r.bulk(g.name());
            r.bulk("consumers");
            r.integer(g.consumerCount());
            r.bulk("pending");
            r.integer(g.pendingCount());
            r.bulk("last-delivered-id");
            StreamReplies.id(r, g.lastMs(), g.lastSeq());
            entriesReadAndLag(r, s, g);
        }
    }

    private static void entriesReadAndLag(Reply r, StreamValue s, ConsumerGroup g) {
        r.bulk("entries-read");
        if (g.entriesRead() != ConsumerGroup.INVALID_ENTRIES_READ) r.integer(g.entriesRead());
        else r.nullBulk();
        r.bulk("lag");
        long lag = s.lag(g);
        if (lag != StreamValue.UNKNOWN) r.integer(lag);
        else r.nullBulk();
    }

    static void stream(CommandContext c) {
        StreamValue s = lookup(c);
        int options = c.argc() - 3;
        boolean full = options > 0;
        long count = 10; // Redis's default, so FULL cannot stall the server
        if (full) {
            if (options != 1 && options != 3) throw Help.subcommandSyntaxError(c);
            if (!c.is(3, "full")) throw Help.subcommandSyntaxError(c);
            if (options == 3) {
                if (!c.is(4, "count")) throw Help.subcommandSyntaxError(c);
                count = c.longArg(5);
                if (count < 0) count = 10;
            }
        }
        Reply r = c.reply();
        r.mapHeader(full ? 9 : 10);
        r.bulk("length");
        r.integer(s.length());
        r.bulk("radix-tree-keys");
        r.integer(s.radixTreeKeys());
        r.bulk("radix-tree-nodes");
        r.integer(s.radixTreeNodes());
        r.bulk("last-generated-id");
        StreamReplies.id(r, s.lastMs(), s.lastSeq());
        r.bulk("max-deleted-entry-id");
        StreamReplies.id(r, s.maxDeletedMs(), s.maxDeletedSeq());
        r.bulk("entries-added");
        r.integer(s.entriesAdded());
        r.bulk("recorded-first-entry-id");
        StreamReplies.id(r, s.firstMs(), s.firstSeq());
        if (!full) {
            r.bulk("groups");
            r.integer(s.groupCount());
            r.bulk("first-entry");
            edgeEntry(r, s.cursor());
            r.bulk("last-entry");
            edgeEntry(r, s.cursor(0, 0, StreamIds.MAX, StreamIds.MAX, true));
            return;
        }
        r.bulk("entries");
        try (StreamReplies.Deferred d = new StreamReplies.Deferred(c)) {
            d.finishArray(r, StreamReplies.entries(d.reply(), s.cursor(), count));
        }
        r.bulk("groups");
        r.arrayHeader(s.groupCount());
        long[] id = new long[2];
        for (ConsumerGroup g : s.groups()) {
            r.mapHeader(7);
            r.bulk("name");
            r.bulk(g.name());
            r.bulk("last-delivered-id");
            StreamReplies.id(r, g.lastMs(), g.lastSeq());
            entriesReadAndLag(r, s, g);
            r.bulk("pel-count");
            r.integer(g.pendingCount());
            r.bulk("pending");
            long shown = count == 0 ? g.pendingCount() : Math.min(count, g.pendingCount());
            r.arrayHeader(shown);
            id[0] = id[1] = 0;
            for (long k = 0; k < shown; k++) {
                PendingEntry pe = g.nextPending(id[0], id[1], id);
                r.arrayHeader(4);
                StreamReplies.id(r, id[0], id[1]);
                r.bulk(pe.consumer().name());
                r.integer(pe.deliveryTime());
                r.integer(pe.deliveryCount());
                StreamIds.increment(id);
            }
            r.bulk("consumers");
            r.arrayHeader(g.consumerCount());
            for (Consumer cons : g.consumers()) {
                r.mapHeader(4);
                r.bulk("name");
                r.bulk(cons.name());
                r.bulk("seen-time");
                r.integer(cons.seenTime());
                r.bulk("pel-count");
                r.integer(cons.pendingCount());
                r.bulk("pending");
                long mine = count == 0 ? cons.pendingCount() : Math.min(count, cons.pendingCount());
                r.arrayHeader(mine);
                id[0] = id[1] = 0;
                for (long k = 0; k < mine; k++) {
                    PendingEntry pe = cons.nextPending(id[0], id[1], id);
                    r.arrayHeader(3);
                    StreamReplies.id(r, id[0], id[1]);
                    r.integer(pe.deliveryTime());
                    r.integer(pe.deliveryCount());
                    StreamIds.increment(id);
                }
            }
        }
    }

    private static void edgeEntry(Reply r, StreamCursor cur) {
        if (cur.next()) StreamReplies.entry(r, cur);
        else r.nullBulk();
    }
}
