package io.moon.node.command;

import io.moon.node.server.Connection;

/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis's multi.c). The queue lives on the connection;
 * EXEC runs every queued command with the shards of all their keys (and of the watched keys)
 * held, so the transaction is atomic and isolated across shards (see docs/architecture.md).
 */
public final class TransactionCommands {
    private TransactionCommands() {}

    static void register(CommandTable t) {
        t.add(new CommandSpec("multi", 1, "noscript loading stale fast allow_busy connection not_queued", 0, 0, 0,
                "@transaction", TransactionCommands::multi)
                .doc("transactions", "1.2.0", "Starts a transaction."));
        t.add(new CommandSpec("exec", 1, "noscript loading stale skip_slowlog not_queued exec", 0, 0, 0,
                "@transaction", TransactionCommands::exec)
                .doc("transactions", "1.2.0", "Executes all commands in a transaction."));
        t.add(new CommandSpec("discard", 1, "noscript loading stale fast allow_busy connection not_queued", 0, 0, 0,
                "@transaction", TransactionCommands::discard)
                .doc("transactions", "2.0.0", "Discards a transaction."));
        t.add(new CommandSpec("watch", -2, "noscript loading stale fast allow_busy not_queued", 1, -1, 1,
                "@transaction", TransactionCommands::watch)
                .doc("transactions", "2.2.0", "Monitors changes to keys to determine the execution of a transaction."));
        t.add(new CommandSpec("unwatch", 1, "noscript loading stale fast allow_busy connection", 0, 0, 0,
                "@transaction", TransactionCommands::unwatch)
                .doc("transactions", "2.2.0", "Forgets about watched keys of a transaction."));
    }

    static void multi(CommandContext c) {
        if (c.conn().inMulti()) throw new RedisError("ERR MULTI calls can not be nested");
        c.conn().startMulti();
        c.reply().ok();
    }

    static void exec(CommandContext c) {
        if (!c.conn().inMulti()) throw new RedisError("ERR EXEC without MULTI");
        c.conn().runExec(c);
    }

    static void discard(CommandContext c) {
        Connection conn = c.conn();
        if (!conn.inMulti()) throw new RedisError("ERR DISCARD without MULTI");
        conn.discardMulti();
        conn.unwatchAll();
        c.reply().ok();
    }

    static void watch(CommandContext c) {
        Connection conn = c.conn();
        if (conn.inMulti()) throw new RedisError("ERR WATCH inside MULTI is not allowed");
        // No point in watching once a watched key changed: EXEC will fail anyway.
        if (!conn.watchDirty()) {
            for (int i = 1; i < c.argc(); i++) conn.watch(c.db(i), c.arg(i));
        }
        c.reply().ok();
    }

    static void unwatch(CommandContext c) {
        c.conn().unwatchAll();
        c.reply().ok();
    }
}
