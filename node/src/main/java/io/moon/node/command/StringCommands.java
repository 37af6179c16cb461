package io.moon.node.command;

import io.moon.node.store.Db;
import io.moon.node.store.Entries;

/**
 * The string family (Redis's t_string.c). Handlers keep Redis's order: parse and check
 * arguments, look up, check the type, change, reply.
 */
public final class StringCommands {
    private StringCommands() {}

    static void register(CommandTable t) {
        t.add(new CommandSpec("get", 2, "readonly fast", 1, 1, 1, "@string", StringCommands::get)
                .keyFlags("RO access")
                .doc("string", "1.0.0", "Returns the string value of a key."));
        t.add(new CommandSpec("set", -3, "write denyoom", 1, 1, 1, "@string", StringCommands::set)
                .keySpecs(KeySpec.range("RW access update variable_flags", 1, 0, 1)
                        .withNotes("RW and ACCESS due to the optional `GET` argument")
                        .resolvedBy(StringCommands::setKeyFlags))
                .doc("string", "1.0.0", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist."));
        t.add(new CommandSpec("mget", -2, "readonly fast", 1, -1, 1, "@string", StringCommands::mget)
                .keyFlags("RO access")
                .doc("string", "1.0.0", "Atomically returns the string values of one or more keys."));
        t.add(new CommandSpec("mset", -3, "write denyoom", 1, -1, 2, "@string", StringCommands::mset)
                .keyFlags("OW update")
                .doc("string", "1.0.1", "Atomically creates or modifies the string values of one or more keys."));
        t.add(new CommandSpec("incr", 2, "write denyoom fast", 1, 1, 1, "@string", c -> incrBy(c, 1))
                .keyFlags("RW access update")
                .doc("string", "1.0.0", "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist."));
        t.add(new CommandSpec("decr", 2, "write denyoom fast", 1, 1, 1, "@string", c -> incrBy(c, -1))
                .keyFlags("RW access update")
                .doc("string", "1.0.0", "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist."));
        t.add(new CommandSpec("incrby", 3, "write denyoom fast", 1, 1, 1, "@string", c -> incrBy(c, c.longArg(2)))
                .keyFlags("RW access update")
                .doc("string", "1.0.0", "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist."));
        t.add(new CommandSpec("decrby", 3, "write denyoom fast", 1, 1, 1, "@string", StringCommands::decrby)
                .keyFlags("RW access update")
                .doc("string", "1.0.0", "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist."));
    }

    /** SET's key is read too when GET is given (Redis's setGetKeys). */
    static String setKeyFlags(String[] args) {
        for (int i = 3; i < args.length; i++) if (args[i].equalsIgnoreCase("get")) return "RW access update";
        return "OW update";
    }

    // ---------------------------------------------------------------- string type API

    /** The string entry at argument i for reading, null when missing; WRONGTYPE for other types. */
    static byte[] readString(CommandContext c, int i) {
        Object e = c.lookupRead(i);
        if (e == null) return null;
        if (!(e instanceof byte[] b)) throw RedisError.wrongType();
        return b;
    }

    /** Stores value under the key at argument i, with the given expiry. */
    static void store(CommandContext c, Db db, int keyArg, byte[] v, int voff, int vlen, long expireAt) {
        db.set(Entries.newString(c.buf(), c.off(keyArg), c.len(keyArg), v, voff, vlen, expireAt));
    }

    // ---------------------------------------------------------------- commands

    static void get(CommandContext c) {
        byte[] e = readString(c, 1);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        int vo = Entries.valueOffset(e);
        c.reply().bulk(e, vo, e.length - vo);
    }

    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL], as Redis 7.0. */
    static void set(CommandContext c) {
        SetOptions o = SetOptions.parse(c, 3, true);
        Db db = c.db();
        Object old = db.lookupWrite(c.buf(), c.off(1), c.len(1));
        if (o.get && old != null && !(old instanceof byte[])) throw RedisError.wrongType();
        if ((o.nx && old != null) || (o.xx && old == null)) {
            if (o.get) replyOld(c, old);
            else c.reply().nullBulk();
            return;
        }
        long expireAt = o.expireAt;
        if (o.keepTtl && old != null) expireAt = Entries.expireAt(old);
        store(c, db, 1, c.buf(), c.off(2), c.len(2), expireAt);
        if (o.get) replyOld(c, old);
        else c.reply().ok();
    }

    private static void replyOld(CommandContext c, Object old) {
        if (old == null) {
            c.reply().nullBulk();
        } else {
            byte[] b = (byte[]) old;
            int vo = Entries.valueOffset(b);
            c.reply().bulk(b, vo, b.length - vo);
        }
    }

    static void mget(CommandContext c) {
        c.reply().arrayHeader(c.argc() - 1);
        for (int i = 1; i < c.argc(); i++) {
            Object e = c.lookupRead(i);
            if (e instanceof byte[] b) {
                int vo = Entries.valueOffset(b);
                c.reply().bulk(b, vo, b.length - vo);
            } else {
                c.reply().nullBulk(); // missing, or not a string: MGET answers nil
            }
        }
    }

    static void mset(CommandContext c) {
        if (c.argc() % 2 == 0) throw RedisError.arity("mset");
        for (int i = 1; i < c.argc(); i += 2) store(c, c.db(i), i, c.buf(), c.off(i + 1), c.len(i + 1), Entries.NO_EXPIRE);
        c.reply().ok();
    }

    static void decrby(CommandContext c) {
        long by = c.longArg(2);
        if (by == Long.MIN_VALUE) throw new RedisError("ERR decrement would overflow");
        incrBy(c, -by);
    }

    /** INCR, DECR, INCRBY, DECRBY: the value must be a 64-bit integer in text; expiry kept. */
    static void incrBy(CommandContext c, long by) {
        Db db = c.db();
        Object e = db.lookupWrite(c.buf(), c.off(1), c.len(1));
        long value = 0;
        long expireAt = Entries.NO_EXPIRE;
        if (e != null) {
            if (!(e instanceof byte[] b)) throw RedisError.wrongType();
            int vo = Entries.valueOffset(b);
            value = Numbers.parseLong(b, vo, b.length - vo);
            if (value == Numbers.NOT_A_NUMBER && !Numbers.isLong(b, vo, b.length - vo)) throw RedisError.notInteger();
            expireAt = Entries.expireAt(b);
        }
        long result;
        try {
            result = Math.addExact(value, by);
        } catch (ArithmeticException ex) {
            throw new RedisError(RedisError.OVERFLOW);
        }
        byte[] digits = Numbers.toBytes(result);
        store(c, db, 1, digits, 0, digits.length, expireAt);
        c.reply().integer(result);
    }
}
