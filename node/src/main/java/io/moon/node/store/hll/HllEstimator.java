package io.moon.node.store.hll;

import static io.moon.node.store.hll.HllLayout.Q;
import static io.moon.node.store.hll.HllLayout.REGISTERS;

/**
 * The cardinality estimate from a histogram of register values, as Redis 7.0's hllCount: Otmar
 * Ertl's "improved raw estimator" (New cardinality estimation algorithms for HyperLogLog sketches,
 * arXiv:1702.01284), with the same double arithmetic in the same order so that the rounded result
 * equals Redis's.
 */
public final class HllEstimator {
    private HllEstimator() {}

    /** 0.5 / ln(2), Redis's HLL_ALPHA_INF. */
    private static final double ALPHA_INF = 0.721347520444481703680;

    /** Histogram slots: register values are 6 bits. */
    public static final int HISTOGRAM_SIZE = 64;

    /** The estimate for {@code histogram[v]} = number of registers holding v. */
    public static long estimate(int[] histogram) {
        double m = REGISTERS;
        double z = m * tau((m - histogram[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        // llroundl: halves away from zero; the value is never negative.
        return Math.round(ALPHA_INF * m * m / z);
    }

    /** The estimate of raw registers, one byte each (the merged registers of PFCOUNT/PFMERGE). */
    public static long estimate(byte[] registers) {
        int[] histogram = new int[HISTOGRAM_SIZE];
        for (int i = 0; i < REGISTERS; i++) histogram[registers[i]]++;
        return estimate(histogram);
    }

    static double sigma(double x) {
        if (x == 1.) return Double.POSITIVE_INFINITY;
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    static double tau(double x) {
        if (x == 0. || x == 1.) return 0.;
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (zPrime != z);
        return z / 3;
    }
}
