package io.moon.node.store.stream;

import io.moon.node.persist.rdb.FieldValue;
import io.moon.node.persist.rdb.RdbStream;
import io.moon.node.persist.rdb.StreamId;
import io.moon.node.store.Jvm;
import io.moon.node.store.TypedValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * A stream (Redis's t_stream.c type API): entries in id order packed into {@link StreamNode}s
 * found through a {@link NodeIndex}, the stream's counters (length, last id, first id, greatest
 * deleted id, entries ever added), and its consumer groups by name.
 *
 * <p>Nodes fill as Redis's listpacks do: an entry opens a new node when the last one reached
 * stream-node-max-entries entries (deleted ones included) or stream-node-max-bytes, so
 * approximate trimming ({@code ~}) removes the same whole nodes Redis would. Memory is counted as
 * it changes ({@link Meter}), so {@link #memoryUsage} is O(1).
 *
 * <p>The encoding has one name, "stream", as in Redis. Not thread-safe: owned by one shard's loop.
 */
public final class StreamValue implements TypedValue {
    /** Redis's STREAM_LISTPACK_MAX_SIZE: the byte cap of a node, and of one entry's strings. */
    public static final long NODE_MAX_SIZE = 1L << 30;
    /** An absent lag or read counter (Redis replies null). */
    public static final long UNKNOWN = Long.MIN_VALUE;

    private static final long SHELL_BYTES = Jvm.objectSize(8 * 9 + 4 * 3);
    private static final long GROUP_MAP_ENTRY_BYTES = Jvm.objectSize(4 * 5 + 1);

    private final NodeIndex nodes = new NodeIndex();
    private long length;
    private long lastMs, lastSeq;
    private long firstMs, firstSeq;
    private long maxDelMs, maxDelSeq;
    private long entriesAdded;
    /** Created with the first group, as Redis creates s->cgroups on demand. */
    private TreeMap<byte[], ConsumerGroup> groups;
    private final Meter meter = new Meter();

    @Override public String typeName() { return "stream"; }
    @Override public String encodingName() { return "stream"; }
    /** A stream stays when its last entry goes (Redis never deletes an emptied stream). */
    @Override public boolean isEmpty() { return false; }
    @Override public long memoryUsage() { return SHELL_BYTES + nodes.bytes() + meter.bytes; }

    /** {@link #memoryUsage} computed from scratch (tests check the running count against it). */
    long recountMemory() {
        long b = SHELL_BYTES + nodes.bytes();
        for (int i = 0; i < nodes.size(); i++) b += nodes.get(i).bytes();
        if (groups != null) {
            b += Jvm.objectSize(24);
            for (ConsumerGroup g : groups.values()) b += GROUP_MAP_ENTRY_BYTES + g.bytes(true);
        }
        return b;
    }

    public long length() { return length; }
    public long lastMs() { return lastMs; }
    public long lastSeq() { return lastSeq; }
    /** Id of the first live entry as recorded (recorded-first-entry-id), 0-0 when empty. */
    public long firstMs() { return firstMs; }
    public long firstSeq() { return firstSeq; }
    public long maxDeletedMs() { return maxDelMs; }
    public long maxDeletedSeq() { return maxDelSeq; }
    public long entriesAdded() { return entriesAdded; }
    public int radixTreeKeys() { return nodes.size(); }
    public long radixTreeNodes() { return nodes.radixTreeNodes(); }

    // ------------------------------------------------------------------ entries

    /**
     * Appends an entry whose id the caller checked to be above {@link #lastMs}-{@link #lastSeq}
     * (Redis's streamAppendItem after its id checks). The strings are field, value, field,
     * value..., {@code strings} of them at {@code off/len} in {@code buf}.
     *
     * @param nodeMaxBytes stream-node-max-bytes (0: no limit but {@link #NODE_MAX_SIZE})
     * @param nodeMaxEntries stream-node-max-entries (0: no limit)
     */
    public void append(long ms, long seq, byte[] buf, int[] off, int[] len, int strings, long nodeMaxBytes,
                       long nodeMaxEntries) {
        long total = 0;
        for (int i = 0; i < strings; i++) total += len[i];
        long maxBytes = nodeMaxBytes == 0 || nodeMaxBytes > NODE_MAX_SIZE ? NODE_MAX_SIZE : nodeMaxBytes;
        StreamNode tail = nodes.last();
        if (tail != null) {
            boolean full = tail.used + total >= maxBytes
                    || (nodeMaxEntries != 0 && tail.live + tail.deleted >= nodeMaxEntries);
            if (full) {
                long before = tail.bytes();
                tail.shrinkToFit();
                meter.add(tail.bytes() - before);
                tail = null;
            }
        }
        if (tail == null) {
            StreamNode n = StreamNode.create(ms, seq, buf, off, len, strings, (int) Math.min(maxBytes, Integer.MAX_VALUE));
            nodes.add(n);
            meter.add(n.bytes());
        } else {
            long before = tail.bytes();
            tail.append(ms, seq, buf, off, len, strings);
            meter.add(tail.bytes() - before);
        }
        length++;
        entriesAdded++;
        lastMs = ms;
        lastSeq = seq;
        if (length == 1) {
            firstMs = ms;
            firstSeq = seq;
        }
    }

    /** Live entries from start to end (inclusive), backward when {@code rev}. */
    public StreamCursor cursor(long startMs, long startSeq, long endMs, long endSeq, boolean rev) {
        return new StreamCursor(nodes, startMs, startSeq, endMs, endSeq, rev);
    }

    /** Every live entry, forward. */
    public StreamCursor cursor() { return cursor(0, 0, StreamIds.MAX, StreamIds.MAX, false); }

    /** Redis's streamEntryExists: a live entry has this id. */
    public boolean exists(long ms, long seq) { return cursor(ms, seq, ms, seq, false).next(); }

    /**
     * Redis's streamLastValidID: the id of the last live entry into {@code idOut}; false (and 0-0)
     * when there is none.
     */
    public boolean lastLiveId(long[] idOut) {
        StreamCursor c = cursor(0, 0, StreamIds.MAX, StreamIds.MAX, true);
        if (!c.next()) {
            idOut[0] = idOut[1] = 0;
            return false;
        }
        idOut[0] = c.entry().ms;
        idOut[1] = c.entry().seq;
        return true;
    }

    /** Redis's XDEL of one id (streamDeleteItem plus the command's bookkeeping); true when it was live. */
    public boolean delete(long ms, long seq) {
        StreamCursor c = cursor(ms, seq, ms, seq, false);
        if (!c.next()) return false;
        StreamNode n = c.node();
        if (n.live == 1) {
            nodes.removeAt(c.nodeIndex());
            meter.add(-n.bytes());
        } else {
            n.markDeleted(c.currentOffset());
        }
        length--;
        if (StreamIds.compare(ms, seq, maxDelMs, maxDelSeq) > 0) {
            maxDelMs = ms;
            maxDelSeq = seq;
        }
        if (length == 0) {
            firstMs = firstSeq = 0;
        } else if (ms == firstMs && seq == firstSeq) {
            recordFirstLive();
        }
        return true;
    }

    private void recordFirstLive() {
        StreamCursor c = cursor();
        if (c.next()) {
            firstMs = c.entry().ms;
            firstSeq = c.entry().seq;
        } else {
            // As streamGetEdgeID when nothing is live.
            firstMs = firstSeq = StreamIds.MAX;
        }
    }

    /**
     * Redis's streamTrim: removes entries from the head, by length ({@code maxlen}) or by id
     * (everything below {@code minMs-minSeq} when {@code byId}). Approximate trimming removes only
     * whole nodes; {@code limit} (0: none) caps the entries removed. Returns how many went.
     */
    public long trim(boolean byId, long maxlen, long minMs, long minSeq, boolean approx, long limit) {
        long deleted = 0;
        while (nodes.size() > 0) {
            if (!byId && length <= maxlen) break;
            StreamNode n = nodes.get(0);
            long entries = n.live;
            if (limit != 0 && deleted + entries > limit) break;
            boolean removeNode = byId ? StreamIds.compare(n.lastMs, n.lastSeq, minMs, minSeq) < 0
                    : length - entries >= maxlen;
            if (removeNode) {
                nodes.removeAt(0);
                meter.add(-n.bytes());
                length -= entries;
                deleted += entries;
                continue;
            }
            if (approx) break;
            EntryView e = new EntryView();
            for (int p = n.entriesStart; p < n.used; ) {
                int next = n.readEntry(p, e);
                boolean stop = byId ? StreamIds.compare(e.ms, e.seq, minMs, minSeq) >= 0 : length <= maxlen;
                if (stop) break;
                if ((e.flags & StreamNode.FLAG_DELETED) == 0) {
                    n.markDeleted(p);
                    length--;
                    deleted++;
                }
                p = next;
            }
            break; // the node had enough to delete: the next one is not reached
        }
        if (length == 0) {
            firstMs = firstSeq = 0;
        } else if (deleted > 0) {
            recordFirstLive();
        }
        return deleted;
    }

    /**
     * XSETID: the last id, and, when given, the entries-added counter ({@code entriesAdded} >= 0)
     * and the greatest deleted id (unless 0-0).
     */
    public void setIds(long ms, long seq, long entriesAdded, long maxDelMs, long maxDelSeq) {
        lastMs = ms;
        lastSeq = seq;
        if (entriesAdded >= 0) this.entriesAdded = entriesAdded;
        if (maxDelMs != 0 || maxDelSeq != 0) {
            this.maxDelMs = maxDelMs;
            this.maxDelSeq = maxDelSeq;
        }
    }

    // ------------------------------------------------------------------ read counters and lag

    /** Redis's streamRangeHasTombstones from the id to the end of the stream. */
    public boolean hasTombstonesFrom(long ms, long seq) {
        if (length == 0 || (maxDelMs == 0 && maxDelSeq == 0)) return false;
        if (StreamIds.compare(firstMs, firstSeq, maxDelMs, maxDelSeq) > 0) return false;
        return StreamIds.compare(ms, seq, maxDelMs, maxDelSeq) <= 0;
    }

    /**
     * Redis's streamEstimateDistanceFromFirstEverEntry: the logical read counter of an id, or
     * {@link ConsumerGroup#INVALID_ENTRIES_READ} when it cannot be known.
     */
    public long estimateDistanceFromFirstEverEntry(long ms, long seq) {
        if (entriesAdded == 0) return 0;
        if (length == 0 && StreamIds.compare(ms, seq, lastMs, lastSeq) < 1) return entriesAdded;
        int cmpLast = StreamIds.compare(ms, seq, lastMs, lastSeq);
        if (cmpLast == 0) return entriesAdded;
        if (cmpLast > 0) return ConsumerGroup.INVALID_ENTRIES_READ;
        int cmpFirst = StreamIds.compare(ms, seq, firstMs, firstSeq);
        if ((maxDelMs == 0 && maxDelSeq == 0) || StreamIds.compare(maxDelMs, maxDelSeq, firstMs, firstSeq) < 0) {
            if (cmpFirst < 0) return entriesAdded - length;
            if (cmpFirst == 0) return entriesAdded - length + 1;
        }
        return ConsumerGroup.INVALID_ENTRIES_READ;
    }

    /** Redis's streamReplyWithCGLag: entries not yet delivered to the group, or {@link #UNKNOWN}. */
    public long lag(ConsumerGroup g) {
        if (entriesAdded == 0) return 0;
        if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ && !hasTombstonesFrom(g.lastMs, g.lastSeq)) {
            return entriesAdded - g.entriesRead;
        }
        long read = estimateDistanceFromFirstEverEntry(g.lastMs, g.lastSeq);
        return read == ConsumerGroup.INVALID_ENTRIES_READ ? UNKNOWN : entriesAdded - read;
    }

    /**
     * A group read delivered this entry (Redis's streamReplyWithRange): when it is past the
     * group's last id, the group moves there and its read counter follows.
     */
    public void groupRead(ConsumerGroup g, long ms, long seq) {
        if (StreamIds.compare(ms, seq, g.lastMs, g.lastSeq) <= 0) return;
        if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ && !hasTombstonesFrom(ms, seq)) {
            g.entriesRead++;
        } else if (entriesAdded != 0) {
            g.entriesRead = estimateDistanceFromFirstEverEntry(ms, seq);
        }
        g.lastMs = ms;
        g.lastSeq = seq;
    }

    // ------------------------------------------------------------------ consumer groups

    public ConsumerGroup group(byte[] name) { return groups == null ? null : groups.get(name); }

    public int groupCount() { return groups == null ? 0 : groups.size(); }

    /** Groups in name order. */
    public Collection<ConsumerGroup> groups() { return groups == null ? List.of() : groups.values(); }

    /** Redis's streamCreateCG: a new group, or null when one has that name. */
    public ConsumerGroup createGroup(byte[] name, long ms, long seq, long entriesRead) {
        if (groups == null) {
            groups = new TreeMap<>(Arrays::compareUnsigned);
            meter.add(Jvm.objectSize(24));
        }
        if (groups.containsKey(name)) return null;
        ConsumerGroup g = new ConsumerGroup(name, ms, seq, entriesRead, meter);
        groups.put(name, g);
        meter.add(GROUP_MAP_ENTRY_BYTES);
        return g;
    }

    /** XGROUP DESTROY: true when the group existed. */
    public boolean destroyGroup(byte[] name) {
        ConsumerGroup g = groups == null ? null : groups.remove(name);
        if (g == null) return false;
        meter.add(-(g.bytes() + GROUP_MAP_ENTRY_BYTES));
        return true;
    }

    // ------------------------------------------------------------------ copies and RDB

    @Override
    public StreamValue copy() {
        StreamValue s = new StreamValue();
        for (int i = 0; i < nodes.size(); i++) {
            StreamNode n = nodes.get(i).copy();
            s.nodes.add(n);
            s.meter.add(n.bytes());
        }
        s.length = length;
        s.lastMs = lastMs;
        s.lastSeq = lastSeq;
        s.firstMs = firstMs;
        s.firstSeq = firstSeq;
        s.maxDelMs = maxDelMs;
        s.maxDelSeq = maxDelSeq;
        s.entriesAdded = entriesAdded;
        for (ConsumerGroup g : groups()) {
            if (s.groups == null) {
                s.groups = new TreeMap<>(Arrays::compareUnsigned);
                s.meter.add(Jvm.objectSize(24));
            }
            s.groups.put(g.name, g.copy(s.meter));
            s.meter.add(GROUP_MAP_ENTRY_BYTES);
        }
        return s;
    }

    /** The value as RDB carries it (for DUMP and RDB files). */
    public RdbStream toRdb() {
        List<RdbStream.Entry> entries = new ArrayList<>((int) Math.min(length, Integer.MAX_VALUE));
        StreamCursor c = cursor();
        while (c.next()) {
            EntryView e = c.fields();
            List<FieldValue> fields = new ArrayList<>(e.fields);
            for (int i = 0; i < e.fields; i++) {
                fields.add(new FieldValue(Arrays.copyOfRange(e.data, e.fieldOff[i], e.fieldOff[i] + e.fieldLen[i]),
                        Arrays.copyOfRange(e.data, e.valueOff[i], e.valueOff[i] + e.valueLen[i])));
            }
            entries.add(new RdbStream.Entry(new StreamId(e.ms, e.seq), fields));
        }
        List<RdbStream.Group> rdbGroups = new ArrayList<>(groupCount());
        for (ConsumerGroup g : groups()) {
            List<RdbStream.PendingEntry> pending = new ArrayList<>(g.pel.size());
            for (long p = g.pel.first(); p >= 0; p = g.pel.next(p)) {
                PendingEntry pe = g.pel.valueAt(p);
                pending.add(new RdbStream.PendingEntry(new StreamId(g.pel.msAt(p), g.pel.seqAt(p)), pe.deliveryTime,
                        pe.deliveryCount));
            }
            List<RdbStream.Consumer> consumers = new ArrayList<>(g.consumers.size());
            for (Consumer cons : g.consumers.values()) {
                List<StreamId> ids = new ArrayList<>(cons.pel.size());
                for (long p = cons.pel.first(); p >= 0; p = cons.pel.next(p)) {
                    ids.add(new StreamId(cons.pel.msAt(p), cons.pel.seqAt(p)));
                }
                consumers.add(new RdbStream.Consumer(cons.name.clone(), cons.seenTime, ids));
            }
            rdbGroups.add(new RdbStream.Group(g.name.clone(), new StreamId(g.lastMs, g.lastSeq), g.entriesRead,
                    pending, consumers));
        }
        return new RdbStream(entries, new StreamId(lastMs, lastSeq), entriesAdded, new StreamId(maxDelMs, maxDelSeq),
                new StreamId(firstMs, firstSeq), rdbGroups);
    }

    /**
     * A stream from its RDB form, its entries packed into nodes as XADD would pack them under
     * these limits. The record must be consistent (the RDB reader checks it): entry ids strictly
     * increasing, each pending entry owned by exactly one consumer.
     */
    public static StreamValue fromRdb(RdbStream r, long nodeMaxBytes, long nodeMaxEntries) {
        StreamValue s = new StreamValue();
        int[] off = new int[8], len = new int[8];
        for (RdbStream.Entry e : r.entries()) {
            int strings = 2 * e.fields().size();
            if (off.length < strings) {
                off = new int[strings];
                len = new int[strings];
            }
            int total = 0;
            for (FieldValue fv : e.fields()) total += fv.field().length + fv.value().length;
            byte[] buf = new byte[total];
            int p = 0, k = 0;
            for (FieldValue fv : e.fields()) {
                for (byte[] b : new byte[][] {fv.field(), fv.value()}) {
                    System.arraycopy(b, 0, buf, p, b.length);
                    off[k] = p;
                    len[k++] = b.length;
                    p += b.length;
                }
            }
            s.append(e.id().ms(), e.id().seq(), buf, off, len, strings, nodeMaxBytes, nodeMaxEntries);
        }
        s.lastMs = r.lastId().ms();
        s.lastSeq = r.lastId().seq();
        s.entriesAdded = r.entriesAdded();
        s.maxDelMs = r.maxDeletedId().ms();
        s.maxDelSeq = r.maxDeletedId().seq();
        s.firstMs = r.firstId().ms();
        s.firstSeq = r.firstId().seq();
        for (RdbStream.Group rg : r.groups()) {
            ConsumerGroup g = s.createGroup(rg.name().clone(), rg.lastDeliveredId().ms(), rg.lastDeliveredId().seq(),
                    rg.entriesRead());
            for (RdbStream.PendingEntry pe : rg.pending()) {
                g.pel.put(pe.id().ms(), pe.id().seq(), new PendingEntry(pe.deliveryTimeMs(), pe.deliveryCount(), null));
                s.meter.add(PendingEntry.BYTES);
            }
            for (RdbStream.Consumer rc : rg.consumers()) {
                Consumer c = g.createConsumer(rc.name().clone(), rc.seenTimeMs());
                for (StreamId id : rc.pending()) {
                    PendingEntry pe = g.pel.get(id.ms(), id.seq());
                    if (pe == null) throw new IllegalArgumentException("consumer pending entry " + id + " not in group");
                    pe.consumer = c;
                    c.pel.put(id.ms(), id.seq(), pe);
                }
            }
        }
        return s;
    }
}
