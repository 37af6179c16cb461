package io.moon.node.store;

import io.moon.node.store.stream.StreamValue;
import java.util.ArrayList;
import java.util.List;

/**
 * One numbered database (SELECT n) on one shard: the key table plus a second table of the keys
 * that have an expiry, as Redis keeps {@code db->dict} and {@code db->expires}. Both hold the
 * same entry objects; the expiry time lives in the entry.
 *
 * <p>Owned by the shard's event loop (or by the thread running a multi-shard transaction while
 * that loop waits). Reads expire keys lazily ({@code now > expireAt}, as Redis's keyIsExpired).
 */
public final class Db {
    final Keyspace ks;
    public final int index;
    Dict main = new Dict();
    Dict expires = new Dict();
    /** Bytes held by entries (tables are counted by {@link #memory()}). */
    long entryBytes;
    /** Where active expiry continues in {@link #expires}. */
    long expireCursor;
    /** Keys clients WATCH; null until the first WATCH on this database. */
    private WatchedKeys watched;

    Db(Keyspace ks, int index) {
        this.ks = ks;
        this.index = index;
    }

    /** Index of the shard this database belongs to. */
    public int shard() { return ks.shard; }

    public int size() { return main.size(); }
    public int expiresSize() { return expires.size(); }
    public long memory() { return entryBytes + main.tableMemory() + expires.tableMemory(); }
    /** Bytes of the key table itself and of the expiry table (MEMORY STATS's hashtable overheads). */
    public long mainTableMemory() { return main.tableMemory(); }
    public long expiresTableMemory() { return expires.tableMemory(); }

    /**
     * Redis's lookupKeyRead: the live entry or null, counting a hit or miss and updating the
     * access clock.
     */
    public Object lookupRead(byte[] k, int off, int len) {
        Object e = lookup(k, off, len, true);
        if (e == null) {
            ks.stats.keyspaceMisses++;
            KeyNotifier n = ks.notifier;
            if (n != null && n.enabled(KeyNotifier.KEY_MISS)) n.publish(KeyNotifier.KEY_MISS, "keymiss", index, java.util.Arrays.copyOfRange(k, off, off + len));
        } else {
            ks.stats.keyspaceHits++;
        }
        return e;
    }

    /**
     * Redis's lookupKeyReadWithFlags(LOOKUP_NOTOUCH): counts a hit or miss but leaves the access
     * clock alone (EXISTS, TYPE, TTL, OBJECT).
     */
    public Object lookupReadNoTouch(byte[] k, int off, int len) {
        Object e = lookup(k, off, len, false);
        if (e == null) ks.stats.keyspaceMisses++;
        else ks.stats.keyspaceHits++;
        return e;
    }

    /** Redis's lookupKeyWrite: the live entry or null, updating the access clock. */
    public Object lookupWrite(byte[] k, int off, int len) {
        if (ks.snapshotHook != null) ks.snapshotHook.beforeWrite(this, k, off, len, KeyHash.hash(k, off, len));
        return lookup(k, off, len, true);
    }

    /** The live entry or null, with no side effect but lazy expiry. */
    public Object peek(byte[] k, int off, int len) {
        return lookup(k, off, len, false);
    }

    public Object peek(byte[] k) { return peek(k, 0, k.length); }

    private Object lookup(byte[] k, int off, int len, boolean touch) {
        long h = KeyHash.hash(k, off, len);
        Object e = main.get(k, off, len, h);
        if (e == null) return null;
        if (Entries.hasExpire(e) && ks.now() > Entries.expireAt(e)) {
            if (ks.frozen()) return null; // paused clients: expired for readers, removed once unpaused
            if (ks.snapshotHook != null) {
                ks.snapshotHook.beforeWrite(this, k, off, len, h);
                main.get(k, off, len, h); // the hook may have probed the table: find the entry again
            }
            main.removeLast();
            expires.remove(k, off, len, h);
            entryBytes -= Entries.accounted(e);
            ks.stats.expiredKeys++;
            ks.keyExpired(this, e);
            touchWatched(k, off, len, false);
            ks.signalModified(k, off, len);
            return null;
        }
        if (touch && ks.touch) main.setLastClock(ks.touchedClock(main.lastClock()));
        return e;
    }

    /** Access clock of a live key (OBJECT IDLETIME/FREQ); -1 when the key does not exist. */
    public int clockOf(byte[] k, int off, int len) {
        long h = KeyHash.hash(k, off, len);
        Object e = main.get(k, off, len, h);
        return e == null ? -1 : main.lastClock();
    }

    /**
     * Inserts or replaces the key of {@code entry}. A replaced key keeps its access clock
     * refreshed; the expiry is whatever {@code entry} carries.
     */
    public void set(Object entry) { set(entry, ks.newClock()); }

    /**
     * As {@link #set(Object)}, with the access clock given: a key moved by RENAME or MOVE keeps
     * its idle time and frequency, as the moved object does in Redis.
     */
    public void set(Object entry, int clock) {
        long h = Entries.hashKey(entry);
        if (ks.snapshotHook != null) {
            byte[] key = Entries.key(entry);
            ks.snapshotHook.beforeWrite(this, key, 0, key.length, h);
        }
        Object old = main.put(entry, h, clock);
        if (old != null) {
            entryBytes -= Entries.accounted(old);
            if (isStream(old)) ks.streamGone(this, Entries.key(entry));
            if (Entries.hasExpire(old) && !Entries.hasExpire(entry)) {
                byte[] key = Entries.key(entry);
                expires.remove(key, 0, key.length, h);
            }
        }
        entryBytes += Entries.account(entry);
        if (Entries.hasExpire(entry)) expires.put(entry, h, 0);
        ks.dirty++;
        if (old == null) {
            KeyNotifier n = ks.notifier;
            if (n != null && n.enabled(KeyNotifier.NEW)) n.publish(KeyNotifier.NEW, "new", index, Entries.key(entry));
        }
        if (watched != null) {
            byte[] key = Entries.key(entry);
            touchWatched(key, 0, key.length, true);
        }
        // As Redis's dbAdd: a new list, sorted set or stream may serve blocked clients.
        if (entry instanceof ObjectEntry oe) ks.keyCreated(this, oe.key);
        if (ks.tracking()) {
            byte[] key = Entries.key(entry);
            ks.noteWrite(this, key, 0, key.length);
        }
        ks.signalModified(entry);
    }

    /** Deletes the key; returns the removed entry or null. */
    public Object delete(byte[] k, int off, int len) {
        long h = KeyHash.hash(k, off, len);
        if (ks.snapshotHook != null) ks.snapshotHook.beforeWrite(this, k, off, len, h);
        Object e = main.remove(k, off, len, h);
        if (e == null) return null;
        if (Entries.hasExpire(e)) {
            expires.remove(k, off, len, h);
            if (ks.now() > Entries.expireAt(e)) {
                // Logically gone already: this is the lazy expiry, not a delete.
                entryBytes -= Entries.accounted(e);
                ks.stats.expiredKeys++;
                ks.keyExpired(this, e);
                touchWatched(k, off, len, false);
                ks.signalModified(k, off, len);
                return null;
            }
        }
        entryBytes -= Entries.accounted(e);
        ks.dirty++;
        touchWatched(k, off, len, false);
        ks.noteWrite(this, k, off, len);
        ks.signalModified(k, off, len);
        if (isStream(e)) ks.streamGone(this, ((ObjectEntry) e).key);
        return e;
    }

    public Object delete(byte[] k) { return delete(k, 0, k.length); }

    /** A stream going away wakes its XREADGROUP waiters (Redis signals it from dbGenericDelete/dbOverwrite). */
    static boolean isStream(Object e) { return e instanceof ObjectEntry oe && oe.value instanceof StreamValue; }

    /**
     * Sets or clears ({@link Entries#NO_EXPIRE}) the expiry of an existing live key; returns
     * false when the key does not exist.
     */
    public boolean setExpire(byte[] k, int off, int len, long expireAt) {
        if (ks.snapshotHook != null) ks.snapshotHook.beforeWrite(this, k, off, len, KeyHash.hash(k, off, len));
        Object e = peek(k, off, len);
        if (e == null) return false;
        if (e instanceof byte[] b) {
            set(Entries.withExpire(b, expireAt));
        } else {
            ObjectEntry oe = (ObjectEntry) e;
            long h = KeyHash.hash(k, off, len);
            boolean had = oe.expireAt != Entries.NO_EXPIRE;
            oe.expireAt = expireAt;
            if (expireAt == Entries.NO_EXPIRE) {
                if (had) expires.remove(k, off, len, h);
            } else if (!had) {
                expires.put(oe, h, 0);
            }
            ks.dirty++;
            touchWatched(k, off, len, true);
            ks.noteWrite(this, k, off, len);
            ks.signalModified(k, off, len);
        }
        return true;
    }

    /**
     * After a command changed the value of the key in place (a collection's element): Redis's
     * signalModifiedKey. Writes through {@link #set}, {@link #delete} and {@link #setExpire} do it
     * themselves.
     */
    public void keyModified(byte[] k, int off, int len) {
        ks.dirty++;
        touchWatched(k, off, len, true);
        ks.noteWrite(this, k, off, len);
        ks.signalModified(k, off, len);
    }

    /**
     * After a command changed a collection in place: re-counts its memory, tells watchers, counts
     * the change, and removes the key when the value became empty (Redis deletes empty lists,
     * sets, hashes and sorted sets). Returns false when the key was removed.
     */
    public boolean valueChanged(byte[] k, int off, int len) {
        long h = KeyHash.hash(k, off, len);
        Object e = main.get(k, off, len, h);
        if (!(e instanceof ObjectEntry oe)) return e != null;
        if (oe.value instanceof TypedValue tv && tv.isEmpty()) {
            delete(k, off, len);
            return false;
        }
        long now = oe.memoryUsage();
        entryBytes += now - oe.accounted;
        oe.accounted = now;
        keyModified(k, off, len);
        return true;
    }

    /**
     * After a command changed a value in place in a way Redis does not signal as a modification
     * (a stream's consumer groups: XREADGROUP, XACK, XCLAIM, XGROUP): re-counts its memory and
     * counts the change (and notes it for a multi-shard command's logged end states), without
     * telling WATCHers.
     */
    public void valueResized(byte[] k, int off, int len) {
        Object e = main.get(k, off, len, KeyHash.hash(k, off, len));
        if (!(e instanceof ObjectEntry oe)) return;
        long now = oe.memoryUsage();
        entryBytes += now - oe.accounted;
        oe.accounted = now;
        ks.dirty++;
        ks.noteWrite(this, k, off, len);
    }

    private void touchWatched(byte[] k, int off, int len, boolean exists) {
        if (watched != null && !watched.isEmpty()) watched.touch(k, off, len, exists);
    }

    /** WATCH: {@code w} is told (with {@code epoch}) when the key changes. */
    public void watch(byte[] key, Watcher w, long epoch) {
        if (watched == null) watched = new WatchedKeys();
        watched.add(key, w, epoch, expiredButPresent(key));
    }

    /** Drops w's watches on key from epochs up to lastEpoch (UNWATCH, EXEC, DISCARD, disconnect). */
    public void unwatch(byte[] key, Watcher w, long lastEpoch) {
        if (watched != null) watched.remove(key, w, lastEpoch);
    }

    /** True when the key is in the table but its expiry has passed (not yet removed). */
    public boolean expiredButPresent(byte[] key) {
        Object e = main.get(key, 0, key.length, KeyHash.hash(key, 0, key.length));
        return e != null && Entries.hasExpire(e) && ks.now() > Entries.expireAt(e);
    }

    private boolean present(Dict d, byte[] key) {
        return d.get(key, 0, key.length, KeyHash.hash(key, 0, key.length)) != null;
    }

    /** Removes every key. */
    public void clear() {
        if (ks.snapshotHook != null) ks.snapshotHook.beforeWholeDb(this);
        if (watched != null && !watched.isEmpty()) {
            Dict before = main;
            watched.touchAll(key -> present(before, key), null);
        }
        main = new Dict();
        expires = new Dict();
        entryBytes = 0;
        expireCursor = 0;
        ks.databaseChanged(this);
    }

    /** Exchanges the contents of two databases of this shard (SWAPDB). */
    public void swapWith(Db other) {
        if (ks.snapshotHook != null) {
            ks.snapshotHook.beforeWholeDb(this);
            ks.snapshotHook.beforeWholeDb(other);
        }
        Dict mine = main, theirs = other.main;
        if (watched != null && !watched.isEmpty()) watched.touchAll(key -> present(mine, key), key -> present(theirs, key));
        if (other.watched != null && !other.watched.isEmpty()) {
            other.watched.touchAll(key -> present(theirs, key), key -> present(mine, key));
        }
        Dict m = main, x = expires;
        long b = entryBytes, c = expireCursor;
        main = other.main;
        expires = other.expires;
        entryBytes = other.entryBytes;
        expireCursor = other.expireCursor;
        other.main = m;
        other.expires = x;
        other.entryBytes = b;
        other.expireCursor = c;
        ks.databaseChanged(this);
        ks.databaseChanged(other);
    }

    /** Every live key's entry (KEYS); expired keys found on the way are skipped. */
    public void forEachLive(java.util.function.Consumer<Object> action) {
        long now = ks.now();
        main.forEach(e -> {
            if (!Entries.hasExpire(e) || now <= Entries.expireAt(e)) action.accept(e);
        });
    }

    /**
     * One SCAN step over this database; see {@link Dict#scan}. Expired keys met on the way are
     * removed afterwards (the table must not change during the step), as Redis's SCAN expires
     * the keys it returns.
     */
    public long scan(long cursor, int count, java.util.function.Consumer<Object> action) {
        long now = ks.now();
        List<byte[]> expired = new ArrayList<>(0);
        long next = main.scan(cursor, count, e -> {
            if (!Entries.hasExpire(e) || now <= Entries.expireAt(e)) action.accept(e);
            else expired.add(Entries.key(e));
        });
        for (byte[] k : expired) peek(k);
        return next;
    }

    /** A random live key's entry, or null (RANDOMKEY); expired keys met are removed. */
    public Object randomLive() {
        for (int tries = 0; tries < 100 && main.size() > 0; tries++) {
            Object e = main.random(ks.random);
            byte[] key = Entries.key(e);
            if (peek(key) != null) return e;
        }
        return null;
    }

    /**
     * One pass of active expiry over up to {@code count} keys with an expiry, as Redis's
     * activeExpireCycle does per database. Returns {sampled, expired}.
     */
    int[] activeExpireStep(int count, List<byte[]> scratch) {
        if (expires.size() == 0) return new int[] {0, 0};
        long now = ks.now();
        scratch.clear();
        int[] sampled = {0};
        long next = expires.scan(expireCursor, count, e -> {
            sampled[0]++;
            if (now > Entries.expireAt(e)) scratch.add(Entries.key(e));
        });
        expireCursor = next < 0 ? 0 : next;
        int expired = 0;
        for (byte[] k : scratch) {
            if (peek(k) == null) expired++; // peek expires it
        }
        return new int[] {sampled[0], expired};
    }

    /** Samples up to {@code n} entries from all keys or from keys with an expiry. */
    void sample(boolean volatileOnly, int n, List<Object> out) {
        Dict d = volatileOnly ? expires : main;
        for (int i = 0; i < n && d.size() > 0; i++) out.add(d.random(ks.random));
    }

    /**
     * Snapshot walk: the entries after hash {@code after} up to the end of one table segment,
     * sorted by hash, with no side effect (no expiry, no clock). See {@link Dict#chunkAfter}.
     */
    public long snapshotChunk(long after, boolean start, List<Object> out) { return main.chunkAfter(after, start, out); }

    public boolean snapshotChunkDone() { return main.chunkDone(); }

    /** The live entry of a key for a snapshot: no expiry, no clock, no statistics. */
    public Object peekRaw(byte[] k, int off, int len, long h) { return main.get(k, off, len, h); }

    /** All entries, for tests and DEBUG-like introspection. */
    public List<Object> entries() {
        List<Object> out = new ArrayList<>();
        main.forEach(out::add);
        return out;
    }

    /**
     * Average remaining time to live (ms) of keys with an expiry, estimated from up to
     * {@code samples} random ones (INFO keyspace avg_ttl; Redis's figure is an estimate from
     * its active-expire samples too). 0 when no key has an expiry.
     */
    public long estimateAvgTtl(int samples) {
        if (expires.size() == 0) return 0;
        long now = ks.now(), sum = 0;
        int n = 0;
        for (int i = 0; i < samples; i++) {
            long ttl = Entries.expireAt(expires.random(ks.random)) - now;
            if (ttl > 0) {
                sum += ttl;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
