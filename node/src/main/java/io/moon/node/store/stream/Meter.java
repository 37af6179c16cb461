package io.moon.node.store.stream;

/**
 * The running heap count of one stream value: every part of the value (nodes, groups, pending
 * lists, consumers) adds what it allocates and subtracts what it frees, so the value's memory
 * usage is known in O(1) (used_memory, maxmemory).
 */
final class Meter {
    long bytes;

    void add(long delta) { bytes += delta; }
}
