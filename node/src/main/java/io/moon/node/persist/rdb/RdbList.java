package io.moon.node.persist.rdb;

import java.util.List;

/** A list value: its elements from head to tail. */
public record RdbList(List<byte[]> elements) implements RdbValue {
    @Override
    public long size() { return elements.size(); }

    @Override
    public boolean isEmptyCollection() { return elements.isEmpty(); }
}
