package io.moon.node.command;

import io.moon.node.protocol.Reply;
import io.moon.node.pubsub.PubSub;
import io.moon.node.pubsub.Subscriptions;
import io.moon.node.server.Connection;
import io.moon.node.util.ByteKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Publish/subscribe (Redis's pubsub.c): SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UNSUBSCRIBEs
 * run on the client's loop and answer one push per channel; PUBLISH and SPUBLISH deliver through
 * the node-wide {@link PubSub} registry; PUBSUB introspects it.
 */
public final class PubSubCommands {
    private PubSubCommands() {}

    static void register(CommandTable t) {
        t.add(new CommandSpec("subscribe", -2, "pubsub noscript loading stale connection push_reply", 0, 0, 0, "", c -> subscribe(c, false))
                .doc("pubsub", "2.0.0", "Listens for messages published to channels."));
        t.add(new CommandSpec("unsubscribe", -1, "pubsub noscript loading stale connection push_reply", 0, 0, 0, "", c -> unsubscribe(c, false))
                .doc("pubsub", "2.0.0", "Stops listening to messages posted to channels."));
        t.add(new CommandSpec("psubscribe", -2, "pubsub noscript loading stale connection push_reply", 0, 0, 0, "", PubSubCommands::psubscribe)
                .doc("pubsub", "2.0.0", "Listens for messages published to channels that match one or more patterns."));
        t.add(new CommandSpec("punsubscribe", -1, "pubsub noscript loading stale connection push_reply", 0, 0, 0, "", PubSubCommands::punsubscribe)
                .doc("pubsub", "2.0.0", "Stops listening to messages published to channels that match one or more patterns."));
        t.add(new CommandSpec("ssubscribe", -2, "pubsub noscript loading stale connection push_reply", 1, -1, 1, "", c -> subscribe(c, true))
                .doc("pubsub", "7.0.0", "Listens for messages published to shard channels."));
        t.add(new CommandSpec("sunsubscribe", -1, "pubsub noscript loading stale connection push_reply", 1, -1, 1, "", c -> unsubscribe(c, true))
                .doc("pubsub", "7.0.0", "Stops listening to messages posted to shard channels."));
        t.add(new CommandSpec("publish", 3, "pubsub loading stale fast may_replicate connection", 0, 0, 0, "", PubSubCommands::publish)
                .doc("pubsub", "2.0.0", "Posts a message to a channel."));
        t.add(new CommandSpec("spublish", 3, "pubsub loading stale fast may_replicate connection", 1, 1, 1, "", PubSubCommands::spublish)
                .doc("pubsub", "7.0.0", "Post a message to a shard channel"));
        t.add(new CommandSpec("pubsub", -2, "", 0, 0, 0, "", null)
                .doc("pubsub", "2.8.0", "A container for Pub/Sub commands.")
                .sub(new CommandSpec("channels", -2, "pubsub loading stale connection", 0, 0, 0, "", c -> channels(c, false))
                        .doc("pubsub", "2.8.0", "Returns the active channels."))
                .sub(new CommandSpec("numsub", -2, "pubsub loading stale connection", 0, 0, 0, "", c -> numsub(c, false))
                        .doc("pubsub", "2.8.0", "Returns a count of subscribers to channels."))
                .sub(new CommandSpec("numpat", 2, "pubsub loading stale connection", 0, 0, 0, "", PubSubCommands::numpat)
                        .doc("pubsub", "2.8.0", "Returns a count of unique pattern subscriptions."))
                .sub(new CommandSpec("shardchannels", -2, "pubsub loading stale connection", 0, 0, 0, "", c -> channels(c, true))
                        .doc("pubsub", "7.0.0", "Returns the active shard channels."))
                .sub(new CommandSpec("shardnumsub", -2, "pubsub loading stale connection", 0, 0, 0, "", c -> numsub(c, true))
                        .doc("pubsub", "7.0.0", "Returns the count of subscribers of shard channels."))
                .sub(new CommandSpec("help", 2, "loading stale connection", 0, 0, 0, "", PubSubCommands::help)
                        .doc("pubsub", "6.2.0", "Returns helpful text about the different subcommands.")));
    }

    /** The confirmation push: [kind, channel or nil, count]. */
    private static void confirm(Reply r, String kind, byte[] channel, int count) {
        r.pushHeader(3);
        r.bulk(kind);
        if (channel == null) r.nullBulk();
        else r.bulk(channel);
        r.integer(count);
    }

    static void subscribe(CommandContext c, boolean shard) {
        Connection conn = c.conn();
        Subscriptions subs = conn.subscriptions();
        for (int i = 1; i < c.argc(); i++) {
            ByteKey ch = new ByteKey(c.arg(i));
            if ((shard ? subs.shardChannels : subs.channels).add(ch)) c.node().pubsub().subscribe(conn, ch, shard);
            confirm(c.reply(), shard ? "ssubscribe" : "subscribe", ch.bytes(), shard ? subs.shardCount() : subs.count());
        }
    }

    static void unsubscribe(CommandContext c, boolean shard) {
        Connection conn = c.conn();
        Subscriptions subs = conn.subscriptions();
        Set<ByteKey> mine = shard ? subs.shardChannels : subs.channels;
        List<ByteKey> which = new ArrayList<>();
        if (c.argc() == 1) which.addAll(mine);
        else for (int i = 1; i < c.argc(); i++) which.add(new ByteKey(c.arg(i)));
        String kind = shard ? "sunsubscribe" : "unsubscribe";
        if (which.isEmpty()) {
            confirm(c.reply(), kind, null, shard ? subs.shardCount() : subs.count());
            return;
        }
        for (ByteKey ch : which) {
            if (mine.remove(ch)) c.node().pubsub().unsubscribe(conn, ch, shard);
            confirm(c.reply(), kind, ch.bytes(), shard ? subs.shardCount() : subs.count());
        }
    }

    static void psubscribe(CommandContext c) {
        Connection conn = c.conn();
        Subscriptions subs = conn.subscriptions();
        for (int i = 1; i < c.argc(); i++) {
            ByteKey p = new ByteKey(c.arg(i));
            if (subs.patterns.add(p)) c.node().pubsub().psubscribe(conn, p.bytes());
            confirm(c.reply(), "psubscribe", p.bytes(), subs.count());
        }
    }

    static void punsubscribe(CommandContext c) {
        Connection conn = c.conn();
        Subscriptions subs = conn.subscriptions();
        List<ByteKey> which = new ArrayList<>();
        if (c.argc() == 1) which.addAll(subs.patterns);
        else for (int i = 1; i < c.argc(); i++) which.add(new ByteKey(c.arg(i)));
        if (which.isEmpty()) {
            confirm(c.reply(), "punsubscribe", null, subs.count());
            return;
        }
        for (ByteKey p : which) {
            if (subs.patterns.remove(p)) c.node().pubsub().punsubscribe(conn, p.bytes());
            confirm(c.reply(), "punsubscribe", p.bytes(), subs.count());
        }
    }

    static void publish(CommandContext c) {
        c.reply().integer(c.node().pubsub().publish(c.arg(1), c.arg(2)));
    }

    static void spublish(CommandContext c) {
        c.reply().integer(c.node().pubsub().spublish(c.arg(1), c.arg(2)));
    }

    static void channels(CommandContext c, boolean shard) {
        if (c.argc() > 3) throw RedisError.arity("pubsub|" + (shard ? "shardchannels" : "channels"));
        List<byte[]> list = c.node().pubsub().channels(c.argc() == 3 ? c.arg(2) : null, shard);
        c.reply().arrayHeader(list.size());
        for (byte[] ch : list) c.reply().bulk(ch);
    }

    static void numsub(CommandContext c, boolean shard) {
        c.reply().mapHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            c.reply().bulk(c.buf(), c.off(i), c.len(i));
            c.reply().integer(c.node().pubsub().numsub(c.arg(i), shard));
        }
    }

    static void numpat(CommandContext c) {
        c.reply().integer(c.node().pubsub().numpat());
    }

    static void help(CommandContext c) {
        String[] lines = {
            "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
            "HELP",
            "    Prints this help."};
        c.reply().arrayHeader(lines.length);
        for (String l : lines) c.reply().simple(l);
    }
}
