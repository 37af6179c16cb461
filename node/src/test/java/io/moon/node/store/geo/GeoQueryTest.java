package io.moon.node.store.geo;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.store.SortedSetValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class GeoQueryTest {
    private static final SortedSetValue.Limits LISTPACK = new SortedSetValue.Limits(1_000_000, 64);
    private static final SortedSetValue.Limits SKIPLIST = new SortedSetValue.Limits(0, 0);

    private static SortedSetValue places(SplittableRandom rnd, int n, SortedSetValue.Limits limits, List<double[]> out) {
        SortedSetValue z = SortedSetValue.forFirstMember(limits, 1);
        for (int i = 0; i < n; i++) {
            double lon = rnd.nextDouble(-180, 180), lat = rnd.nextDouble(-70, 70);
            byte[] m = ("p" + i).getBytes(StandardCharsets.US_ASCII);
            z.add(GeoHash.score(lon, lat), m, 0, m.length, 0, limits);
            double[] xy = new double[2];
            GeoHash.decodeScore(GeoHash.score(lon, lat), xy);
            out.add(xy);
        }
        return z;
    }

    private static TreeSet<String> names(List<GeoPoint> points) {
        TreeSet<String> s = new TreeSet<>();
        for (GeoPoint p : points) s.add(new String(p.member(), StandardCharsets.US_ASCII));
        return s;
    }

    /**
     * Away from the poles the nine cells cover the whole shape, so a search finds exactly the
     * points a scan of every point finds with the same tests (what Redis's fuzzy test checks).
     */
    @Test
    void searchesFindWhatACheckOfEveryPointFinds() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (SortedSetValue.Limits limits : List.of(LISTPACK, SKIPLIST)) {
            List<double[]> xy = new ArrayList<>();
            SortedSetValue z = places(rnd, 3000, limits, xy);
            for (int q = 0; q < 60; q++) {
                double lon = rnd.nextDouble(-180, 180), lat = rnd.nextDouble(-70, 70);
                double a = 10 + rnd.nextInt(rnd.nextInt(10) == 0 ? 5000 : 1000), b = 10 + rnd.nextInt(1000);
                GeoShape shape = q % 2 == 0 ? GeoShape.circle(lon, lat, a, 1000) : GeoShape.box(lon, lat, a, b, 1000);
                List<GeoPoint> found = GeoQuery.find(z, shape, 0);
                TreeSet<String> expected = new TreeSet<>();
                for (int i = 0; i < xy.size(); i++) {
                    if (shape.distanceIfWithin(xy.get(i)[0], xy.get(i)[1]) >= 0) expected.add("p" + i);
                }
                assertThat(names(found)).as("query %d", q).isEqualTo(expected);
                assertThat(found).hasSize(expected.size()); // nobody twice
            }
        }
    }

    @Test
    void aLimitStopsTheSearchOnceEnoughAreFound() {
        SplittableRandom rnd = new SplittableRandom(12);
        List<double[]> xy = new ArrayList<>();
        SortedSetValue z = places(rnd, 2000, SKIPLIST, xy);
        GeoShape everywhere = GeoShape.circle(0, 0, 30_000, 1000);
        assertThat(GeoQuery.find(z, everywhere, 0)).hasSize(2000);
        List<GeoPoint> some = GeoQuery.find(z, everywhere, 5);
        assertThat(some).hasSize(5);
        // In reading order: the first five of the whole search.
        assertThat(names(some)).isEqualTo(names(GeoQuery.find(z, everywhere, 0).subList(0, 5)));
    }

    @Test
    void stepsGrowFinerAsTheRadiusShrinksAndCoarserNearThePoles() {
        assertThat(GeoCells.estimateStep(0, 0)).isEqualTo(26);
        assertThat(GeoCells.estimateStep(50_000_000, 0)).isEqualTo(1);
        assertThat(GeoCells.estimateStep(1, 0)).isEqualTo(24);
        assertThat(GeoCells.estimateStep(1000, 0)).isEqualTo(14);
        assertThat(GeoCells.estimateStep(1000, 70)).isEqualTo(13);
        assertThat(GeoCells.estimateStep(1000, -85)).isEqualTo(12);
        int previous = 27;
        for (double r = 0.5; r < 3e7; r *= 2) {
            int step = GeoCells.estimateStep(r, 10);
            assertThat(step).isLessThanOrEqualTo(previous);
            previous = step;
        }
    }

    @Test
    void theCentreCellHoldsTheCentre() {
        SplittableRandom rnd = new SplittableRandom(13);
        for (int i = 0; i < 1000; i++) {
            double lon = rnd.nextDouble(-180, 180), lat = rnd.nextDouble(-85, 85);
            GeoCells cells = GeoCells.cover(GeoShape.circle(lon, lat, rnd.nextDouble(1, 100_000), 1));
            GeoHash.Area a = GeoHash.decode(cells.cells[0], cells.step);
            assertThat(lon).isBetween(a.lonMin(), a.lonMax());
            assertThat(lat).isBetween(a.latMin(), a.latMax());
        }
    }

    private static GeoPoint point(int i, double dist) {
        return new GeoPoint(("m" + i).getBytes(StandardCharsets.US_ASCII), i, 0, 0, dist);
    }

    @Test
    void fullSortsAreStable() {
        GeoPoint[] p = {point(0, 3), point(1, 1), point(2, 3), point(3, 1), point(4, 2)};
        GeoQuery.sort(p, false);
        assertThat(Arrays.stream(p).mapToDouble(GeoPoint::score).toArray()).containsExactly(1, 3, 4, 0, 2);
        GeoQuery.sort(p, true);
        assertThat(Arrays.stream(p).mapToDouble(GeoPoint::score).toArray()).containsExactly(0, 2, 4, 1, 3);
    }

    /** The first n places hold the n nearest (or farthest) in order, whatever the ties and sizes. */
    @Test
    void partialSortsPutTheWantedRanksFirst() {
        SplittableRandom rnd = new SplittableRandom(14);
        for (int round = 0; round < 3000; round++) {
            int size = 1 + rnd.nextInt(round % 10 == 0 ? 2000 : 60);
            int distinct = 1 + rnd.nextInt(size);
            GeoPoint[] p = new GeoPoint[size];
            for (int i = 0; i < size; i++) p[i] = point(i, rnd.nextInt(distinct));
            boolean desc = rnd.nextBoolean();
            int n = 1 + rnd.nextInt(size);
            GeoPoint[] expected = p.clone();
            Arrays.sort(expected, desc ? Comparator.comparingDouble(GeoPoint::dist).reversed() : Comparator.comparingDouble(GeoPoint::dist));
            GeoQuery.sortFirst(p, n, desc);
            for (int i = 0; i < n; i++) assertThat(p[i].dist()).isEqualTo(expected[i].dist());
            assertThat(Arrays.stream(p).mapToDouble(GeoPoint::score).sorted().toArray())
                    .as("a permutation").isEqualTo(Arrays.stream(expected).mapToDouble(GeoPoint::score).sorted().toArray());
        }
    }
}
