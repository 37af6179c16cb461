package io.moon.node.store;

/**
 * A score interval of ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE... (Redis's zrangespec): each end
 * inclusive, or exclusive when given with "(". Compared with C's operators, so -0 and 0 are equal.
 */
public record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {
    /** Redis's zslValueGteMin: the score is not below the interval. */
    public boolean aboveMin(double v) { return minExclusive ? v > min : v >= min; }

    /** Redis's zslValueLteMax: the score is not above the interval. */
    public boolean belowMax(double v) { return maxExclusive ? v < max : v <= max; }

    public boolean contains(double v) { return aboveMin(v) && belowMax(v); }

    /** True when no score can be inside (min above max, or equal ends with one excluded). */
    public boolean isEmpty() { return min > max || (min == max && (minExclusive || maxExclusive)); }
}
