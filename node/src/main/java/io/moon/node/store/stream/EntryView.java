package io.moon.node.store.stream;

/**
 * The entry a {@link StreamCursor} stands on: its id and its field/value pairs as slices of the
 * node's array (nothing copied). Valid until the cursor moves or the stream changes.
 */
public final class EntryView {
    long ms, seq;
    int flags;
    int fields;
    /** Offset of the entry's first string (after its header). */
    int body;
    byte[] data;
    int[] fieldOff = new int[4], fieldLen = new int[4], valueOff = new int[4], valueLen = new int[4];

    void ensure(int n) {
        if (fieldOff.length >= n) return;
        int c = Math.max(n, fieldOff.length * 2);
        fieldOff = new int[c];
        fieldLen = new int[c];
        valueOff = new int[c];
        valueLen = new int[c];
    }

    public long ms() { return ms; }
    public long seq() { return seq; }
    /** Number of field/value pairs. */
    public int fieldCount() { return fields; }
    /** The array holding every field and value of the entry. */
    public byte[] data() { return data; }
    public int fieldOffset(int i) { return fieldOff[i]; }
    public int fieldLength(int i) { return fieldLen[i]; }
    public int valueOffset(int i) { return valueOff[i]; }
    public int valueLength(int i) { return valueLen[i]; }
}
