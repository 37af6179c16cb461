package io.moon.node.persist.rdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Lists. Redis 7.0 writes {@link RdbType#LIST_QUICKLIST_2}:
 * <pre>
 * length node-count, then per node: length container (2 packed, 1 plain), string blob
 *   packed: a {@link Listpack} of elements; plain: one element as is
 * </pre>
 * and reads three older forms: {@link RdbType#LIST} (length, then each element as a string),
 * {@link RdbType#LIST_ZIPLIST} (one {@link Ziplist} blob) and {@link RdbType#LIST_QUICKLIST}
 * (length node-count, then a ziplist blob per node). Empty nodes are skipped as Redis does; a
 * list with no element at all comes back empty, which a file reader skips and RESTORE refuses.
 *
 * <p>Nodes are filled as quicklistPushTail fills them, so a list written here splits into the
 * same nodes as one built by RPUSH in Redis.
 */
final class ListCodec {
    private ListCodec() {}

    /** quicklist.c optimization_level: node byte limits for list-max-listpack-size -1..-5. */
    private static final int[] NODE_SIZE_LIMITS = {4096, 8192, 16384, 32768, 65536};
    /** SIZE_SAFETY_LIMIT: a count-limited node still stops at 8 KB. */
    private static final int SAFETY_LIMIT = 8192;
    /** SIZE_ESTIMATE_OVERHEAD: bytes an element adds beyond its length, as Redis guesses. */
    private static final int ENTRY_OVERHEAD = 8;

    static RdbList read(int type, RdbInput in) throws RdbFormatException {
        List<byte[]> out = new ArrayList<>();
        switch (type) {
            case RdbType.LIST -> {
                long n = in.readCount();
                for (long i = 0; i < n; i++) out.add(in.readString());
            }
            case RdbType.LIST_ZIPLIST -> {
                try {
                    out.addAll(Ziplist.readAll(in.readString()));
                } catch (RdbFormatException e) {
                    throw e.withContext("List ziplist integrity check failed");
                }
            }
            case RdbType.LIST_QUICKLIST, RdbType.LIST_QUICKLIST_2 -> readQuicklist(type, in, out);
            default -> throw new IllegalArgumentException("not a list type: " + type);
        }
        return new RdbList(out);
    }

    private static void readQuicklist(int type, RdbInput in, List<byte[]> out) throws RdbFormatException {
        long nodes = in.readCount();
        for (long i = 0; i < nodes; i++) {
            long container = RdbFormat.QUICKLIST_NODE_PACKED;
            if (type == RdbType.LIST_QUICKLIST_2) {
                container = in.readLength();
                if (container != RdbFormat.QUICKLIST_NODE_PACKED && container != RdbFormat.QUICKLIST_NODE_PLAIN) {
                    throw in.error("Quicklist integrity check failed: unknown node container " + container);
                }
            }
            byte[] data = in.readString();
            if (data.length == 0) throw in.error("Quicklist integrity check failed: empty node");
            if (container == RdbFormat.QUICKLIST_NODE_PLAIN) {
                out.add(data);
            } else if (type == RdbType.LIST_QUICKLIST_2) {
                try {
                    out.addAll(Listpack.readAll(data));
                } catch (RdbFormatException e) {
                    throw e.withContext("Listpack integrity check failed").at(in.position());
                }
            } else {
                try {
                    out.addAll(Ziplist.readAll(data));
                } catch (RdbFormatException e) {
                    throw e.withContext("Ziplist integrity check failed").at(in.position());
                }
            }
        }
    }

    static int typeFor(RdbList v, RdbWriteOptions o) {
        return RdbType.LIST_QUICKLIST_2;
    }

    static void write(RdbOutput out, RdbList v, RdbWriteOptions o) {
        List<byte[]> nodes = new ArrayList<>();
        List<Boolean> plain = new ArrayList<>();
        Listpack.Builder node = null;
        for (byte[] e : v.elements()) {
            if (e.length >= o.listPackedThreshold()) {
                if (node != null) {
                    nodes.add(node.build());
                    plain.add(false);
                    node = null;
                }
                nodes.add(e);
                plain.add(true);
                continue;
            }
            if (node == null || !allowInsert(node, o.listMaxListpackSize(), e.length)) {
                if (node != null) {
                    nodes.add(node.build());
                    plain.add(false);
                }
                node = new Listpack.Builder();
            }
            node.append(e);
        }
        if (node != null) {
            nodes.add(node.build());
            plain.add(false);
        }
        out.writeLength(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            out.writeLength(plain.get(i) ? RdbFormat.QUICKLIST_NODE_PLAIN : RdbFormat.QUICKLIST_NODE_PACKED);
            out.writeString(nodes.get(i));
        }
    }

    /** _quicklistNodeAllowInsert: may an element of {@code size} bytes join this node? */
    private static boolean allowInsert(Listpack.Builder node, int fill, int size) {
        long newSize = (long) node.bytes() + size + ENTRY_OVERHEAD;
        if (fill < 0 && -fill - 1 < NODE_SIZE_LIMITS.length) {
            if (newSize <= NODE_SIZE_LIMITS[-fill - 1]) return true;
        }
        if (newSize > SAFETY_LIMIT) return false;
        return node.count() < fill;
    }
}
