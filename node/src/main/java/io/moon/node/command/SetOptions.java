package io.moon.node.command;

import io.moon.node.store.Entries;

/**
 * The options of SET and GETEX (Redis's parseExtendedStringArgumentsOrReply and
 * getExpireMillisecondsOrReply): NX XX GET KEEPTTL PERSIST EX PX EXAT PXAT, with Redis's
 * conflicts and errors.
 *
 * <p>As in Redis, an option may repeat (GET GET, EX 1 EX 2: the last value wins), but two
 * options that conflict (NX with XX, EX with PX, KEEPTTL or PERSIST with an expiry) are a
 * syntax error. The expire value is only read by {@link #expireAt}, because GETEX reads it after
 * the key lookup: a missing key answers nil even when the value is bad.
 */
final class SetOptions {
    /** Which expire option was given, if any. */
    enum Expire { NONE, EX, PX, EXAT, PXAT }

    boolean nx, xx, get, keepTtl, persist;
    Expire expire = Expire.NONE;
    /** Argument index of the expire value (the last one given). */
    private int expireArg = -1;

    boolean hasExpire() { return expire != Expire.NONE; }

    /**
     * Parses options from argument {@code from}. {@code forSet} selects SET's grammar (NX, XX, GET,
     * KEEPTTL) over GETEX's (PERSIST).
     */
    static SetOptions parse(CommandContext c, int from, boolean forSet) {
        SetOptions o = new SetOptions();
        for (int i = from; i < c.argc(); i++) {
            boolean hasNext = i + 1 < c.argc();
            Expire kind = expireOption(c, i);
            if (forSet && c.is(i, "nx") && !o.xx) {
                o.nx = true;
            } else if (forSet && c.is(i, "xx") && !o.nx) {
                o.xx = true;
            } else if (forSet && c.is(i, "get")) {
                o.get = true;
            } else if (forSet && c.is(i, "keepttl") && !o.persist && !o.hasExpire()) {
                o.keepTtl = true;
            } else if (!forSet && c.is(i, "persist") && !o.hasExpire() && !o.keepTtl) {
                o.persist = true;
            } else if (kind != Expire.NONE && hasNext && !o.keepTtl && !o.persist
                    && (o.expire == Expire.NONE || o.expire == kind)) {
                o.expire = kind;
                o.expireArg = ++i;
            } else {
                throw RedisError.syntax();
            }
        }
        return o;
    }

    private static Expire expireOption(CommandContext c, int i) {
        if (c.is(i, "ex")) return Expire.EX;
        if (c.is(i, "px")) return Expire.PX;
        if (c.is(i, "exat")) return Expire.EXAT;
        if (c.is(i, "pxat")) return Expire.PXAT;
        return Expire.NONE;
    }

    /**
     * The expiry as absolute Unix ms ({@link Entries#NO_EXPIRE} without an expire option), or
     * Redis's "invalid expire time" error for values that are not positive or overflow.
     */
    long expireAt(CommandContext c) {
        if (expire == Expire.NONE) return Entries.NO_EXPIRE;
        boolean seconds = expire == Expire.EX || expire == Expire.EXAT;
        boolean relative = expire == Expire.EX || expire == Expire.PX;
        return expireAt(c, c.longArg(expireArg), seconds, relative);
    }

    /** Redis's getExpireMillisecondsOrReply over an already parsed value (also SETEX, PSETEX). */
    static long expireAt(CommandContext c, long value, boolean seconds, boolean relative) {
        String command = c.spec().name;
        if (value <= 0 || (seconds && value > Long.MAX_VALUE / 1000)) throw invalidExpire(command);
        long ms = seconds ? value * 1000 : value;
        if (relative) {
            ms += c.now();
            if (ms <= 0) throw invalidExpire(command); // overflowed
        }
        return ms;
    }

    static RedisError invalidExpire(String command) {
        return new RedisError("ERR invalid expire time in '" + command + "' command");
    }
}
