package io.moon.node.util;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Progress of long work (recovery, snapshots, RDB import) in the log every few seconds: done out
 * of total, rate, and time left. Several threads may add to one (shards recovering in parallel);
 * whichever adds after the interval has passed writes the line.
 */
public final class Progress {
    private static final long DEFAULT_EVERY_NANOS = 5_000_000_000L;

    private final Logger log;
    private final String what, unit;
    private final long total;
    private final long everyNanos;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(start);

    public Progress(Logger log, String what, String unit, long total) {
        this(log, what, unit, total, DEFAULT_EVERY_NANOS);
    }

    /** With another interval between lines (tests use a short one). */
    public Progress(Logger log, String what, String unit, long total, long everyNanos) {
        this.log = log;
        this.what = what;
        this.unit = unit;
        this.total = total;
        this.everyNanos = everyNanos;
    }

    /** Adds {@code n} to what is done. */
    public void add(long n) { report(done.addAndGet(n)); }

    /** Sets what is done (one caller that counts by itself). */
    public void at(long d) {
        done.set(d);
        report(d);
    }

    public long done() { return done.get(); }

    public long total() { return total; }

    private void report(long d) {
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last < everyNanos || !lastLog.compareAndSet(last, now)) return;
        double secs = (now - start) / 1e9;
        double rate = d / Math.max(secs, 1e-9);
        if (total > 0) {
            long left = rate > 0 ? (long) (Math.max(0, total - d) / rate) : -1;
            log.info("{}: {} of {} ({}%), {}/s, about {} s left", what, amount(d), amount(total),
                    Math.min(100, d * 100 / total), amount((long) rate), left);
        } else {
            log.info("{}: {}, {}/s", what, amount(d), amount((long) rate));
        }
    }

    /** Bytes in MB (what a reader compares with file sizes), anything else as counted. */
    private String amount(long n) { return unit.equals("bytes") ? (n >> 20) + " MB" : n + " " + unit; }
}
