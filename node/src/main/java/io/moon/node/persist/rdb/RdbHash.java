package io.moon.node.persist.rdb;

import java.util.List;

/** A hash value: its fields (distinct) with their values. */
public record RdbHash(List<FieldValue> fields) implements RdbValue {
    @Override
    public long size() { return fields.size(); }

    @Override
    public boolean isEmptyCollection() { return fields.isEmpty(); }
}
