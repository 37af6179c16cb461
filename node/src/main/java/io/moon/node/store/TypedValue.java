package io.moon.node.store;

/**
 * A value of a type other than plain strings (hash, list, set, sorted set, stream), held by an
 * {@link ObjectEntry}: what the generic key commands (TYPE, SCAN TYPE, OBJECT ENCODING, COPY) ask
 * of every type, whatever its encoding.
 */
public interface TypedValue extends SizedValue {
    /** TYPE's answer: "hash", "list", "set", "zset" or "stream". */
    String typeName();

    /** OBJECT ENCODING's answer: Redis's name of the current encoding ("listpack", "hashtable"...). */
    String encodingName();

    /** An independent deep copy (COPY): changing one never shows in the other. */
    TypedValue copy();

    /**
     * True when the value has no elements and its key must go (lists, sets, hashes, sorted sets);
     * a stream is never empty in this sense.
     */
    boolean isEmpty();

    /** Heap bytes held by the value; must be O(1) (kept up to date as the value changes). */
    @Override
    long memoryUsage();
}
