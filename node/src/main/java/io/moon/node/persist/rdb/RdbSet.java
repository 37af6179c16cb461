package io.moon.node.persist.rdb;

import java.util.List;

/** A set value: its distinct members, integers as their decimal text. */
public record RdbSet(List<byte[]> members) implements RdbValue {
    @Override
    public long size() { return members.size(); }

    @Override
    public boolean isEmptyCollection() { return members.isEmpty(); }
}
