package io.moon.node.command;

/**
 * The timeout argument of blocking commands given in seconds (BLPOP, BLMOVE, BLMPOP, BZPOPMIN,
 * BZMPOP...), read as Redis's getTimeoutFromObjectOrReply with UNIT_SECONDS: a long double,
 * turned into whole milliseconds rounded up.
 */
public final class BlockingTimeout {
    private BlockingTimeout() {}

    static final String NOT_A_FLOAT = "ERR timeout is not a float or out of range";
    static final String NEGATIVE = "ERR timeout is negative";

    /**
     * The timeout at argument i in milliseconds, 0 for "forever". A deadline past what a clock
     * can reach also waits forever, as in Redis (its deadline wraps and never comes).
     */
    public static long seconds(CommandContext c, int i) {
        LongDouble t = LongDouble.parse(c.buf(), c.off(i), c.len(i));
        if (t == null) throw new RedisError(NOT_A_FLOAT);
        long ms = t.ceilMillis();
        if (ms < 0) throw new RedisError(NEGATIVE);
        if (ms > 0 && ms > Long.MAX_VALUE - System.currentTimeMillis()) return 0;
        return ms;
    }
}
