package io.moon.node.store;

import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The keyspace table of one database on one shard: extendible hashing over open-addressing
 * segments with Swiss-table style control bytes (the layout of Dragonfly's dashtable, in Java
 * arrays).
 *
 * <p>The top {@code globalDepth} bits of a key's 64-bit hash pick a directory cell, which points
 * to a segment; several cells share a segment whose {@code depth} is lower. Inside a segment of
 * 2^s slots the top s bits of the hash's low word ({@link #HOME_BITS} bits at most) pick a home
 * slot, so doubling a segment sends home h to 2h or 2h+1 and keeps homes in order (what
 * {@link #scan} relies on); linear probing finds the key; a control byte per slot holds
 * EMPTY, DELETED or 0x80 | 7 more hash bits, so most mismatches cost one byte compare. A full
 * segment doubles in place up to {@link #MAX_SLOTS}, then splits in two: growth costs at most one
 * segment's rehash at a time, never a stop to rehash the whole database. Per slot the table also
 * keeps an int clock for LRU/LFU.
 *
 * <p>Memory per slot: 1 control byte + 1 reference + 4 clock bytes; segments stay between 7/16
 * and 7/8 full.
 *
 * <p>Not thread-safe: owned by one shard's event loop. A lookup leaves its position in
 * {@code lastSegment}/{@code lastSlot} so the caller can touch or replace the entry without a
 * second probe; any insert or removal invalidates that position.
 */
public final class Dict {
    static final int HOME_BITS = 10;
    static final int MAX_SLOTS = 1 << HOME_BITS;
    private static final int MIN_SLOTS = 8;
    private static final byte EMPTY = 0, DELETED = 1;

    static final class Segment {
        int depth;
        /** 32 - log2(slots): {@code (int) h >>> homeShift} is a hash's home slot. */
        int homeShift;
        byte[] ctrl;
        Object[] entries;
        int[] clock;
        int used, deleted;

        Segment(int depth, int slots) {
            this.depth = depth;
            resize(slots);
        }

        void resize(int slots) {
            ctrl = new byte[slots];
            entries = new Object[slots];
            clock = new int[slots];
            homeShift = 32 - Integer.numberOfTrailingZeros(slots);
        }

        int mask() { return ctrl.length - 1; }

        int home(long h) { return (int) h >>> homeShift; }
    }

    private Segment[] dir = {new Segment(0, MIN_SLOTS)};
    private int globalDepth;
    private int size;
    private long tableBytes = segmentBytes(MIN_SLOTS) + directoryBytes(1);

    private Segment lastSegment;
    private int lastSlot;

    public int size() { return size; }

    /** Heap held by the table itself (not by entries). */
    public long tableMemory() { return tableBytes; }

    private Segment segmentFor(long h) {
        return globalDepth == 0 ? dir[0] : dir[(int) (h >>> (64 - globalDepth))];
    }

    private static byte tag(long h) { return (byte) (0x80 | ((h >>> 10) & 0x7f)); }

    /** Finds the entry whose key is {@code key[off, off+len)}; remembers its position. */
    public Object get(byte[] key, int off, int len, long h) {
        Segment s = segmentFor(h);
        byte t = tag(h);
        byte[] ctrl = s.ctrl;
        int mask = s.mask();
        int i = s.home(h);
        while (true) {
            byte c = ctrl[i];
            if (c == EMPTY) return null;
            if (c == t) {
                Object e = s.entries[i];
                if (Entries.keyEquals(e, key, off, len)) {
                    lastSegment = s;
                    lastSlot = i;
                    return e;
                }
            }
            i = (i + 1) & mask;
        }
    }

    /** Clock of the entry found by the last {@link #get}. */
    public int lastClock() { return lastSegment.clock[lastSlot]; }

    public void setLastClock(int clock) { lastSegment.clock[lastSlot] = clock; }

    /** Replaces the entry found by the last {@link #get} with one of the same key. */
    public void replaceLast(Object e) { lastSegment.entries[lastSlot] = e; }

    /** Removes the entry found by the last {@link #get}. */
    public void removeLast() {
        Segment s = lastSegment;
        s.ctrl[lastSlot] = DELETED;
        s.entries[lastSlot] = null;
        s.used--;
        s.deleted++;
        size--;
        lastSegment = null;
    }

    /**
     * Inserts {@code e} or replaces the entry with the same key. Returns the replaced entry or
     * null. The slot's clock is set to {@code clock}.
     */
    public Object put(Object e, long h, int clock) {
        byte[] kb;
        int ko, kl;
        if (e instanceof byte[] b) {
            kb = b;
            ko = Entries.keyOffset(b);
            kl = Entries.keyLength(b);
        } else {
            kb = ((ObjectEntry) e).key;
            ko = 0;
            kl = kb.length;
        }
        Object old = get(kb, ko, kl, h);
        if (old != null) {
            lastSegment.entries[lastSlot] = e;
            lastSegment.clock[lastSlot] = clock;
            return old;
        }
        Segment s = segmentFor(h);
        if (s.used + s.deleted + 1 > s.ctrl.length - (s.ctrl.length >>> 3)) {
            makeRoom(s, h);
            s = segmentFor(h);
        }
        insertNew(s, e, h, clock);
        size++;
        return null;
    }

    private void insertNew(Segment s, Object e, long h, int clock) {
        int mask = s.mask();
        int i = s.home(h);
        while (s.ctrl[i] < 0) i = (i + 1) & mask; // full slots have the sign bit set
        if (s.ctrl[i] == DELETED) s.deleted--;
        s.ctrl[i] = tag(h);
        s.entries[i] = e;
        s.clock[i] = clock;
        s.used++;
        lastSegment = s;
        lastSlot = i;
    }

    /** Removes the key; returns the removed entry or null. */
    public Object remove(byte[] key, int off, int len, long h) {
        Object e = get(key, off, len, h);
        if (e != null) removeLast();
        return e;
    }

    private void makeRoom(Segment s, long h) {
        int slots = s.ctrl.length;
        if (s.deleted > s.used / 2) {
            rebuild(s, slots); // mostly tombstones: same size, rebuilt
        } else if (slots < MAX_SLOTS) {
            rebuild(s, slots * 2);
        } else {
            split(s, h);
        }
    }

    private void rebuild(Segment s, int slots) {
        byte[] oldCtrl = s.ctrl;
        Object[] oldEntries = s.entries;
        int[] oldClock = s.clock;
        tableBytes += segmentBytes(slots) - segmentBytes(oldCtrl.length);
        s.resize(slots);
        s.used = 0;
        s.deleted = 0;
        for (int i = 0; i < oldCtrl.length; i++) {
            if (oldCtrl[i] < 0) insertNew(s, oldEntries[i], Entries.hashKey(oldEntries[i]), oldClock[i]);
        }
    }

    private void split(Segment s, long h) {
        if (s.depth == globalDepth) {
            Segment[] bigger = new Segment[dir.length * 2];
            for (int i = 0; i < dir.length; i++) {
                bigger[2 * i] = dir[i];
                bigger[2 * i + 1] = dir[i];
            }
            tableBytes += directoryBytes(bigger.length) - directoryBytes(dir.length);
            dir = bigger;
            globalDepth++;
        }
        int depth = s.depth + 1;
        Segment low = new Segment(depth, MAX_SLOTS);
        Segment high = new Segment(depth, MAX_SLOTS);
        tableBytes += segmentBytes(MAX_SLOTS);
        long bit = 1L << (63 - s.depth); // the hash bit that now tells the two halves apart
        for (int i = 0; i < s.ctrl.length; i++) {
            if (s.ctrl[i] < 0) {
                Object e = s.entries[i];
                long eh = Entries.hashKey(e);
                insertNew((eh & bit) == 0 ? low : high, e, eh, s.clock[i]);
            }
        }
        // The cells that pointed to s form one aligned run; its first half gets low, the rest high.
        int run = 1 << (globalDepth - s.depth);
        int first = (int) (h >>> (64 - globalDepth)) & ~(run - 1);
        for (int i = 0; i < run; i++) dir[first + i] = i < run / 2 ? low : high;
    }

    /** Calls {@code action} with every entry (order unspecified). Must not modify the table. */
    public void forEach(Consumer<Object> action) {
        Segment prev = null;
        for (Segment s : dir) {
            if (s == prev) continue;
            prev = s;
            // Directory cells of one segment are adjacent, so skipping repeats visits each once.
            for (int i = 0; i < s.ctrl.length; i++) if (s.ctrl[i] < 0) action.accept(s.entries[i]);
        }
    }

    /**
     * One step of SCAN: calls {@code action} with about {@code count} entries and returns the
     * cursor to continue from, or -1 when the table is done. A key present for the whole scan is
     * returned at least once whatever the table does between steps (grow, split, rebuild), and
     * the scan always ends; a key may come twice.
     *
     * <p>The cursor is [segment start: 32 bits of hash prefix][home: {@link #HOME_BITS} bits].
     * Segments are visited in hash-prefix order and only ever split, so the prefix moves
     * forward. Inside a segment, entries are returned in the order of their home slot, counted
     * in units of the largest segment: "homes below k are done" keeps its meaning when the
     * segment doubles (home h becomes 2h or 2h+1) or is rebuilt, since the home of a key does
     * not depend on where probing put it. A step stops only at an EMPTY slot: every entry whose
     * home is below that slot lies below it (a probe run has no EMPTY slot in it).
     */
    public long scan(long cursor, int count, Consumer<Object> action) {
        long prefix = cursor >>> HOME_BITS;
        int done = (int) cursor & (MAX_SLOTS - 1);
        int found = 0;
        long budget = Math.max(count, 1) * 10L;
        while (true) {
            Segment s = segmentFor(prefix << 32);
            int unit = HOME_BITS - (32 - s.homeShift); // log2 of home units per slot
            int mask = s.mask();
            int first = done >>> unit;
            for (int p = first; p <= mask; p++) {
                byte c = s.ctrl[p];
                if (c == EMPTY && p > first && (found >= count || budget <= 0)) {
                    return (prefix << HOME_BITS) | ((long) p << unit);
                }
                if (c < 0) {
                    int home = s.home(Entries.hashKey(s.entries[p]));
                    // home > p: the probe wrapped past the end; returned with the wrapped run below.
                    if (home >= first && home <= p) {
                        action.accept(s.entries[p]);
                        found++;
                    }
                }
                budget--;
            }
            // Entries whose probe wrapped from the last slots to the first ones.
            for (int p = 0; p <= mask && s.ctrl[p] != EMPTY; p++) {
                if (s.ctrl[p] < 0) {
                    int home = s.home(Entries.hashKey(s.entries[p]));
                    if (home > p && home >= first) {
                        action.accept(s.entries[p]);
                        found++;
                    }
                }
            }
            long span = 1L << (32 - s.depth);
            prefix = (prefix & ~(span - 1)) + span;
            done = 0;
            if (prefix >= (1L << 32)) return -1;
            if (found >= count || budget <= 0) return prefix << HOME_BITS;
        }
    }

    /**
     * The entries whose hash comes after {@code after} (unsigned; pass -1 with {@code start} to
     * begin), up to the end of one segment, sorted by hash, into {@code out}. Returns the last
     * hash given, or {@code after} when there were none in that segment; {@link #chunkDone}
     * tells when the table is done. Snapshots walk the table this way: "hash <= last given" means
     * "already written" whatever the table does between steps (grow, split, rebuild).
     */
    public long chunkAfter(long after, boolean start, java.util.List<Object> out) {
        long from = start ? 0 : after + 1;
        if (!start && after == -1L) return after; // nothing comes after the largest hash
        Segment s = segmentFor(from);
        java.util.List<long[]> found = new java.util.ArrayList<>();
        java.util.List<Object> entries = new java.util.ArrayList<>();
        for (int p = 0; p <= s.mask(); p++) {
            if (s.ctrl[p] < 0) {
                long h = Entries.hashKey(s.entries[p]);
                if (Long.compareUnsigned(h, from) >= 0 && segmentFor(h) == s) {
                    found.add(new long[] {h, entries.size()});
                    entries.add(s.entries[p]);
                }
            }
        }
        found.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        for (long[] f : found) out.add(entries.get((int) f[1]));
        // The segment covers hashes up to the end of its prefix range: the next chunk starts after it.
        long span = s.depth == 0 ? 0 : 1L << (64 - s.depth);
        long segmentEnd = s.depth == 0 ? -1L : (from & -span) + span - 1;
        lastChunkEnd = segmentEnd;
        return segmentEnd;
    }

    private long lastChunkEnd;

    /** True when the chunk just taken reached the end of the table. */
    public boolean chunkDone() { return lastChunkEnd == -1L; }

    /** A random entry, or null when empty. Each occupied slot is about equally likely. */
    public Object random(RandomGenerator rnd) {
        if (size == 0) return null;
        while (true) {
            Segment s = dir[rnd.nextInt(dir.length)];
            if (s.used == 0) continue;
            int mask = s.mask();
            int i = rnd.nextInt(s.ctrl.length);
            for (int n = 0; n < s.ctrl.length; n++, i = (i + 1) & mask) {
                if (s.ctrl[i] < 0) {
                    lastSegment = s;
                    lastSlot = i;
                    return s.entries[i];
                }
            }
        }
    }

    private static long segmentBytes(int slots) {
        return Jvm.objectSize(28) + Jvm.arraySize(slots) + Jvm.arraySize(slots, 4) + Jvm.arraySize(slots, 4);
    }

    private static long directoryBytes(int cells) { return Jvm.arraySize(cells, 4); }
}
