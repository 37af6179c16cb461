package io.moon.node.command;

import io.moon.node.store.Entries;

/**
 * The options of SET and GETEX (Redis's parseExtendedStringArgumentsOrReply and
 * getExpireMillisecondsOrReply): NX XX GET KEEPTTL PERSIST EX PX EXAT PXAT, with Redis's
 * conflicts and errors.
 */
final class SetOptions {
    boolean nx, xx, get, keepTtl, persist;
    /** Absolute Unix ms, or NO_EXPIRE. */
    long expireAt = Entries.NO_EXPIRE;
    boolean hasExpire;

    /**
     * Parses options from argument {@code from}. {@code forSet} selects SET's grammar (NX, XX, GET,
     * KEEPTTL) over GETEX's (PERSIST).
     */
    static SetOptions parse(CommandContext c, int from, boolean forSet) {
        SetOptions o = new SetOptions();
        String command = c.spec().name;
        int expireArg = -1;
        boolean unitSeconds = false, relative = false;
        for (int i = from; i < c.argc(); i++) {
            boolean hasNext = i + 1 < c.argc();
            if (forSet && c.is(i, "nx") && !o.xx) {
                o.nx = true;
            } else if (forSet && c.is(i, "xx") && !o.nx) {
                o.xx = true;
            } else if (forSet && c.is(i, "get") && !o.get) {
                o.get = true;
            } else if (forSet && c.is(i, "keepttl") && !o.hasExpire && !o.keepTtl) {
                o.keepTtl = true;
            } else if (!forSet && c.is(i, "persist") && !o.hasExpire && !o.persist) {
                o.persist = true;
            } else if (hasNext && !o.hasExpire && !o.keepTtl && !o.persist
                    && (c.is(i, "ex") || c.is(i, "px") || c.is(i, "exat") || c.is(i, "pxat"))) {
                unitSeconds = c.is(i, "ex") || c.is(i, "exat");
                relative = c.is(i, "ex") || c.is(i, "px");
                o.hasExpire = true;
                expireArg = ++i;
            } else {
                throw RedisError.syntax();
            }
        }
        // Like Redis, the expire value is checked after every option has parsed.
        if (o.hasExpire) {
            long v = c.longArg(expireArg);
            if (v <= 0 || (unitSeconds && v > Long.MAX_VALUE / 1000)) throw invalidExpire(command);
            long ms = unitSeconds ? v * 1000 : v;
            if (relative) {
                ms += c.now();
                if (ms <= 0) throw invalidExpire(command); // overflowed
            }
            o.expireAt = ms;
        }
        return o;
    }

    static RedisError invalidExpire(String command) {
        return new RedisError("ERR invalid expire time in '" + command + "' command");
    }
}
