package io.moon.node.command;

import io.moon.node.store.SortedSetValue;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ZRANDMEMBER key [count [WITHSCORES]] (Redis's zrandmemberCommand): one member; or, with a
 * count, up to count distinct members (positive count) or count members drawn independently
 * (negative count, repetitions allowed, in random order). Every draw is uniform: a random rank.
 */
final class ZsetRandom {
    private ZsetRandom() {}

    /** Redis's ZRANDMEMBER_SUB_STRATEGY_MUL: above this share of the set, pick who stays out instead. */
    private static final int SUB_STRATEGY_MUL = 3;
    /**
     * A reply this large would take the node's memory down; Redis relies on client output limits
     * there (off by default for normal clients), Moon refuses it before writing anything.
     */
    private static final long MAX_REPLY_BYTES = 1L << 30;

    static void zrandmember(CommandContext c) {
        if (c.argc() >= 3) {
            long l = c.longArg(2);
            if (l == Long.MIN_VALUE) {
                throw new RedisError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
            }
            if (c.argc() > 4 || (c.argc() == 4 && !c.is(3, "withscores"))) throw RedisError.syntax();
            boolean withScores = c.argc() == 4;
            if (withScores && (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2)) {
                throw new RedisError(SortedSetCommands.OUT_OF_RANGE);
            }
            withCount(c, l, withScores);
            return;
        }
        SortedSetValue z = c.readValue(1, SortedSetValue.class);
        if (z == null) {
            c.reply().nullBulk();
            return;
        }
        z.random(ThreadLocalRandom.current(), (b, off, len, s) -> c.reply().bulk(b, off, len));
    }

    private static void withCount(CommandContext c, long l, boolean withScores) {
        SortedSetValue z = c.readValue(1, SortedSetValue.class);
        if (z == null) {
            c.reply().emptyArray();
            return;
        }
        long size = z.size();
        boolean unique = l >= 0;
        long count = unique ? l : -l;
        if (count == 0) {
            c.reply().emptyArray();
            return;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        SortedSetValue.Visitor out = (b, off, len, s) -> SortedSetCommands.replyElement(c, b, off, len, s, withScores);
        if (!unique || count == 1) {
            if (count > MAX_REPLY_BYTES / 16) throw new RedisError(SortedSetCommands.OUT_OF_RANGE);
            SortedSetCommands.replyRangeHeader(c, count, withScores);
            for (long i = 0; i < count; i++) z.random(rnd, out);
            return;
        }
        if (count >= size) { // the whole set, highest first as Redis's zuiNext walks it
            SortedSetCommands.replyRangeHeader(c, size, withScores);
            z.range(0, size - 1, true, out);
            return;
        }
        SortedSetCommands.replyRangeHeader(c, count, withScores);
        if (count * SUB_STRATEGY_MUL > size) {
            // Close to the whole set: drop random members until count remain.
            BitSet dropped = new BitSet((int) size);
            for (long left = size; left > count; ) {
                int r = rnd.nextInt((int) size);
                if (!dropped.get(r)) {
                    dropped.set(r);
                    left--;
                }
            }
            List<Integer> kept = new ArrayList<>((int) count);
            for (int r = dropped.nextClearBit(0); r < size; r = dropped.nextClearBit(r + 1)) kept.add(r);
            java.util.Collections.shuffle(kept, rnd);
            for (int r : kept) z.at(r, out);
            return;
        }
        Set<Long> picked = new HashSet<>();
        while (picked.size() < count) {
            long r = rnd.nextLong(size);
            if (picked.add(r)) z.at(r, out);
        }
    }
}
