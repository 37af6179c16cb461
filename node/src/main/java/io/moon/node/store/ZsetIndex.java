package io.moon.node.store;

/**
 * The large encoding of a sorted set ("skiplist" in OBJECT ENCODING, after Redis's): a
 * {@link MemberTable} from member to element for O(1) score lookups and a {@link ScoreTree}
 * keeping elements in order for O(log n) ranks and ranges, as Redis pairs a dict with a
 * skiplist. Both hold the same {@link ScoredElement} arrays.
 *
 * <p>Per element: the element array (header, 8 score bytes, the member), a reference and a
 * control byte in the table (at 13/32 to 13/16 load), a reference in a tree leaf.
 */
final class ZsetIndex {
    final MemberTable table;
    final ScoreTree tree = new ScoreTree();
    /** Heap held by the element arrays. */
    private long elementBytes;

    ZsetIndex() { table = new MemberTable(); }

    ZsetIndex(int expected) { table = new MemberTable(expected); }

    int size() { return table.size(); }

    long memory() { return Jvm.objectSize(16) + table.memory() + tree.memory() + elementBytes; }

    byte[] get(byte[] m, int off, int len) { return table.get(m, off, len); }

    /** Adds a member that is not in the set. */
    void add(double score, byte[] m, int off, int len) {
        byte[] e = ScoredElement.of(score, m, off, len);
        table.add(e);
        tree.insert(e);
        elementBytes += Jvm.arraySize(e.length);
    }

    /** Moves element e (in the set) to a new score (Redis's zslUpdateScore). */
    void updateScore(byte[] e, double score) {
        tree.remove(ScoredElement.score(e), e, ScoredElement.MEMBER_OFFSET, ScoredElement.memberLength(e));
        ScoredElement.setScore(e, score);
        tree.insert(e);
    }

    /** Removes the member; false when it is not in the set. */
    boolean remove(byte[] m, int off, int len) {
        byte[] e = table.remove(m, off, len);
        if (e == null) return false;
        tree.remove(ScoredElement.score(e), m, off, len);
        elementBytes -= Jvm.arraySize(e.length);
        return true;
    }

    /** Removes and returns the element of the given rank (0 <= rank < size). */
    byte[] removeAt(long rank) {
        byte[] e = tree.removeAt(rank);
        table.remove(e, ScoredElement.MEMBER_OFFSET, ScoredElement.memberLength(e));
        elementBytes -= Jvm.arraySize(e.length);
        return e;
    }

    /** 0-based rank of the member, or -1 when it is not in the set. */
    long rank(byte[] m, int off, int len) {
        byte[] e = table.get(m, off, len);
        return e == null ? -1 : tree.rank(ScoredElement.score(e), m, off, len);
    }
}
