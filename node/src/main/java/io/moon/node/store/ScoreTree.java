package io.moon.node.store;

/**
 * The order of a large sorted set: a B+ tree of {@link ScoredElement} arrays sorted by (score,
 * member), with a subtree count per child, so rank queries, access by rank and range bounds are
 * O(log n) as with Redis's skiplist spans. Leaves are linked both ways for range walks.
 *
 * <p>Why a B+ tree rather than a skiplist: a skiplist node costs an object and an array of
 * forward links per element; here an element costs one reference in a leaf array (plus the
 * element array, shared with {@link MemberTable}), and inner nodes are about 1/40 of leaves.
 * Leaf arrays grow as they fill; appending at the end of the last leaf (rising scores, the
 * common case of timestamps) splits it unevenly so leaves stay full.
 *
 * <p>Invariants: every child of an inner node is non-empty; {@code counts[i]} is the number of
 * elements under {@code kids[i]}; {@code maxEl[i]} is the last element under {@code kids[i]};
 * a node that a removal takes below a quarter of its maximum is merged with a neighbour or
 * evened out with it, so a tree thinned by removals does not keep near-empty leaves.
 * Not thread-safe.
 */
final class ScoreTree {
    static final int LEAF_MAX = 64;
    static final int INNER_MAX = 64;
    private static final int LEAF_MIN = LEAF_MAX / 4;
    private static final int INNER_MIN = INNER_MAX / 4;
    private static final int FIRST_CAPACITY = 4;

    /** Decides which elements lie before a boundary; must hold for a prefix of the order. */
    @FunctionalInterface
    interface Bound {
        boolean before(byte[] e);
    }

    /** Receives elements of a walk; returns false to stop it. Must not change the tree. */
    @FunctionalInterface
    interface ElementSink {
        boolean accept(byte[] e);
    }

    private abstract static sealed class Node permits Leaf, Inner {
        int n;
    }

    private static final class Leaf extends Node {
        byte[][] els;
        Leaf prev, next;

        Leaf(int capacity) { els = new byte[capacity][]; }
    }

    private static final class Inner extends Node {
        Node[] kids;
        int[] counts;
        byte[][] maxEl;

        Inner(int capacity) {
            kids = new Node[capacity];
            counts = new int[capacity];
            maxEl = new byte[capacity][];
        }
    }

    private static final long LEAF_OBJECT = Jvm.objectSize(16);

    private Node root;
    private Leaf head, tail;
    private int size;
    /** Heap held by nodes and their arrays (not by the elements). */
    private long bytes;

    ScoreTree() {
        Leaf l = newLeaf(FIRST_CAPACITY);
        root = l;
        head = tail = l;
    }

    int size() { return size; }

    long memory() { return Jvm.objectSize(24) + bytes; }

    private Leaf newLeaf(int capacity) {
        bytes += LEAF_OBJECT + Jvm.arraySize(capacity, 4);
        return new Leaf(capacity);
    }

    /** An inner node's heap: its arrays grow with it, so the few nodes of a small tree stay small. */
    private static long innerBytes(int capacity) { return Jvm.objectSize(16) + 3 * Jvm.arraySize(capacity, 4); }

    private Inner newInner(int capacity) {
        bytes += innerBytes(capacity);
        return new Inner(capacity);
    }

    private void ensureCapacity(Inner in, int need) {
        int cap = in.kids.length;
        if (need <= cap) return;
        int grown = Math.min(INNER_MAX + 1, Math.max(need, cap * 2));
        bytes += innerBytes(grown) - innerBytes(cap);
        in.kids = java.util.Arrays.copyOf(in.kids, grown);
        in.counts = java.util.Arrays.copyOf(in.counts, grown);
        in.maxEl = java.util.Arrays.copyOf(in.maxEl, grown);
    }

    private void setCapacity(Leaf l, int capacity) {
        bytes += Jvm.arraySize(capacity, 4) - Jvm.arraySize(l.els.length, 4);
        l.els = java.util.Arrays.copyOf(l.els, capacity);
    }

    private static int count(Node x) {
        if (x instanceof Leaf) return x.n;
        Inner in = (Inner) x;
        int c = 0;
        for (int i = 0; i < in.n; i++) c += in.counts[i];
        return c;
    }

    private static byte[] last(Node x) {
        return x instanceof Leaf l ? l.els[l.n - 1] : ((Inner) x).maxEl[x.n - 1];
    }

    byte[] first() { return size == 0 ? null : head.els[0]; }

    byte[] last() { return size == 0 ? null : tail.els[tail.n - 1]; }

    // ---------------------------------------------------------------- search

    /** Index of the first child whose last element is not before the key; the last child if none. */
    private static int childFor(Inner in, double score, byte[] m, int off, int len) {
        int lo = 0, hi = in.n - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ScoredElement.compare(in.maxEl[mid], score, m, off, len) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Index of the first element of the leaf not before the key. */
    private static int lowerBound(Leaf l, double score, byte[] m, int off, int len) {
        int lo = 0, hi = l.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ScoredElement.compare(l.els[mid], score, m, off, len) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** 0-based rank of the element (score, member), or -1 when it is not in the tree. */
    long rank(double score, byte[] m, int off, int len) {
        long r = 0;
        Node x = root;
        while (x instanceof Inner in) {
            int i = childFor(in, score, m, off, len);
            for (int k = 0; k < i; k++) r += in.counts[k];
            x = in.kids[i];
        }
        Leaf l = (Leaf) x;
        int i = lowerBound(l, score, m, off, len);
        if (i < l.n && ScoredElement.compare(l.els[i], score, m, off, len) == 0) return r + i;
        return -1;
    }

    /** How many elements lie before the bound: the rank of the first one that does not. */
    long countBefore(Bound b) {
        long r = 0;
        Node x = root;
        while (x instanceof Inner in) {
            int lo = 0, hi = in.n - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (b.before(in.maxEl[mid])) lo = mid + 1;
                else hi = mid;
            }
            for (int k = 0; k < lo; k++) r += in.counts[k];
            x = in.kids[lo];
        }
        Leaf l = (Leaf) x;
        int lo = 0, hi = l.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (b.before(l.els[mid])) lo = mid + 1;
            else hi = mid;
        }
        return r + lo;
    }

    /** The element of the given 0-based rank (0 <= rank < size). */
    byte[] at(long rank) {
        Node x = root;
        while (x instanceof Inner in) {
            int i = 0;
            while (rank >= in.counts[i]) rank -= in.counts[i++];
            x = in.kids[i];
        }
        return ((Leaf) x).els[(int) rank];
    }

    /**
     * Walks up to {@code count} elements from the given rank, towards higher ranks or, when
     * {@code reverse}, lower ones; stops early when the sink returns false.
     */
    void walk(long rank, long count, boolean reverse, ElementSink sink) {
        if (rank < 0 || rank >= size || count <= 0) return;
        Node x = root;
        long r = rank;
        while (x instanceof Inner in) {
            int i = 0;
            while (r >= in.counts[i]) r -= in.counts[i++];
            x = in.kids[i];
        }
        Leaf l = (Leaf) x;
        int i = (int) r;
        while (count-- > 0 && l != null) {
            if (!sink.accept(l.els[i])) return;
            if (reverse) {
                if (--i < 0) {
                    l = l.prev;
                    if (l != null) i = l.n - 1;
                }
            } else if (++i >= l.n) {
                l = l.next;
                i = 0;
            }
        }
    }

    // ---------------------------------------------------------------- insert

    /** Inserts an element whose (score, member) is not in the tree. */
    void insert(byte[] e) {
        Node sibling = insert(root, e);
        if (sibling != null) {
            Inner r = newInner(4);
            r.kids[0] = root;
            r.counts[0] = count(root);
            r.maxEl[0] = last(root);
            r.kids[1] = sibling;
            r.counts[1] = count(sibling);
            r.maxEl[1] = last(sibling);
            r.n = 2;
            root = r;
        }
        size++;
    }

    /** Inserts under x; returns x's new right sibling when x had to split, else null. */
    private Node insert(Node x, byte[] e) {
        double score = ScoredElement.score(e);
        int off = ScoredElement.MEMBER_OFFSET, len = ScoredElement.memberLength(e);
        if (x instanceof Leaf l) {
            int i = lowerBound(l, score, e, off, len);
            if (l.n == l.els.length) setCapacity(l, Math.min(LEAF_MAX + 1, Math.max(FIRST_CAPACITY, l.n + (l.n >>> 1))));
            System.arraycopy(l.els, i, l.els, i + 1, l.n - i);
            l.els[i] = e;
            l.n++;
            if (l.n <= LEAF_MAX) return null;
            return splitLeaf(l, l.next == null && i == l.n - 1);
        }
        Inner in = (Inner) x;
        int i = childFor(in, score, e, off, len);
        Node kid = in.kids[i];
        Node sibling = insert(kid, e);
        in.counts[i]++;
        if (sibling != null) {
            int moved = count(sibling);
            in.counts[i] -= moved;
            ensureCapacity(in, in.n + 1);
            insertChild(in, i + 1, sibling, moved);
        }
        in.maxEl[i] = last(kid);
        return in.n > INNER_MAX ? splitInner(in) : null;
    }

    private static void insertChild(Inner in, int at, Node kid, int count) {
        int tailLen = in.n - at;
        System.arraycopy(in.kids, at, in.kids, at + 1, tailLen);
        System.arraycopy(in.counts, at, in.counts, at + 1, tailLen);
        System.arraycopy(in.maxEl, at, in.maxEl, at + 1, tailLen);
        in.kids[at] = kid;
        in.counts[at] = count;
        in.maxEl[at] = last(kid);
        in.n++;
    }

    /** Splits a leaf one over full: in halves, or, after an append at the very end, leaving it full. */
    private Leaf splitLeaf(Leaf l, boolean appended) {
        int keep = appended ? LEAF_MAX : l.n / 2;
        int moved = l.n - keep;
        Leaf r = newLeaf(Math.max(FIRST_CAPACITY, moved + (moved >>> 1)));
        System.arraycopy(l.els, keep, r.els, 0, moved);
        r.n = moved;
        java.util.Arrays.fill(l.els, keep, l.n, null);
        l.n = keep;
        setCapacity(l, appended ? keep : Math.min(LEAF_MAX + 1, keep + (keep >>> 1)));
        r.prev = l;
        r.next = l.next;
        if (l.next != null) l.next.prev = r;
        else tail = r;
        l.next = r;
        return r;
    }

    private Inner splitInner(Inner in) {
        int keep = in.n / 2;
        int moved = in.n - keep;
        Inner r = newInner(moved + (moved >>> 1));
        System.arraycopy(in.kids, keep, r.kids, 0, moved);
        System.arraycopy(in.counts, keep, r.counts, 0, moved);
        System.arraycopy(in.maxEl, keep, r.maxEl, 0, moved);
        java.util.Arrays.fill(in.kids, keep, in.n, null);
        java.util.Arrays.fill(in.maxEl, keep, in.n, null);
        r.n = moved;
        in.n = keep;
        return r;
    }

    // ---------------------------------------------------------------- remove

    /** Removes the element (score, member); returns it, or null when it is not in the tree. */
    byte[] remove(double score, byte[] m, int off, int len) {
        byte[] e = remove(root, score, m, off, len);
        if (e != null) removed();
        return e;
    }

    /** Removes and returns the element of the given 0-based rank (0 <= rank < size). */
    byte[] removeAt(long rank) {
        byte[] e = removeAt(root, rank);
        removed();
        return e;
    }

    private void removed() {
        if (--size == 0) { // start afresh rather than keep the last leaf's grown array
            bytes = 0;
            Leaf l = newLeaf(FIRST_CAPACITY);
            root = l;
            head = tail = l;
            return;
        }
        while (root instanceof Inner in && in.n == 1) {
            bytes -= innerBytes(in.kids.length);
            root = in.kids[0];
        }
    }

    private byte[] remove(Node x, double score, byte[] m, int off, int len) {
        if (x instanceof Leaf l) {
            int i = lowerBound(l, score, m, off, len);
            if (i >= l.n || ScoredElement.compare(l.els[i], score, m, off, len) != 0) return null;
            return removeFromLeaf(l, i);
        }
        Inner in = (Inner) x;
        int i = childFor(in, score, m, off, len);
        byte[] e = remove(in.kids[i], score, m, off, len);
        if (e != null) childShrank(in, i);
        return e;
    }

    private byte[] removeAt(Node x, long rank) {
        if (x instanceof Leaf l) return removeFromLeaf(l, (int) rank);
        Inner in = (Inner) x;
        int i = 0;
        while (rank >= in.counts[i]) rank -= in.counts[i++];
        byte[] e = removeAt(in.kids[i], rank);
        childShrank(in, i);
        return e;
    }

    private static byte[] removeFromLeaf(Leaf l, int i) {
        byte[] e = l.els[i];
        System.arraycopy(l.els, i + 1, l.els, i, l.n - i - 1);
        l.els[--l.n] = null;
        return e;
    }

    /** After one element was removed under kids[i]: counts, last element, and rebalancing. */
    private void childShrank(Inner in, int i) {
        in.counts[i]--;
        Node kid = in.kids[i];
        if (kid.n == 0) {
            dropChild(in, i);
            return;
        }
        in.maxEl[i] = last(kid);
        if (kid.n < (kid instanceof Leaf ? LEAF_MIN : INNER_MIN) && in.n > 1) rebalance(in, i);
        else if (kid instanceof Leaf l && l.els.length > 2 * FIRST_CAPACITY && l.n < l.els.length / 3) {
            setCapacity(l, Math.max(FIRST_CAPACITY, l.n + (l.n >>> 1)));
        }
    }

    private void dropChild(Inner in, int i) {
        Node kid = in.kids[i];
        if (kid instanceof Leaf l) {
            unlink(l);
            bytes -= LEAF_OBJECT + Jvm.arraySize(l.els.length, 4);
        } else {
            bytes -= innerBytes(((Inner) kid).kids.length);
        }
        shiftInner(in, i + 1, -1);
    }

    private void unlink(Leaf l) {
        if (l.prev != null) l.prev.next = l.next;
        else head = l.next;
        if (l.next != null) l.next.prev = l.prev;
        else tail = l.prev;
    }

    /** kids[i] is under its minimum: merge it with a neighbour, or even out the two. */
    private void rebalance(Inner in, int i) {
        int left = i + 1 < in.n ? i : i - 1;
        Node a = in.kids[left], b = in.kids[left + 1];
        int max = a instanceof Leaf ? LEAF_MAX : INNER_MAX;
        if (a.n + b.n <= max) {
            if (a instanceof Leaf la) {
                Leaf lb = (Leaf) b;
                if (la.els.length < la.n + lb.n) setCapacity(la, la.n + lb.n);
                System.arraycopy(lb.els, 0, la.els, la.n, lb.n);
                la.n += lb.n;
                lb.n = 0;
            } else {
                Inner ia = (Inner) a, ib = (Inner) b;
                ensureCapacity(ia, ia.n + ib.n);
                System.arraycopy(ib.kids, 0, ia.kids, ia.n, ib.n);
                System.arraycopy(ib.counts, 0, ia.counts, ia.n, ib.n);
                System.arraycopy(ib.maxEl, 0, ia.maxEl, ia.n, ib.n);
                ia.n += ib.n;
                ib.n = 0;
            }
            in.counts[left] += in.counts[left + 1];
            in.maxEl[left] = last(a);
            dropChild(in, left + 1);
            return;
        }
        int target = (a.n + b.n) / 2;
        if (a instanceof Leaf la) {
            Leaf lb = (Leaf) b;
            if (la.n < target) { // move the first elements of b to the end of a
                int k = target - la.n;
                if (la.els.length < target) setCapacity(la, target);
                System.arraycopy(lb.els, 0, la.els, la.n, k);
                System.arraycopy(lb.els, k, lb.els, 0, lb.n - k);
                java.util.Arrays.fill(lb.els, lb.n - k, lb.n, null);
                la.n += k;
                lb.n -= k;
            } else { // move the last elements of a to the front of b
                int k = la.n - target;
                if (lb.els.length < lb.n + k) setCapacity(lb, lb.n + k);
                System.arraycopy(lb.els, 0, lb.els, k, lb.n);
                System.arraycopy(la.els, target, lb.els, 0, k);
                java.util.Arrays.fill(la.els, target, la.n, null);
                la.n = target;
                lb.n += k;
            }
        } else {
            Inner ia = (Inner) a, ib = (Inner) b;
            if (ia.n < target) {
                int k = target - ia.n;
                ensureCapacity(ia, target);
                System.arraycopy(ib.kids, 0, ia.kids, ia.n, k);
                System.arraycopy(ib.counts, 0, ia.counts, ia.n, k);
                System.arraycopy(ib.maxEl, 0, ia.maxEl, ia.n, k);
                shiftInner(ib, k, -k);
                ia.n += k;
            } else {
                int k = ia.n - target;
                ensureCapacity(ib, ib.n + k);
                shiftInner(ib, 0, k);
                System.arraycopy(ia.kids, target, ib.kids, 0, k);
                System.arraycopy(ia.counts, target, ib.counts, 0, k);
                System.arraycopy(ia.maxEl, target, ib.maxEl, 0, k);
                java.util.Arrays.fill(ia.kids, target, ia.n, null);
                java.util.Arrays.fill(ia.maxEl, target, ia.n, null);
                ia.n = target;
                ib.n += k;
            }
        }
        in.counts[left] = count(a);
        in.counts[left + 1] = count(b);
        in.maxEl[left] = last(a);
        in.maxEl[left + 1] = last(b);
    }

    /** Moves children [from, n) of an inner node by {@code by} places (negative: to the left, dropping the first). */
    private static void shiftInner(Inner x, int from, int by) {
        int len = x.n - from;
        System.arraycopy(x.kids, from, x.kids, from + by, len);
        System.arraycopy(x.counts, from, x.counts, from + by, len);
        System.arraycopy(x.maxEl, from, x.maxEl, from + by, len);
        if (by < 0) {
            x.n += by;
            java.util.Arrays.fill(x.kids, x.n, x.n - by, null);
            java.util.Arrays.fill(x.maxEl, x.n, x.n - by, null);
        }
    }

    // ---------------------------------------------------------------- checks (tests)

    /** Verifies every invariant; throws AssertionError naming the first broken one. */
    void check() {
        int[] seen = {0};
        byte[][] prev = {null};
        checkNode(root, true, seen, prev);
        if (seen[0] != size) throw new AssertionError("size " + size + " but " + seen[0] + " elements");
        int walked = 0;
        Leaf before = null;
        for (Leaf l = head; l != null; l = l.next) {
            if (l.prev != before) throw new AssertionError("broken prev link");
            walked += l.n;
            before = l;
        }
        if (before != tail) throw new AssertionError("tail is not the last leaf");
        if (walked != size) throw new AssertionError("leaf chain holds " + walked + " of " + size);
    }

    private void checkNode(Node x, boolean isRoot, int[] seen, byte[][] prev) {
        if (x instanceof Leaf l) {
            if (!isRoot && l.n == 0) throw new AssertionError("empty leaf");
            if (l.n > LEAF_MAX) throw new AssertionError("leaf over full");
            for (int i = 0; i < l.n; i++) {
                if (prev[0] != null && ScoredElement.compare(prev[0], l.els[i]) >= 0) throw new AssertionError("out of order");
                prev[0] = l.els[i];
                seen[0]++;
            }
            for (int i = l.n; i < l.els.length; i++) if (l.els[i] != null) throw new AssertionError("stale slot");
            return;
        }
        Inner in = (Inner) x;
        if (in.n < (isRoot ? 2 : 1)) throw new AssertionError("inner node with " + in.n + " children");
        for (int i = 0; i < in.n; i++) {
            int before = seen[0];
            checkNode(in.kids[i], false, seen, prev);
            if (seen[0] - before != in.counts[i]) throw new AssertionError("count " + in.counts[i] + " != " + (seen[0] - before));
            if (in.maxEl[i] != last(in.kids[i])) throw new AssertionError("stale max element");
        }
    }
}
