package io.moon.node.store;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything one shard stores: its part of each numbered database, its cached clock, memory
 * accounting, eviction and active expiry.
 *
 * <p>Owned by one shard's event loop; a multi-shard transaction may use it from another thread
 * while the owner waits at the transaction's rendezvous (which orders the accesses).
 */
public final class Keyspace {
    public final int shard;
    private final Db[] dbs;
    public final KeyspaceStats stats = new KeyspaceStats();
    final SplittableRandom random = new SplittableRandom();
    private final Settings settings;
    private long nowMs = System.currentTimeMillis();
    /** Commands that change data since the last save (Redis's server.dirty), this shard. */
    public long dirty;
    /** False while a NO-TOUCH client's command runs. */
    boolean touch = true;
    private final List<byte[]> expireScratch = new ArrayList<>();
    private int nextExpireDb;
    private ExpiryListener expiryListener = (db, entry) -> {};
    private ExpiryListener evictionListener = (db, entry) -> {};
    private ReadyKeys readyKeys = (db, key) -> {};
    KeyNotifier notifier;
    /** True while CLIENT PAUSE keeps the dataset as it is: no expiry, no eviction. */
    private java.util.function.BooleanSupplier frozen = () -> false;
    /** Client-side caching: told of every changed key (null until the node sets it). */
    private ModifiedKeys modifiedKeys;
    /** Set while a snapshot of this shard is being written (see {@link SnapshotHook}). */
    SnapshotHook snapshotHook;
    /** Keys written while a multi-shard command runs (its log records are their end states). */
    private List<Object[]> tracked;

    /** Settings the keyspace reads on every write; held by the server's configuration. */
    public interface Settings {
        long maxmemoryPerShard();
        EvictionPolicy policy();
        int samples();
        int lfuLogFactor();
        int lfuDecayTime();
    }

    /** Told of every key removed by expiry (lazy or active) or eviction: keyspace events, replication. */
    public interface ExpiryListener {
        void expired(Db db, Object entry);
    }

    public Keyspace(int shard, int databases, Settings settings) {
        this.shard = shard;
        this.settings = settings;
        this.dbs = new Db[databases];
        for (int i = 0; i < databases; i++) dbs[i] = new Db(this, i);
    }

    public Db db(int index) { return dbs[index]; }
    public int databases() { return dbs.length; }

    public void expiryListener(ExpiryListener l) { this.expiryListener = l; }

    void keyExpired(Db db, Object entry) {
        expiryListener.expired(db, entry);
        if (Db.isStream(entry)) streamGone(db, Entries.key(entry));
    }

    public void evictionListener(ExpiryListener l) { this.evictionListener = l; }

    public void readyKeys(ReadyKeys r) { this.readyKeys = r; }

    public void notifier(KeyNotifier n) { this.notifier = n; }

    public void modifiedKeys(ModifiedKeys m) { this.modifiedKeys = m; }

    public void frozen(java.util.function.BooleanSupplier f) { this.frozen = f; }

    /**
     * True while clients are paused (CLIENT PAUSE): keys are neither expired nor evicted, an
     * expired key only reads as missing (Redis's checkClientPauseTimeoutAndReturnIfPaused).
     */
    public boolean frozen() { return frozen.getAsBoolean(); }

    /** Redis's signalModifiedKey, for client-side caching: the key changed, in any database. */
    void signalModified(byte[] k, int off, int len) {
        ModifiedKeys m = modifiedKeys;
        if (m != null && m.wanted()) m.modified(k, off, len);
    }

    /** As {@link #signalModified(byte[], int, int)} for a stored entry: its key is copied only when wanted. */
    void signalModified(Object entry) {
        ModifiedKeys m = modifiedKeys;
        if (m != null && m.wanted()) {
            byte[] key = Entries.key(entry);
            m.modified(key, 0, key.length);
        }
    }

    /** Starts (hook) or ends (null) a snapshot's copy-before-write. On the shard's loop. */
    public void snapshotHook(SnapshotHook h) { this.snapshotHook = h; }

    /** Starts (or stops, returning them) noting the keys written: {Db, key bytes} pairs. */
    public List<Object[]> track(boolean on) {
        List<Object[]> out = tracked;
        tracked = on ? new ArrayList<>() : null;
        return out;
    }

    boolean tracking() { return tracked != null; }

    void noteWrite(Db db, byte[] k, int off, int len) {
        if (tracked != null) tracked.add(new Object[] {db, java.util.Arrays.copyOfRange(k, off, off + len)});
    }

    /** A key of a collection type was created or replaced: blocked clients may be served (dbAdd). */
    void keyCreated(Db db, byte[] key) { readyKeys.signalReady(db.index, key); }

    /**
     * A stream was deleted or overwritten: clients blocked in XREADGROUP on it must be told (Redis
     * signals the key from dbGenericDelete and dbOverwrite).
     */
    void streamGone(Db db, byte[] key) { readyKeys.signalReady(db.index, key); }

    /** Every waited-on key of the database may have changed (flush, swap). */
    void databaseChanged(Db db) { readyKeys.signalDatabase(db.index); }

    void keyEvicted(Db db, Object entry) {
        evictionListener.expired(db, entry);
        if (Db.isStream(entry)) streamGone(db, Entries.key(entry));
    }

    /** The cached clock (Unix ms), refreshed by the loop once per batch of work. */
    public long now() { return nowMs; }

    public void updateClock() { nowMs = System.currentTimeMillis(); }

    /** For tests and DEBUG SET-ACTIVE-EXPIRE-like control of time. */
    public void setClock(long ms) { nowMs = ms; }

    public void touch(boolean enabled) { this.touch = enabled; }

    /** Heap held by this shard's data. */
    public long usedMemory() {
        long sum = 0;
        for (Db d : dbs) sum += d.memory();
        return sum;
    }

    public long keys() {
        long n = 0;
        for (Db d : dbs) n += d.size();
        return n;
    }

    int newClock() {
        return settings.policy().lfu() ? AccessClock.lfuNew(nowMs) : AccessClock.lru(nowMs);
    }

    int touchedClock(int old) {
        if (settings.policy().lfu()) {
            return AccessClock.lfuTouch(old, nowMs, settings.lfuLogFactor(), settings.lfuDecayTime(), random);
        }
        return AccessClock.lru(nowMs);
    }

    public boolean lfuPolicy() { return settings.policy().lfu(); }
    public int lfuDecayTime() { return settings.lfuDecayTime(); }

    /** True when this shard is over its share of maxmemory (0 = no limit). */
    public boolean overMemoryLimit() {
        long limit = settings.maxmemoryPerShard();
        return limit > 0 && usedMemory() > limit;
    }

    /**
     * Frees memory by the configured policy until this shard is within its share of maxmemory.
     * Returns false when it cannot (noeviction, or nothing left to evict): the caller answers
     * write commands with Redis's OOM error.
     */
    public boolean evictIfNeeded() {
        if (!overMemoryLimit() || frozen()) return true;
        return Evictor.evict(this, settings.policy(), settings.samples(), settings.maxmemoryPerShard());
    }

    /**
     * Redis's activeExpireCycle (slow cycle): per database, repeat sampling keys with an expiry
     * while more than 10% of a sample had expired, within a time budget.
     */
    public void activeExpireCycle(long budgetMicros) {
        long start = System.nanoTime();
        long deadline = start + budgetMicros * 1000;
        long sampledTotal = 0, expiredTotal = 0;
        for (int j = 0; j < dbs.length; j++) {
            // Start where the last cycle stopped, so a database that keeps using up the time
            // budget does not starve the ones after it (Redis's current_db).
            Db db = dbs[nextExpireDb];
            nextExpireDb = (nextExpireDb + 1) % dbs.length;
            while (db.expiresSize() > 0) {
                int[] r = db.activeExpireStep(20, expireScratch);
                sampledTotal += r[0];
                expiredTotal += r[1];
                // An empty stretch of a sparse table (sampled 0) goes on to the next stretch, as
                // Redis's loop does; otherwise stop once at most 10% of the sample had expired.
                if (r[0] > 0 && r[1] * 10 <= r[0]) break;
                if (System.nanoTime() > deadline) {
                    stats.expiredTimeCapReached++;
                    return;
                }
            }
        }
        stats.expireCycles++;
        if (sampledTotal > 0) stats.expiredStalePercSum += expiredTotal * 100 / sampledTotal;
    }
}
