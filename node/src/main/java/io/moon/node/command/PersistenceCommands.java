package io.moon.node.command;

import io.moon.node.protocol.Replies;
import io.moon.node.server.Snapshots;

/**
 * Snapshots on request (Redis's rdb.c and aof.c commands): SAVE answers once the snapshot is on
 * disk but, unlike Redis's SAVE, does not stop the node meanwhile; BGSAVE and BGREWRITEAOF start
 * one (a snapshot also compacts the write-ahead logs); LASTSAVE tells when the last succeeded.
 */
public final class PersistenceCommands {
    private PersistenceCommands() {}

    static void register(CommandTable t) {
        t.add(new CommandSpec("save", 1, "admin noscript no_async_loading no_multi connection", 0, 0, 0, "", PersistenceCommands::save)
                .doc("server", "1.0.0", "Synchronously saves the database(s) to disk."));
        t.add(new CommandSpec("bgsave", -1, "admin noscript no_async_loading connection", 0, 0, 0, "", PersistenceCommands::bgsave)
                .doc("server", "1.0.0", "Asynchronously saves the database(s) to disk."));
        t.add(new CommandSpec("bgrewriteaof", 1, "admin noscript no_async_loading connection", 0, 0, 0, "", PersistenceCommands::bgrewriteaof)
                .doc("server", "1.0.0", "Asynchronously rewrites the append-only file to disk."));
    }

    private static Snapshots snapshots(CommandContext c) {
        Snapshots s = c.node().snapshots();
        if (s == null) throw new RedisError("ERR persistence is off on this node (appendonly no)");
        return s;
    }

    static void save(CommandContext c) {
        Snapshots s = snapshots(c);
        if (s.running()) throw new RedisError("ERR Background save already in progress");
        var reply = c.conn().deferReply(c);
        s.start(ok -> reply.accept(ok ? Replies.OK : Replies.ascii("-ERR snapshot failed, see the node's log\r\n")));
    }

    static void bgsave(CommandContext c) {
        boolean schedule = c.argc() == 2 && c.is(1, "schedule");
        if (c.argc() > 2 || (c.argc() == 2 && !schedule)) throw RedisError.syntax();
        Snapshots s = snapshots(c);
        if (s.running()) {
            if (!schedule) throw new RedisError("ERR Background save already in progress");
            // Scheduled: runs once the current one is done.
            s.start(ok -> s.start(null));
            c.reply().simple("Background saving scheduled");
            return;
        }
        s.start(null);
        c.reply().simple("Background saving started");
    }

    static void bgrewriteaof(CommandContext c) {
        Snapshots s = snapshots(c);
        if (s.running()) {
            s.start(ok -> s.start(null));
            c.reply().simple("Background append only file rewriting scheduled");
            return;
        }
        s.start(null);
        c.reply().simple("Background append only file rewriting started");
    }
}
