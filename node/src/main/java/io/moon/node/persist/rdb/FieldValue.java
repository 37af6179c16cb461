package io.moon.node.persist.rdb;

/** A field and its value: one pair of a hash or of a stream entry. */
public record FieldValue(byte[] field, byte[] value) {}
