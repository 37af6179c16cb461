package io.moon.node.util;

import org.slf4j.Logger;

/**
 * Progress of long work (recovery, snapshots, RDB import) in the log every few seconds: done out
 * of total, rate, and time left.
 */
public final class Progress {
    private static final long EVERY_NANOS = 5_000_000_000L;

    private final Logger log;
    private final String what, unit;
    private final long total;
    private final long start = System.nanoTime();
    private long lastLog = start;

    public Progress(Logger log, String what, String unit, long total) {
        this.log = log;
        this.what = what;
        this.unit = unit;
        this.total = total;
    }

    /** Logs when the last line is a few seconds old. Thread-safe enough for one caller. */
    public void at(long done) {
        long now = System.nanoTime();
        if (now - lastLog < EVERY_NANOS) return;
        lastLog = now;
        double secs = (now - start) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        if (total > 0) {
            long left = rate > 0 ? (long) ((total - done) / rate) : -1;
            log.info("{}: {} of {} {} ({}%), {}/s, about {} s left", what, done, total, unit,
                    total == 0 ? 100 : done * 100 / total, (long) rate, left);
        } else {
            log.info("{}: {} {}, {}/s", what, done, unit, (long) rate);
        }
    }
}
