package io.moon.node.store;

import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * A hash (Redis's t_hash.c "hash type API"): fields and values of any bytes, in one of two
 * encodings that callers never see. Small hashes are {@link Packed} pairs (OBJECT ENCODING
 * "listpack"); a hash that grows past hash-max-listpack-entries fields, or gets a field or value
 * longer than hash-max-listpack-value bytes, becomes an {@link ElementTable} ("hashtable") for
 * good, as in Redis. {@link #set} is the one place that decides.
 *
 * <p>Fields are reached through handles: {@code find}, {@code first}/{@code next} and the random
 * and scan methods return one, and the accessors read the field or value it points at. A handle
 * is an offset into the packed array or a table slot; any change to the hash makes held handles
 * stale. Bytes returned by the accessors belong to the hash and must not be changed.
 *
 * <p>Not thread-safe: owned by the shard that owns its key.
 */
public final class HashValue implements TypedValue, ElementHandles {
    /** Redis's LISTPACK_MAX_SAFETY_SIZE: a packed hash never grows past 1 GiB. */
    static final long MAX_PACKED_BYTES = 1L << 30;
    /** Packed entries per field: the field and its value. */
    private static final int PAIR = 2;

    /** The packed pairs, or null once the hash is a table. */
    private byte[] packed = Packed.EMPTY;
    private int packedCount;
    private ElementTable table;

    public HashValue() {}

    private HashValue(HashValue o) {
        packed = o.packed; // never changed in place: every change builds a new array
        packedCount = o.packedCount;
        table = o.table == null ? null : o.table.copy();
    }

    @Override public String typeName() { return "hash"; }

    @Override public String encodingName() { return table == null ? "listpack" : "hashtable"; }

    @Override public HashValue copy() { return new HashValue(this); }

    @Override public boolean isEmpty() { return size() == 0; }

    @Override
    public long memoryUsage() {
        return Jvm.objectSize(12) + (table == null ? Jvm.arraySize(packed.length) : table.memoryUsage());
    }

    /** Number of fields. */
    @Override
    public int size() { return table == null ? packedCount : table.size(); }

    // ---------------------------------------------------------------- lookups

    /** Handle of the field {@code f[fo, fo+fl)}, or -1. */
    public int find(byte[] f, int fo, int fl) {
        return table == null ? Packed.find(packed, PAIR, f, fo, fl) : table.find(f, fo, fl);
    }

    public byte[] fieldBuf(int h) { return table == null ? packed : table.at(h); }

    public int fieldOff(int h) { return table == null ? Packed.data(packed, h) : table.keyOffset(table.at(h)); }

    public int fieldLen(int h) { return table == null ? Packed.length(packed, h) : table.keyLength(table.at(h)); }

    public byte[] valueBuf(int h) { return fieldBuf(h); }

    public int valueOff(int h) {
        if (table == null) return Packed.data(packed, Packed.next(packed, h));
        byte[] e = table.at(h);
        return table.keyOffset(e) + table.keyLength(e);
    }

    public int valueLen(int h) {
        if (table == null) return Packed.length(packed, Packed.next(packed, h));
        byte[] e = table.at(h);
        return e.length - table.keyOffset(e) - table.keyLength(e);
    }

    // ---------------------------------------------------------------- changes

    /**
     * Redis's hashTypeSet: sets the field to the value; returns true when the field is new. This
     * is the conversion point: a packed hash becomes a table when the field or the value is
     * longer than {@code maxValueLength} (before adding) or when it holds more than
     * {@code maxEntries} fields (after adding), the thresholds of hash-max-listpack-*.
     */
    public boolean set(byte[] f, int fo, int fl, byte[] v, int vo, int vl, long maxEntries, long maxValueLength) {
        if (table == null) {
            if (fl > maxValueLength || vl > maxValueLength
                    || packed.length + Packed.entrySize(fl) + Packed.entrySize(vl) > MAX_PACKED_BYTES) {
                convertToTable();
            } else {
                int at = Packed.find(packed, PAIR, f, fo, fl);
                if (at >= 0) {
                    packed = Packed.replace(packed, Packed.next(packed, at), v, vo, vl);
                    return false;
                }
                packed = Packed.append(packed, f, fo, fl, v, vo, vl);
                packedCount++;
                if (packedCount > maxEntries) convertToTable();
                return true;
            }
        }
        byte[] e = pair(f, fo, fl, v, vo, vl);
        int slot = table.find(f, fo, fl);
        if (slot >= 0) {
            table.replaceAt(slot, e);
            return false;
        }
        table.add(e);
        return true;
    }

    /** Deletes the field; returns false when it was not there. */
    public boolean delete(byte[] f, int fo, int fl) {
        if (table == null) {
            int at = Packed.find(packed, PAIR, f, fo, fl);
            if (at < 0) return false;
            packed = Packed.remove(packed, at, PAIR);
            packedCount--;
            return true;
        }
        int slot = table.find(f, fo, fl);
        if (slot < 0) return false;
        table.removeAt(slot);
        return true;
    }

    private void convertToTable() {
        ElementTable t = new ElementTable(true, packedCount);
        for (int at = 0; at < packed.length; ) {
            int fo = Packed.data(packed, at), fl = Packed.length(packed, at);
            int valueAt = fo + fl;
            int vo = Packed.data(packed, valueAt), vl = Packed.length(packed, valueAt);
            t.add(pair(packed, fo, fl, packed, vo, vl));
            at = vo + vl;
        }
        table = t;
        packed = null;
        packedCount = 0;
    }

    /** A table element: [Varint field length][field][value]. */
    private static byte[] pair(byte[] f, int fo, int fl, byte[] v, int vo, int vl) {
        byte[] e = new byte[Varint.size(fl) + fl + vl];
        int at = Varint.write(e, 0, fl);
        System.arraycopy(f, fo, e, at, fl);
        System.arraycopy(v, vo, e, at + fl, vl);
        return e;
    }

    // ---------------------------------------------------------------- iteration and sampling

    /** Handle of the first field, or -1 when empty. */
    public int first() {
        if (table == null) return packedCount == 0 ? -1 : 0;
        return table.next(0);
    }

    /** Handle of the field after {@code h}, or -1. */
    public int next(int h) {
        if (table == null) {
            int at = Packed.nextElement(packed, h, PAIR);
            return at < packed.length ? at : -1;
        }
        return table.next(h + 1);
    }

    @Override
    /** Handles of every field, in iteration order. */
    public int[] handles() {
        return table == null ? Packed.offsets(packed, packedCount, PAIR) : table.slots();
    }

    @Override
    /** Handle of a uniformly random field; the hash must not be empty. */
    public int random(RandomGenerator rnd) {
        if (table == null) return Packed.elementAt(packed, rnd.nextInt(packedCount), PAIR);
        return table.randomSlot(rnd);
    }

    /**
     * One HSCAN step: the handles of about {@code count} fields to {@code action}; returns the
     * next cursor, 0 when done. A packed hash answers every field at once, as Redis does for a
     * listpack.
     */
    public long scan(long cursor, int count, IntConsumer action) {
        if (table == null) {
            for (int h = first(); h >= 0; h = next(h)) action.accept(h);
            return 0;
        }
        return table.scan(cursor, count, action);
    }
}
