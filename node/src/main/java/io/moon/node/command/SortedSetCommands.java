package io.moon.node.command;

import io.moon.node.protocol.CommandBuffer;
import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.LexRange;
import io.moon.node.store.ScoreRange;
import io.moon.node.store.SortedSetValue;
import io.moon.node.util.Glob;
import java.util.ArrayList;
import java.util.List;

/**
 * The sorted-set family (Redis 7.0's t_zset.c). This class holds the command rows and the
 * single-key commands; ranges are in {@link ZsetRange}, set algebra in {@link ZsetAlgebra},
 * pops (blocking too) in {@link ZsetPop}. Handlers keep Redis's order: parse and check every
 * argument, look up (WRONGTYPE), change, reply, then keyspace events. They reach data only
 * through {@link SortedSetValue} and never branch on its encoding.
 */
public final class SortedSetCommands {
    private SortedSetCommands() {}

    static final String NAN_SCORE = "ERR resulting score is not a number (NaN)";
    static final String XX_AND_NX = "ERR XX and NX options at the same time are not compatible";
    static final String GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible";
    static final String INCR_ONE_PAIR = "ERR INCR option supports a single increment-element pair";
    static final String OUT_OF_RANGE = "ERR value is out of range";
    static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";

    private static final String LOG_N = "O(log(N)) where N is the number of elements in the sorted set.";
    private static final String RANGE_COMPLEXITY = "O(log(N)+M) with N being the number of elements in the sorted set"
            + " and M the number of elements returned.";
    private static final String BY_RANGE_COMPLEXITY = "O(log(N)+M) with N being the number of elements in the sorted"
            + " set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10"
            + " elements with LIMIT), you can consider it O(log(N)).";
    private static final String REMOVE_RANGE_COMPLEXITY = "O(log(N)+M) with N being the number of elements in the"
            + " sorted set and M the number of elements removed by the operation.";
    private static final String POP_COMPLEXITY = "O(K) + O(M*log(N)) where K is the number of provided keys, N being"
            + " the number of elements in the sorted set, and M being the number of elements popped.";
    private static final String UNION_COMPLEXITY = "O(N)+O(M*log(M)) with N being the sum of the sizes of the input"
            + " sorted sets, and M being the number of elements in the resulting sorted set.";
    private static final String INTER_COMPLEXITY = "O(N*K)+O(M*log(M)) worst case with N being the smallest input"
            + " sorted set, K being the number of input sorted sets and M being the number of elements in the resulting"
            + " sorted set.";
    private static final String DIFF_COMPLEXITY = "O(L + (N-K)log(N)) worst case where L is the total number of"
            + " elements in all the sets, N is the size of the first set, and K is the size of the result set.";

    static void register(CommandTable t) {
        t.add(new CommandSpec("zadd", -4, "write denyoom fast", 1, 1, 1, "@sortedset", c -> zaddGeneric(c, 0))
                .keyFlags("RW update")
                .doc("sorted_set", "1.2.0", "Add one or more members to a sorted set, or update its score if it already exists")
                .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set."));
        t.add(new CommandSpec("zincrby", 4, "write denyoom fast", 1, 1, 1, "@sortedset",
                c -> zaddGeneric(c, SortedSetValue.INCR))
                .keyFlags("RW access update")
                .doc("sorted_set", "1.2.0", "Increment the score of a member in a sorted set").complexity(LOG_N));
        t.add(new CommandSpec("zrem", -3, "write fast", 1, 1, 1, "@sortedset", SortedSetCommands::zrem)
                .keyFlags("RW delete")
                .doc("sorted_set", "1.2.0", "Remove one or more members from a sorted set")
                .complexity("O(M*log(N)) with N being the number of elements in the sorted set and M the number of"
                        + " elements to be removed."));
        t.add(new CommandSpec("zcard", 2, "readonly fast", 1, 1, 1, "@sortedset", SortedSetCommands::zcard)
                .keyFlags("RO")
                .doc("sorted_set", "1.2.0", "Get the number of members in a sorted set").complexity("O(1)"));
        t.add(new CommandSpec("zcount", 4, "readonly fast", 1, 1, 1, "@sortedset", SortedSetCommands::zcount)
                .keyFlags("RO access")
                .doc("sorted_set", "2.0.0", "Count the members in a sorted set with scores within the given values")
                .complexity("O(log(N)) with N being the number of elements in the sorted set."));
        t.add(new CommandSpec("zlexcount", 4, "readonly fast", 1, 1, 1, "@sortedset", SortedSetCommands::zlexcount)
                .keyFlags("RO access")
                .doc("sorted_set", "2.8.9", "Count the number of members in a sorted set between a given lexicographical range")
                .complexity("O(log(N)) with N being the number of elements in the sorted set."));
        t.add(new CommandSpec("zscore", 3, "readonly fast", 1, 1, 1, "@sortedset", SortedSetCommands::zscore)
                .keyFlags("RO access")
                .doc("sorted_set", "1.2.0", "Get the score associated with the given member in a sorted set")
                .complexity("O(1)"));
        t.add(new CommandSpec("zmscore", -3, "readonly fast", 1, 1, 1, "@sortedset", SortedSetCommands::zmscore)
                .keyFlags("RO access")
                .doc("sorted_set", "6.2.0", "Get the score associated with the given members in a sorted set")
                .complexity("O(N) where N is the number of members being requested."));
        t.add(new CommandSpec("zrank", 3, "readonly fast", 1, 1, 1, "@sortedset", c -> zrank(c, false))
                .keyFlags("RO access")
                .doc("sorted_set", "2.0.0", "Determine the index of a member in a sorted set").complexity("O(log(N))"));
        t.add(new CommandSpec("zrevrank", 3, "readonly fast", 1, 1, 1, "@sortedset", c -> zrank(c, true))
                .keyFlags("RO access")
                .doc("sorted_set", "2.0.0", "Determine the index of a member in a sorted set, with scores ordered from high to low")
                .complexity("O(log(N))"));
        registerRanges(t);
        t.add(new CommandSpec("zremrangebyrank", 4, "write", 1, 1, 1, "@sortedset", c -> zremrange(c, Kind.RANK))
                .keyFlags("RW delete")
                .doc("sorted_set", "2.0.0", "Remove all members in a sorted set within the given indexes")
                .complexity(REMOVE_RANGE_COMPLEXITY));
        t.add(new CommandSpec("zremrangebyscore", 4, "write", 1, 1, 1, "@sortedset", c -> zremrange(c, Kind.SCORE))
                .keyFlags("RW delete")
                .doc("sorted_set", "1.2.0", "Remove all members in a sorted set within the given scores")
                .complexity(REMOVE_RANGE_COMPLEXITY));
        t.add(new CommandSpec("zremrangebylex", 4, "write", 1, 1, 1, "@sortedset", c -> zremrange(c, Kind.LEX))
                .keyFlags("RW delete")
                .doc("sorted_set", "2.8.9", "Remove all members in a sorted set between the given lexicographical range")
                .complexity(REMOVE_RANGE_COMPLEXITY));
        registerAlgebra(t);
        registerPops(t);
        t.add(new CommandSpec("zrandmember", -2, "readonly", 1, 1, 1, "@sortedset", ZsetRandom::zrandmember)
                .keyFlags("RO access").tips("nondeterministic_output")
                .doc("sorted_set", "6.2.0", "Get one or multiple random elements from a sorted set")
                .complexity("O(N) where N is the number of elements returned"));
        t.add(new CommandSpec("zscan", -3, "readonly", 1, 1, 1, "@sortedset", SortedSetCommands::zscan)
                .keyFlags("RO access").tips("nondeterministic_output")
                .doc("sorted_set", "2.8.0", "Incrementally iterate sorted sets elements and associated scores")
                .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for"
                        + " the cursor to return back to 0. N is the number of elements inside the collection.."));
    }

    private static void registerRanges(CommandTable t) {
        t.add(new CommandSpec("zrange", -4, "readonly", 1, 1, 1, "@sortedset",
                c -> ZsetRange.zrange(c, 1, false, ZsetRange.Type.AUTO, ZsetRange.Direction.AUTO))
                .keyFlags("RO access")
                .doc("sorted_set", "1.2.0", "Return a range of members in a sorted set")
                .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of"
                        + " elements returned."));
        t.add(new CommandSpec("zrangestore", -5, "write denyoom", 1, 2, 1, "@sortedset",
                c -> ZsetRange.zrange(c, 2, true, ZsetRange.Type.AUTO, ZsetRange.Direction.AUTO))
                .keySpecs(KeySpec.range("OW update", 1, 0, 1), KeySpec.range("RO access", 2, 0, 1))
                .doc("sorted_set", "6.2.0", "Store a range of members from sorted set into another key")
                .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of"
                        + " elements stored into the destination key."));
        t.add(new CommandSpec("zrevrange", -4, "readonly", 1, 1, 1, "@sortedset",
                c -> ZsetRange.zrange(c, 1, false, ZsetRange.Type.RANK, ZsetRange.Direction.REVERSE))
                .keyFlags("RO access")
                .doc("sorted_set", "1.2.0", "Return a range of members in a sorted set, by index, with scores ordered from high to low")
                .complexity(RANGE_COMPLEXITY));
        t.add(new CommandSpec("zrangebyscore", -4, "readonly", 1, 1, 1, "@sortedset",
                c -> ZsetRange.zrange(c, 1, false, ZsetRange.Type.SCORE, ZsetRange.Direction.FORWARD))
                .keyFlags("RO access")
                .doc("sorted_set", "1.0.5", "Return a range of members in a sorted set, by score")
                .complexity(BY_RANGE_COMPLEXITY));
        t.add(new CommandSpec("zrevrangebyscore", -4, "readonly", 1, 1, 1, "@sortedset",
                c -> ZsetRange.zrange(c, 1, false, ZsetRange.Type.SCORE, ZsetRange.Direction.REVERSE))
                .keyFlags("RO access")
                .doc("sorted_set", "2.2.0", "Return a range of members in a sorted set, by score, with scores ordered from high to low")
                .complexity(BY_RANGE_COMPLEXITY));
        t.add(new CommandSpec("zrangebylex", -4, "readonly", 1, 1, 1, "@sortedset",
                c -> ZsetRange.zrange(c, 1, false, ZsetRange.Type.LEX, ZsetRange.Direction.FORWARD))
                .keyFlags("RO access")
                .doc("sorted_set", "2.8.9", "Return a range of members in a sorted set, by lexicographical range")
                .complexity(BY_RANGE_COMPLEXITY));
        t.add(new CommandSpec("zrevrangebylex", -4, "readonly", 1, 1, 1, "@sortedset",
                c -> ZsetRange.zrange(c, 1, false, ZsetRange.Type.LEX, ZsetRange.Direction.REVERSE))
                .keyFlags("RO access")
                .doc("sorted_set", "2.8.9", "Return a range of members in a sorted set, by lexicographical range, ordered from"
                        + " higher to lower strings.")
                .complexity(BY_RANGE_COMPLEXITY));
    }

    private static void registerAlgebra(CommandTable t) {
        KeySpec sources = KeySpec.keynum("RO access", 1, 0, 1, 1);
        KeySpec destination = KeySpec.range("OW update", 1, 0, 1);
        KeySpec storeSources = KeySpec.keynum("RO access", 2, 0, 1, 1);
        t.add(new CommandSpec("zunion", -3, "readonly", 0, 0, 0, "@sortedset",
                c -> ZsetAlgebra.run(c, -1, 1, ZsetAlgebra.Op.UNION, false))
                .keys(KeyFinder.numkeys(1)).keySpecs(sources)
                .doc("sorted_set", "6.2.0", "Add multiple sorted sets").complexity(UNION_COMPLEXITY));
        t.add(new CommandSpec("zinter", -3, "readonly", 0, 0, 0, "@sortedset",
                c -> ZsetAlgebra.run(c, -1, 1, ZsetAlgebra.Op.INTER, false))
                .keys(KeyFinder.numkeys(1)).keySpecs(sources)
                .doc("sorted_set", "6.2.0", "Intersect multiple sorted sets").complexity(INTER_COMPLEXITY));
        t.add(new CommandSpec("zintercard", -3, "readonly", 0, 0, 0, "@sortedset",
                c -> ZsetAlgebra.run(c, -1, 1, ZsetAlgebra.Op.INTER, true))
                .keys(KeyFinder.numkeys(1)).keySpecs(sources)
                .doc("sorted_set", "7.0.0", "Intersect multiple sorted sets and return the cardinality of the result")
                .complexity("O(N*K) worst case with N being the smallest input sorted set, K being the number of input"
                        + " sorted sets."));
        t.add(new CommandSpec("zdiff", -3, "readonly", 0, 0, 0, "@sortedset",
                c -> ZsetAlgebra.run(c, -1, 1, ZsetAlgebra.Op.DIFF, false))
                .keys(KeyFinder.numkeys(1)).keySpecs(sources)
                .doc("sorted_set", "6.2.0", "Subtract multiple sorted sets").complexity(DIFF_COMPLEXITY));
        t.add(new CommandSpec("zunionstore", -4, "write denyoom", 1, 1, 1, "@sortedset",
                c -> ZsetAlgebra.run(c, 1, 2, ZsetAlgebra.Op.UNION, false))
                .keys(destinationAndNumkeys(2)).keySpecs(destination, storeSources)
                .doc("sorted_set", "2.0.0", "Add multiple sorted sets and store the resulting sorted set in a new key")
                .complexity("O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being"
                        + " the number of elements in the resulting sorted set."));
        t.add(new CommandSpec("zinterstore", -4, "write denyoom", 1, 1, 1, "@sortedset",
                c -> ZsetAlgebra.run(c, 1, 2, ZsetAlgebra.Op.INTER, false))
                .keys(destinationAndNumkeys(2)).keySpecs(destination, storeSources)
                .doc("sorted_set", "2.0.0", "Intersect multiple sorted sets and store the resulting sorted set in a new key")
                .complexity(INTER_COMPLEXITY));
        t.add(new CommandSpec("zdiffstore", -4, "write denyoom", 1, 1, 1, "@sortedset",
                c -> ZsetAlgebra.run(c, 1, 2, ZsetAlgebra.Op.DIFF, false))
                .keys(destinationAndNumkeys(2)).keySpecs(destination, storeSources)
                .doc("sorted_set", "6.2.0", "Subtract multiple sorted sets and store the resulting sorted set in a new key")
                .complexity(DIFF_COMPLEXITY));
    }

    private static void registerPops(CommandTable t) {
        t.add(new CommandSpec("zpopmin", -2, "write fast", 1, 1, 1, "@sortedset", c -> ZsetPop.zpop(c, false))
                .keyFlags("RW access delete")
                .doc("sorted_set", "5.0.0", "Remove and return members with the lowest scores in a sorted set")
                .complexity("O(log(N)*M) with N being the number of elements in the sorted set, and M being the number"
                        + " of elements popped."));
        t.add(new CommandSpec("zpopmax", -2, "write fast", 1, 1, 1, "@sortedset", c -> ZsetPop.zpop(c, true))
                .keyFlags("RW access delete")
                .doc("sorted_set", "5.0.0", "Remove and return members with the highest scores in a sorted set")
                .complexity("O(log(N)*M) with N being the number of elements in the sorted set, and M being the number"
                        + " of elements popped."));
        t.add(new CommandSpec("zmpop", -4, "write", 0, 0, 0, "@sortedset", c -> ZsetPop.zmpop(c, 1, false))
                .keys(KeyFinder.numkeys(1)).keySpecs(KeySpec.keynum("RW access delete", 1, 0, 1, 1))
                .doc("sorted_set", "7.0.0", "Remove and return members with scores in a sorted set")
                .complexity(POP_COMPLEXITY));
        t.add(new CommandSpec("bzpopmin", -3, "write noscript fast blocking", 1, -2, 1, "@sortedset",
                c -> ZsetPop.bzpop(c, false))
                .keyFlags("RW access delete")
                .doc("sorted_set", "5.0.0", "Remove and return the member with the lowest score from one or more sorted"
                        + " sets, or block until one is available")
                .complexity("O(log(N)) with N being the number of elements in the sorted set."));
        t.add(new CommandSpec("bzpopmax", -3, "write noscript fast blocking", 1, -2, 1, "@sortedset",
                c -> ZsetPop.bzpop(c, true))
                .keyFlags("RW access delete")
                .doc("sorted_set", "5.0.0", "Remove and return the member with the highest score from one or more sorted"
                        + " sets, or block until one is available")
                .complexity("O(log(N)) with N being the number of elements in the sorted set."));
        t.add(new CommandSpec("bzmpop", -5, "write blocking", 0, 0, 0, "@sortedset", c -> ZsetPop.zmpop(c, 2, true))
                .keys(KeyFinder.numkeys(2)).keySpecs(KeySpec.keynum("RW access delete", 2, 0, 1, 1))
                .doc("sorted_set", "7.0.0", "Remove and return members with scores in a sorted set or block until one is"
                        + " available")
                .complexity(POP_COMPLEXITY));
    }

    /**
     * Keys of ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE: the destination, then the sources counted by
     * the argument at {@code countArg} ({@link KeyFinder#numkeys}); a bad count finds only the
     * destination and the handler answers the error.
     */
    static KeyFinder destinationAndNumkeys(int countArg) {
        KeyFinder sources = KeyFinder.numkeys(countArg);
        return (CommandBuffer args, int fa, int argc, int[] out) -> {
            int[] found = new int[Math.max(0, out.length - 1)];
            int n = sources.find(args, fa, argc, found);
            if (n > found.length) return n + 1; // ask for a bigger array
            if (out.length > 0) out[0] = 1;
            System.arraycopy(found, 0, out, 1, n);
            return n + 1;
        };
    }

    // ---------------------------------------------------------------- shared helpers

    /** zset-max-listpack-entries/value, as the node's settings hold them now. */
    static SortedSetValue.Limits limits(CommandContext c) { return c.node().config().zsetLimits(); }

    /** Redis's getRangeLongFromObjectOrReply: an integer within [min, max], else {@code error}. */
    static long rangeLong(CommandContext c, int i, long min, long max, String error) {
        long v = c.longArg(i, error);
        if (v < min || v > max) throw new RedisError(error);
        return v;
    }

    /** Writes one element of a range reply: [member, score] pairs are nested arrays in RESP3. */
    static void replyElement(CommandContext c, byte[] b, int off, int len, double score, boolean withScores) {
        if (withScores && c.reply().resp3()) c.reply().arrayHeader(2);
        c.reply().bulk(b, off, len);
        if (withScores) c.reply().doubleValue(score);
    }

    /** Header of a range reply of n elements: a flat array of pairs in RESP2, nested pairs in RESP3. */
    static void replyRangeHeader(CommandContext c, long n, boolean withScores) {
        c.reply().arrayHeader(withScores && !c.reply().resp3() ? n * 2 : n);
    }

    // ---------------------------------------------------------------- ZADD, ZINCRBY, ZREM

    /** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...], and ZINCRBY (INCR). */
    static void zaddGeneric(CommandContext c, int flags) {
        int scoreIdx = 2;
        boolean ch = false;
        for (; scoreIdx < c.argc(); scoreIdx++) {
            if (c.is(scoreIdx, "nx")) flags |= SortedSetValue.NX;
            else if (c.is(scoreIdx, "xx")) flags |= SortedSetValue.XX;
            else if (c.is(scoreIdx, "ch")) ch = true;
            else if (c.is(scoreIdx, "incr")) flags |= SortedSetValue.INCR;
            else if (c.is(scoreIdx, "gt")) flags |= SortedSetValue.GT;
            else if (c.is(scoreIdx, "lt")) flags |= SortedSetValue.LT;
            else break;
        }
        boolean incr = (flags & SortedSetValue.INCR) != 0, nx = (flags & SortedSetValue.NX) != 0;
        boolean xx = (flags & SortedSetValue.XX) != 0, gt = (flags & SortedSetValue.GT) != 0;
        boolean lt = (flags & SortedSetValue.LT) != 0;
        int elements = c.argc() - scoreIdx;
        if (elements % 2 != 0 || elements == 0) throw RedisError.syntax();
        elements /= 2;
        if (nx && xx) throw new RedisError(XX_AND_NX);
        if ((gt && nx) || (lt && nx) || (gt && lt)) throw new RedisError(GT_LT_NX);
        if (incr && elements > 1) throw new RedisError(INCR_ONE_PAIR);
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) scores[j] = score(c, scoreIdx + j * 2);

        SortedSetValue.Limits limits = limits(c);
        SortedSetValue z = c.writeValue(1, SortedSetValue.class);
        boolean created = false;
        if (z == null) {
            if (xx) { // no key and XX: nothing to do
                if (incr) c.reply().nullBulk();
                else c.reply().integer(0);
                return;
            }
            z = SortedSetValue.forFirstMember(limits, c.len(scoreIdx + 1));
            created = true;
        }
        int added = 0, updated = 0, processed = 0;
        for (int j = 0; j < elements; j++) {
            int m = scoreIdx + 1 + j * 2;
            int r = z.add(scores[j], c.buf(), c.off(m), c.len(m), flags, limits);
            if ((r & SortedSetValue.NAN) != 0) throw new RedisError(NAN_SCORE); // only INCR of one pair: nothing changed
            if ((r & SortedSetValue.ADDED) != 0) added++;
            if ((r & SortedSetValue.UPDATED) != 0) updated++;
            if ((r & SortedSetValue.NOP) == 0) processed++;
        }
        if (created) c.storeValue(1, z);
        else if (added + updated > 0) c.valueChanged(1);
        if (incr) {
            int m = scoreIdx + 1;
            if (processed > 0) c.reply().doubleValue(z.score(c.buf(), c.off(m), c.len(m)));
            else c.reply().nullBulk();
        } else {
            c.reply().integer(ch ? added + updated : added);
        }
        if (added + updated > 0) c.notify(KeyspaceEvents.ZSET, incr ? "zincr" : "zadd", 1);
    }

    /** A score argument as Redis's getDoubleFromObject reads it. */
    static double score(CommandContext c, int i) {
        double d = Strtod.whole(c.buf(), c.off(i), c.len(i));
        if (Double.isNaN(d)) throw new RedisError(RedisError.NOT_FLOAT);
        return d;
    }

    static void zrem(CommandContext c) {
        SortedSetValue z = c.writeValue(1, SortedSetValue.class);
        if (z == null) {
            c.reply().integer(0);
            return;
        }
        int deleted = 0;
        for (int j = 2; j < c.argc(); j++) {
            if (z.remove(c.buf(), c.off(j), c.len(j))) deleted++;
            if (z.isEmpty()) break;
        }
        if (deleted > 0) removed(c, z, 1, "zrem");
        c.reply().integer(deleted);
    }

    /**
     * After elements were removed from the set at argument i: the event, "del" when the set is
     * now gone, and the change recorded (which deletes the emptied key).
     */
    static void removed(CommandContext c, SortedSetValue z, int i, String event) {
        boolean gone = z.isEmpty();
        c.valueChanged(i);
        c.notify(KeyspaceEvents.ZSET, event, i);
        if (gone) c.notify(KeyspaceEvents.GENERIC, "del", i);
    }

    // ---------------------------------------------------------------- reads

    static void zcard(CommandContext c) {
        SortedSetValue z = c.readValue(1, SortedSetValue.class);
        c.reply().integer(z == null ? 0 : z.size());
    }

    static void zscore(CommandContext c) {
        SortedSetValue z = c.readValue(1, SortedSetValue.class);
        double s = z == null ? Double.NaN : z.score(c.buf(), c.off(2), c.len(2));
        if (Double.isNaN(s)) c.reply().nullBulk();
        else c.reply().doubleValue(s);
    }

    /** ZMSCORE: a missing key is an empty set, so every member is nil. */
    static void zmscore(CommandContext c) {
        SortedSetValue z = c.readValue(1, SortedSetValue.class);
        c.reply().arrayHeader(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            double s = z == null ? Double.NaN : z.score(c.buf(), c.off(j), c.len(j));
            if (Double.isNaN(s)) c.reply().nullBulk();
            else c.reply().doubleValue(s);
        }
    }

    static void zrank(CommandContext c, boolean reverse) {
        SortedSetValue z = c.readValue(1, SortedSetValue.class);
        long r = z == null ? -1 : z.rank(c.buf(), c.off(2), c.len(2), reverse);
        if (r < 0) c.reply().nullBulk();
        else c.reply().integer(r);
    }

    static void zcount(CommandContext c) {
        ScoreRange r = ZsetRanges.score(c, 2, 3);
        SortedSetValue z = c.readValue(1, SortedSetValue.class);
        c.reply().integer(z == null ? 0 : z.count(r));
    }

    static void zlexcount(CommandContext c) {
        LexRange r = ZsetRanges.lex(c, 2, 3);
        SortedSetValue z = c.readValue(1, SortedSetValue.class);
        c.reply().integer(z == null ? 0 : z.lexCount(r));
    }

    // ---------------------------------------------------------------- ZREMRANGEBY*

    enum Kind { RANK, SCORE, LEX }

    /** ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX (Redis's zremrangeGenericCommand). */
    static void zremrange(CommandContext c, Kind kind) {
        long start = 0, end = 0;
        ScoreRange scores = null;
        LexRange lex = null;
        switch (kind) {
            case RANK -> {
                start = c.longArg(2);
                end = c.longArg(3);
            }
            case SCORE -> scores = ZsetRanges.score(c, 2, 3);
            case LEX -> lex = ZsetRanges.lex(c, 2, 3);
        }
        SortedSetValue z = c.writeValue(1, SortedSetValue.class);
        if (z == null) {
            c.reply().integer(0);
            return;
        }
        long deleted;
        if (kind == Kind.RANK) {
            long llen = z.size();
            if (start < 0) start = llen + start;
            if (end < 0) end = llen + end;
            if (start < 0) start = 0;
            if (start > end || start >= llen) {
                c.reply().integer(0);
                return;
            }
            if (end >= llen) end = llen - 1;
            deleted = z.removeRange(start, end);
        } else {
            deleted = kind == Kind.SCORE ? z.removeByScore(scores) : z.removeByLex(lex);
        }
        if (deleted > 0) {
            removed(c, z, 1, switch (kind) {
                case RANK -> "zremrangebyrank";
                case SCORE -> "zremrangebyscore";
                case LEX -> "zremrangebylex";
            });
        }
        c.reply().integer(deleted);
    }

    // ---------------------------------------------------------------- ZSCAN

    /** ZSCAN key cursor [MATCH pattern] [COUNT count]; options are read only when the key exists, as Redis. */
    static void zscan(CommandContext c) {
        long cursor = ScanCursor.parse(c.buf(), c.off(2), c.len(2));
        SortedSetValue z = c.readValue(1, SortedSetValue.class);
        if (z == null) {
            c.reply().arrayHeader(2);
            c.reply().bulk("0");
            c.reply().emptyArray();
            return;
        }
        long count = 10;
        byte[] pattern = null;
        for (int i = 3; i < c.argc(); i += 2) {
            boolean hasValue = i + 1 < c.argc();
            if (c.is(i, "count") && hasValue) {
                count = c.longArg(i + 1);
                if (count < 1) throw RedisError.syntax();
            } else if (c.is(i, "match") && hasValue) {
                pattern = c.arg(i + 1);
                if (pattern.length == 1 && pattern[0] == '*') pattern = null;
            } else {
                throw RedisError.syntax();
            }
        }
        List<byte[]> found = new ArrayList<>();
        long next = z.scan(cursor, (int) Math.min(count, Integer.MAX_VALUE), found);
        int kept = found.size();
        if (pattern != null) {
            kept = 0;
            for (int i = 0; i < found.size(); i += 2) {
                byte[] m = found.get(i);
                if (Glob.matches(pattern, 0, pattern.length, m, 0, m.length, false)) {
                    found.set(kept++, m);
                    found.set(kept++, found.get(i + 1));
                }
            }
        }
        c.reply().arrayHeader(2);
        c.reply().bulk(Long.toUnsignedString(next));
        c.reply().arrayHeader(kept);
        for (int i = 0; i < kept; i++) c.reply().bulk(found.get(i));
    }
}
