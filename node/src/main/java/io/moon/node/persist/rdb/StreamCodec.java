package io.moon.node.persist.rdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams, {@link RdbType#STREAM_LISTPACKS_2} (and {@link RdbType#STREAM_LISTPACKS}, which lacks
 * the fields marked v2):
 * <pre>
 * length node-count, per node: string 16-byte master id (ms, seq big-endian), string listpack
 * length entry-count (live entries)
 * length last-id.ms, length last-id.seq
 * v2: length first-id.ms, first-id.seq, max-deleted-id.ms, max-deleted-id.seq, entries-added
 * length group-count, per group:
 *   string name, length last-id.ms, length last-id.seq, v2: length entries-read (-1 as 2^64-1)
 *   length pel-count, per pending entry: 16 raw id bytes (big-endian), int64 LE delivery ms,
 *     length delivery count
 *   length consumer-count, per consumer: string name, int64 LE seen ms,
 *     length pel-count, 16 raw id bytes each (entries of the group PEL it owns)
 * </pre>
 * A node's listpack (t_stream.c streamAppendItem) starts with a master entry
 * {@code count, deleted, n, field_1..field_n, 0} and continues with entries
 * {@code flags, ms-delta, seq-delta, [n, field, value ...] | [value ...], lp-count}: the short
 * form when flag 2 (same fields as the master) is set; flag 1 marks a deleted entry; the ids are
 * deltas from the master id; lp-count is the entry's own element count.
 *
 * <p>Reading validates as streamValidateListpackIntegrity and the RDB loader with deep
 * sanitization do, and further refuses what would break the model: a node whose live count
 * disagrees with its entries, entry ids not strictly increasing, a stream length different from
 * its live entries, a pending entry claimed by two consumers. Writing rebuilds nodes from the
 * live entries as XADD would, splitting at stream-node-max-bytes and stream-node-max-entries.
 */
final class StreamCodec {
    private StreamCodec() {}

    static final int FLAG_DELETED = 1;
    static final int FLAG_SAME_FIELDS = 2;
    private static final int NODE_MAX_SIZE = 1 << 30;

    private record Node(StreamId master, List<RdbStream.Entry> entries) {}

    static RdbStream read(int type, RdbInput in) throws RdbFormatException {
        boolean v2 = type == RdbType.STREAM_LISTPACKS_2;
        long nodeCount = in.readCount();
        List<Node> nodes = new ArrayList<>((int) Math.min(nodeCount, 1024));
        for (long i = 0; i < nodeCount; i++) {
            byte[] key = in.readString();
            if (key.length != 16) throw in.error("Stream node key entry is not the size of a stream ID");
            StreamId master = new StreamId(be64(key, 0), be64(key, 8));
            byte[] lp = in.readString();
            List<RdbStream.Entry> entries;
            try {
                entries = readNode(lp, master);
            } catch (RdbFormatException e) {
                throw e.withContext("Stream listpack integrity check failed").at(in.position());
            }
            nodes.add(new Node(master, entries));
        }
        // A radix tree orders its nodes whatever the file order; so do we.
        nodes.sort(Comparator.comparing(Node::master));
        List<RdbStream.Entry> entries = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0 && nodes.get(i).master().equals(nodes.get(i - 1).master())) {
                throw in.error("Listpack re-added with existing key");
            }
            for (RdbStream.Entry e : nodes.get(i).entries()) {
                if (!entries.isEmpty() && e.id().compareTo(entries.getLast().id()) <= 0) {
                    throw in.error("Stream entry ids are not strictly increasing");
                }
                entries.add(e);
            }
        }
        long length = in.readCount();
        StreamId lastId = new StreamId(in.readLength(), in.readLength());
        StreamId firstId, maxDeletedId;
        long entriesAdded;
        if (v2) {
            firstId = new StreamId(in.readLength(), in.readLength());
            maxDeletedId = new StreamId(in.readLength(), in.readLength());
            entriesAdded = in.readLength();
        } else {
            // As Redis migrates a pre-7.0 stream: no tombstone known, everything present was added.
            maxDeletedId = StreamId.ZERO;
            entriesAdded = length;
            firstId = entries.isEmpty() ? StreamId.MAX : entries.getFirst().id();
        }
        if (length != entries.size()) {
            throw in.error("Stream length " + length + " inconsistent with its " + entries.size() + " entries");
        }
        long groupCount = in.readCount();
        List<RdbStream.Group> groups = new ArrayList<>((int) Math.min(groupCount, 64));
        Duplicates groupNames = new Duplicates(groupCount);
        for (long g = 0; g < groupCount; g++) {
            byte[] name = in.readString();
            if (!groupNames.add(name)) throw in.error("Duplicated consumer group name");
            StreamId groupLastId = new StreamId(in.readLength(), in.readLength());
            long entriesRead = v2 ? in.readLength()
                    : estimateEntriesRead(groupLastId, entries.size(), lastId, firstId, maxDeletedId, entriesAdded);
            groups.add(readGroup(in, name, groupLastId, entriesRead));
        }
        return new RdbStream(entries, lastId, entriesAdded, maxDeletedId, firstId, groups);
    }

    private static RdbStream.Group readGroup(RdbInput in, byte[] name, StreamId lastId, long entriesRead)
            throws RdbFormatException {
        long pelCount = in.readCount();
        List<RdbStream.PendingEntry> pel = new ArrayList<>((int) Math.min(pelCount, 1024));
        Map<StreamId, Boolean> owned = new HashMap<>();
        for (long i = 0; i < pelCount; i++) {
            StreamId id = new StreamId(in.readInt64BE(), in.readInt64BE());
            long deliveryTime = in.readInt64LE();
            long deliveryCount = in.readLength();
            if (owned.put(id, Boolean.FALSE) != null) {
                throw in.error("Duplicated global PEL entry loading stream consumer group");
            }
            pel.add(new RdbStream.PendingEntry(id, deliveryTime, deliveryCount));
        }
        long consumerCount = in.readCount();
        List<RdbStream.Consumer> consumers = new ArrayList<>((int) Math.min(consumerCount, 64));
        Duplicates consumerNames = new Duplicates(consumerCount);
        for (long c = 0; c < consumerCount; c++) {
            byte[] consumer = in.readString();
            if (!consumerNames.add(consumer)) throw in.error("Duplicate stream consumer detected.");
            long seen = in.readInt64LE();
            long n = in.readCount();
            List<StreamId> pending = new ArrayList<>((int) Math.min(n, 1024));
            for (long i = 0; i < n; i++) {
                StreamId id = new StreamId(in.readInt64BE(), in.readInt64BE());
                Boolean before = owned.get(id);
                if (before == null) throw in.error("Consumer entry not found in group global PEL");
                if (before) throw in.error("Duplicated consumer PEL entry loading a stream consumer group");
                owned.put(id, Boolean.TRUE);
                pending.add(id);
            }
            consumers.add(new RdbStream.Consumer(consumer, seen, pending));
        }
        if (owned.containsValue(Boolean.FALSE)) throw in.error("Stream CG PEL entry without consumer");
        return new RdbStream.Group(name, lastId, entriesRead, pel, consumers);
    }

    /** streamEstimateDistanceFromFirstEverEntry, for groups of pre-7.0 streams. */
    private static long estimateEntriesRead(StreamId id, long length, StreamId lastId, StreamId firstId,
            StreamId maxDeletedId, long entriesAdded) {
        if (entriesAdded == 0) return 0;
        if (length == 0 && id.compareTo(lastId) < 1) return entriesAdded;
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) return entriesAdded;
        if (cmpLast > 0) return -1;
        int cmpFirst = id.compareTo(firstId);
        if (maxDeletedId.equals(StreamId.ZERO) || maxDeletedId.compareTo(firstId) < 0) {
            if (cmpFirst < 0) return entriesAdded - length;
            if (cmpFirst == 0) return entriesAdded - length + 1;
        }
        return -1;
    }

    private static long be64(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }

    /** The live entries of one node, validated as streamValidateListpackIntegrity does. */
    private static List<RdbStream.Entry> readNode(byte[] lp, StreamId master) throws RdbFormatException {
        Listpack.Cursor c = new Listpack.Cursor(lp);
        if (!c.hasNext()) throw new RdbFormatException("Empty listpack inside stream");
        long live = c.nextLong();
        long deleted = c.nextLong();
        long masterCount = c.nextLong();
        // Each count is bounded by the entries the blob can hold before it sizes anything.
        if (live < 0 || deleted < 0 || masterCount < 0 || live > lp.length || deleted > lp.length
                || masterCount > lp.length) {
            throw new RdbFormatException("bad master entry counts");
        }
        List<byte[]> masterFields = new ArrayList<>((int) masterCount);
        for (long j = 0; j < masterCount; j++) masterFields.add(c.nextBytes());
        if (c.nextLong() != 0) throw new RdbFormatException("master entry does not end with 0");
        List<RdbStream.Entry> out = new ArrayList<>((int) live);
        for (long k = live + deleted; k > 0; k--) {
            long flags = c.nextLong();
            StreamId id = new StreamId(master.ms() + c.nextLong(), master.seq() + c.nextLong());
            boolean same = (flags & FLAG_SAME_FIELDS) != 0;
            long n = same ? masterCount : c.nextLong();
            if (n < 0 || n > lp.length) throw new RdbFormatException("bad field count");
            List<FieldValue> fields = new ArrayList<>((int) n);
            for (int j = 0; j < n; j++) {
                byte[] field = same ? masterFields.get(j) : c.nextBytes();
                fields.add(new FieldValue(field, c.nextBytes()));
            }
            long expected = same ? n + 3 : 2 * n + 4;
            if (c.nextLong() != expected) throw new RdbFormatException("entry lp-count does not match its entry");
            if ((flags & FLAG_DELETED) == 0) out.add(new RdbStream.Entry(id, fields));
        }
        c.finish();
        if (out.size() != live) throw new RdbFormatException("node counts " + live + " live entries, has " + out.size());
        return out;
    }

    static void write(RdbOutput out, RdbStream v, RdbWriteOptions o) {
        List<StreamId> masters = new ArrayList<>();
        List<byte[]> blobs = new ArrayList<>();
        NodeBuilder node = null;
        long maxBytes = o.streamNodeMaxBytes() <= 0 || o.streamNodeMaxBytes() > NODE_MAX_SIZE
                ? NODE_MAX_SIZE : o.streamNodeMaxBytes();
        for (RdbStream.Entry e : v.entries()) {
            long added = 0;
            for (FieldValue f : e.fields()) added += f.field().length + f.value().length;
            if (node != null && (node.bytes() + added >= maxBytes
                    || (o.streamNodeMaxEntries() > 0 && node.count >= o.streamNodeMaxEntries()))) {
                blobs.add(node.build());
                node = null;
            }
            if (node == null) {
                node = new NodeBuilder(e);
                masters.add(e.id());
            }
            node.add(e);
        }
        if (node != null) blobs.add(node.build());

        out.writeLength(blobs.size());
        for (int i = 0; i < blobs.size(); i++) {
            out.writeString(rawId(masters.get(i)));
            out.writeString(blobs.get(i));
        }
        out.writeLength(v.entries().size());
        writeId(out, v.lastId());
        writeId(out, v.firstId());
        writeId(out, v.maxDeletedId());
        out.writeLength(v.entriesAdded());
        List<RdbStream.Group> groups = new ArrayList<>(v.groups());
        groups.sort((a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
        out.writeLength(groups.size());
        for (RdbStream.Group g : groups) {
            out.writeString(g.name());
            writeId(out, g.lastDeliveredId());
            out.writeLength(g.entriesRead());
            List<RdbStream.PendingEntry> pel = new ArrayList<>(g.pending());
            pel.sort(Comparator.comparing(RdbStream.PendingEntry::id));
            out.writeLength(pel.size());
            for (RdbStream.PendingEntry p : pel) {
                out.writeInt64BE(p.id().ms());
                out.writeInt64BE(p.id().seq());
                out.writeInt64LE(p.deliveryTimeMs());
                out.writeLength(p.deliveryCount());
            }
            List<RdbStream.Consumer> consumers = new ArrayList<>(g.consumers());
            consumers.sort((a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
            out.writeLength(consumers.size());
            for (RdbStream.Consumer c : consumers) {
                out.writeString(c.name());
                out.writeInt64LE(c.seenTimeMs());
                List<StreamId> ids = new ArrayList<>(c.pending());
                ids.sort(null);
                out.writeLength(ids.size());
                for (StreamId id : ids) {
                    out.writeInt64BE(id.ms());
                    out.writeInt64BE(id.seq());
                }
            }
        }
    }

    private static void writeId(RdbOutput out, StreamId id) {
        out.writeLength(id.ms());
        out.writeLength(id.seq());
    }

    private static byte[] rawId(StreamId id) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (id.ms() >>> (56 - 8 * i));
            b[8 + i] = (byte) (id.seq() >>> (56 - 8 * i));
        }
        return b;
    }

    /**
     * One node being filled. The live count leads the listpack and grows with each entry, so it
     * is prepended at the end; {@link #bytes()} counts it at its current width, as Redis's
     * listpack has it when XADD decides whether the next entry still fits.
     */
    private static final class NodeBuilder {
        private final StreamId master;
        private final List<byte[]> masterFields = new ArrayList<>();
        private final Listpack.Builder rest = new Listpack.Builder();
        int count;

        NodeBuilder(RdbStream.Entry first) {
            this.master = first.id();
            rest.appendLong(0); // deleted
            rest.appendLong(first.fields().size());
            for (FieldValue f : first.fields()) {
                masterFields.add(f.field());
                rest.append(f.field());
            }
            rest.appendLong(0); // master entry terminator
        }

        long bytes() {
            return rest.bytes() + Listpack.Builder.longEntrySize(count);
        }

        void add(RdbStream.Entry e) {
            boolean same = e.fields().size() == masterFields.size();
            for (int i = 0; same && i < masterFields.size(); i++) {
                same = Arrays.equals(masterFields.get(i), e.fields().get(i).field());
            }
            rest.appendLong(same ? FLAG_SAME_FIELDS : 0);
            rest.appendLong(e.id().ms() - master.ms());
            rest.appendLong(e.id().seq() - master.seq());
            if (!same) rest.appendLong(e.fields().size());
            for (FieldValue f : e.fields()) {
                if (!same) rest.append(f.field());
                rest.append(f.value());
            }
            int n = e.fields().size();
            rest.appendLong(same ? n + 3 : 2L * n + 4);
            count++;
        }

        byte[] build() {
            return new Listpack.Builder().appendLong(count).appendAll(rest).build();
        }
    }
}
