package io.moon.node.command;

import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.MemberSet;
import io.moon.node.store.SortedSetValue;
import io.moon.node.store.TypedValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (Redis's
 * zunionInterDiffGenericCommand). Inputs may be sorted sets or plain sets (members score 1);
 * missing keys are empty. The keys may live on different shards: each is read through its
 * argument, so this runs the same whether it holds one shard or several.
 */
final class ZsetAlgebra {
    private ZsetAlgebra() {}

    static final String WEIGHT_NOT_FLOAT = "ERR weight value is not a float";
    static final String LIMIT_NEGATIVE = "ERR LIMIT can't be negative";

    enum Op { UNION, INTER, DIFF }

    private enum Aggregate { SUM, MIN, MAX }

    /** One input: a sorted set, a plain set, or nothing (a missing key), with its weight. */
    private static final class Source {
        final SortedSetValue zset;
        final MemberSet set;
        double weight = 1;

        Source(Object value) {
            this.zset = value instanceof SortedSetValue z ? z : null;
            this.set = value instanceof MemberSet s ? s : null;
        }

        Object value() { return zset != null ? zset : set; }

        int size() { return zset != null ? zset.size() : set != null ? set.size() : 0; }

        void forEach(SortedSetValue.Visitor v) {
            if (zset != null) zset.forEach(v);
            else if (set != null) set.forEachMember((b, off, len) -> v.visit(b, off, len, 1.0));
        }

        /** The member's score here (1 in a plain set), or NaN when it is absent. */
        double find(byte[] b, int off, int len) {
            if (zset != null) return zset.score(b, off, len);
            return set != null && set.contains(b, off, len) ? 1.0 : Double.NaN;
        }
    }

    /**
     * {@code dst}: the destination argument (the STORE forms) or -1; {@code numkeysArg}: where the
     * key count is; {@code cardinalityOnly}: ZINTERCARD.
     */
    static void run(CommandContext c, int dst, int numkeysArg, Op op, boolean cardinalityOnly) {
        long setnum = c.longArg(numkeysArg);
        if (setnum < 1) {
            throw new RedisError("ERR at least 1 input key is needed for '" + c.spec().fullName() + "' command");
        }
        if (setnum > c.argc() - (numkeysArg + 1)) throw RedisError.syntax();
        List<Source> src = new ArrayList<>((int) setnum);
        int j = numkeysArg + 1;
        for (int i = 0; i < setnum; i++, j++) src.add(new Source(input(c, j)));

        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        while (j < c.argc()) {
            int remaining = c.argc() - j;
            if (op != Op.DIFF && !cardinalityOnly && remaining >= setnum + 1 && c.is(j, "weights")) {
                j++;
                for (Source s : src) {
                    double w = Strtod.whole(c.buf(), c.off(j), c.len(j));
                    if (Double.isNaN(w)) throw new RedisError(WEIGHT_NOT_FLOAT);
                    s.weight = w;
                    j++;
                }
            } else if (op != Op.DIFF && !cardinalityOnly && remaining >= 2 && c.is(j, "aggregate")) {
                if (c.is(j + 1, "sum")) aggregate = Aggregate.SUM;
                else if (c.is(j + 1, "min")) aggregate = Aggregate.MIN;
                else if (c.is(j + 1, "max")) aggregate = Aggregate.MAX;
                else throw RedisError.syntax();
                j += 2;
            } else if (dst < 0 && !cardinalityOnly && c.is(j, "withscores")) {
                withScores = true;
                j++;
            } else if (cardinalityOnly && remaining >= 2 && c.is(j, "limit")) {
                limit = SortedSetCommands.rangeLong(c, j + 1, 0, Long.MAX_VALUE, LIMIT_NEGATIVE);
                j += 2;
            } else {
                throw RedisError.syntax();
            }
        }
        // Smallest first: an intersection then probes the others only with what the smallest has.
        if (op != Op.DIFF) src.sort(Comparator.comparingInt(Source::size));

        if (cardinalityOnly) {
            long[] n = {0};
            inter(src, aggregate, limit, (b, off, len, s) -> n[0]++);
            c.reply().integer(n[0]);
            return;
        }
        SortedSetValue result = SortedSetValue.large();
        SortedSetValue.Limits limits = SortedSetCommands.limits(c);
        switch (op) {
            case INTER -> inter(src, aggregate, 0, (b, off, len, s) -> result.add(s, b, off, len, 0, limits));
            case UNION -> union(src, aggregate, result, limits);
            case DIFF -> diff(src, result, limits);
        }
        if (dst >= 0) store(c, dst, op, result, limits);
        else reply(c, result, withScores);
    }

    /** A source key's value: a sorted set, a plain set, or null; WRONGTYPE for anything else. */
    private static Object input(CommandContext c, int i) {
        TypedValue v = c.readValue(i, TypedValue.class);
        if (v == null || v instanceof SortedSetValue || (v instanceof MemberSet && v.typeName().equals("set"))) return v;
        throw RedisError.wrongType();
    }

    /** Redis's zunionInterAggregate: a sum of +inf and -inf is 0, as Redis keeps it. */
    private static double aggregate(double target, double value, Aggregate how) {
        return switch (how) {
            case SUM -> {
                double s = target + value;
                yield Double.isNaN(s) ? 0.0 : s;
            }
            case MIN -> value < target ? value : target;
            case MAX -> value > target ? value : target;
        };
    }

    /** Members of every source, walking the smallest; stops after {@code limit} results when it is positive. */
    private static void inter(List<Source> src, Aggregate how, long limit, SortedSetValue.Visitor out) {
        Source first = src.get(0);
        if (first.size() == 0) return;
        long[] found = {0};
        // A walk cannot stop early, so past the limit the remaining members are skipped.
        first.forEach((b, off, len, s) -> {
            if (limit > 0 && found[0] >= limit) return;
            double score = first.weight * s;
            if (Double.isNaN(score)) score = 0;
            for (int j = 1; j < src.size(); j++) {
                Source other = src.get(j);
                double value;
                if (other.value() == first.value()) {
                    value = s * other.weight;
                } else {
                    double found2 = other.find(b, off, len);
                    if (Double.isNaN(found2)) return;
                    value = found2 * other.weight;
                }
                score = aggregate(score, value, how);
            }
            found[0]++;
            out.visit(b, off, len, score);
        });
    }

    /** Every member of any source, its scores aggregated in source order. */
    private static void union(List<Source> src, Aggregate how, SortedSetValue result, SortedSetValue.Limits limits) {
        for (Source source : src) {
            if (source.size() == 0) continue;
            source.forEach((b, off, len, s) -> {
                double score = source.weight * s;
                if (Double.isNaN(score)) score = 0;
                double current = result.score(b, off, len);
                result.add(Double.isNaN(current) ? score : aggregate(current, score, how), b, off, len, 0, limits);
            });
        }
    }

    /** Members of the first source found in no other, with their own scores (weights do not apply). */
    private static void diff(List<Source> src, SortedSetValue result, SortedSetValue.Limits limits) {
        Source first = src.get(0);
        if (first.size() == 0) return;
        for (int j = 1; j < src.size(); j++) if (src.get(j).value() == first.value()) return; // minus itself
        first.forEach((b, off, len, s) -> {
            for (int j = 1; j < src.size(); j++) if (!Double.isNaN(src.get(j).find(b, off, len))) return;
            result.add(s, b, off, len, 0, limits);
        });
    }

    private static void store(CommandContext c, int dst, Op op, SortedSetValue result, SortedSetValue.Limits limits) {
        if (result.size() > 0) {
            result.compactIfSmall(limits);
            c.storeValue(dst, result);
            c.reply().integer(result.size());
            c.notify(KeyspaceEvents.ZSET, switch (op) {
                case UNION -> "zunionstore";
                case INTER -> "zinterstore";
                case DIFF -> "zdiffstore";
            }, dst);
        } else {
            c.reply().integer(0);
            if (c.db(dst).delete(c.buf(), c.off(dst), c.len(dst)) != null) c.notify(KeyspaceEvents.GENERIC, "del", dst);
        }
    }

    private static void reply(CommandContext c, SortedSetValue result, boolean withScores) {
        SortedSetCommands.replyRangeHeader(c, result.size(), withScores);
        result.forEach((b, off, len, s) -> SortedSetCommands.replyElement(c, b, off, len, s, withScores));
    }
}
