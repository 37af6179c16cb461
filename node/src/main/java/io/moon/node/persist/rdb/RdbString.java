package io.moon.node.persist.rdb;

/** A string value: its bytes (integers as their decimal text). */
public record RdbString(byte[] value) implements RdbValue {
    @Override
    public long size() { return value.length; }
}
