package io.moon.node.store;

/**
 * A plain set as the sorted-set algebra reads it: ZUNIONSTORE, ZINTERSTORE, ZDIFF and friends
 * take sets among their inputs and score every member 1 (Redis's zsetopsrc over OBJ_SET). The
 * set type's value implements this.
 */
public interface MemberSet {
    int size();

    boolean contains(byte[] m, int off, int len);

    /** Calls {@code v} with every member (any order); must not change the set meanwhile. */
    void forEachMember(MemberVisitor v);

    /** Receives one member, {@code b[off, off+len)}; must not keep or change the array. */
    @FunctionalInterface
    interface MemberVisitor {
        void visit(byte[] b, int off, int len);
    }
}
