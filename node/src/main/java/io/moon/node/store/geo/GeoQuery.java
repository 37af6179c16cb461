package io.moon.node.store.geo;

import io.moon.node.store.ScoreRange;
import io.moon.node.store.SortedSetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A search of a geo sorted set (Redis's membersOfAllNeighbors and geoGetPointsInRange): the
 * score ranges of the {@link GeoCells} covering the shape are read in order, and each member's
 * decoded place is kept when it lies in the shape. Points come out in reading order; the
 * orderings GEOSEARCH offers are {@link #sort} and {@link #sortFirst}.
 */
public final class GeoQuery {
    private GeoQuery() {}

    /**
     * The members of z inside the shape, in reading order. A positive {@code limit} (COUNT with
     * ANY) stops the search once that many are found, wherever they are.
     */
    public static List<GeoPoint> find(SortedSetValue z, GeoShape shape, long limit) {
        List<GeoPoint> found = new ArrayList<>();
        double[] xy = new double[2];
        GeoCells.cover(shape).forEachRange((min, max) -> {
            if (limitReached(found, limit)) return false;
            // Each cell is every score from its bits followed by zeros, up to the next cell's.
            z.walkScores(new ScoreRange(min, false, max, true), (b, off, len, score) -> {
                GeoHash.decodeScore(score, xy);
                double dist = shape.distanceIfWithin(xy[0], xy[1]);
                if (dist >= 0) found.add(new GeoPoint(Arrays.copyOfRange(b, off, off + len), score, xy[0], xy[1], dist));
                return !limitReached(found, limit);
            });
            return true;
        });
        return found;
    }

    private static boolean limitReached(List<GeoPoint> found, long limit) {
        return limit > 0 && found.size() >= limit;
    }

    /** C's comparison of two distances, as Redis's sort_gp_asc (0 and -0 tie). */
    private static int compare(GeoPoint a, GeoPoint b, boolean descending) {
        int c = a.dist() > b.dist() ? 1 : a.dist() == b.dist() ? 0 : -1;
        return descending ? -c : c;
    }

    /**
     * Orders all points by distance, ties in reading order: Redis calls glibc's qsort, a stable
     * merge sort for arrays that fit in memory.
     */
    public static void sort(GeoPoint[] points, boolean descending) {
        Arrays.sort(points, (a, b) -> compare(a, b, descending));
    }

    /**
     * Puts the {@code n} nearest (or farthest) points first, in order, as Redis's pqsort (a
     * Bentley-McIlroy quicksort that skips partitions outside the wanted ranks): ties and the
     * order of the rest come out as they do in Redis.
     */
    public static void sortFirst(GeoPoint[] points, int n, boolean descending) {
        partialQuicksort(points, 0, points.length, descending, 0, n - 1);
    }

    /** Sorts a[lo, lo+len), only descending into partitions that hold a rank in [from, to]. */
    private static void partialQuicksort(GeoPoint[] a, int lo, int len, boolean desc, int from, int to) {
        while (true) {
            if (len < 7) {
                for (int m = lo + 1; m < lo + len; m++) {
                    for (int l = m; l > lo && compare(a[l - 1], a[l], desc) > 0; l--) swap(a, l, l - 1);
                }
                return;
            }
            int pm = lo + len / 2;
            if (len > 7) {
                int pl = lo, pn = lo + len - 1;
                if (len > 40) {
                    int d = len / 8;
                    pl = median3(a, pl, pl + d, pl + 2 * d, desc);
                    pm = median3(a, pm - d, pm, pm + d, desc);
                    pn = median3(a, pn - 2 * d, pn - d, pn, desc);
                }
                pm = median3(a, pl, pm, pn, desc);
            }
            swap(a, lo, pm);
            // Bentley-McIlroy three-way partition: keys equal to the pivot gather at both ends first.
            int pa = lo + 1, pb = pa, pc = lo + len - 1, pd = pc;
            while (true) {
                int r;
                while (pb <= pc && (r = compare(a[pb], a[lo], desc)) <= 0) {
                    if (r == 0) swap(a, pa++, pb);
                    pb++;
                }
                while (pb <= pc && (r = compare(a[pc], a[lo], desc)) >= 0) {
                    if (r == 0) swap(a, pc, pd--);
                    pc--;
                }
                if (pb > pc) break;
                swap(a, pb++, pc--);
            }
            int end = lo + len;
            int r = Math.min(pa - lo, pb - pa);
            swapRuns(a, lo, pb - r, r);
            r = Math.min(pd - pc, end - pd - 1);
            swapRuns(a, pb, end - r, r);
            if ((r = pb - pa) > 1 && overlaps(lo, r, from, to)) partialQuicksort(a, lo, r, desc, from, to);
            if ((r = pd - pc) <= 1) return;
            lo = end - r;
            len = r;
            if (!overlaps(lo, len, from, to)) return;
        }
    }

    private static boolean overlaps(int lo, int len, int from, int to) { return !(to < lo || from >= lo + len); }

    private static int median3(GeoPoint[] a, int i, int j, int k, boolean desc) {
        return compare(a[i], a[j], desc) < 0
                ? (compare(a[j], a[k], desc) < 0 ? j : (compare(a[i], a[k], desc) < 0 ? k : i))
                : (compare(a[j], a[k], desc) > 0 ? j : (compare(a[i], a[k], desc) < 0 ? i : k));
    }

    private static void swap(GeoPoint[] a, int i, int j) {
        GeoPoint t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static void swapRuns(GeoPoint[] a, int i, int j, int n) {
        for (int k = 0; k < n; k++) swap(a, i + k, j + k);
    }
}
