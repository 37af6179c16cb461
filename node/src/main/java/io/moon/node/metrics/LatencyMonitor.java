package io.moon.node.metrics;

import io.moon.node.config.ServerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis's latency monitor (latency.c) for the whole node: per event ("command", "fast-command",
 * "expire-cycle", "eviction-cycle"...), the last {@link #SERIES_LENGTH} seconds in which the event
 * took at least latency-monitor-threshold milliseconds, one sample per second (the worst), and
 * the worst ever. Also holds the latency-tracking settings the per-command histograms follow
 * (see {@code CommandLatency}).
 *
 * <p>Thread-safe: events come from every shard's loop, rarely (only past the threshold), so the
 * series are kept under this object's lock; the settings are volatile mirrors of the config.
 */
public final class LatencyMonitor {
    /** Samples kept per event (Redis's LATENCY_TS_LEN). */
    public static final int SERIES_LENGTH = 160;

    /** One sample: the second it was taken in (Unix time) and the latency (ms). */
    public record Sample(long time, long latencyMs) {}

    /** LATENCY LATEST's row for one event. */
    public record Latest(String event, long time, long latencyMs, long maxMs) {}

    private static final class Series {
        final long[] time = new long[SERIES_LENGTH];
        final long[] latency = new long[SERIES_LENGTH];
        int next;
        long max;
    }

    private final Map<String, Series> events = new LinkedHashMap<>();
    private volatile long thresholdMs;
    private volatile boolean tracking = true;
    private volatile String[] percentileLabels = {"50", "99", "99.9"};
    private volatile double[] percentiles = {50, 99, 99.9};

    public LatencyMonitor(ServerConfig config) {
        config.onChange("latency-monitor-threshold", v -> thresholdMs = Long.parseLong(v));
        config.onChange("latency-tracking", v -> tracking = v.equals("yes"));
        config.onChange("latency-tracking-info-percentiles", v -> {
            String[] labels = v.isBlank() ? new String[0] : v.trim().split("\\s+");
            double[] values = new double[labels.length];
            for (int i = 0; i < labels.length; i++) values[i] = Double.parseDouble(labels[i]);
            percentileLabels = labels;
            percentiles = values;
        });
    }

    /** latency-monitor-threshold (ms; 0: the monitor is off). */
    public long thresholdMs() { return thresholdMs; }

    /** latency-tracking: whether commands' latencies go into their histograms. */
    public boolean tracking() { return tracking; }

    /** latency-tracking-info-percentiles, as numbers and as INFO labels them ("99.9"). */
    public double[] percentiles() { return percentiles; }
    public String[] percentileLabels() { return percentileLabels; }

    /** Redis's latencyAddSampleIfNeeded: records the event when the monitor is on and it took long enough. */
    public void sampleIfNeeded(String event, long latencyMs) {
        long t = thresholdMs;
        if (t > 0 && latencyMs >= t) add(event, latencyMs, System.currentTimeMillis() / 1000);
    }

    /** Redis's latencyAddSample: one sample per second per event, the worst of that second. */
    synchronized void add(String event, long latencyMs, long nowSec) {
        Series s = events.computeIfAbsent(event, e -> new Series());
        if (latencyMs > s.max) s.max = latencyMs;
        int prev = (s.next + SERIES_LENGTH - 1) % SERIES_LENGTH;
        if (s.time[prev] == nowSec) {
            if (latencyMs > s.latency[prev]) s.latency[prev] = latencyMs;
            return;
        }
        s.time[s.next] = nowSec;
        s.latency[s.next] = latencyMs;
        s.next = (s.next + 1) % SERIES_LENGTH;
    }

    /** LATENCY LATEST: the last sample and the worst ever, per event. */
    public synchronized List<Latest> latest() {
        List<Latest> out = new ArrayList<>(events.size());
        for (var e : events.entrySet()) {
            Series s = e.getValue();
            int last = (s.next + SERIES_LENGTH - 1) % SERIES_LENGTH;
            out.add(new Latest(e.getKey(), s.time[last], s.latency[last], s.max));
        }
        return out;
    }

    /** LATENCY HISTORY: the samples of one event, oldest first (empty when none). */
    public synchronized List<Sample> history(String event) {
        Series s = events.get(event);
        return s == null ? List.of() : samples(s);
    }

    private static List<Sample> samples(Series s) {
        List<Sample> out = new ArrayList<>();
        for (int j = 0; j < SERIES_LENGTH; j++) {
            int i = (s.next + j) % SERIES_LENGTH;
            if (s.time[i] != 0) out.add(new Sample(s.time[i], s.latency[i]));
        }
        return out;
    }

    /** The worst latency ever of an event (0 when none). */
    public synchronized long max(String event) {
        Series s = events.get(event);
        return s == null ? 0 : s.max;
    }

    /** The events with samples, in the order they first came. */
    public synchronized List<String> events() { return new ArrayList<>(events.keySet()); }

    /** LATENCY RESET: drops one event (any case) or, for null, all; returns how many went. */
    public synchronized int reset(String event) {
        int n = 0;
        for (var it = events.keySet().iterator(); it.hasNext(); ) {
            String e = it.next();
            if (event == null || e.equalsIgnoreCase(event)) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    /**
     * LATENCY GRAPH: Redis's sparkline of an event's samples, each labelled with how long ago it
     * was taken; null when the event has no samples.
     */
    public synchronized String graph(String event, long nowSec) {
        Series s = events.get(event);
        if (s == null) return null;
        List<Sample> samples = samples(s);
        long min = 0, max = 0;
        Sparkline line = new Sparkline();
        for (Sample x : samples) {
            if (line.length() == 0) {
                min = max = x.latencyMs();
            } else {
                max = Math.max(max, x.latencyMs());
                min = Math.min(min, x.latencyMs());
            }
            line.add(x.latencyMs(), ago(nowSec - x.time()));
        }
        StringBuilder out = new StringBuilder();
        out.append(event).append(" - high ").append(max).append(" ms, low ").append(min).append(" ms (all time high ")
                .append(s.max).append(" ms)\n");
        out.append("-".repeat(GRAPH_COLUMNS)).append('\n');
        line.render(out, GRAPH_COLUMNS, 4, true);
        return out.toString();
    }

    private static final int GRAPH_COLUMNS = 80;

    private static String ago(long seconds) {
        if (seconds < 60) return seconds + "s";
        if (seconds < 3600) return seconds / 60 + "m";
        if (seconds < 3600 * 24) return seconds / 3600 + "h";
        return seconds / (3600 * 24) + "d";
    }

    /**
     * Redis's analyzeLatencyForEvent, for LATENCY DOCTOR: {samples, average, mean absolute
     * deviation, min, max, period (seconds from the oldest sample to now, at least 1)}.
     */
    synchronized long[] analyze(String event, long nowSec) {
        Series s = events.get(event);
        long[] r = new long[6];
        if (s == null) return r;
        long sum = 0, oldest = 0;
        int n = 0;
        long min = 0, max = 0;
        for (int j = 0; j < SERIES_LENGTH; j++) {
            if (s.time[j] == 0) continue;
            n++;
            if (n == 1) min = max = s.latency[j];
            min = Math.min(min, s.latency[j]);
            max = Math.max(max, s.latency[j]);
            sum += s.latency[j];
            if (oldest == 0 || s.time[j] < oldest) oldest = s.time[j];
        }
        if (n == 0) return r;
        long avg = sum / n;
        long period = Math.max(1, nowSec - oldest);
        long dev = 0;
        for (int j = 0; j < SERIES_LENGTH; j++) if (s.time[j] != 0) dev += Math.abs(avg - s.latency[j]);
        return new long[] {n, avg, dev / n, min, max, period};
    }
}
