package io.moon.node.store;

/**
 * A value of a type other than plain strings (hash, list, set, sorted set, stream), held by an
 * {@link ObjectEntry}: what the generic key commands (TYPE, SCAN TYPE, OBJECT ENCODING, COPY) ask
 * of every type, whatever its encoding.
 */
public interface TypedValue {
    /** TYPE's answer: "hash", "list", "set", "zset" or "stream". */
    String typeName();

    /** OBJECT ENCODING's answer: Redis's name of the current encoding ("listpack", "hashtable"...). */
    String encodingName();

    /** An independent deep copy (COPY): changing one never shows in the other. */
    TypedValue copy();
}
