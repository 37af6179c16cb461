package io.moon.node.command;

import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.Db;
import io.moon.node.store.Entries;

/**
 * Key expiry (Redis's expire.c): the EXPIRE family, the TTL family, PERSIST. The expiry lives in
 * the entry ({@link Db#setExpire}); expired keys go lazily on access and by the per-shard active
 * cycle ({@link io.moon.node.store.Keyspace#activeExpireCycle}).
 */
public final class ExpireCommands {
    private ExpireCommands() {}

    private static final int NX = 1, XX = 2, GT = 4, LT = 8;

    static void register(CommandTable t) {
        t.add(new CommandSpec("expire", -3, "write fast", 1, 1, 1, "@keyspace", ExpireCommands::expire)
                .keyFlags("RW update")
                .doc("generic", "1.0.0", "Sets the expiration time of a key in seconds."));
        t.add(new CommandSpec("pexpire", -3, "write fast", 1, 1, 1, "@keyspace", ExpireCommands::pexpire)
                .keyFlags("RW update")
                .doc("generic", "2.6.0", "Sets the expiration time of a key in milliseconds."));
        t.add(new CommandSpec("expireat", -3, "write fast", 1, 1, 1, "@keyspace", ExpireCommands::expireat)
                .keyFlags("RW update")
                .doc("generic", "1.2.0", "Sets the expiration time of a key to a Unix timestamp."));
        t.add(new CommandSpec("pexpireat", -3, "write fast", 1, 1, 1, "@keyspace", ExpireCommands::pexpireat)
                .keyFlags("RW update")
                .doc("generic", "2.6.0", "Sets the expiration time of a key to a Unix milliseconds timestamp."));
        t.add(new CommandSpec("ttl", 2, "readonly fast", 1, 1, 1, "@keyspace", ExpireCommands::ttl)
                .keyFlags("RO access").tips("nondeterministic_output")
                .doc("generic", "1.0.0", "Returns the expiration time in seconds of a key."));
        t.add(new CommandSpec("pttl", 2, "readonly fast", 1, 1, 1, "@keyspace", ExpireCommands::pttl)
                .keyFlags("RO access").tips("nondeterministic_output")
                .doc("generic", "2.6.0", "Returns the expiration time in milliseconds of a key."));
        t.add(new CommandSpec("expiretime", 2, "readonly fast", 1, 1, 1, "@keyspace", ExpireCommands::expiretime)
                .keyFlags("RO access")
                .doc("generic", "7.0.0", "Returns the expiration time of a key as a Unix timestamp."));
        t.add(new CommandSpec("pexpiretime", 2, "readonly fast", 1, 1, 1, "@keyspace", ExpireCommands::pexpiretime)
                .keyFlags("RO access")
                .doc("generic", "7.0.0", "Returns the expiration time of a key as a Unix milliseconds timestamp."));
        t.add(new CommandSpec("persist", 2, "write fast", 1, 1, 1, "@keyspace", ExpireCommands::persist)
                .keyFlags("RW update")
                .doc("generic", "2.2.0", "Removes the expiration time of a key."));
    }

    static void expire(CommandContext c) { setExpiry(c, c.now(), true); }
    static void pexpire(CommandContext c) { setExpiry(c, c.now(), false); }
    static void expireat(CommandContext c) { setExpiry(c, 0, true); }
    static void pexpireat(CommandContext c) { setExpiry(c, 0, false); }

    static void ttl(CommandContext c) { timeToLive(c, false, false); }
    static void pttl(CommandContext c) { timeToLive(c, true, false); }
    static void expiretime(CommandContext c) { timeToLive(c, false, true); }
    static void pexpiretime(CommandContext c) { timeToLive(c, true, true); }

    /** Redis's parseExtendedExpireArgumentsOrReply: NX, XX, GT, LT from argument 3 on. */
    private static int parseFlags(CommandContext c) {
        int flags = 0;
        for (int j = 3; j < c.argc(); j++) {
            if (c.is(j, "nx")) flags |= NX;
            else if (c.is(j, "xx")) flags |= XX;
            else if (c.is(j, "gt")) flags |= GT;
            else if (c.is(j, "lt")) flags |= LT;
            else throw new RedisError("ERR Unsupported option " + c.str(j));
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            throw new RedisError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if ((flags & GT) != 0 && (flags & LT) != 0) {
            throw new RedisError("ERR GT and LT options at the same time are not compatible");
        }
        return flags;
    }

    /**
     * Redis's expireGenericCommand: {@code basetime} is now for relative forms and 0 for
     * absolute ones. A time not in the future deletes the key (and still answers 1).
     */
    private static void setExpiry(CommandContext c, long basetime, boolean seconds) {
        int flags = parseFlags(c);
        long when = c.longArg(2);
        String invalid = "ERR invalid expire time in '" + c.spec().fullName() + "' command";
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) throw new RedisError(invalid);
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - basetime) throw new RedisError(invalid);
        when += basetime;

        Db db = c.db();
        Object e = db.lookupWrite(c.buf(), c.off(1), c.len(1));
        if (e == null || !flagsAllow(flags, Entries.expireAt(e), when)) {
            c.reply().integer(0);
            return;
        }
        // Logged as Redis propagates it: DEL, or PEXPIREAT with the absolute time.
        if (when <= c.now()) {
            db.delete(c.buf(), c.off(1), c.len(1));
            c.notify(KeyspaceEvents.GENERIC, "del", 1);
            c.propagateAs(CommandContext.ascii("DEL"), c.arg(1));
        } else {
            db.setExpire(c.buf(), c.off(1), c.len(1), when);
            c.notify(KeyspaceEvents.GENERIC, "expire", 1);
            c.propagateAs(CommandContext.ascii("PEXPIREAT"), c.arg(1), Numbers.toBytes(when));
        }
        c.reply().integer(1);
    }

    /** NX/XX/GT/LT against the current expiry ({@link Entries#NO_EXPIRE} counts as infinite). */
    private static boolean flagsAllow(int flags, long current, long when) {
        boolean none = current == Entries.NO_EXPIRE;
        if ((flags & NX) != 0 && !none) return false;
        if ((flags & XX) != 0 && none) return false;
        if ((flags & GT) != 0 && (none || when <= current)) return false;
        return (flags & LT) == 0 || none || when < current;
    }

    /** Redis's ttlGenericCommand: -2 for a missing key, -1 without expiry, never negative else. */
    private static void timeToLive(CommandContext c, boolean ms, boolean absolute) {
        Object e = c.db().lookupReadNoTouch(c.buf(), c.off(1), c.len(1));
        if (e == null) {
            c.reply().integer(-2);
            return;
        }
        long expireAt = Entries.expireAt(e);
        if (expireAt == Entries.NO_EXPIRE) {
            c.reply().integer(-1);
            return;
        }
        long ttl = Math.max(0, absolute ? expireAt : expireAt - c.now());
        // (ttl + 500) / 1000 without overflowing near Long.MAX_VALUE (PEXPIREAT may set that far).
        c.reply().integer(ms ? ttl : ttl / 1000 + (ttl % 1000 + 500) / 1000);
    }

    static void persist(CommandContext c) {
        Db db = c.db();
        Object e = db.lookupWrite(c.buf(), c.off(1), c.len(1));
        if (e == null || !Entries.hasExpire(e)) {
            c.reply().integer(0);
            return;
        }
        db.setExpire(c.buf(), c.off(1), c.len(1), Entries.NO_EXPIRE);
        c.notify(KeyspaceEvents.GENERIC, "persist", 1);
        c.reply().integer(1);
    }
}
