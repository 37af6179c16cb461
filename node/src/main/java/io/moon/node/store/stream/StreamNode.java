package io.moon.node.store.stream;

import io.moon.node.store.Jvm;
import java.util.Arrays;

/**
 * One node of a stream: a run of consecutive entries packed in one byte array, as Redis packs
 * them in one listpack per radix tree node (t_stream.c streamAppendItem). The node is keyed by
 * its master id, the id of the first entry ever added to it.
 *
 * <p>Layout of {@link #data}:
 * <pre>
 * master fields:  uvarint n, then n strings (the fields of the first entry)
 * each entry:     byte flags, uvarint ms-delta, zigzag seq-delta,
 *                 flags &amp; SAME_FIELDS ? n values : uvarint n, then n field/value pairs
 * string:         uvarint length, bytes
 * </pre>
 * Deltas are taken from the master id (an entry's ms never precedes it; its seq may). An entry
 * whose fields are the master's (the common case: producers send the same fields each time)
 * stores only its values. Deleting an entry only sets its DELETED flag, as Redis marks a
 * listpack entry deleted; the node goes when its last live entry does.
 *
 * <p>Not thread-safe: owned, with the stream value, by one shard's loop.
 */
final class StreamNode {
    static final int FLAG_DELETED = 1;
    static final int FLAG_SAME_FIELDS = 2;
    private static final int FIRST_CAPACITY = 64;

    final long masterMs, masterSeq;
    /** Id of the last entry, live or deleted (MINID trimming reads it, as lpGetEdgeStreamID). */
    long lastMs, lastSeq;
    int live, deleted;
    /** Number of master fields, and where the first entry starts. */
    int masterFields, entriesStart;
    int used;
    byte[] data;

    private StreamNode(long masterMs, long masterSeq, byte[] data) {
        this.masterMs = masterMs;
        this.masterSeq = masterSeq;
        this.data = data;
    }

    static long shellBytes() { return Jvm.objectSize(4 * 8 + 5 * 4 + 4); }

    long bytes() { return shellBytes() + Jvm.arraySize(data.length); }

    /**
     * A node whose first entry has the given id and strings (field, value, field, value...,
     * {@code strings} of them at {@code off/len} in {@code buf}).
     */
    static StreamNode create(long ms, long seq, byte[] buf, int[] off, int[] len, int strings, int capacityHint) {
        int n = strings / 2;
        int need = uvarintSize(n);
        for (int i = 0; i < strings; i += 2) need += stringSize(len[i]);
        StreamNode node = new StreamNode(ms, seq, new byte[Math.max(need, Math.min(capacityHint, FIRST_CAPACITY))]);
        int p = writeUvarint(node.data, 0, n);
        for (int i = 0; i < strings; i += 2) p = writeString(node.data, p, buf, off[i], len[i]);
        node.masterFields = n;
        node.entriesStart = p;
        node.used = p;
        node.append(ms, seq, buf, off, len, strings);
        return node;
    }

    /** Appends an entry (its id above every id in the node). */
    void append(long ms, long seq, byte[] buf, int[] off, int[] len, int strings) {
        int n = strings / 2;
        boolean same = sameFieldsAsMaster(buf, off, len, n);
        long msDelta = ms - masterMs, seqDelta = seq - masterSeq;
        int need = 1 + uvarintSize(msDelta) + uvarintSize(zigzag(seqDelta));
        if (!same) need += uvarintSize(n);
        for (int i = 0; i < strings; i++) {
            if (same && (i & 1) == 0) continue;
            need += stringSize(len[i]);
        }
        ensure(used + need);
        int p = used;
        data[p++] = (byte) (same ? FLAG_SAME_FIELDS : 0);
        p = writeUvarint(data, p, msDelta);
        p = writeUvarint(data, p, zigzag(seqDelta));
        if (!same) p = writeUvarint(data, p, n);
        for (int i = 0; i < strings; i++) {
            if (same && (i & 1) == 0) continue;
            p = writeString(data, p, buf, off[i], len[i]);
        }
        used = p;
        live++;
        lastMs = ms;
        lastSeq = seq;
    }

    private boolean sameFieldsAsMaster(byte[] buf, int[] off, int[] len, int n) {
        if (n != masterFields) return false;
        int p = uvarintSize(masterFields);
        for (int i = 0; i < n; i++) {
            long l = readUvarint(data, p);
            p += uvarintSize(l);
            if (l != len[2 * i] || !Arrays.equals(data, p, p + (int) l, buf, off[2 * i], off[2 * i] + len[2 * i])) return false;
            p += (int) l;
        }
        return true;
    }

    private void ensure(int size) {
        if (size <= data.length) return;
        data = Arrays.copyOf(data, Math.max(size, data.length + (data.length >> 1)));
    }

    /** Drops the spare room of a node that takes no more entries (Redis's lpShrinkToFit). */
    void shrinkToFit() {
        if (data.length > used) data = Arrays.copyOf(data, used);
    }

    StreamNode copy() {
        StreamNode n = new StreamNode(masterMs, masterSeq, Arrays.copyOf(data, used));
        n.lastMs = lastMs;
        n.lastSeq = lastSeq;
        n.live = live;
        n.deleted = deleted;
        n.masterFields = masterFields;
        n.entriesStart = entriesStart;
        n.used = used;
        return n;
    }

    // ------------------------------------------------------------------ reading entries

    /**
     * Reads the header of the entry at {@code p} into {@code e} (id, flags, field count and where
     * its strings start) and returns the offset of the next entry.
     */
    int readEntry(int p, EntryView e) {
        e.flags = data[p++];
        long msDelta = readUvarint(data, p);
        p += uvarintSize(msDelta);
        long zz = readUvarint(data, p);
        p += uvarintSize(zz);
        e.ms = masterMs + msDelta;
        e.seq = masterSeq + unzigzag(zz);
        if ((e.flags & FLAG_SAME_FIELDS) != 0) {
            e.fields = masterFields;
        } else {
            long n = readUvarint(data, p);
            p += uvarintSize(n);
            e.fields = (int) n;
        }
        e.body = p;
        int strings = (e.flags & FLAG_SAME_FIELDS) != 0 ? e.fields : 2 * e.fields;
        for (int i = 0; i < strings; i++) {
            long l = readUvarint(data, p);
            p += uvarintSize(l) + (int) l;
        }
        return p;
    }

    /** Fills e's field/value offsets and lengths for the entry read by {@link #readEntry}. */
    void readFields(EntryView e) {
        e.ensure(e.fields);
        e.data = data;
        boolean same = (e.flags & FLAG_SAME_FIELDS) != 0;
        int m = uvarintSize(masterFields);
        int p = e.body;
        for (int i = 0; i < e.fields; i++) {
            if (same) {
                long l = readUvarint(data, m);
                m += uvarintSize(l);
                e.fieldOff[i] = m;
                e.fieldLen[i] = (int) l;
                m += (int) l;
            } else {
                long l = readUvarint(data, p);
                p += uvarintSize(l);
                e.fieldOff[i] = p;
                e.fieldLen[i] = (int) l;
                p += (int) l;
            }
            long l = readUvarint(data, p);
            p += uvarintSize(l);
            e.valueOff[i] = p;
            e.valueLen[i] = (int) l;
            p += (int) l;
        }
    }

    /** Marks the entry at offset p deleted (it must be live). */
    void markDeleted(int p) {
        data[p] |= FLAG_DELETED;
        live--;
        deleted++;
    }

    // ------------------------------------------------------------------ varints

    static int uvarintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    static int writeUvarint(byte[] b, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    static long readUvarint(byte[] b, int p) {
        long v = 0;
        int shift = 0;
        while (true) {
            byte x = b[p++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) return v;
            shift += 7;
        }
    }

    static int stringSize(int len) { return uvarintSize(len) + len; }

    private static int writeString(byte[] b, int p, byte[] src, int off, int len) {
        p = writeUvarint(b, p, len);
        System.arraycopy(src, off, b, p, len);
        return p + len;
    }

    private static long zigzag(long v) { return (v << 1) ^ (v >> 63); }

    private static long unzigzag(long v) { return (v >>> 1) ^ -(v & 1); }
}
