package io.moon.node.persist.rdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Sorted sets. Redis 7.0 writes {@link RdbType#ZSET_LISTPACK} (one {@link Listpack} blob of
 * member, score pairs in score order; a score is an integer entry when it is an integer within
 * ±2^62, else its "%.17g" text) when there are at most zset-max-listpack-entries members of at
 * most zset-max-listpack-value bytes, else {@link RdbType#ZSET_2} (length, then member string and
 * little-endian binary double per member, from the greatest to the smallest). It reads
 * {@link RdbType#ZSET} (scores as text, see {@link RdbInput#readTextDouble()}) and
 * {@link RdbType#ZSET_ZIPLIST} too. NaN scores and duplicate members are refused.
 */
final class ZsetCodec {
    private ZsetCodec() {}

    /** Redis's order: by score (-0 equal to 0), then by member bytes (memcmp, shorter first). */
    static final Comparator<RdbZset.Entry> ORDER = (a, b) -> {
        if (a.score() < b.score()) return -1;
        if (a.score() > b.score()) return 1;
        return Arrays.compareUnsigned(a.member(), b.member());
    };

    static RdbZset read(int type, RdbInput in) throws RdbFormatException {
        if (type == RdbType.ZSET_ZIPLIST || type == RdbType.ZSET_LISTPACK) {
            String what = type == RdbType.ZSET_LISTPACK ? "Zset listpack integrity check failed"
                    : "Zset ziplist integrity check failed";
            try {
                byte[] blob = in.readString();
                return pairs(type == RdbType.ZSET_LISTPACK ? Listpack.readAll(blob) : Ziplist.readAll(blob));
            } catch (RdbFormatException e) {
                throw e.withContext(what).at(in.position());
            }
        }
        long n = in.readCount();
        List<RdbZset.Entry> entries = new ArrayList<>((int) Math.min(n, 1024));
        Duplicates seen = new Duplicates(n);
        for (long i = 0; i < n; i++) {
            byte[] member = in.readString();
            double score = type == RdbType.ZSET_2 ? in.readBinaryDouble() : in.readTextDouble();
            if (Double.isNaN(score)) throw in.error("Zset with NAN score detected");
            if (!seen.add(member)) throw in.error("Duplicate zset fields detected");
            entries.add(new RdbZset.Entry(member, score));
        }
        return new RdbZset(entries);
    }

    private static RdbZset pairs(List<byte[]> flat) throws RdbFormatException {
        if ((flat.size() & 1) != 0) throw new RdbFormatException("odd number of elements");
        List<RdbZset.Entry> entries = new ArrayList<>(flat.size() / 2);
        Duplicates seen = new Duplicates(flat.size() / 2);
        for (int i = 0; i < flat.size(); i += 2) {
            byte[] member = flat.get(i);
            if (!seen.add(member)) throw new RdbFormatException("duplicate member");
            double score = RdbNumbers.parseDouble(flat.get(i + 1));
            if (Double.isNaN(score)) throw new RdbFormatException("score is not a number");
            entries.add(new RdbZset.Entry(member, score));
        }
        return new RdbZset(entries);
    }

    static int typeFor(RdbZset v, RdbWriteOptions o) {
        if (v.entries().size() > o.zsetMaxListpackEntries()) return RdbType.ZSET_2;
        long total = 0;
        for (RdbZset.Entry e : v.entries()) {
            if (e.member().length > o.zsetMaxListpackValue()) return RdbType.ZSET_2;
            total += e.member().length;
        }
        return total <= 1 << 30 ? RdbType.ZSET_LISTPACK : RdbType.ZSET_2;
    }

    static void write(RdbOutput out, RdbZset v, int type) {
        List<RdbZset.Entry> sorted = new ArrayList<>(v.entries());
        sorted.sort(ORDER);
        if (type == RdbType.ZSET_LISTPACK) {
            Listpack.Builder lp = new Listpack.Builder();
            for (RdbZset.Entry e : sorted) {
                lp.append(e.member());
                long exact = RdbNumbers.exactLong(e.score());
                if (exact != Long.MIN_VALUE) lp.appendLong(exact);
                else lp.append(RdbNumbers.doubleText(e.score()));
            }
            out.writeString(lp.build());
            return;
        }
        out.writeLength(sorted.size());
        for (int i = sorted.size() - 1; i >= 0; i--) {
            RdbZset.Entry e = sorted.get(i);
            if (Double.isNaN(e.score())) throw new IllegalArgumentException("NaN score");
            out.writeString(e.member());
            out.writeBinaryDouble(e.score());
        }
    }
}
