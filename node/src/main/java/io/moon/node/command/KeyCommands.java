package io.moon.node.command;

import io.moon.node.server.Shard;

/**
 * Commands on keys of any type (Redis's db.c): existence, deletion, renaming, iteration and the
 * databases themselves. Commands spanning every shard are flagged all_shards and run with every
 * shard held.
 */
public final class KeyCommands {
    private KeyCommands() {}

    static void register(CommandTable t) {
        t.add(new CommandSpec("del", -2, "write", 1, -1, 1, "@keyspace", KeyCommands::del)
                .keyFlags("RM delete")
                .doc("generic", "1.0.0", "Deletes one or more keys."));
        t.add(new CommandSpec("unlink", -2, "write fast", 1, -1, 1, "@keyspace", KeyCommands::del)
                .keyFlags("RM delete")
                .doc("generic", "4.0.0", "Asynchronously deletes one or more keys."));
        t.add(new CommandSpec("exists", -2, "readonly fast", 1, -1, 1, "@keyspace", KeyCommands::exists)
                .keyFlags("RO")
                .doc("generic", "1.0.0", "Determines whether one or more keys exist."));
        t.add(new CommandSpec("dbsize", 1, "readonly fast all_shards", 0, 0, 0, "@keyspace", KeyCommands::dbsize)
                .doc("server", "1.0.0", "Returns the number of keys in the database."));
        t.add(new CommandSpec("flushall", -1, "write all_shards", 0, 0, 0, "@keyspace @dangerous", KeyCommands::flushall)
                .doc("server", "1.0.0", "Removes all keys from all databases."));
        t.add(new CommandSpec("flushdb", -1, "write all_shards", 0, 0, 0, "@keyspace @dangerous", KeyCommands::flushdb)
                .doc("server", "1.0.0", "Remove all keys from the current database."));
    }

    static void del(CommandContext c) {
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (c.db(i).delete(c.buf(), c.off(i), c.len(i)) != null) n++;
        }
        c.reply().integer(n);
    }

    static void exists(CommandContext c) {
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (c.lookupRead(i) != null) n++;
        }
        c.reply().integer(n);
    }

    static void dbsize(CommandContext c) {
        long n = 0;
        for (Shard s : c.node().shards()) n += s.keyspace().db(c.dbIndex()).size();
        c.reply().integer(n);
    }

    /** FLUSHALL/FLUSHDB [ASYNC|SYNC]: both free at once here (the GC frees in the background). */
    private static void checkFlushMode(CommandContext c) {
        if (c.argc() > 2 || (c.argc() == 2 && !c.is(1, "async") && !c.is(1, "sync"))) throw RedisError.syntax();
    }

    static void flushall(CommandContext c) {
        checkFlushMode(c);
        for (Shard s : c.node().shards()) {
            for (int d = 0; d < s.keyspace().databases(); d++) s.keyspace().db(d).clear();
            s.keyspace().dirty++;
        }
        c.reply().ok();
    }

    static void flushdb(CommandContext c) {
        checkFlushMode(c);
        for (Shard s : c.node().shards()) {
            s.keyspace().db(c.dbIndex()).clear();
            s.keyspace().dirty++;
        }
        c.reply().ok();
    }
}
