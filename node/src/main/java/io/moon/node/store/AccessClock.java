package io.moon.node.store;

/**
 * The per-key access clock that LRU and LFU eviction read, in Redis's encodings (evict.c):
 * LRU is a 24-bit clock in seconds; LFU packs the last decrement time in minutes (16 bits) above
 * a logarithmic access counter (8 bits).
 */
public final class AccessClock {
    private AccessClock() {}

    public static final int LRU_MAX = (1 << 24) - 1;
    public static final int LFU_INIT = 5;

    public static int lru(long nowMs) { return (int) ((nowMs / 1000) & LRU_MAX); }

    /** Seconds since the LRU clock {@code lru} (wraps as Redis's estimateObjectIdleTime). */
    public static long idleSeconds(int lru, long nowMs) {
        int now = lru(nowMs);
        return now >= lru ? now - lru : (LRU_MAX - lru) + now;
    }

    public static int lfuNew(long nowMs) { return (minutes(nowMs) << 8) | LFU_INIT; }

    public static int lfuCounter(int lfu) { return lfu & 0xff; }

    /** Redis's LFUDecrAndReturn: the counter after decay by elapsed periods. */
    public static int lfuDecayed(int lfu, long nowMs, int decayMinutes) {
        int ldt = lfu >>> 8;
        int counter = lfu & 0xff;
        int elapsed = elapsedMinutes(ldt, nowMs);
        int periods = decayMinutes > 0 ? elapsed / decayMinutes : 0;
        return periods > counter ? 0 : counter - periods;
    }

    /** Redis's updateLFU: decay, then a logarithmic increment. */
    public static int lfuTouch(int lfu, long nowMs, int logFactor, int decayMinutes, java.util.random.RandomGenerator rnd) {
        int counter = lfuDecayed(lfu, nowMs, decayMinutes);
        if (counter < 255) {
            double baseval = counter - LFU_INIT;
            if (baseval < 0) baseval = 0;
            double p = 1.0 / (baseval * logFactor + 1);
            if (rnd.nextDouble() < p) counter++;
        }
        return (minutes(nowMs) << 8) | counter;
    }

    private static int minutes(long nowMs) { return (int) ((nowMs / 60000) & 0xffff); }

    private static int elapsedMinutes(int ldt, long nowMs) {
        int now = minutes(nowMs);
        return now >= ldt ? now - ldt : 65535 - ldt + now;
    }
}
