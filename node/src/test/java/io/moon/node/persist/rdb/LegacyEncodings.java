package io.moon.node.persist.rdb;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Writers for the encodings Redis 7.0 reads but no longer writes (ziplist, zipmap, linked list,
 * text-score zset, quicklist of ziplists, pre-7.0 streams), following ziplist.c, zipmap.c and
 * rdb.c of older versions. Tests only: they feed the readers, and real redis-server RESTOREs the
 * same payloads to show the readers agree with Redis.
 */
final class LegacyEncodings {
    private LegacyEncodings() {}

    /** A ziplist as ziplistPush builds it: short canonical integers as integer entries. */
    static byte[] ziplist(List<byte[]> elements) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int prev = 0, tail = Ziplist.HEADER_SIZE;
        for (byte[] e : elements) {
            tail = Ziplist.HEADER_SIZE + body.size();
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            if (prev < Ziplist.BIG_PREVLEN) {
                entry.write(prev);
            } else {
                entry.write(Ziplist.BIG_PREVLEN);
                le(entry, prev, 4);
            }
            if (e.length > 0 && e.length < 32 && RdbNumbers.isCanonicalLong(e)) {
                long v = RdbNumbers.parseCanonicalLong(e);
                if (v >= 0 && v <= 12) {
                    entry.write(0xf1 + (int) v);
                } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                    entry.write(0xfe);
                    le(entry, v, 1);
                } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                    entry.write(0xc0);
                    le(entry, v, 2);
                } else if (v >= -(1 << 23) && v < (1 << 23)) {
                    entry.write(0xf0);
                    le(entry, v, 3);
                } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                    entry.write(0xd0);
                    le(entry, v, 4);
                } else {
                    entry.write(0xe0);
                    le(entry, v, 8);
                }
            } else {
                int n = e.length;
                if (n <= 0x3f) {
                    entry.write(n);
                } else if (n <= 0x3fff) {
                    entry.write(0x40 | (n >> 8));
                    entry.write(n & 0xff);
                } else {
                    entry.write(0x80);
                    for (int s = 24; s >= 0; s -= 8) entry.write((n >>> s) & 0xff);
                }
                entry.writeBytes(e);
            }
            prev = entry.size();
            body.writeBytes(entry.toByteArray());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int total = Ziplist.HEADER_SIZE + body.size() + 1;
        le(out, total, 4);
        le(out, tail, 4);
        le(out, Math.min(elements.size(), 0xffff), 2);
        out.writeBytes(body.toByteArray());
        out.write(Ziplist.END);
        return out.toByteArray();
    }

    /** A zipmap with no free bytes, as zipmapSet leaves a fresh map. */
    static byte[] zipmap(List<FieldValue> pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Math.min(pairs.size(), Zipmap.BIGLEN));
        for (FieldValue p : pairs) {
            zipmapLength(out, p.field().length);
            out.writeBytes(p.field());
            zipmapLength(out, p.value().length);
            out.write(0);
            out.writeBytes(p.value());
        }
        out.write(Zipmap.END);
        return out.toByteArray();
    }

    private static void zipmapLength(ByteArrayOutputStream out, int n) {
        if (n < Zipmap.BIGLEN) {
            out.write(n);
        } else {
            out.write(Zipmap.BIGLEN);
            le(out, n, 4);
        }
    }

    /** A DUMP payload of {@code type} with the given value body, version 10 footer and CRC. */
    static byte[] payload(int type, byte[] body) {
        RdbOutput out = RdbOutput.inMemory(false);
        out.writeByte(type);
        out.writeBytes(body);
        out.writeByte(RdbFormat.VERSION_CURRENT);
        out.writeByte(0);
        out.writeInt64LE(out.crc());
        return out.toByteArray();
    }

    /** A blob as the one RDB string of a value body. */
    static byte[] stringBody(byte[] blob) {
        RdbOutput out = RdbOutput.inMemory(true);
        out.writeString(blob);
        return out.toByteArray();
    }

    /** RDB_TYPE_LIST: length, then each element. */
    static byte[] linkedList(List<byte[]> elements) {
        RdbOutput out = RdbOutput.inMemory(true);
        out.writeLength(elements.size());
        for (byte[] e : elements) out.writeString(e);
        return out.toByteArray();
    }

    /** RDB_TYPE_LIST_QUICKLIST: length, then a ziplist blob per node. */
    static byte[] quicklistOfZiplists(List<List<byte[]>> nodes) {
        RdbOutput out = RdbOutput.inMemory(true);
        out.writeLength(nodes.size());
        for (List<byte[]> n : nodes) out.writeString(ziplist(n));
        return out.toByteArray();
    }

    /** RDB_TYPE_ZSET: scores as rdbSaveDoubleValue text. */
    static byte[] textScoreZset(RdbZset z) {
        RdbOutput out = RdbOutput.inMemory(true);
        out.writeLength(z.entries().size());
        for (RdbZset.Entry e : z.entries()) {
            out.writeString(e.member());
            double d = e.score();
            if (Double.isNaN(d)) {
                out.writeByte(RdbFormat.DOUBLE_NAN);
            } else if (Double.isInfinite(d)) {
                out.writeByte(d > 0 ? RdbFormat.DOUBLE_POS_INF : RdbFormat.DOUBLE_NEG_INF);
            } else {
                long exact = RdbNumbers.exactLong(d);
                byte[] text = exact != Long.MIN_VALUE ? RdbNumbers.decimal(exact) : RdbNumbers.doubleText(d);
                out.writeByte(text.length);
                out.writeBytes(text);
            }
        }
        return out.toByteArray();
    }

    /**
     * RDB_TYPE_STREAM_LISTPACKS: a version-2 body with the fields 7.0 added taken out (first id,
     * max deleted id, entries added, and each group's entries read).
     */
    static byte[] streamV1(RdbStream s) throws RdbFormatException {
        RdbOutput v2 = RdbOutput.inMemory(true);
        StreamCodec.write(v2, s, RdbWriteOptions.DEFAULTS);
        byte[] body = v2.toByteArray();
        RdbInput in = RdbInput.of(body);
        RdbOutput out = RdbOutput.inMemory(true);
        long nodes = in.readCount();
        out.writeLength(nodes);
        for (long i = 0; i < 2 * nodes; i++) out.writeString(in.readString());
        for (int i = 0; i < 3; i++) out.writeLength(in.readLength()); // length, last id
        for (int i = 0; i < 5; i++) in.readLength(); // v2 only
        long groups = in.readCount();
        out.writeLength(groups);
        for (long g = 0; g < groups; g++) {
            out.writeString(in.readString());
            out.writeLength(in.readLength());
            out.writeLength(in.readLength());
            in.readLength(); // entries read, v2 only
            long pel = in.readCount();
            out.writeLength(pel);
            for (long p = 0; p < pel; p++) {
                out.writeInt64BE(in.readInt64BE());
                out.writeInt64BE(in.readInt64BE());
                out.writeInt64LE(in.readInt64LE());
                out.writeLength(in.readLength());
            }
            long consumers = in.readCount();
            out.writeLength(consumers);
            for (long c = 0; c < consumers; c++) {
                out.writeString(in.readString());
                out.writeInt64LE(in.readInt64LE());
                long n = in.readCount();
                out.writeLength(n);
                for (long k = 0; k < n; k++) {
                    out.writeInt64BE(in.readInt64BE());
                    out.writeInt64BE(in.readInt64BE());
                }
            }
        }
        return out.toByteArray();
    }

    private static void le(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) out.write((int) (v >>> (8 * i)) & 0xff);
    }
}
