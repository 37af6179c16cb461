package io.moon.node.command;

import io.moon.node.util.Glob;

/**
 * The options of a scan over one collection (HSCAN, SSCAN, ZSCAN: Redis's scanGenericCommand
 * with a value): {@code [MATCH pattern] [COUNT count]}, in any order, the last one winning. TYPE is
 * a syntax error here, as in Redis. The pattern is matched against members and fields only.
 */
final class ElementScan {
    /** How many elements a step aims at; Redis's default is 10. */
    final int count;
    private final byte[] pattern;

    private ElementScan(int count, byte[] pattern) {
        this.count = count;
        this.pattern = pattern;
    }

    /** Parses the options from argument {@code from} on (after key and cursor). */
    static ElementScan parse(CommandContext c, int from) {
        long count = 10;
        byte[] pattern = null;
        for (int i = from; i < c.argc(); i += 2) {
            boolean hasValue = i + 1 < c.argc();
            if (c.is(i, "count") && hasValue) {
                count = c.longArg(i + 1);
                if (count < 1) throw RedisError.syntax();
            } else if (c.is(i, "match") && hasValue) {
                // "*" matches everything: the same as no pattern, as Redis treats it.
                pattern = c.len(i + 1) == 1 && c.buf()[c.off(i + 1)] == '*' ? null : c.arg(i + 1);
            } else {
                throw RedisError.syntax();
            }
        }
        return new ElementScan((int) Math.min(count, Integer.MAX_VALUE), pattern);
    }

    boolean matches(byte[] b, int off, int len) {
        return pattern == null || Glob.matches(pattern, 0, pattern.length, b, off, len, false);
    }

    /** The reply to a scan of a missing key: cursor 0 and no elements (Redis's shared.emptyscan). */
    static void replyEmpty(CommandContext c) {
        c.reply().arrayHeader(2);
        c.reply().bulk(ZERO);
        c.reply().emptyArray();
    }

    private static final byte[] ZERO = {'0'};
}
