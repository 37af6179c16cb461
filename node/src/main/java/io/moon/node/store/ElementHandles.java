package io.moon.node.store;

import java.util.random.RandomGenerator;

/**
 * A collection whose elements are reached by int handles ({@link HashValue}, {@link SetValue}):
 * what random sampling (HRANDFIELD, SRANDMEMBER, SPOP) needs from it.
 */
public interface ElementHandles {
    /** Number of elements. */
    int size();

    /** Handle of a uniformly random element; the collection must not be empty. */
    int random(RandomGenerator rnd);

    /** Handles of every element, in iteration order. */
    int[] handles();
}
