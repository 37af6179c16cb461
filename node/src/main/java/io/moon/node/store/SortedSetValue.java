package io.moon.node.store;

import io.moon.node.protocol.Doubles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A sorted set (Redis's zset, t_zset.c "sorted set API"): members with scores, ordered by
 * (score, member). Two encodings hide behind this API, with Redis's names: "listpack"
 * ({@link ZsetListpack}, one byte array) while the set is small, and "skiplist"
 * ({@link ZsetIndex}, a member table plus an order-statistic tree) once it outgrows
 * zset-max-listpack-entries or holds a member longer than zset-max-listpack-value.
 *
 * <p>Encoding changes happen only where Redis makes them: {@link #add} converts a listpack that
 * would outgrow the limits (zsetAdd), {@link #compactIfSmall} converts back (Redis's
 * zsetConvertToListpackIfNeeded, after ZUNIONSTORE and friends), and the factories choose the
 * first encoding as Redis's commands do. Nothing converts back on removal, as in Redis.
 *
 * <p>Ranks are 0-based. A {@link Visitor} receives members as slices of arrays it must not keep
 * or change. Not thread-safe: owned by the shard that owns the key.
 */
public final class SortedSetValue implements TypedValue {
    /** zset-max-listpack-entries and zset-max-listpack-value. */
    public record Limits(long maxListpackEntries, long maxListpackValue) {}

    /** Receives one element: the member {@code b[off, off+len)} and its score. */
    @FunctionalInterface
    public interface Visitor {
        void visit(byte[] b, int off, int len, double score);
    }

    /** As {@link Visitor}, but returns false to stop the walk. */
    @FunctionalInterface
    public interface Walker {
        boolean visit(byte[] b, int off, int len, double score);
    }

    /** Flags of {@link #add}, as Redis's ZADD_IN_*. */
    public static final int NX = 1, XX = 1 << 1, GT = 1 << 2, LT = 1 << 3, INCR = 1 << 4;
    /** Results of {@link #add}, as Redis's ZADD_OUT_*: none of them means "same score again". */
    public static final int ADDED = 1, UPDATED = 1 << 1, NOP = 1 << 2, NAN = 1 << 3;

    /** Redis's lpSafeToAdd limit: a listpack never grows past 1 GB, whatever the settings allow. */
    private static final long MAX_LISTPACK_BYTES = 1L << 30;

    /** The listpack encoding when non-null. */
    private byte[] lp;
    private int lpCount;
    /** The skiplist encoding when non-null. */
    private ZsetIndex big;

    private SortedSetValue(boolean listpack) {
        if (listpack) lp = ZsetListpack.EMPTY;
        else big = new ZsetIndex();
    }

    /**
     * An empty set for ZADD (and GEOADD) whose first member has the given length: a listpack
     * unless the limits forbid it from the start (Redis's zaddGenericCommand).
     */
    public static SortedSetValue forFirstMember(Limits l, int memberLength) {
        return new SortedSetValue(l.maxListpackEntries() != 0 && memberLength <= l.maxListpackValue());
    }

    /** An empty set that will receive {@code size} elements (-1: unknown), as ZRANGESTORE creates it. */
    public static SortedSetValue forSize(Limits l, long size) {
        return new SortedSetValue(size <= l.maxListpackEntries());
    }

    /** An empty set in the large encoding (Redis's createZsetObject), to shrink with {@link #compactIfSmall}. */
    public static SortedSetValue large() { return new SortedSetValue(false); }

    /** A listpack, whatever its size: for tests and for loading data encoded that way. */
    public static SortedSetValue compact() { return new SortedSetValue(true); }

    // ---------------------------------------------------------------- TypedValue

    @Override public String typeName() { return "zset"; }

    @Override public String encodingName() { return lp != null ? "listpack" : "skiplist"; }

    @Override public boolean isEmpty() { return size() == 0; }

    @Override
    public long memoryUsage() {
        return Jvm.objectSize(12) + (lp != null ? Jvm.arraySize(lp.length) : big.memory());
    }

    @Override
    public SortedSetValue copy() {
        SortedSetValue c = new SortedSetValue(lp != null);
        if (lp != null) {
            c.lp = lp.clone();
            c.lpCount = lpCount;
        } else {
            c.big = new ZsetIndex(big.size());
            forEach((b, off, len, score) -> c.big.add(score, b, off, len));
        }
        return c;
    }

    // ---------------------------------------------------------------- encodings

    private void convertToLarge() {
        ZsetIndex z = new ZsetIndex(lpCount + 1);
        for (int p = 0; p < lp.length; p = ZsetListpack.next(lp, p)) {
            z.add(ZsetListpack.score(lp, p), lp, ZsetListpack.memberOffset(lp, p), ZsetListpack.memberLength(lp, p));
        }
        big = z;
        lp = null;
        lpCount = 0;
    }

    /**
     * Redis's zsetConvertToListpackIfNeeded: a large set that now fits the limits becomes a
     * listpack again (after ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE, GEORADIUS STORE).
     */
    public void compactIfSmall(Limits l) {
        if (lp != null || big.size() > l.maxListpackEntries()) return;
        long[] longest = {0};
        long[] total = {0};
        forEach((b, off, len, score) -> {
            longest[0] = Math.max(longest[0], len);
            total[0] += ZsetListpack.elementLength(score, len);
        });
        if (longest[0] > l.maxListpackValue() || total[0] > MAX_LISTPACK_BYTES) return;
        byte[] out = new byte[(int) total[0]];
        int[] p = {0};
        forEach((b, off, len, score) -> p[0] = ZsetListpack.write(out, p[0], score, b, off, len));
        lpCount = big.size();
        lp = out;
        big = null;
    }

    // ---------------------------------------------------------------- members

    public int size() { return lp != null ? lpCount : big.size(); }

    /** The member's score, or NaN when it is not in the set (a score is never NaN). */
    public double score(byte[] m, int off, int len) {
        if (lp != null) {
            int p = ZsetListpack.find(lp, m, off, len);
            return p < 0 ? Double.NaN : ZsetListpack.score(lp, p);
        }
        byte[] e = big.get(m, off, len);
        return e == null ? Double.NaN : ScoredElement.score(e);
    }

    public boolean contains(byte[] m, int off, int len) {
        return lp != null ? ZsetListpack.find(lp, m, off, len) >= 0 : big.get(m, off, len) != null;
    }

    /**
     * Redis's zsetAdd: adds the member or updates its score under the flags ({@link #NX},
     * {@link #XX}, {@link #GT}, {@link #LT}, {@link #INCR}: the score is an increment), and
     * returns what happened ({@link #ADDED}, {@link #UPDATED}, {@link #NOP}, or {@link #NAN} when
     * the score or the incremented score is not a number, with nothing changed). After an INCR
     * that was not a NOP, {@link #score} gives the new score. May convert a listpack to the large
     * encoding.
     */
    public int add(double score, byte[] m, int off, int len, int flags, Limits limits) {
        if (Double.isNaN(score)) return NAN;
        boolean incr = (flags & INCR) != 0, nx = (flags & NX) != 0, xx = (flags & XX) != 0;
        boolean gt = (flags & GT) != 0, lt = (flags & LT) != 0;
        if (lp != null) {
            int p = ZsetListpack.find(lp, m, off, len);
            if (p >= 0) {
                if (nx) return NOP;
                double current = ZsetListpack.score(lp, p);
                if (incr) {
                    score += current;
                    if (Double.isNaN(score)) return NAN;
                }
                if ((lt && score >= current) || (gt && score <= current)) return NOP;
                if (score == current) return 0;
                lp = ZsetListpack.delete(lp, p, ZsetListpack.next(lp, p));
                lp = ZsetListpack.insert(lp, ZsetListpack.insertPosition(lp, score, m, off, len), score, m, off, len);
                return UPDATED;
            }
            if (xx) return NOP;
            if (lpCount + 1 <= limits.maxListpackEntries() && len <= limits.maxListpackValue()
                    && (long) lp.length + ZsetListpack.elementLength(score, len) <= MAX_LISTPACK_BYTES) {
                lp = ZsetListpack.insert(lp, ZsetListpack.insertPosition(lp, score, m, off, len), score, m, off, len);
                lpCount++;
                return ADDED;
            }
            convertToLarge();
        }
        byte[] e = big.get(m, off, len);
        if (e != null) {
            if (nx) return NOP;
            double current = ScoredElement.score(e);
            if (incr) {
                score += current;
                if (Double.isNaN(score)) return NAN;
            }
            if ((lt && score >= current) || (gt && score <= current)) return NOP;
            if (score == current) return 0;
            big.updateScore(e, score);
            return UPDATED;
        }
        if (xx) return NOP;
        big.add(score, m, off, len);
        return ADDED;
    }

    /** Removes the member; false when it was not in the set. */
    public boolean remove(byte[] m, int off, int len) {
        if (lp == null) return big.remove(m, off, len);
        int p = ZsetListpack.find(lp, m, off, len);
        if (p < 0) return false;
        lp = ZsetListpack.delete(lp, p, ZsetListpack.next(lp, p));
        lpCount--;
        return true;
    }

    /** The member's 0-based rank from the lowest score, or from the highest when reverse; -1 when absent. */
    public long rank(byte[] m, int off, int len, boolean reverse) {
        long r;
        if (lp != null) {
            r = -1;
            int i = 0;
            for (int p = 0; p < lp.length; p = ZsetListpack.next(lp, p), i++) {
                int mo = ZsetListpack.memberOffset(lp, p), ml = ZsetListpack.memberLength(lp, p);
                if (ml == len && java.util.Arrays.equals(lp, mo, mo + ml, m, off, off + len)) {
                    r = i;
                    break;
                }
            }
        } else {
            r = big.rank(m, off, len);
        }
        return r < 0 ? -1 : reverse ? size() - 1 - r : r;
    }

    // ---------------------------------------------------------------- walks

    private static void visitAt(byte[] lp, int p, Visitor v) {
        v.visit(lp, ZsetListpack.memberOffset(lp, p), ZsetListpack.memberLength(lp, p), ZsetListpack.score(lp, p));
    }

    private static boolean visitElement(byte[] e, Visitor v) {
        v.visit(e, ScoredElement.MEMBER_OFFSET, ScoredElement.memberLength(e), ScoredElement.score(e));
        return true;
    }

    private static boolean walkElement(byte[] e, Walker w) {
        return w.visit(e, ScoredElement.MEMBER_OFFSET, ScoredElement.memberLength(e), ScoredElement.score(e));
    }

    /** Every element, lowest first. */
    public void forEach(Visitor v) {
        if (lp != null) {
            for (int p = 0; p < lp.length; p = ZsetListpack.next(lp, p)) visitAt(lp, p, v);
        } else {
            big.tree.walk(0, big.size(), false, e -> visitElement(e, v));
        }
    }

    /** The element of the given rank, lowest first (0 <= rank < size). */
    public void at(long rank, Visitor v) {
        if (lp != null) {
            int p = 0;
            for (long i = 0; i < rank; i++) p = ZsetListpack.next(lp, p);
            visitAt(lp, p, v);
        } else {
            visitElement(big.tree.at(rank), v);
        }
    }

    /**
     * Visits ranks start..end (inclusive, 0 <= start <= end < size) counted from the lowest
     * score, or from the highest when reverse, in that order.
     */
    public void range(long start, long end, boolean reverse, Visitor v) {
        walk(reverse ? size() - 1 - start : start, end - start + 1, reverse, v);
    }

    /** Visits up to count elements from rank (lowest first), going up, or down when reverse. */
    private void walk(long rank, long count, boolean reverse, Visitor v) {
        walk(rank, count, reverse, (b, off, len, s) -> {
            v.visit(b, off, len, s);
            return true;
        });
    }

    /** As {@link #walk(long, long, boolean, Visitor)}, stopping when the walker returns false. */
    private void walk(long rank, long count, boolean reverse, Walker w) {
        if (lp == null) {
            big.tree.walk(rank, count, reverse, e -> walkElement(e, w));
            return;
        }
        if (rank < 0 || rank >= lpCount) return;
        if (!reverse) {
            int p = 0;
            for (long i = 0; i < rank; i++) p = ZsetListpack.next(lp, p);
            for (; count > 0 && p < lp.length; count--, p = ZsetListpack.next(lp, p)) {
                if (!w.visit(lp, ZsetListpack.memberOffset(lp, p), ZsetListpack.memberLength(lp, p), ZsetListpack.score(lp, p))) {
                    return;
                }
            }
            return;
        }
        int[] offs = ZsetListpack.offsets(lp, lpCount);
        for (int i = (int) rank; count > 0 && i >= 0; count--, i--) {
            int p = offs[i];
            if (!w.visit(lp, ZsetListpack.memberOffset(lp, p), ZsetListpack.memberLength(lp, p), ZsetListpack.score(lp, p))) {
                return;
            }
        }
    }

    /**
     * Walks the elements whose score is in the range, lowest first, while the walker returns true
     * (Redis's zzlFirstInRange / zslFirstInRange, then forward while zslValueLteMax: what
     * GEORADIUS reads of each geohash box).
     */
    public void walkScores(ScoreRange r, Walker w) {
        if (r.isEmpty()) return;
        walk(rankFromScore(r), Long.MAX_VALUE, false, (b, off, len, s) -> r.belowMax(s) && w.visit(b, off, len, s));
    }

    /**
     * Redis's genericZrangebyscoreCommand: the elements whose score is in the range, lowest first
     * (or highest first when reverse), skipping {@code offset} of them (a negative offset gives
     * nothing) and visiting at most {@code limit} (negative: no limit). Returns how many were
     * visited.
     */
    public long rangeByScore(ScoreRange r, boolean reverse, long offset, long limit, Visitor v) {
        if (offset < 0 || limit == 0 || r.isEmpty() || (offset > 0 && offset >= size())) return 0;
        long first = reverse ? rankAfterScore(r) - 1 - offset : rankFromScore(r) + offset;
        return walkWhile(first, limit, reverse, v, (b, off, len, s) -> reverse ? r.aboveMin(s) : r.belowMax(s));
    }

    /**
     * Redis's genericZrangebylexCommand over the members in the lex range; as
     * {@link #rangeByScore}. Lex ranges assume all scores are equal, as Redis documents; when
     * they are not, the result follows Redis's searches where they are defined (the listpack's
     * linear scans, zslIsInLexRange's test of the first and last members).
     */
    public long rangeByLex(LexRange r, boolean reverse, long offset, long limit, Visitor v) {
        if (offset < 0 || limit == 0 || !lexInRange(r)) return 0;
        long first = reverse ? rankAfterLex(r) - 1 - offset : rankFromLex(r) + offset;
        return walkWhile(first, limit, reverse, v,
                (b, off, len, s) -> reverse ? r.aboveMin(b, off, len) : r.belowMax(b, off, len));
    }

    /** Tells whether a walk goes on past an element. */
    private interface Within {
        boolean test(byte[] b, int off, int len, double score);
    }

    /** Stops at the first element outside the range, so a range costs its length, not the rest of the set. */
    private long walkWhile(long first, long limit, boolean reverse, Visitor v, Within within) {
        if (first < 0 || first >= size()) return 0;
        long[] n = {0};
        walk(first, limit < 0 ? Long.MAX_VALUE : limit, reverse, (b, off, len, s) -> {
            if (!within.test(b, off, len, s)) return false;
            v.visit(b, off, len, s);
            n[0]++;
            return true;
        });
        return n[0];
    }

    /** Elements with a score in the range (ZCOUNT). */
    public long count(ScoreRange r) {
        return r.isEmpty() ? 0 : Math.max(0, rankAfterScore(r) - rankFromScore(r));
    }

    /** Elements with a member in the lex range (ZLEXCOUNT). */
    public long lexCount(LexRange r) {
        if (!lexInRange(r)) return 0;
        if (lp == null) return Math.max(0, rankAfterLex(r) - rankFromLex(r));
        return walkWhile(rankFromLex(r), -1, false, (b, off, len, s) -> {}, (b, off, len, s) -> r.belowMax(b, off, len));
    }

    /**
     * Redis's zslIsInLexRange / zzlIsInLexRange: the range is not empty, the last member is not
     * below it and the first is not above it.
     */
    private boolean lexInRange(LexRange r) {
        if (r.isEmpty() || size() == 0) return false;
        boolean[] in = {true};
        at(size() - 1, (b, off, len, s) -> in[0] &= r.aboveMin(b, off, len));
        at(0, (b, off, len, s) -> in[0] &= r.belowMax(b, off, len));
        return in[0];
    }

    /** Rank of the first element whose score is not below the range. */
    private long rankFromScore(ScoreRange r) {
        return countBefore((b, off, len, s) -> !r.aboveMin(s));
    }

    /** Rank of the first element whose score is above the range. */
    private long rankAfterScore(ScoreRange r) {
        return countBefore((b, off, len, s) -> r.belowMax(s));
    }

    private long rankFromLex(LexRange r) {
        return countBefore((b, off, len, s) -> !r.aboveMin(b, off, len));
    }

    /** Rank after the last member not above the range; a listpack finds it from the end, as zzlLastInLexRange. */
    private long rankAfterLex(LexRange r) {
        if (lp == null) return countBefore((b, off, len, s) -> r.belowMax(b, off, len));
        int[] offs = ZsetListpack.offsets(lp, lpCount);
        int i = lpCount - 1;
        while (i >= 0 && !r.belowMax(lp, ZsetListpack.memberOffset(lp, offs[i]), ZsetListpack.memberLength(lp, offs[i]))) i--;
        return i + 1;
    }

    /** How many elements from the lowest satisfy a test that holds for a prefix of the order. */
    private long countBefore(Within before) {
        if (lp == null) {
            return big.tree.countBefore(e -> before.test(e, ScoredElement.MEMBER_OFFSET, ScoredElement.memberLength(e),
                    ScoredElement.score(e)));
        }
        long n = 0;
        for (int p = 0; p < lp.length; p = ZsetListpack.next(lp, p), n++) {
            if (!before.test(lp, ZsetListpack.memberOffset(lp, p), ZsetListpack.memberLength(lp, p),
                    ZsetListpack.score(lp, p))) break;
        }
        return n;
    }

    // ---------------------------------------------------------------- bulk removal

    /** Removes ranks start..end (inclusive, lowest first, 0 <= start <= end < size); returns the count. */
    public long removeRange(long start, long end) {
        long n = end - start + 1;
        if (lp != null) {
            int[] offs = ZsetListpack.offsets(lp, lpCount);
            int to = end + 1 < lpCount ? offs[(int) end + 1] : lp.length;
            lp = ZsetListpack.delete(lp, offs[(int) start], to);
            lpCount -= (int) n;
        } else {
            for (long i = 0; i < n; i++) big.removeAt(start);
        }
        return n;
    }

    /** Removes the elements whose score is in the range (ZREMRANGEBYSCORE); returns the count. */
    public long removeByScore(ScoreRange r) {
        if (r.isEmpty()) return 0;
        long from = rankFromScore(r), to = rankAfterScore(r);
        return to > from ? removeRange(from, to - 1) : 0;
    }

    /** Removes the elements whose member is in the lex range (ZREMRANGEBYLEX); returns the count. */
    public long removeByLex(LexRange r) {
        long n = lexCount(r);
        return n > 0 ? removeRange(rankFromLex(r), rankFromLex(r) + n - 1) : 0;
    }

    /**
     * Removes up to count elements with the lowest scores (or the highest when max), visiting
     * each just before it goes; returns how many were removed (ZPOPMIN, ZPOPMAX).
     */
    public long pop(boolean max, long count, Visitor v) {
        long n = Math.min(count, size());
        for (long i = 0; i < n; i++) {
            long rank = max ? size() - 1 : 0;
            at(rank, v);
            removeRange(rank, rank);
        }
        return n;
    }

    // ---------------------------------------------------------------- random and scan

    /** A uniformly random element. The set must not be empty. */
    public void random(RandomGenerator rnd, Visitor v) { at(rnd.nextLong(size()), v); }

    /**
     * One ZSCAN step: appends member and score text pairs to {@code out} and returns the next
     * cursor, 0 when done. A listpack answers everything at once, as in Redis. Scores are the
     * text Redis's scan shows: a listpack holds integral scores as integers (shown as such), the
     * large encoding shows "%.17g".
     */
    public long scan(long cursor, int count, List<byte[]> out) {
        if (lp != null) {
            forEach((b, off, len, s) -> {
                out.add(java.util.Arrays.copyOfRange(b, off, off + len));
                out.add(compactScoreText(s).getBytes(StandardCharsets.US_ASCII));
            });
            return 0;
        }
        return big.table.scan(cursor, count, e -> {
            out.add(java.util.Arrays.copyOfRange(e, ScoredElement.MEMBER_OFFSET, e.length));
            out.add(Doubles.toRedisString(ScoredElement.score(e)).getBytes(StandardCharsets.US_ASCII));
        });
    }

    /**
     * A listpack score as Redis stores it (zzlInsertAt): an integer when {@code double2ll}
     * takes it (within +-LLONG_MAX/2 and integral), else "%.17g".
     */
    private static String compactScoreText(double s) {
        if (s >= -(double) (Long.MAX_VALUE / 2) && s <= (double) (Long.MAX_VALUE / 2) && s == (long) s) {
            return Long.toString((long) s);
        }
        return Doubles.toRedisString(s);
    }
}
