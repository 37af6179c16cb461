package io.moon.node.store;

import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * The large encoding of sets and hashes (Redis's "hashtable"): an open-addressing table of
 * {@code byte[]} elements, one array per element and no other object per element. A set's element
 * is the member itself; a hash's element is {@code [Varint field length][field][value]}, so a
 * field and its value cost one array between them.
 *
 * <p>Layout: {@code elems} holds the arrays and {@code ctrl} one byte per slot, 0 for an empty
 * slot or {@code 0x80 | 7 bits of the hash}, so most mismatches cost a byte compare. Linear
 * probing from the home slot, which is the TOP bits of the 64-bit hash: doubling the table sends
 * home h to 2h or 2h+1, so the order of homes survives every resize, which {@link #scan}'s cursor
 * relies on. Removal shifts the following run back (no tombstones), so every probe run ends at an
 * empty slot. The table grows past 3/4 full and shrinks below 1/8 (Redis's htNeedsResize), which
 * also keeps {@link #randomSlot}'s rejection sampling short.
 *
 * <p>Element arrays are never changed once in the table (a new value is a new array), so a copy
 * may share them. Not thread-safe: owned by the shard that owns the key.
 */
final class ElementTable {
    static final int MIN_CAPACITY = 4;
    /** Largest capacity: Java arrays stop just short of 2^31 slots. */
    private static final int MAX_CAPACITY = 1 << 30;
    /** Scan cursors count homes in units of a table of 2^32 slots (see {@link #scan}). */
    private static final int CURSOR_BITS = 32;

    /** True for hash pairs ([len][field][value]), false for set members. */
    private final boolean pairs;
    private byte[] ctrl;
    private byte[][] elems;
    private int size;
    /** 64 - log2(capacity): {@code h >>> shift} is the home slot of hash h. */
    private int shift;
    /** Heap held by the element arrays. */
    private long elementBytes;

    ElementTable(boolean pairs, int expected) {
        this.pairs = pairs;
        int cap = MIN_CAPACITY;
        while (cap < MAX_CAPACITY && (long) expected * 4 > (long) cap * 3) cap <<= 1;
        allocate(cap);
    }

    private ElementTable(ElementTable o) {
        pairs = o.pairs;
        ctrl = o.ctrl.clone();
        elems = o.elems.clone();
        size = o.size;
        shift = o.shift;
        elementBytes = o.elementBytes;
    }

    private void allocate(int cap) {
        ctrl = new byte[cap];
        elems = new byte[cap][];
        shift = 64 - Integer.numberOfTrailingZeros(cap);
    }

    /** An independent table with the same elements (they are immutable, so shared). */
    ElementTable copy() { return new ElementTable(this); }

    int size() { return size; }

    int capacity() { return ctrl.length; }

    long memoryUsage() {
        return Jvm.objectSize(24) + Jvm.arraySize(ctrl.length) + Jvm.arraySize(ctrl.length, 4) + elementBytes;
    }

    // ---------------------------------------------------------------- element layout

    /** Offset of the key (member, or field) inside an element. */
    int keyOffset(byte[] e) { return pairs ? Packed.data(e, 0) : 0; }

    /** Length of the key (member, or field) of an element. */
    int keyLength(byte[] e) { return pairs ? Packed.length(e, 0) : e.length; }

    private long hashOf(byte[] e) {
        int ko = keyOffset(e);
        return KeyHash.hash(e, ko, keyLength(e) );
    }

    private static byte tag(long h) { return (byte) (0x80 | (h & 0x7f)); }

    private int home(long h) { return (int) (h >>> shift); }

    // ---------------------------------------------------------------- lookups and changes

    /** Slot of the element whose key is {@code k[off, off+len)}, or -1. */
    int find(byte[] k, int off, int len) { return find(k, off, len, KeyHash.hash(k, off, len)); }

    int find(byte[] k, int off, int len, long h) {
        byte t = tag(h);
        int mask = ctrl.length - 1;
        for (int i = home(h); ; i = (i + 1) & mask) {
            byte c = ctrl[i];
            if (c == 0) return -1;
            if (c == t) {
                byte[] e = elems[i];
                int ko = keyOffset(e);
                if (keyLength(e) == len && Arrays.equals(e, ko, ko + len, k, off, off + len)) return i;
            }
        }
    }

    /** The element in an occupied slot. */
    byte[] at(int slot) { return elems[slot]; }

    /** Replaces the element in {@code slot} with one of the same key. */
    void replaceAt(int slot, byte[] e) {
        elementBytes += Jvm.arraySize(e.length) - Jvm.arraySize(elems[slot].length);
        elems[slot] = e;
    }

    /** Adds an element whose key is not in the table yet. */
    void add(byte[] e) {
        if ((long) (size + 1) * 4 > (long) ctrl.length * 3 && ctrl.length < MAX_CAPACITY) resize(ctrl.length * 2);
        place(e, hashOf(e));
        size++;
        elementBytes += Jvm.arraySize(e.length);
    }

    private void place(byte[] e, long h) {
        int mask = ctrl.length - 1;
        int i = home(h);
        while (ctrl[i] != 0) i = (i + 1) & mask;
        ctrl[i] = tag(h);
        elems[i] = e;
    }

    /**
     * Removes the element in {@code slot} and returns it. The elements after it in its probe run
     * move back so that no run has a hole; the table may shrink. Slot numbers held by the caller
     * are stale afterwards.
     */
    byte[] removeAt(int slot) {
        byte[] removed = elems[slot];
        int mask = ctrl.length - 1;
        int hole = slot;
        for (int j = (slot + 1) & mask; ctrl[j] != 0; j = (j + 1) & mask) {
            int h = home(hashOf(elems[j]));
            // The element at j may fill the hole unless its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j);
            if (!stays) {
                ctrl[hole] = ctrl[j];
                elems[hole] = elems[j];
                hole = j;
            }
        }
        ctrl[hole] = 0;
        elems[hole] = null;
        size--;
        elementBytes -= Jvm.arraySize(removed.length);
        if ((long) size * 8 < ctrl.length && ctrl.length > MIN_CAPACITY) {
            int cap = ctrl.length;
            while (cap > MIN_CAPACITY && (long) size * 4 < cap) cap >>= 1;
            resize(cap);
        }
        return removed;
    }

    private void resize(int cap) {
        byte[] oldCtrl = ctrl;
        byte[][] old = elems;
        allocate(cap);
        for (int i = 0; i < oldCtrl.length; i++) if (oldCtrl[i] != 0) place(old[i], hashOf(old[i]));
    }

    // ---------------------------------------------------------------- iteration

    /** The first occupied slot at or after {@code from}, or -1. */
    int next(int from) {
        for (int i = from; i < ctrl.length; i++) if (ctrl[i] != 0) return i;
        return -1;
    }

    /** Slots of every element, in table order. */
    int[] slots() {
        int[] out = new int[size];
        int n = 0;
        for (int i = 0; i < ctrl.length; i++) if (ctrl[i] != 0) out[n++] = i;
        return out;
    }

    /** A uniformly random occupied slot; the table must not be empty. */
    int randomSlot(RandomGenerator rnd) {
        int mask = ctrl.length - 1;
        while (true) {
            int i = rnd.nextInt() & mask;
            if (ctrl[i] != 0) return i;
        }
    }

    /**
     * One step of HSCAN/SSCAN: calls {@code action} with the slots of about {@code count}
     * elements and returns the cursor to continue from, 0 when done. Every element present for
     * the whole scan is returned at least once, whatever the table does between steps (grow,
     * shrink, elements moved by removals); one may come twice.
     *
     * <p>The cursor is a home position in units of a 2^32-slot table: "every element whose home
     * is below it has been returned". Homes keep their order through resizes (home h becomes 2h
     * or 2h+1), so the cursor keeps its meaning; after a shrink it is rounded down, which returns
     * some elements again. A step ends only at an empty slot p: no probe run crosses an empty
     * slot, so every element whose home is below p lies below p and has been seen.
     */
    long scan(long cursor, int count, IntConsumer action) {
        int mask = ctrl.length - 1;
        int unit = CURSOR_BITS - (64 - shift);
        int first = (int) ((cursor & 0xFFFFFFFFL) >>> unit);
        long budget = Math.max(count, 1) * 10L;
        int found = 0;
        for (int p = first; p <= mask; p++) {
            byte c = ctrl[p];
            if (c == 0) {
                if (p > first && (found >= count || budget <= 0)) return (long) p << unit;
            } else {
                int h = home(hashOf(elems[p]));
                // h > p: the run wrapped past the end of the table; those come with the end.
                if (h >= first && h <= p) {
                    action.accept(p);
                    found++;
                }
            }
            budget--;
        }
        for (int p = 0; p <= mask && ctrl[p] != 0; p++) {
            int h = home(hashOf(elems[p]));
            if (h > p && h >= first) action.accept(p);
        }
        return 0;
    }
}
