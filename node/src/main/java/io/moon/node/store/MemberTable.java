package io.moon.node.store;

import java.util.function.Consumer;

/**
 * The member index of a large sorted set: an open-addressing hash set of {@link ScoredElement}
 * arrays keyed by their member bytes, so ZSCORE, ZADD's lookup and ZREM find a member in O(1)
 * and read its score from the element itself (Redis keeps a dict member -> score pointer).
 *
 * <p>Linear probing with one control byte per slot (EMPTY, DELETED, or 0x80 | 7 hash bits, as
 * {@link Dict}), so most mismatches cost a byte compare. A member's home slot is the top bits of
 * its 64-bit {@link KeyHash}: doubling or halving the table keeps homes in hash order, which is
 * what lets {@link #scan}'s cursor survive resizes. The table stays between 1/8 and 13/16 full;
 * tombstones are cleared by rebuilding. Memory per slot: 1 control byte + 1 reference.
 *
 * <p>Not thread-safe: owned by the shard that owns the key.
 */
final class MemberTable {
    private static final byte EMPTY = 0, DELETED = 1;
    private static final int MIN_SLOTS = 8;
    /** Cursor positions are kept at this many bits of hash, whatever the table size. */
    private static final int CURSOR_BITS = 32;
    private static final int MAX_BITS = 30;

    private byte[] ctrl;
    private byte[][] slots;
    /** 64 - log2(slots): {@code h >>> shift} is a hash's home slot. */
    private int shift;
    private int used, deleted;

    MemberTable() { this(MIN_SLOTS); }

    /** A table sized for {@code expected} members without growing. */
    MemberTable(int expected) { resize(slotsFor(expected)); }

    private static int slotsFor(int expected) {
        int need = Math.max(MIN_SLOTS, (int) Math.min(1L << MAX_BITS, expected * 16L / 13 + 1));
        return Math.min(1 << MAX_BITS, Integer.highestOneBit(need - 1) << 1);
    }

    private void resize(int n) {
        ctrl = new byte[n];
        slots = new byte[n][];
        shift = 64 - Integer.numberOfTrailingZeros(n);
        used = 0;
        deleted = 0;
    }

    int size() { return used; }

    /**
     * Slots in use (members and tombstones) that make the table grow: 13/16. Linear probing that
     * full costs about 3 probes for a hit and 15 for a miss, but a probe is one control byte and
     * they are contiguous, so a miss stays within a cache line or two.
     */
    private static int maxFill(int slots) { return (int) ((slots * 13L) >>> 4); }

    /** Heap held by the table itself (the elements are counted by their owner). */
    long memory() { return Jvm.objectSize(16) + Jvm.arraySize(ctrl.length) + Jvm.arraySize(slots.length, 4); }

    private static byte tag(long h) { return (byte) (0x80 | (h & 0x7f)); }

    private int home(long h) { return (int) (h >>> shift); }

    /** The element whose member is {@code m[off, off+len)}, or null. */
    byte[] get(byte[] m, int off, int len) {
        int i = find(m, off, len, KeyHash.hash(m, off, len));
        return i < 0 ? null : slots[i];
    }

    private int find(byte[] m, int off, int len, long h) {
        byte t = tag(h);
        int mask = ctrl.length - 1;
        int i = home(h);
        while (true) {
            byte c = ctrl[i];
            if (c == EMPTY) return -1;
            if (c == t && ScoredElement.memberEquals(slots[i], m, off, len)) return i;
            i = (i + 1) & mask;
        }
    }

    /** Adds an element whose member is not in the table. */
    void add(byte[] e) {
        if (used + deleted + 1 > maxFill(ctrl.length)) {
            rebuild(deleted > used / 2 ? ctrl.length : Math.min(1 << MAX_BITS, ctrl.length * 2));
        }
        insertNew(e, hash(e));
    }

    private static long hash(byte[] e) {
        return KeyHash.hash(e, ScoredElement.MEMBER_OFFSET, ScoredElement.memberLength(e));
    }

    private void insertNew(byte[] e, long h) {
        int mask = ctrl.length - 1;
        int i = home(h);
        while (ctrl[i] < 0) i = (i + 1) & mask; // full slots have the sign bit set
        if (ctrl[i] == DELETED) deleted--;
        ctrl[i] = tag(h);
        slots[i] = e;
        used++;
    }

    /** Removes and returns the element whose member is {@code m[off, off+len)}, or null. */
    byte[] remove(byte[] m, int off, int len) {
        int i = find(m, off, len, KeyHash.hash(m, off, len));
        if (i < 0) return null;
        byte[] e = slots[i];
        ctrl[i] = DELETED;
        slots[i] = null;
        used--;
        deleted++;
        if (ctrl.length > MIN_SLOTS && used < ctrl.length >>> 3) rebuild(slotsFor(used));
        return e;
    }

    private void rebuild(int n) {
        byte[] oldCtrl = ctrl;
        byte[][] oldSlots = slots;
        resize(n);
        for (int i = 0; i < oldCtrl.length; i++) if (oldCtrl[i] < 0) insertNew(oldSlots[i], hash(oldSlots[i]));
    }

    /** Every element, in slot order. Must not modify the table. */
    void forEach(Consumer<byte[]> action) {
        for (int i = 0; i < ctrl.length; i++) if (ctrl[i] < 0) action.accept(slots[i]);
    }

    /**
     * One ZSCAN step: calls {@code action} with about {@code count} elements and returns the
     * cursor to continue from, 0 when the scan is done. An element present for the whole scan is
     * returned at least once whatever the table does between steps (grow, shrink, rebuild); an
     * element may come twice.
     *
     * <p>The cursor is a position in a {@value #CURSOR_BITS}-bit hash-prefix space: "elements
     * whose home is below it are done". That keeps its meaning across resizes because homes are
     * hash prefixes. A step stops only at an EMPTY slot: every element whose home is below that
     * slot lies below it, since an EMPTY slot was never filled and so no probe run crosses it.
     * Elements whose probe wrapped from the last slots to the first are returned with the last
     * step. As {@link Dict#scan}, over one table.
     */
    long scan(long cursor, int count, Consumer<byte[]> action) {
        if (cursor < 0 || cursor >= (1L << CURSOR_BITS)) return 0;
        int bits = 64 - shift;
        int unit = CURSOR_BITS - bits;
        int mask = ctrl.length - 1;
        int first = (int) (cursor >>> unit);
        int found = 0;
        long budget = Math.max(count, 1) * 10L;
        for (int p = first; p <= mask; p++) {
            byte c = ctrl[p];
            if (c == EMPTY && p > first && (found >= count || budget <= 0)) return (long) p << unit;
            if (c < 0) {
                int home = home(hash(slots[p]));
                // home > p: the probe wrapped past the end; returned with the wrapped run below.
                if (home >= first && home <= p) {
                    action.accept(slots[p]);
                    found++;
                }
            }
            budget--;
        }
        for (int p = 0; p <= mask && ctrl[p] != EMPTY; p++) {
            if (ctrl[p] < 0) {
                int home = home(hash(slots[p]));
                if (home > p && home >= first) action.accept(slots[p]);
            }
        }
        return 0;
    }
}
