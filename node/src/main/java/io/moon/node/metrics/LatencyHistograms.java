package io.moon.node.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Per-command latency histograms as Redis keeps them (latency-tracking): nanoseconds from 1 ns
 * to 1 s (longer counts as 1 s) with 2 significant digits (Redis's LATENCY_HISTOGRAM_*), read
 * as LATENCY HISTOGRAM's cumulative distribution and as INFO latencystats's percentiles.
 *
 * <p>One histogram per command per thread that runs commands (each shard, the script thread):
 * recording stays a plain array increment on the thread's own histogram; readers merge them
 * while every shard is held.
 */
public final class LatencyHistograms {
    private LatencyHistograms() {}

    static final long MIN_NS = 1, MAX_NS = 1_000_000_000L;
    private static final int DIGITS = 2;

    public static Histogram create() { return new Histogram(MIN_NS, MAX_NS, DIGITS); }

    /** Redis's updateCommandLatencyHistogram: the duration clamped to the histogram's range. */
    public static void record(Histogram h, long nanos) {
        h.recordValue(Math.max(MIN_NS, Math.min(MAX_NS, nanos)));
    }

    /** The sum of {@code parts} (null entries skipped); null when all are null or empty. */
    public static Histogram merge(List<Histogram> parts) {
        Histogram sum = null;
        for (Histogram h : parts) {
            if (h == null || h.getTotalCount() == 0) continue;
            if (sum == null) sum = create();
            sum.add(h);
        }
        return sum;
    }

    /**
     * Redis's fillCommandCDF: buckets doubling from 1024 ns, each as (highest microsecond it
     * covers, calls up to it), only where the count grew.
     */
    public static List<long[]> cumulative(Histogram h) {
        List<long[]> out = new ArrayList<>();
        long previous = 0;
        for (HistogramIterationValue v : h.logarithmicBucketValues(1024, 2)) {
            long cumulative = v.getTotalCountToThisValue();
            if (cumulative > previous) {
                out.add(new long[] {h.highestEquivalentValue(v.getValueIteratedTo()) / 1000, cumulative});
            }
            previous = cumulative;
        }
        return out;
    }

    /** INFO latencystats's value: "p50=1.003,p99=2.007,..." in microseconds. */
    public static String percentiles(Histogram h, double[] percentiles, String[] labels) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < percentiles.length; j++) {
            if (j > 0) sb.append(',');
            sb.append('p').append(labels[j]).append('=')
                    .append(String.format(Locale.ROOT, "%.3f", h.getValueAtPercentile(percentiles[j]) / 1000.0));
        }
        return sb.toString();
    }
}
