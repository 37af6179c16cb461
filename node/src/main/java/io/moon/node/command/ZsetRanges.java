package io.moon.node.command;

import io.moon.node.store.LexRange;
import io.moon.node.store.ScoreRange;
import java.util.Arrays;

/**
 * Score and lex range arguments of the sorted-set commands, read as Redis reads them
 * (t_zset.c zslParseRange, zslParseLexRange), with Redis's error texts.
 */
final class ZsetRanges {
    private ZsetRanges() {}

    static final String NOT_FLOAT = "ERR min or max is not a float";
    static final String NOT_STRING_RANGE = "ERR min or max not valid string range item";

    /** min and max of a score range: "(" makes an end exclusive; -inf/+inf and anything strtod takes are fine. */
    static ScoreRange score(CommandContext c, int minArg, int maxArg) {
        double[] min = end(c, minArg), max = end(c, maxArg);
        return new ScoreRange(min[0], min[1] != 0, max[0], max[1] != 0);
    }

    /** {value, 1 if exclusive}: strtod over the argument must stop at its end (or at a NUL byte), and not read NaN. */
    private static double[] end(CommandContext c, int i) {
        byte[] b = c.buf();
        int off = c.off(i), len = c.len(i);
        boolean exclusive = len > 0 && b[off] == '(';
        if (exclusive) {
            off++;
            len--;
        }
        Strtod.Result r = Strtod.parse(b, off, len);
        if ((r.end() != off + len && b[r.end()] != 0) || Double.isNaN(r.value())) throw new RedisError(NOT_FLOAT);
        return new double[] {r.value(), exclusive ? 1 : 0};
    }

    /** min and max of a lex range: "[m" inclusive, "(m" exclusive, "-" and "+" the infinite strings. */
    static LexRange lex(CommandContext c, int minArg, int maxArg) {
        byte[] min = lexEnd(c, minArg), max = lexEnd(c, maxArg);
        return new LexRange(min, exclusive(c, minArg), max, exclusive(c, maxArg));
    }

    private static byte[] lexEnd(CommandContext c, int i) {
        byte[] b = c.buf();
        int off = c.off(i), len = c.len(i);
        if (len == 0) throw new RedisError(NOT_STRING_RANGE);
        // As Redis reads a C string: "+" and "-" must be alone, up to a NUL byte.
        boolean alone = len == 1 || b[off + 1] == 0;
        return switch (b[off]) {
            case '+' -> {
                if (!alone) throw new RedisError(NOT_STRING_RANGE);
                yield LexRange.MAX;
            }
            case '-' -> {
                if (!alone) throw new RedisError(NOT_STRING_RANGE);
                yield LexRange.MIN;
            }
            case '(', '[' -> Arrays.copyOfRange(b, off + 1, off + len);
            default -> throw new RedisError(NOT_STRING_RANGE);
        };
    }

    /** "(m", "+" and "-" are exclusive ends. */
    private static boolean exclusive(CommandContext c, int i) { return c.buf()[c.off(i)] != '['; }
}
