package io.moon.node.command;

import io.moon.node.store.SortedSetValue;

/**
 * ZPOPMIN, ZPOPMAX, ZMPOP and the blocking BZPOPMIN, BZPOPMAX, BZMPOP (Redis's
 * genericZpopCommand, blockingGenericZpopCommand, zmpopGenericCommand). A blocking pop that
 * finds every key empty blocks on all of them; when one becomes ready the node runs the command
 * again from the start, as a fresh BZPOP on the same keys.
 */
final class ZsetPop {
    private ZsetPop() {}

    static final String NUMKEYS = "ERR numkeys should be greater than 0";
    static final String COUNT = "ERR count should be greater than 0";

    /** How a pop reply is shaped (Redis's emitkey, use_nested_array, reply_nil_when_empty). */
    private record Shape(boolean emitKey, boolean nested, boolean nilWhenEmpty) {}

    /** ZPOPMIN/ZPOPMAX key [count]: a flat array, or [member, score] pairs in RESP3 when a count is given. */
    static void zpop(CommandContext c, boolean max) {
        if (c.argc() > 3) throw RedisError.syntax();
        long count = -1;
        if (c.argc() == 3) count = SortedSetCommands.rangeLong(c, 2, 0, Long.MAX_VALUE, SortedSetCommands.MUST_BE_POSITIVE);
        pop(c, new int[] {1}, max, count, new Shape(false, c.reply().resp3() && count != -1, false));
    }

    /** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count], and BZMPOP timeout numkeys ... */
    static void zmpop(CommandContext c, int numkeysArg, boolean blocking) {
        long numkeys = SortedSetCommands.rangeLong(c, numkeysArg, 1, Long.MAX_VALUE, NUMKEYS);
        long whereArg = numkeysArg + numkeys + 1;
        if (whereArg >= c.argc()) throw RedisError.syntax();
        boolean max;
        if (c.is((int) whereArg, "min")) max = false;
        else if (c.is((int) whereArg, "max")) max = true;
        else throw RedisError.syntax();
        long count = -1;
        for (int j = (int) whereArg + 1; j < c.argc(); j++) {
            if (count == -1 && c.is(j, "count") && j + 1 < c.argc()) {
                count = SortedSetCommands.rangeLong(c, ++j, 1, Long.MAX_VALUE, COUNT);
            } else {
                throw RedisError.syntax();
            }
        }
        if (count == -1) count = 1;
        int[] keys = new int[(int) numkeys];
        for (int i = 0; i < keys.length; i++) keys[i] = numkeysArg + 1 + i;
        Shape shape = new Shape(true, true, true);
        if (blocking) blockingPop(c, keys, max, 1, count, shape);
        else pop(c, keys, max, count, shape);
    }

    /** BZPOPMIN/BZPOPMAX key [key ...] timeout: [key, member, score]. */
    static void bzpop(CommandContext c, boolean max) {
        int[] keys = new int[c.argc() - 2];
        for (int i = 0; i < keys.length; i++) keys[i] = 1 + i;
        blockingPop(c, keys, max, c.argc() - 1, -1, new Shape(true, false, false));
    }

    /**
     * Redis's genericZpopCommand: pops from the first of the keys that exists (a key of another
     * type is an error, even after missing ones). {@code count} -1 means a plain single pop.
     */
    private static void pop(CommandContext c, int[] keys, boolean max, long count, Shape shape) {
        SortedSetValue z = null;
        int key = -1;
        for (int k : keys) {
            z = c.writeValue(k, SortedSetValue.class);
            if (z != null) {
                key = k;
                break;
            }
        }
        if (z == null) {
            if (shape.nilWhenEmpty) c.reply().nullArray();
            else c.reply().emptyArray();
            return;
        }
        popFrom(c, z, key, max, count, shape);
    }

    private static void popFrom(CommandContext c, SortedSetValue z, int key, boolean max, long count, Shape shape) {
        if (count == 0) { // ZPOPMIN/ZPOPMAX with count 0
            c.reply().emptyArray();
            return;
        }
        if (count == -1) count = 1;
        long n = Math.min(count, z.size());
        if (!shape.nested && !shape.emitKey) {
            c.reply().arrayHeader(n * 2);
        } else if (!shape.emitKey) {
            c.reply().arrayHeader(n);
        } else if (!shape.nested) {
            c.reply().arrayHeader(n * 2 + 1);
            c.reply().bulk(c.buf(), c.off(key), c.len(key));
        } else {
            c.reply().arrayHeader(2);
            c.reply().bulk(c.buf(), c.off(key), c.len(key));
            c.reply().arrayHeader(n);
        }
        z.pop(max, n, (b, off, len, score) -> {
            if (shape.nested) c.reply().arrayHeader(2);
            c.reply().bulk(b, off, len);
            c.reply().doubleValue(score);
        });
        SortedSetCommands.removed(c, z, key, max ? "zpopmax" : "zpopmin");
        if (shape.emitKey) {
            // As Redis: blocking pops and ZMPOP are logged as the plain pop that happened.
            byte[] name = CommandContext.ascii(max ? "ZPOPMAX" : "ZPOPMIN");
            if (shape.nested) c.propagateAs(name, c.arg(key), Numbers.toBytes(n));
            else c.propagateAs(name, c.arg(key));
        }
    }

    /**
     * Redis's blockingGenericZpopCommand: the timeout is read first, then the first non-empty
     * key is popped; with none, the client blocks on all the keys (inside MULTI it gets the
     * timeout reply at once). While the node re-runs the command to serve the client, a key of
     * another type does not answer WRONGTYPE: Redis 7.0 keeps such a client blocked.
     */
    private static void blockingPop(CommandContext c, int[] keys, boolean max, int timeoutArg, long count, Shape shape) {
        long timeoutMs = BlockingTimeout.seconds(c, timeoutArg);
        boolean serving = c.serving() != null;
        for (int k : keys) {
            SortedSetValue z;
            try {
                z = c.writeValue(k, SortedSetValue.class);
            } catch (RedisError wrongType) {
                if (serving) continue;
                throw wrongType;
            }
            if (z == null) continue;
            popFrom(c, z, k, max, count, shape);
            return;
        }
        if (!c.mayBlock()) {
            c.reply().nullArray();
            return;
        }
        c.block(timeoutMs, CommandContext.TimeoutReply.NULL_ARRAY, keys);
    }
}
