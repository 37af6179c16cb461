package io.moon.node.store;

/** A stored value that can tell how many bytes of heap it holds (for used_memory). */
public interface SizedValue {
    long memoryUsage();
}
