package io.moon.node.server;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-shard counters behind INFO commandstats, errorstats and stats: written only by the thread
 * running a command on that shard, summed by INFO.
 */
public final class CommandStats {
    public long[] calls, usec, rejected, failed;
    public final Map<String, Long> errors = new HashMap<>();
    public long totalCommands;
    public long totalErrors;
    /** Per command: its latency histogram (ns), created by its first recorded call (latency-tracking). */
    public final org.HdrHistogram.Histogram[] latency;

    CommandStats(int commands) {
        calls = new long[commands];
        usec = new long[commands];
        rejected = new long[commands];
        failed = new long[commands];
        latency = new org.HdrHistogram.Histogram[commands];
    }

    /** One call of command {@code id} took {@code nanos} (Redis's updateCommandLatencyHistogram). */
    void recordLatency(int id, long nanos) {
        org.HdrHistogram.Histogram h = latency[id];
        if (h == null) h = latency[id] = io.moon.node.metrics.LatencyHistograms.create();
        io.moon.node.metrics.LatencyHistograms.record(h, nanos);
    }

    void error(String message) {
        int sp = message.indexOf(' ');
        String code = sp > 0 ? message.substring(0, sp) : message;
        errors.merge(code, 1L, Long::sum);
        totalErrors++;
    }

    public void reset() {
        java.util.Arrays.fill(calls, 0);
        java.util.Arrays.fill(usec, 0);
        java.util.Arrays.fill(rejected, 0);
        java.util.Arrays.fill(failed, 0);
        java.util.Arrays.fill(latency, null);
        errors.clear();
        totalCommands = 0;
        totalErrors = 0;
    }
}
