package io.moon.node.server;

/**
 * INFO's instantaneous rates (instantaneous_ops_per_sec, instantaneous_input_kbps,
 * instantaneous_output_kbps), as Redis's trackInstantaneousMetric: every 100 ms the node samples
 * its running totals, turns the difference with the previous sample into a per-second rate, and
 * keeps the last {@link #SAMPLES} rates; the figure reported is their average.
 *
 * <p>{@link #sample} runs on one loop (shard 0's); readers on other threads see a recent value
 * (the rates are published through volatile writes).
 */
public final class InstantaneousMetrics {
    static final int SAMPLES = 16;
    static final int PERIOD_MS = 100;

    /** One tracked total: its ring of rates and the previous sample. */
    private static final class Metric {
        private final long[] rates = new long[SAMPLES];
        private int next;
        private long lastTotal = -1, lastMs;
        private volatile double average;

        void sample(long nowMs, long total) {
            if (lastTotal >= 0 && nowMs > lastMs) {
                // A total that went down (CONFIG RESETSTAT) counts as a fresh start, not a negative rate.
                long delta = Math.max(0, total - lastTotal);
                rates[next] = delta * 1000 / (nowMs - lastMs);
                next = (next + 1) % SAMPLES;
                long sum = 0;
                for (long r : rates) sum += r;
                average = (double) sum / SAMPLES;
            }
            lastTotal = total;
            lastMs = nowMs;
        }

        void reset() {
            java.util.Arrays.fill(rates, 0);
            average = 0;
        }
    }

    private final Metric ops = new Metric(), netIn = new Metric(), netOut = new Metric();

    void sample(long nowMs, long commands, long inputBytes, long outputBytes) {
        ops.sample(nowMs, commands);
        netIn.sample(nowMs, inputBytes);
        netOut.sample(nowMs, outputBytes);
    }

    public long opsPerSec() { return (long) ops.average; }
    public double inputKbps() { return netIn.average / 1024; }
    public double outputKbps() { return netOut.average / 1024; }

    /** CONFIG RESETSTAT. */
    public void reset() {
        ops.reset();
        netIn.reset();
        netOut.reset();
    }
}
