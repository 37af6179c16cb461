package io.moon.node.persist.rdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Hashes. Redis 7.0 writes {@link RdbType#HASH_LISTPACK} (one {@link Listpack} blob of field,
 * value pairs) when there are at most hash-max-listpack-entries fields and no field or value is
 * longer than hash-max-listpack-value, else {@link RdbType#HASH} (length, then field and value
 * strings). It reads {@link RdbType#HASH_ZIPLIST} and {@link RdbType#HASH_ZIPMAP} too.
 * Duplicate fields are refused in every form.
 */
final class HashCodec {
    private HashCodec() {}

    static RdbHash read(int type, RdbInput in) throws RdbFormatException {
        switch (type) {
            case RdbType.HASH_LISTPACK, RdbType.HASH_ZIPLIST -> {
                String what = type == RdbType.HASH_LISTPACK ? "Hash listpack integrity check failed"
                        : "Hash ziplist integrity check failed";
                try {
                    byte[] blob = in.readString();
                    return pairs(type == RdbType.HASH_LISTPACK ? Listpack.readAll(blob) : Ziplist.readAll(blob));
                } catch (RdbFormatException e) {
                    throw e.withContext(what).at(in.position());
                }
            }
            case RdbType.HASH_ZIPMAP -> {
                List<FieldValue> fields;
                try {
                    fields = Zipmap.read(in.readString());
                } catch (RdbFormatException e) {
                    throw e.withContext("Zipmap integrity check failed").at(in.position());
                }
                Duplicates seen = new Duplicates(fields.size());
                for (FieldValue f : fields) {
                    if (!seen.add(f.field())) throw in.error("Hash zipmap with dup elements");
                }
                return new RdbHash(fields);
            }
            default -> {
                long n = in.readCount();
                List<FieldValue> fields = new ArrayList<>((int) Math.min(n, 1024));
                Duplicates seen = new Duplicates(n);
                for (long i = 0; i < n; i++) {
                    byte[] field = in.readString();
                    byte[] value = in.readString();
                    if (!seen.add(field)) throw in.error("Duplicate hash fields detected");
                    fields.add(new FieldValue(field, value));
                }
                return new RdbHash(fields);
            }
        }
    }

    private static RdbHash pairs(List<byte[]> flat) throws RdbFormatException {
        if ((flat.size() & 1) != 0) throw new RdbFormatException("odd number of elements");
        List<FieldValue> fields = new ArrayList<>(flat.size() / 2);
        Duplicates seen = new Duplicates(flat.size() / 2);
        for (int i = 0; i < flat.size(); i += 2) {
            if (!seen.add(flat.get(i))) throw new RdbFormatException("duplicate field");
            fields.add(new FieldValue(flat.get(i), flat.get(i + 1)));
        }
        return new RdbHash(fields);
    }

    static int typeFor(RdbHash v, RdbWriteOptions o) {
        if (v.fields().size() > o.hashMaxListpackEntries()) return RdbType.HASH;
        long total = 0;
        for (FieldValue f : v.fields()) {
            int max = o.hashMaxListpackValue();
            if (f.field().length > max || f.value().length > max) return RdbType.HASH;
            total += f.field().length + f.value().length;
        }
        return total <= 1 << 30 ? RdbType.HASH_LISTPACK : RdbType.HASH;
    }

    static void write(RdbOutput out, RdbHash v, int type) {
        if (type == RdbType.HASH_LISTPACK) {
            Listpack.Builder lp = new Listpack.Builder();
            for (FieldValue f : v.fields()) lp.append(f.field()).append(f.value());
            out.writeString(lp.build());
            return;
        }
        out.writeLength(v.fields().size());
        for (FieldValue f : v.fields()) {
            out.writeString(f.field());
            out.writeString(f.value());
        }
    }
}
