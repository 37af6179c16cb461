package io.moon.node.command;

import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.server.Shard;
import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import io.moon.node.store.Keyspace;
import io.moon.node.store.ObjectEntry;
import io.moon.node.store.TypedValue;
import io.moon.node.util.Glob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Commands on keys of any type (Redis's db.c): existence, deletion, renaming, copying, iteration
 * and the databases themselves. Commands spanning every shard are flagged all_shards and run with
 * every shard held; RENAME and COPY whose two keys live on different shards run with both held
 * and move the entry between them.
 */
public final class KeyCommands {
    private KeyCommands() {}

    static final String SAME_OBJECT = "ERR source and destination objects are the same";

    static void register(CommandTable t) {
        t.add(new CommandSpec("del", -2, "write split_by_key", 1, -1, 1, "@keyspace", KeyCommands::del)
                .keyFlags("RM delete").tips("request_policy:multi_shard", "response_policy:agg_sum")
                .doc("generic", "1.0.0", "Deletes one or more keys."));
        t.add(new CommandSpec("unlink", -2, "write fast split_by_key", 1, -1, 1, "@keyspace", KeyCommands::del)
                .keyFlags("RM delete").tips("request_policy:multi_shard", "response_policy:agg_sum")
                .doc("generic", "4.0.0", "Asynchronously deletes one or more keys."));
        t.add(new CommandSpec("exists", -2, "readonly fast", 1, -1, 1, "@keyspace", KeyCommands::exists)
                .keyFlags("RO").tips("request_policy:multi_shard", "response_policy:agg_sum")
                .doc("generic", "1.0.0", "Determines whether one or more keys exist."));
        t.add(new CommandSpec("touch", -2, "readonly fast", 1, -1, 1, "@keyspace", KeyCommands::touch)
                .keyFlags("RO").tips("request_policy:multi_shard", "response_policy:agg_sum")
                .doc("generic", "3.2.1", "Returns the number of existing keys out of those specified after updating the time they were last accessed."));
        t.add(new CommandSpec("type", 2, "readonly fast", 1, 1, 1, "@keyspace", KeyCommands::type)
                .keyFlags("RO")
                .doc("generic", "1.0.0", "Determines the type of value stored at a key."));
        t.add(new CommandSpec("rename", 3, "write", 1, 2, 1, "@keyspace", KeyCommands::rename)
                .keySpecs(KeySpec.range("RW access delete", 1, 0, 1), KeySpec.range("OW update", 2, 0, 1))
                .doc("generic", "1.0.0", "Renames a key and overwrites the destination."));
        t.add(new CommandSpec("renamenx", 3, "write fast", 1, 2, 1, "@keyspace", KeyCommands::renamenx)
                .keySpecs(KeySpec.range("RW access delete", 1, 0, 1), KeySpec.range("OW insert", 2, 0, 1))
                .doc("generic", "1.0.0", "Renames a key only when the target key name doesn't exist."));
        t.add(new CommandSpec("copy", -3, "write denyoom", 1, 2, 1, "@keyspace", KeyCommands::copy)
                .keySpecs(KeySpec.range("RO access", 1, 0, 1), KeySpec.range("OW update", 2, 0, 1))
                .doc("generic", "6.2.0", "Copies the value of a key to a new key."));
        t.add(new CommandSpec("move", 3, "write fast", 1, 1, 1, "@keyspace", KeyCommands::move)
                .keyFlags("RW access update")
                .doc("generic", "1.0.0", "Moves a key to another database."));
        t.add(new CommandSpec("keys", 2, "readonly all_shards", 0, 0, 0, "@keyspace @dangerous", KeyCommands::keys)
                .tips("request_policy:all_shards", "nondeterministic_output_order")
                .doc("generic", "1.0.0", "Returns all key names that match a pattern."));
        t.add(new CommandSpec("scan", -2, "readonly", 0, 0, 0, "@keyspace", KeyCommands::scan)
                .route(ScanCursor::route)
                .tips("nondeterministic_output", "request_policy:special")
                .doc("generic", "2.8.0", "Iterates over the key names in the database."));
        t.add(new CommandSpec("randomkey", 1, "readonly all_shards", 0, 0, 0, "@keyspace", KeyCommands::randomkey)
                .tips("request_policy:all_shards", "nondeterministic_output")
                .doc("generic", "1.0.0", "Returns a random key name from the database."));
        t.add(new CommandSpec("dbsize", 1, "readonly fast all_shards", 0, 0, 0, "@keyspace", KeyCommands::dbsize)
                .tips("request_policy:all_shards", "response_policy:agg_sum")
                .doc("server", "1.0.0", "Returns the number of keys in the database."));
        t.add(new CommandSpec("swapdb", 3, "write fast all_shards", 0, 0, 0, "@keyspace @dangerous", KeyCommands::swapdb)
                .doc("server", "4.0.0", "Swaps two Redis databases."));
        t.add(new CommandSpec("flushall", -1, "write all_shards", 0, 0, 0, "@keyspace @dangerous", KeyCommands::flushall)
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .doc("server", "1.0.0", "Removes all keys from all databases."));
        t.add(new CommandSpec("flushdb", -1, "write all_shards", 0, 0, 0, "@keyspace @dangerous", KeyCommands::flushdb)
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .doc("server", "1.0.0", "Remove all keys from the current database."));
        ObjectCommand.register(t);
    }

    // ---------------------------------------------------------------- helpers

    /** TYPE's name for an entry; "none" for a missing key. */
    static String typeName(Object e) {
        if (e == null) return "none";
        if (e instanceof byte[]) return "string";
        return ((TypedValue) ((ObjectEntry) e).value).typeName();
    }

    /** True when the key of entry {@code e} matches the glob pattern (case-sensitive, as KEYS). */
    private static boolean keyMatches(Object e, byte[] pattern) {
        if (e instanceof byte[] b) {
            return Glob.matches(pattern, 0, pattern.length, b, Entries.keyOffset(b), Entries.keyLength(b), false);
        }
        byte[] k = ((ObjectEntry) e).key();
        return Glob.matches(pattern, 0, pattern.length, k, 0, k.length, false);
    }

    private static boolean sameArg(CommandContext c, int i, int j) {
        return Arrays.equals(c.buf(), c.off(i), c.off(i) + c.len(i), c.buf(), c.off(j), c.off(j) + c.len(j));
    }

    /** A database index argument as Redis's getIntFromObjectOrReply and selectDb check it. */
    private static int dbIndexArg(CommandContext c, int i) {
        long v = c.longArg(i);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new RedisError("ERR value is out of range, value must between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
        }
        if (v < 0 || v >= c.shard().keyspace().databases()) throw new RedisError(RedisError.DB_INDEX);
        return (int) v;
    }

    // ---------------------------------------------------------------- existence and deletion

    /** DEL and UNLINK: both free at once (the GC does the freeing in the background). */
    static void del(CommandContext c) {
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (c.db(i).delete(c.buf(), c.off(i), c.len(i)) != null) {
                n++;
                c.notify(KeyspaceEvents.GENERIC, "del", i);
            }
        }
        c.reply().integer(n);
    }

    static void exists(CommandContext c) {
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (c.db(i).lookupReadNoTouch(c.buf(), c.off(i), c.len(i)) != null) n++;
        }
        c.reply().integer(n);
    }

    static void touch(CommandContext c) {
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (c.lookupRead(i) != null) n++;
        }
        c.reply().integer(n);
    }

    static void type(CommandContext c) {
        c.reply().simple(typeName(c.db().lookupReadNoTouch(c.buf(), c.off(1), c.len(1))));
    }

    // ---------------------------------------------------------------- renaming, copying, moving

    static void rename(CommandContext c) {
        if (renameKey(c, false)) c.reply().ok();
    }

    static void renamenx(CommandContext c) {
        c.reply().integer(renameKey(c, true) ? 1 : 0);
    }

    /**
     * Redis's renameGenericCommand. The two keys may be on different shards (both held): the
     * entry is rebuilt under the new name in the destination's shard with its expiry and access
     * clock. Returns false when NX found the destination, or the key was renamed to itself with NX.
     */
    private static boolean renameKey(CommandContext c, boolean nx) {
        Db src = c.db(1);
        Object e = src.lookupWrite(c.buf(), c.off(1), c.len(1));
        if (e == null) throw new RedisError(RedisError.NO_SUCH_KEY);
        if (sameArg(c, 1, 2)) return !nx;
        Db dst = c.db(2);
        if (dst.lookupWrite(c.buf(), c.off(2), c.len(2)) != null) {
            if (nx) return false;
            dst.delete(c.buf(), c.off(2), c.len(2));
        }
        int clock = src.clockOf(c.buf(), c.off(1), c.len(1));
        src.delete(c.buf(), c.off(1), c.len(1));
        dst.set(Entries.withKey(e, c.buf(), c.off(2), c.len(2)), clock);
        c.notify(KeyspaceEvents.GENERIC, "rename_from", 1);
        c.notify(KeyspaceEvents.GENERIC, "rename_to", 2);
        return true;
    }

    /** COPY source destination [DB destination-db] [REPLACE], as Redis's copyCommand. */
    static void copy(CommandContext c) {
        int dbIndex = c.dbIndex();
        boolean replace = false;
        for (int j = 3; j < c.argc(); j++) {
            if (c.is(j, "replace")) {
                replace = true;
            } else if (c.is(j, "db") && j + 1 < c.argc()) {
                dbIndex = dbIndexArg(c, ++j);
            } else {
                throw RedisError.syntax();
            }
        }
        if (dbIndex == c.dbIndex() && sameArg(c, 1, 2)) throw new RedisError(SAME_OBJECT);
        Object e = c.lookupRead(1);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        Db dst = c.dbOfKey(2, dbIndex);
        if (dst.lookupWrite(c.buf(), c.off(2), c.len(2)) != null) {
            if (!replace) {
                c.reply().integer(0);
                return;
            }
            dst.delete(c.buf(), c.off(2), c.len(2));
        }
        Object copy = Entries.withKey(e, c.buf(), c.off(2), c.len(2));
        if (copy instanceof ObjectEntry oe) oe.value = ((TypedValue) oe.value).copy();
        dst.set(copy);
        c.notifyIn(dbIndex, KeyspaceEvents.GENERIC, "copy_to", 2);
        c.reply().integer(1);
    }

    /** MOVE key db: the same entry moves to another database of the key's shard. */
    static void move(CommandContext c) {
        int dbIndex = dbIndexArg(c, 2);
        if (dbIndex == c.dbIndex()) throw new RedisError(SAME_OBJECT);
        Db src = c.db();
        Object e = src.lookupWrite(c.buf(), c.off(1), c.len(1));
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        Db dst = c.dbOfKey(1, dbIndex);
        if (dst.lookupWrite(c.buf(), c.off(1), c.len(1)) != null) {
            c.reply().integer(0);
            return;
        }
        int clock = src.clockOf(c.buf(), c.off(1), c.len(1));
        src.delete(c.buf(), c.off(1), c.len(1));
        dst.set(e, clock);
        c.notify(KeyspaceEvents.GENERIC, "move_from", 1);
        c.notifyIn(dbIndex, KeyspaceEvents.GENERIC, "move_to", 1);
        c.reply().integer(1);
    }

    // ---------------------------------------------------------------- iteration

    /** KEYS pattern over every shard; expired keys are left out, not removed (as Redis). */
    static void keys(CommandContext c) {
        byte[] pattern = c.arg(1);
        boolean all = pattern.length == 1 && pattern[0] == '*';
        List<byte[]> out = new ArrayList<>();
        for (Shard s : c.node().shards()) {
            s.keyspace().db(c.dbIndex()).forEachLive(e -> {
                if (all || keyMatches(e, pattern)) out.add(Entries.key(e));
            });
        }
        c.reply().arrayHeader(out.size());
        for (byte[] k : out) c.reply().bulk(k);
    }

    /**
     * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: one step on the shard the cursor
     * names (see {@link ScanCursor}); when that shard is done the next cursor starts the next
     * shard, and 0 ends the scan after the last one.
     */
    static void scan(CommandContext c) {
        long cursor = ScanCursor.parse(c.buf(), c.off(1), c.len(1));
        long count = 10;
        byte[] pattern = null;
        String type = null;
        for (int i = 2; i < c.argc(); i += 2) {
            boolean hasValue = i + 1 < c.argc();
            if (c.is(i, "count") && hasValue) {
                count = c.longArg(i + 1);
                if (count < 1) throw RedisError.syntax();
            } else if (c.is(i, "match") && hasValue) {
                pattern = c.arg(i + 1);
                if (pattern.length == 1 && pattern[0] == '*') pattern = null;
            } else if (c.is(i, "type") && hasValue) {
                type = c.str(i + 1);
            } else {
                throw RedisError.syntax();
            }
        }
        int shards = c.node().shards().length;
        int shard = ScanCursor.shard(cursor);
        List<byte[]> keys = new ArrayList<>();
        long next = 0;
        if (shard < shards) {
            assert c.shard().id() == shard : "SCAN routed to shard " + c.shard().id() + ", cursor names " + shard;
            byte[] p = pattern;
            String t = type;
            long tableNext = c.db().scan(ScanCursor.tableCursor(cursor), (int) Math.min(count, Integer.MAX_VALUE), e -> {
                if ((p == null || keyMatches(e, p)) && (t == null || t.equalsIgnoreCase(typeName(e)))) {
                    keys.add(Entries.key(e));
                }
            });
            if (tableNext >= 0) next = ScanCursor.of(shard, tableNext);
            else if (shard + 1 < shards) next = ScanCursor.of(shard + 1, 0);
        }
        c.reply().arrayHeader(2);
        c.reply().bulk(Long.toUnsignedString(next));
        c.reply().arrayHeader(keys.size());
        for (byte[] k : keys) c.reply().bulk(k);
    }

    /**
     * RANDOMKEY: a shard picked with probability proportional to its key count, then a random
     * live key of it. Expired keys met are removed, so the loop ends.
     */
    static void randomkey(CommandContext c) {
        Shard[] shards = c.node().shards();
        while (true) {
            long total = 0;
            for (Shard s : shards) total += s.keyspace().db(c.dbIndex()).size();
            if (total == 0) {
                c.reply().nullBulk();
                return;
            }
            long r = ThreadLocalRandom.current().nextLong(total);
            Db pick = null;
            for (Shard s : shards) {
                pick = s.keyspace().db(c.dbIndex());
                if (r < pick.size()) break;
                r -= pick.size();
            }
            Object e = pick.randomLive();
            if (e != null) {
                c.reply().bulk(Entries.key(e));
                return;
            }
        }
    }

    // ---------------------------------------------------------------- databases

    static void dbsize(CommandContext c) {
        long n = 0;
        for (Shard s : c.node().shards()) n += s.keyspace().db(c.dbIndex()).size();
        c.reply().integer(n);
    }

    /** SWAPDB index1 index2, on every shard at once. */
    static void swapdb(CommandContext c) {
        long a = c.longArg(1, "ERR invalid first DB index");
        if (a < Integer.MIN_VALUE || a > Integer.MAX_VALUE) throw new RedisError("ERR invalid first DB index");
        long b = c.longArg(2, "ERR invalid second DB index");
        if (b < Integer.MIN_VALUE || b > Integer.MAX_VALUE) throw new RedisError("ERR invalid second DB index");
        int dbs = c.shard().keyspace().databases();
        if (a < 0 || a >= dbs || b < 0 || b >= dbs) throw new RedisError(RedisError.DB_INDEX);
        // The shards held: every shard when a client runs it, one shard when recovery replays it.
        for (Shard s : heldShards(c)) {
            s.keyspace().db((int) a).swapWith(s.keyspace().db((int) b));
            s.keyspace().dirty++; // Db.swapWith signals both databases' waited keys (Redis's swapdb)
        }
        flushedForCaching(c);
        c.reply().ok();
    }

    /**
     * FLUSHALL/FLUSHDB [ASYNC|SYNC]: both drop the tables at once; with ASYNC or not, the GC
     * frees the old ones in the background, which is what ASYNC asks for.
     */
    private static void checkFlushMode(CommandContext c) {
        if (c.argc() > 2 || (c.argc() == 2 && !c.is(1, "async") && !c.is(1, "sync"))) throw RedisError.syntax();
    }

    static void flushall(CommandContext c) {
        checkFlushMode(c);
        for (Shard s : heldShards(c)) {
            for (int d = 0; d < s.keyspace().databases(); d++) flush(s.keyspace(), d);
        }
        flushedForCaching(c);
        c.reply().ok();
    }

    static void flushdb(CommandContext c) {
        checkFlushMode(c);
        for (Shard s : heldShards(c)) flush(s.keyspace(), c.dbIndex());
        flushedForCaching(c);
        c.reply().ok();
    }

    /**
     * After FLUSHALL, FLUSHDB or SWAPDB: clients that cache keys are told every key is invalid,
     * since cached keys are names without a database (Redis's trackingInvalidateKeysOnFlush).
     */
    private static void flushedForCaching(CommandContext c) {
        c.node().tracking().flushed(heldShards(c), c.conn() == null ? 0 : c.conn().id);
    }

    /**
     * The shards an all-shards command holds. A node of one shard runs it like any command of
     * that shard (inside MULTI, EXEC runs inline), holding none: then it is that shard alone.
     */
    private static Shard[] heldShards(CommandContext c) {
        return c.held() != null ? c.held() : new Shard[] {c.shard()};
    }

    /** Empties one database, counting every removed key as a change (Redis's server.dirty). */
    private static void flush(Keyspace ks, int index) {
        ks.dirty += ks.db(index).size();
        ks.db(index).clear();
    }
}
