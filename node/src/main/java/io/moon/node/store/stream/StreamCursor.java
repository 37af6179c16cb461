package io.moon.node.store.stream;

/**
 * Walks the live entries of a stream between two ids (both inclusive), forward or backward:
 * Redis's streamIterator. It starts at the node found by a binary search over master ids, then
 * reads entries in node order, skipping deleted ones; backward, it first lists the entry offsets
 * of each node (entries are variable-length and written forward).
 *
 * <p>Any change to the stream invalidates the cursor.
 */
public final class StreamCursor {
    private final NodeIndex nodes;
    private final long startMs, startSeq, endMs, endSeq;
    private final boolean rev;
    private final EntryView entry = new EntryView();
    private int nodeIdx;
    private StreamNode node;
    /** Forward: offset of the next entry in node. */
    private int next;
    /** Backward: the node's entry offsets, and how many are left to visit. */
    private int[] offsets = new int[16];
    private int left;
    private boolean done;
    private int currentOffset = -1;

    StreamCursor(NodeIndex nodes, long startMs, long startSeq, long endMs, long endSeq, boolean rev) {
        this.nodes = nodes;
        this.startMs = startMs;
        this.startSeq = startSeq;
        this.endMs = endMs;
        this.endSeq = endSeq;
        this.rev = rev;
        if (!rev) {
            nodeIdx = Math.max(0, nodes.floor(startMs, startSeq)) - 1;
        } else {
            int f = nodes.floor(endMs, endSeq);
            if (f < 0) done = true;
            nodeIdx = f + 1;
        }
    }

    /** The current entry, after {@link #next} returned true; call {@link #fields} before reading pairs. */
    public EntryView entry() { return entry; }

    /** Makes the current entry's field/value slices readable. */
    public EntryView fields() {
        node.readFields(entry);
        return entry;
    }

    /** Moves to the next live entry in range; false when there is none. */
    public boolean next() {
        while (!done) {
            if (node == null && !enterNode()) {
                done = true;
                return false;
            }
            int at;
            if (!rev) {
                if (next >= node.used) {
                    node = null;
                    continue;
                }
                at = next;
                next = node.readEntry(next, entry);
            } else {
                if (left == 0) {
                    node = null;
                    continue;
                }
                at = offsets[--left];
                node.readEntry(at, entry);
            }
            if ((entry.flags & StreamNode.FLAG_DELETED) != 0) continue;
            if (!rev) {
                if (StreamIds.compare(entry.ms, entry.seq, startMs, startSeq) < 0) continue;
                if (StreamIds.compare(entry.ms, entry.seq, endMs, endSeq) > 0) break;
            } else {
                if (StreamIds.compare(entry.ms, entry.seq, endMs, endSeq) > 0) continue;
                if (StreamIds.compare(entry.ms, entry.seq, startMs, startSeq) < 0) break;
            }
            currentOffset = at;
            return true;
        }
        done = true;
        return false;
    }

    private boolean enterNode() {
        nodeIdx += rev ? -1 : 1;
        if (nodeIdx < 0 || nodeIdx >= nodes.size()) return false;
        node = nodes.get(nodeIdx);
        if (!rev) {
            next = node.entriesStart;
        } else {
            left = 0;
            for (int p = node.entriesStart; p < node.used; ) {
                if (left == offsets.length) offsets = java.util.Arrays.copyOf(offsets, left * 2);
                offsets[left++] = p;
                p = node.readEntry(p, entry);
            }
        }
        return true;
    }

    /** The node of the current entry (for deletion by the stream). */
    StreamNode node() { return node; }

    int nodeIndex() { return nodeIdx; }

    int currentOffset() { return currentOffset; }
}
