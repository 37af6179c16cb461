package io.moon.node.persist.rdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Sets. {@link RdbType#SET}: length, then each member as a string. {@link RdbType#SET_INTSET}:
 * one {@link Intset} blob. Redis 7.0 writes an intset when every member is a canonical 64-bit
 * integer and there are at most set-max-intset-entries of them, the plain form otherwise.
 */
final class SetCodec {
    private SetCodec() {}

    static RdbSet read(int type, RdbInput in) throws RdbFormatException {
        if (type == RdbType.SET_INTSET) {
            long[] values;
            try {
                values = Intset.read(in.readString());
            } catch (RdbFormatException e) {
                throw e.withContext("Intset integrity check failed").at(in.position());
            }
            List<byte[]> members = new ArrayList<>(values.length);
            for (long v : values) members.add(RdbNumbers.decimal(v));
            return new RdbSet(members);
        }
        long n = in.readCount();
        List<byte[]> members = new ArrayList<>((int) Math.min(n, 1024));
        Duplicates seen = new Duplicates(n);
        for (long i = 0; i < n; i++) {
            byte[] m = in.readString();
            if (!seen.add(m)) throw in.error("Duplicate set members detected");
            members.add(m);
        }
        return new RdbSet(members);
    }

    static int typeFor(RdbSet v, RdbWriteOptions o) {
        if (v.members().size() > o.setMaxIntsetEntries()) return RdbType.SET;
        for (byte[] m : v.members()) if (!RdbNumbers.isCanonicalLong(m)) return RdbType.SET;
        return RdbType.SET_INTSET;
    }

    static void write(RdbOutput out, RdbSet v, int type) {
        if (type == RdbType.SET_INTSET) {
            long[] values = new long[v.members().size()];
            for (int i = 0; i < values.length; i++) values[i] = RdbNumbers.parseCanonicalLong(v.members().get(i));
            out.writeString(Intset.write(values));
            return;
        }
        out.writeLength(v.members().size());
        for (byte[] m : v.members()) out.writeString(m);
    }
}
