package io.moon.node.store.stream;

import io.moon.node.store.Jvm;
import java.util.Arrays;

/**
 * The nodes of a stream in id order: Redis's radix tree of listpacks, as a sorted array searched
 * by master id. Nodes are added only at the end (ids only grow) and mostly leave from the front
 * (trimming), so the array keeps a moving start and both are O(1); a node emptied in the middle
 * by XDEL costs one shift of references.
 *
 * <p>Not thread-safe: owned, with the stream value, by one shard's loop.
 */
final class NodeIndex {
    private StreamNode[] nodes = new StreamNode[4];
    private int head, size;

    int size() { return size; }

    StreamNode get(int i) { return nodes[head + i]; }

    StreamNode last() { return size == 0 ? null : nodes[head + size - 1]; }

    /** Heap held by the index itself (the nodes are counted apart). */
    long bytes() { return Jvm.objectSize(12) + Jvm.arraySize(nodes.length, 4); }

    void add(StreamNode n) {
        if (head + size == nodes.length) {
            if (head > nodes.length / 2) {
                System.arraycopy(nodes, head, nodes, 0, size);
                Arrays.fill(nodes, size, head + size, null);
                head = 0;
            } else {
                nodes = Arrays.copyOf(nodes, nodes.length * 2);
            }
        }
        nodes[head + size++] = n;
    }

    void removeAt(int i) {
        if (i == 0) {
            nodes[head++] = null;
            size--;
            if (size == 0) head = 0;
        } else {
            System.arraycopy(nodes, head + i + 1, nodes, head + i, size - i - 1);
            nodes[head + --size] = null;
        }
        if (size > 0 && size < nodes.length / 4 && nodes.length > 4) {
            nodes = Arrays.copyOfRange(nodes, head, head + Math.max(4, nodes.length / 2));
            head = 0;
        }
    }

    /** Index of the last node whose master id is <= the id, or -1 (Redis's raxSeek "<="). */
    int floor(long ms, long seq) {
        int lo = 0, hi = size - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            StreamNode n = nodes[head + mid];
            if (StreamIds.compare(n.masterMs, n.masterSeq, ms, seq) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /**
     * Nodes Redis's radix tree would have for these master ids as keys (XINFO STREAM
     * radix-tree-nodes): the ids as 16 big-endian bytes in a compressed trie, where a run of
     * shared bytes is one node, each branching point one node, and each key ends in a leaf.
     */
    long radixTreeNodes() {
        if (size == 0) return 1;
        return trieNodes(0, size, 0);
    }

    private long trieNodes(int from, int to, int depth) {
        if (to - from == 1) return depth < 16 ? 2 : 1;
        int shared = depth;
        while (shared < 16 && byteAt(from, shared) == byteAt(to - 1, shared)) shared++;
        long n = (shared > depth ? 1 : 0) + 1;
        int start = from;
        for (int i = from + 1; i <= to; i++) {
            if (i == to || byteAt(i, shared) != byteAt(start, shared)) {
                n += trieNodes(start, i, shared + 1);
                start = i;
            }
        }
        return n;
    }

    private int byteAt(int i, int k) {
        StreamNode n = nodes[head + i];
        long half = k < 8 ? n.masterMs : n.masterSeq;
        return (int) (half >>> (8 * (7 - (k & 7)))) & 0xFF;
    }
}
