package io.moon.node.store;

import java.util.Arrays;

/**
 * A list (Redis's quicklist, quicklist.c): a deque of nodes, each one byte array holding a
 * {@link Listpack} of elements, so an element costs its listpack entry (a byte or two more than
 * its data; integers less) and pushes and pops at both ends are O(1).
 *
 * <h2>Nodes</h2>
 * The nodes sit in a circular array ({@link #nodes}) with, beside each, where its listpack starts
 * inside its array ({@link #starts}): a node keeps free room on both sides of its listpack, so a
 * push or pop at the head moves the 6-byte header instead of every entry. Only the two end nodes
 * grow; a node that stops being an end node is cut to its exact size.
 *
 * <p>How full a node may get is Redis's list-max-listpack-size ({@code fill}, fixed when the list
 * is created, as Redis's quicklistSetOptions): -1..-5 limit a node to 4, 8, 16, 32 or 64 KiB,
 * a positive value to that many entries (and at most 8 KiB, Redis's SIZE_SAFETY_LIMIT). An
 * element bigger than the limit gets a node of its own.
 *
 * <p>Not thread-safe: owned by the shard that owns its key.
 */
public final class ListValue implements TypedValue {
    private static final int[] SIZE_LIMITS = {4096, 8192, 16384, 32768, 65536};
    private static final int SAFETY_LIMIT = 8192;
    /** Redis's SIZE_ESTIMATE_OVERHEAD: what an entry adds beyond its data, over-estimated. */
    private static final int ESTIMATE_OVERHEAD = 8;
    private static final int FILL_MAX = (1 << 15) - 1;
    /** Bytes of a reference (compressed oops). */
    private static final int REF = 4;
    private static final int MIN_NODE = 32;

    private final int fill;
    private byte[][] nodes = new byte[1][];
    private int[] starts = new int[1];
    /** Physical index of the first node; the capacity is a power of two. */
    private int first;
    private int nodeCount;
    private long size;
    /** Bytes of every node array, kept as nodes change so memoryUsage is O(1). */
    private long nodeBytes;

    /** An empty list whose nodes follow list-max-listpack-size {@code fill}. */
    public ListValue(long fill) {
        this.fill = (int) Math.max(-5, Math.min(FILL_MAX, fill));
    }

    @Override public String typeName() { return "list"; }
    @Override public String encodingName() { return "quicklist"; }
    @Override public boolean isEmpty() { return size == 0; }

    public long size() { return size; }

    /** Nodes in the list (for tests and DEBUG-like introspection). */
    public int nodeCount() { return nodeCount; }

    @Override
    public long memoryUsage() {
        return Jvm.objectSize(4 * 4 + 2 * 8 + 2 * REF) + Jvm.arraySize(nodes.length, REF)
                + Jvm.arraySize(starts.length, 4) + nodeBytes;
    }

    @Override
    public ListValue copy() {
        ListValue c = new ListValue(fill);
        for (int i = 0; i < nodeCount; i++) {
            int ph = phys(i);
            byte[] b = nodes[ph];
            int st = starts[ph];
            c.insertNode(c.nodeCount, Arrays.copyOfRange(b, st, st + Listpack.total(b, st)), 0);
        }
        c.size = size;
        return c;
    }

    // ---------------------------------------------------------------- node array

    private int phys(int i) { return (first + i) & (nodes.length - 1); }

    private byte[] node(int i) { return nodes[phys(i)]; }

    private int start(int i) { return starts[phys(i)]; }

    private int count(int i) {
        int ph = phys(i);
        return Listpack.count(nodes[ph], starts[ph]);
    }

    private int total(int i) {
        int ph = phys(i);
        return Listpack.total(nodes[ph], starts[ph]);
    }

    private void setNode(int i, byte[] b, int start) {
        int ph = phys(i);
        byte[] old = nodes[ph];
        if (old != b) nodeBytes += Jvm.arraySize(b.length) - (old == null ? 0 : Jvm.arraySize(old.length));
        nodes[ph] = b;
        starts[ph] = start;
    }

    /** Inserts a node at logical position i (0 = new head, nodeCount = new tail). */
    private void insertNode(int i, byte[] b, int start) {
        if (nodeCount == nodes.length) resizeNodeArray(nodes.length * 2);
        if (i == 0) {
            first = (first - 1) & (nodes.length - 1);
        } else {
            for (int k = nodeCount; k > i; k--) {
                nodes[phys(k)] = nodes[phys(k - 1)];
                starts[phys(k)] = starts[phys(k - 1)];
            }
        }
        nodeCount++;
        nodes[phys(i)] = null;
        setNode(i, b, start);
    }

    private void removeNode(int i) {
        int ph = phys(i);
        nodeBytes -= Jvm.arraySize(nodes[ph].length);
        if (i == 0) {
            nodes[ph] = null;
            first = (first + 1) & (nodes.length - 1);
        } else {
            for (int k = i; k < nodeCount - 1; k++) {
                nodes[phys(k)] = nodes[phys(k + 1)];
                starts[phys(k)] = starts[phys(k + 1)];
            }
            nodes[phys(nodeCount - 1)] = null;
        }
        nodeCount--;
        if (nodeCount == 0) first = 0;
        if (nodes.length > 8 && nodeCount < nodes.length / 4) resizeNodeArray(nodes.length / 2);
    }

    /** Moves the nodes into arrays of {@code cap} slots (a power of two), the first node at 0. */
    private void resizeNodeArray(int cap) {
        byte[][] nn = new byte[cap][];
        int[] ns = new int[cap];
        for (int k = 0; k < nodeCount; k++) {
            nn[k] = nodes[phys(k)];
            ns[k] = starts[phys(k)];
        }
        nodes = nn;
        starts = ns;
        first = 0;
    }

    // ---------------------------------------------------------------- limits

    /** Redis's _quicklistNodeAllowInsert: may node i take an element of {@code len} more bytes? */
    private boolean allowInsert(int i, int len) {
        long newSize = (long) total(i) + len + ESTIMATE_OVERHEAD;
        if (fill < 0) return newSize <= SIZE_LIMITS[-fill - 1];
        return newSize <= SAFETY_LIMIT && count(i) < fill;
    }

    /** True when node i holds more than its limits allow (after an insert or replace in its middle). */
    private boolean overLimit(int i) {
        int t = total(i);
        if (fill < 0) return t > SIZE_LIMITS[-fill - 1];
        return t > SAFETY_LIMIT || count(i) > fill;
    }

    // ---------------------------------------------------------------- push and pop

    /** Adds an element at the head or the tail. */
    public void push(boolean head, byte[] s, int off, int len) {
        long v = Listpack.parseInt(s, off, len);
        boolean isInt = v != Listpack.NOT_INT || Listpack.isMinInt(s, off, len);
        int enc = isInt ? Listpack.intSize(v) : Listpack.stringSize(len);
        int entry = Listpack.entrySize(enc);
        int i;
        if (nodeCount == 0 || !allowInsert(head ? 0 : nodeCount - 1, len)) {
            i = head ? 0 : nodeCount;
            if (nodeCount > 0) seal(head ? 0 : nodeCount - 1);
            newNode(i, head, entry);
        } else {
            i = head ? 0 : nodeCount - 1;
        }
        int p = head ? makeRoomAtHead(i, entry) : makeRoomAtTail(i, entry);
        byte[] b = node(i);
        if (isInt) Listpack.writeInt(b, p, v);
        else Listpack.writeString(b, p, s, off, len);
        size++;
    }

    public void push(boolean head, byte[] s) { push(head, s, 0, s.length); }

    /** A new empty node at position i, with room for a first entry of {@code entry} bytes. */
    private void newNode(int i, boolean head, int entry) {
        int cap = capacityFor(Listpack.HEADER + entry + 1 + MIN_NODE);
        byte[] b = new byte[cap];
        int st = head ? cap - Listpack.HEADER - 1 : 0;
        Listpack.header(b, st, Listpack.HEADER + 1, 0);
        b[st + Listpack.HEADER] = (byte) Listpack.EOF;
        insertNode(i, b, st);
    }

    /** Array length holding at least n bytes, using the whole of its 8-byte aligned allocation. */
    private static int capacityFor(long n) {
        int cap = (int) Math.min(n, Integer.MAX_VALUE - 64);
        long aligned = Jvm.arraySize(cap);
        while (Jvm.arraySize(cap + 1) == aligned) cap++;
        return cap;
    }

    /**
     * Moves node i's header {@code entry} bytes left (growing the array when there is no room)
     * and returns where the new first entry goes.
     */
    private int makeRoomAtHead(int i, int entry) {
        byte[] b = node(i);
        int st = start(i);
        int tot = Listpack.total(b, st), cnt = Listpack.count(b, st);
        if (st < entry) {
            int cap = grownCapacity(b.length, tot + entry);
            byte[] nb = new byte[cap];
            int back = b.length - st - tot; // keep the tail room the node had
            int nst = Math.max(entry, cap - tot - Math.min(back, (cap - tot - entry) / 4));
            System.arraycopy(b, st, nb, nst, tot);
            setNode(i, nb, nst);
            b = nb;
            st = nst;
        }
        int nst = st - entry;
        Listpack.header(b, nst, tot + entry, cnt + 1);
        starts[phys(i)] = nst;
        return nst + Listpack.HEADER;
    }

    /** Makes room for an entry before node i's terminator; returns where it goes. */
    private int makeRoomAtTail(int i, int entry) {
        byte[] b = node(i);
        int st = start(i);
        int tot = Listpack.total(b, st), cnt = Listpack.count(b, st);
        if (st + tot + entry > b.length) {
            int cap = grownCapacity(b.length, tot + entry);
            byte[] nb = new byte[cap];
            int nst = Math.min(st, (cap - tot - entry) / 4); // keep some of the head room
            System.arraycopy(b, st, nb, nst, tot);
            setNode(i, nb, nst);
            b = nb;
            st = nst;
        }
        int eof = st + tot - 1;
        b[eof + entry] = (byte) Listpack.EOF;
        Listpack.header(b, st, tot + entry, cnt + 1);
        return eof;
    }

    /** Growth by half again (at least what is needed), so pushes cost O(1) amortised. */
    private static int grownCapacity(int cap, int need) {
        long want = Math.max(need + MIN_NODE, cap + (long) cap / 2);
        return capacityFor(Math.max(need, Math.min(want, (long) need * 2)));
    }

    /** Cuts node i's array to its listpack (it no longer grows: it is not an end node any more). */
    private void seal(int i) {
        byte[] b = node(i);
        int st = start(i), tot = Listpack.total(b, st);
        if (capacityFor(tot) == b.length) return;
        byte[] nb = new byte[capacityFor(tot)];
        System.arraycopy(b, st, nb, 0, tot);
        setNode(i, nb, 0);
    }

    /**
     * Gives back the free room of the end nodes (a new list that may never grow again: most small
     * lists are written once). A later push grows the node again.
     */
    public void trimToSize() {
        if (nodeCount > 0) seal(0);
        if (nodeCount > 1) seal(nodeCount - 1);
    }

    /** Removes and returns the element at the head or the tail; null when the list is empty. */
    public byte[] pop(boolean head) {
        if (size == 0) return null;
        int i = head ? 0 : nodeCount - 1;
        byte[] b = node(i);
        int p = head ? start(i) + Listpack.HEADER : Listpack.prev(b, start(i) + total(i) - 1);
        byte[] out = Listpack.isString(b, p)
                ? Arrays.copyOfRange(b, Listpack.stringOffset(b, p), Listpack.stringOffset(b, p) + Listpack.stringLength(b, p))
                : Listpack.intText(Listpack.intValue(b, p));
        removeEnd(head, 1);
        return out;
    }

    /**
     * Removes {@code n} elements from the head or the tail (at most all of them): whole nodes
     * are dropped, and a partly emptied end node moves its header or terminator.
     */
    public void removeEnd(boolean head, long n) {
        n = Math.min(n, size);
        while (n > 0) {
            int i = head ? 0 : nodeCount - 1;
            int c = count(i);
            if (n >= c) {
                removeNode(i);
                size -= c;
                n -= c;
                continue;
            }
            byte[] b = node(i);
            int st = start(i), tot = Listpack.total(b, st);
            if (head) {
                int p = st + Listpack.HEADER;
                for (int k = 0; k < n; k++) p += Listpack.entrySizeAt(b, p);
                int cut = p - st - Listpack.HEADER;
                int nst = st + cut;
                Listpack.header(b, nst, tot - cut, c - (int) n);
                starts[phys(i)] = nst;
            } else {
                int eof = st + tot - 1, p = eof;
                for (int k = 0; k < n; k++) p = Listpack.prev(b, p);
                b[p] = (byte) Listpack.EOF;
                Listpack.header(b, st, tot - (eof - p), c - (int) n);
            }
            size -= n;
            n = 0;
            shrinkIfSparse(i);
        }
    }

    /** Gives back the room of a node that lost most of its entries. */
    private void shrinkIfSparse(int i) {
        byte[] b = node(i);
        int st = start(i), tot = Listpack.total(b, st);
        if (b.length > 256 && tot < b.length / 4) {
            byte[] nb = new byte[capacityFor(tot + tot / 2)];
            int nst = (nb.length - tot) / 2;
            System.arraycopy(b, st, nb, nst, tot);
            setNode(i, nb, nst);
        }
    }

    // ---------------------------------------------------------------- positions

    /**
     * A cursor over the elements from {@code index} (0-based, within the list) towards the tail
     * ({@code forward}) or the head. The first {@link Cursor#next} gives the element at index.
     */
    public Cursor cursor(long index, boolean forward) {
        Cursor c = new Cursor(forward);
        if (index < 0 || index >= size) return c;
        locate(index, c);
        return c;
    }

    /** Points c's next entry at the element at {@code index} (which must exist). */
    private void locate(long index, Cursor c) {
        int i;
        long within;
        if (index < size / 2) {
            i = 0;
            within = index;
            while (within >= count(i)) within -= count(i++);
        } else {
            i = nodeCount - 1;
            long fromEnd = size - 1 - index;
            while (fromEnd >= count(i)) fromEnd -= count(i--);
            within = count(i) - 1 - fromEnd;
        }
        byte[] b = node(i);
        int st = start(i), cnt = count(i), p;
        if (within < cnt / 2) {
            p = st + Listpack.HEADER;
            for (long k = 0; k < within; k++) p += Listpack.entrySizeAt(b, p);
        } else {
            p = st + Listpack.total(b, st) - 1;
            for (long k = cnt; k > within; k--) p = Listpack.prev(b, p);
        }
        c.nextNode = i;
        c.nextPos = p;
        c.nextIndex = index;
    }

    /** The element at index (negative counts from the tail) into c, or false when out of range. */
    public boolean get(long index, Cursor c) {
        if (index < 0) index += size;
        if (index < 0 || index >= size) return false;
        locate(index, c);
        return c.next();
    }

    /**
     * Walks the elements one way or the other. After {@link #next} returns true the current
     * element is an integer ({@link #isInt}, {@link #intValue}) or a string ({@link #buf},
     * {@link #off}, {@link #len}, valid until the list changes).
     */
    public final class Cursor {
        private final boolean forward;
        private int nextNode = -1, nextPos;
        private int node = -1, pos;
        private long nextIndex, index;
        private boolean isInt;
        private long intValue;
        private byte[] buf;
        private int off, len;

        private Cursor(boolean forward) { this.forward = forward; }

        public boolean next() {
            if (nextNode < 0) return false;
            node = nextNode;
            pos = nextPos;
            index = nextIndex;
            nextIndex += forward ? 1 : -1;
            byte[] b = ListValue.this.node(node);
            buf = b;
            if (Listpack.isString(b, pos)) {
                isInt = false;
                off = Listpack.stringOffset(b, pos);
                len = Listpack.stringLength(b, pos);
            } else {
                isInt = true;
                intValue = Listpack.intValue(b, pos);
            }
            if (forward) {
                int p = pos + Listpack.entrySizeAt(b, pos);
                if ((b[p] & 0xFF) != Listpack.EOF) nextPos = p;
                else if (node + 1 < nodeCount) {
                    nextNode = node + 1;
                    nextPos = start(nextNode) + Listpack.HEADER;
                } else nextNode = -1;
            } else {
                if (pos > start(node) + Listpack.HEADER) nextPos = Listpack.prev(b, pos);
                else if (node > 0) {
                    nextNode = node - 1;
                    nextPos = Listpack.prev(ListValue.this.node(nextNode), start(nextNode) + total(nextNode) - 1);
                } else nextNode = -1;
            }
            return true;
        }

        /** Index of the current element (from the head). */
        public long index() { return index; }

        public boolean isInt() { return isInt; }
        public long intValue() { return intValue; }
        public byte[] buf() { return buf; }
        public int off() { return off; }
        public int len() { return len; }

        /** The current element as new bytes. */
        public byte[] bytes() { return isInt ? Listpack.intText(intValue) : Arrays.copyOfRange(buf, off, off + len); }

        /** True when the current element equals the needle. */
        public boolean matches(Needle n) {
            if (isInt) return n.isInt && n.value == intValue;
            return !n.isInt && Arrays.equals(buf, off, off + len, n.b, n.off, n.off + n.len);
        }

        /** Inserts an element before or after the current one (the cursor is done afterwards). */
        public void insert(boolean after, byte[] s, int soff, int slen) {
            int at = after ? pos + Listpack.entrySizeAt(buf, pos) : pos;
            insertAt(node, at, s, soff, slen);
            nextNode = -1;
        }

        /** Replaces the current element (the cursor is done afterwards). */
        public void replace(byte[] s, int soff, int slen) {
            replaceAt(node, pos, s, soff, slen);
            nextNode = -1;
        }
    }

    /** An element to compare entries with, its integer form worked out once. */
    public static final class Needle {
        final byte[] b;
        final int off, len;
        final boolean isInt;
        final long value;

        public Needle(byte[] b, int off, int len) {
            this.b = b;
            this.off = off;
            this.len = len;
            long v = Listpack.parseInt(b, off, len);
            this.isInt = v != Listpack.NOT_INT || Listpack.isMinInt(b, off, len);
            this.value = v;
        }
    }

    // ---------------------------------------------------------------- changes in the middle

    /** Inserts an element at byte offset {@code at} of node i (an entry boundary). */
    private void insertAt(int i, int at, byte[] s, int soff, int slen) {
        byte[] b = node(i);
        int st = start(i), tot = Listpack.total(b, st), cnt = Listpack.count(b, st);
        long v = Listpack.parseInt(s, soff, slen);
        boolean isInt = v != Listpack.NOT_INT || Listpack.isMinInt(s, soff, slen);
        int entry = Listpack.entrySize(isInt ? Listpack.intSize(v) : Listpack.stringSize(slen));
        byte[] nb = new byte[capacityFor(tot + entry)];
        int rel = at - st;
        System.arraycopy(b, st, nb, 0, rel);
        if (isInt) Listpack.writeInt(nb, rel, v);
        else Listpack.writeString(nb, rel, s, soff, slen);
        System.arraycopy(b, at, nb, rel + entry, tot - rel);
        Listpack.header(nb, 0, tot + entry, cnt + 1);
        setNode(i, nb, 0);
        size++;
        splitIfOver(i);
    }

    /** Replaces the entry at byte offset {@code at} of node i. */
    private void replaceAt(int i, int at, byte[] s, int soff, int slen) {
        byte[] b = node(i);
        int st = start(i), tot = Listpack.total(b, st), cnt = Listpack.count(b, st);
        int old = Listpack.entrySizeAt(b, at);
        long v = Listpack.parseInt(s, soff, slen);
        boolean isInt = v != Listpack.NOT_INT || Listpack.isMinInt(s, soff, slen);
        int entry = Listpack.entrySize(isInt ? Listpack.intSize(v) : Listpack.stringSize(slen));
        byte[] nb = new byte[capacityFor(tot - old + entry)];
        int rel = at - st;
        System.arraycopy(b, st, nb, 0, rel);
        if (isInt) Listpack.writeInt(nb, rel, v);
        else Listpack.writeString(nb, rel, s, soff, slen);
        System.arraycopy(b, at + old, nb, rel + entry, tot - rel - old);
        Listpack.header(nb, 0, tot - old + entry, cnt);
        setNode(i, nb, 0);
        splitIfOver(i);
    }

    /** Splits node i in two (and again, as needed) while it holds more than its limits allow. */
    private void splitIfOver(int i) {
        if (count(i) < 2 || !overLimit(i)) return;
        byte[] b = node(i);
        int st = start(i), tot = Listpack.total(b, st), cnt = Listpack.count(b, st);
        // Cut where the bytes halve, keeping at least one entry on each side.
        int p = st + Listpack.HEADER, k = 0;
        int half = st + tot / 2;
        while (k < cnt - 1) {
            int next = p + Listpack.entrySizeAt(b, p);
            if (k > 0 && next > half) break;
            p = next;
            k++;
        }
        int leftBytes = p - st - Listpack.HEADER, rightBytes = tot - Listpack.HEADER - 1 - leftBytes;
        byte[] left = new byte[capacityFor(Listpack.HEADER + leftBytes + 1)];
        System.arraycopy(b, st + Listpack.HEADER, left, Listpack.HEADER, leftBytes);
        Listpack.header(left, 0, Listpack.HEADER + leftBytes + 1, k);
        left[Listpack.HEADER + leftBytes] = (byte) Listpack.EOF;
        byte[] right = new byte[capacityFor(Listpack.HEADER + rightBytes + 1)];
        System.arraycopy(b, p, right, Listpack.HEADER, rightBytes);
        Listpack.header(right, 0, Listpack.HEADER + rightBytes + 1, cnt - k);
        right[Listpack.HEADER + rightBytes] = (byte) Listpack.EOF;
        setNode(i, left, 0);
        insertNode(i + 1, right, 0);
        splitIfOver(i + 1);
        splitIfOver(i);
    }

    /**
     * Removes elements equal to the needle (Redis's LREM): up to {@code limit} of them (0 = all),
     * the first ones from the head, or with {@code fromTail} the last ones. Returns how many.
     */
    public long remove(Needle needle, long limit, boolean fromTail) {
        long removed = 0;
        int[] hits = new int[16];
        int i = fromTail ? nodeCount - 1 : 0;
        while (i >= 0 && i < nodeCount && (limit == 0 || removed < limit)) {
            byte[] b = node(i);
            int st = start(i), cnt = Listpack.count(b, st);
            int n = 0;
            Cursor c = new Cursor(true);
            c.nextNode = i;
            c.nextPos = st + Listpack.HEADER;
            for (int k = 0; k < cnt; k++) {
                c.next();
                if (c.matches(needle)) {
                    if (n == hits.length) hits = Arrays.copyOf(hits, n * 2);
                    hits[n++] = c.pos;
                }
            }
            if (n == 0) {
                i += fromTail ? -1 : 1;
                continue;
            }
            int take = limit == 0 ? n : (int) Math.min(n, limit - removed);
            int from = fromTail ? n - take : 0;
            removeEntries(i, hits, from, from + take);
            removed += take;
            if (count(i) == 0) removeNode(i);
            else if (!fromTail) i++;
            if (fromTail) i--;
        }
        size -= removed;
        return removed;
    }

    /** Removes the entries of node i at byte offsets hits[from, to), which are in order. */
    private void removeEntries(int i, int[] hits, int from, int to) {
        byte[] b = node(i);
        int st = start(i), tot = Listpack.total(b, st), cnt = Listpack.count(b, st);
        int w = hits[from];
        int r = w;
        for (int h = from; h < to; h++) {
            int gap = hits[h] - r;
            System.arraycopy(b, r, b, w, gap);
            w += gap;
            r = hits[h] + Listpack.entrySizeAt(b, hits[h]);
        }
        int rest = st + tot - r;
        System.arraycopy(b, r, b, w, rest);
        int newTot = w + rest - st;
        Listpack.header(b, st, newTot, cnt - (to - from));
        shrinkIfSparse(i);
    }

    /** Keeps only the elements in [start, end] (both within the list; start <= end), as LTRIM. */
    public void trim(long start, long end) {
        long tail = size - 1 - end;
        removeEnd(true, start);
        removeEnd(false, tail);
    }

    // ---------------------------------------------------------------- listpacks (RDB)

    /** What {@link #forEachListpack} hands out: one node's listpack, {@code b[off, off+len)}. */
    @FunctionalInterface
    public interface ListpackVisitor {
        void visit(byte[] b, int off, int len);
    }

    /** Every node's listpack from head to tail (as Redis's RDB quicklist 2 writes them). */
    public void forEachListpack(ListpackVisitor v) {
        for (int i = 0; i < nodeCount; i++) v.visit(node(i), start(i), total(i));
    }

    /**
     * Appends a node made of a copy of listpack {@code b[off, off+len)}, which must be valid
     * ({@link Listpack#valid}); an empty listpack is skipped. A node loaded this way may hold more
     * than this list's limits (Redis loads nodes as they were saved).
     */
    public void appendListpack(byte[] b, int off, int len) {
        int cnt = Listpack.count(b, off);
        if (cnt == Listpack.UNKNOWN_COUNT) {
            cnt = 0;
            for (int p = off + Listpack.HEADER; (b[p] & 0xFF) != Listpack.EOF; p += Listpack.entrySizeAt(b, p)) cnt++;
        }
        if (cnt == 0) return;
        if (nodeCount > 0) seal(nodeCount - 1);
        byte[] nb = Arrays.copyOfRange(b, off, off + len);
        Listpack.header(nb, 0, len, cnt);
        insertNode(nodeCount, nb, 0);
        size += cnt;
    }
}
