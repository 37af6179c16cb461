package io.moon.node.persist.rdb;

import java.util.List;

/** A sorted set value: distinct members with their scores (never NaN), in any order. */
public record RdbZset(List<Entry> entries) implements RdbValue {
    /** One member and its score. */
    public record Entry(byte[] member, double score) {}

    @Override
    public long size() { return entries.size(); }

    @Override
    public boolean isEmptyCollection() { return entries.isEmpty(); }
}
