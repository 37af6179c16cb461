package io.moon.node.persist;

import io.moon.node.persist.rdb.FieldValue;
import io.moon.node.persist.rdb.RdbHash;
import io.moon.node.persist.rdb.RdbList;
import io.moon.node.persist.rdb.RdbSet;
import io.moon.node.persist.rdb.RdbStream;
import io.moon.node.persist.rdb.RdbValue;
import io.moon.node.persist.rdb.RdbZset;
import io.moon.node.persist.rdb.StreamId;
import io.moon.node.protocol.Doubles;
import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The log form of a key's end state, for multi-shard writes whose effect cannot be told per shard
 * from the command (RENAME or COPY between shards, SMOVE or SUNIONSTORE across shards, any write
 * in a multi-shard EXEC): DEL when the key is gone, SET with PXAT for a string, and for a
 * collection DEL, then the commands that build it again from its RDB form ({@link ValueCodec}: HSET,
 * SADD, RPUSH or ZADD, in runs of {@value #RUN} elements so that no record grows without bound;
 * a stream as {@link #stream} says), then PEXPIREAT when it has an expiry. The records of one
 * command are replayed together, so the key is never seen half built. A type without such a form
 * fails loudly instead of silently losing durability.
 */
public final class KeyEffects {
    private KeyEffects() {}

    /** Elements per rebuilding command. */
    static final int RUN = 512;

    private static final byte[] DEL = ascii("DEL");
    private static final byte[] SET = ascii("SET");
    private static final byte[] PXAT = ascii("PXAT");

    public static List<byte[][]> recreate(Db db, byte[] key) {
        Object e = db.peek(key);
        if (e == null) return List.<byte[][]>of(new byte[][] {DEL, key});
        long at = Entries.expireAt(e);
        if (e instanceof byte[] b) {
            byte[] value = Entries.value(b);
            if (at == Entries.NO_EXPIRE) return List.<byte[][]>of(new byte[][] {SET, key, value});
            return List.<byte[][]>of(new byte[][] {SET, key, value, PXAT, number(at)});
        }
        List<byte[][]> out = new ArrayList<>();
        out.add(new byte[][] {DEL, key});
        RdbValue value = ValueCodec.toRdb(e);
        switch (value) {
            case RdbHash h -> runs(out, "HSET", key, h.fields(), 2, (fv, args) -> {
                args.add(fv.field());
                args.add(fv.value());
            });
            case RdbSet s -> runs(out, "SADD", key, s.members(), 1, (m, args) -> args.add(m));
            case RdbList l -> runs(out, "RPUSH", key, l.elements(), 1, (m, args) -> args.add(m));
            case RdbZset z -> runs(out, "ZADD", key, z.entries(), 2, (en, args) -> {
                args.add(ascii(Doubles.toRedisString(en.score())));
                args.add(en.member());
            });
            case RdbStream st -> stream(out, key, st);
            default -> throw new IllegalStateException("no write-ahead log form for the type of key '"
                    + new String(key, StandardCharsets.UTF_8) + "' yet (multi-shard write of a " + value.getClass().getSimpleName() + ")");
        }
        if (at != Entries.NO_EXPIRE) out.add(new byte[][] {ascii("PEXPIREAT"), key, number(at)});
        return out;
    }

    /**
     * A stream as Redis's AOF rewrite builds it (aof.c rewriteStreamObject): XADD of each entry
     * with its id (XADD MAXLEN 0 0-1 when there is none, which leaves it empty), XGROUP CREATE
     * with the group's last id and ENTRIESREAD, XCLAIM ... FORCE JUSTID of each pending entry with
     * its delivery time and count, XGROUP CREATECONSUMER for a consumer with nothing pending, and
     * XSETID with ENTRIESADDED and MAXDELETEDID. Beyond Redis, so that replay rebuilds it exactly:
     * a pending entry whose stream entry is gone is added for the claim and removed after it
     * (Redis's rewrite drops it from the group), and consumers keep their seen time
     * ({@link StreamLogForms}). The entries are packed into full nodes, whatever the layout was.
     */
    private static void stream(List<byte[][]> out, byte[] key, RdbStream st) {
        TreeSet<StreamId> gone = new TreeSet<>();
        Set<StreamId> live = new HashSet<>();
        for (RdbStream.Entry e : st.entries()) live.add(e.id());
        for (RdbStream.Group g : st.groups()) {
            for (RdbStream.PendingEntry pe : g.pending()) if (!live.contains(pe.id())) gone.add(pe.id());
        }
        if (st.entries().isEmpty() && gone.isEmpty()) {
            out.add(new byte[][] {ascii("XADD"), key, ascii("MAXLEN"), ascii("0"), ascii("0-1"), ascii("x"), ascii("y")});
        } else {
            Iterator<StreamId> placeholders = gone.iterator();
            StreamId next = placeholders.hasNext() ? placeholders.next() : null;
            for (RdbStream.Entry e : st.entries()) {
                while (next != null && next.compareTo(e.id()) < 0) {
                    out.add(placeholder(key, next));
                    next = placeholders.hasNext() ? placeholders.next() : null;
                }
                byte[][] argv = new byte[3 + 2 * e.fields().size()][];
                argv[0] = ascii("XADD");
                argv[1] = key;
                argv[2] = StreamLogForms.id(e.id().ms(), e.id().seq());
                int i = 3;
                for (FieldValue fv : e.fields()) {
                    argv[i++] = fv.field();
                    argv[i++] = fv.value();
                }
                out.add(argv);
            }
            while (next != null) {
                out.add(placeholder(key, next));
                next = placeholders.hasNext() ? placeholders.next() : null;
            }
        }
        for (RdbStream.Group g : st.groups()) {
            out.add(StreamLogForms.createGroup(key, g.name(), g.lastDeliveredId().ms(), g.lastDeliveredId().seq(),
                    g.entriesRead()));
            Map<StreamId, RdbStream.PendingEntry> pel = new HashMap<>();
            for (RdbStream.PendingEntry pe : g.pending()) pel.put(pe.id(), pe);
            for (RdbStream.Consumer c : g.consumers()) {
                if (c.pending().isEmpty()) {
                    out.add(StreamLogForms.consumerSeen(key, g.name(), c.name(), c.seenTimeMs()));
                    continue;
                }
                for (StreamId id : c.pending()) {
                    RdbStream.PendingEntry pe = pel.get(id);
                    out.add(StreamLogForms.claim(key, g.name(), c.name(), id.ms(), id.seq(), pe.deliveryTimeMs(),
                            pe.deliveryCount(), null, c.seenTimeMs()));
                }
            }
        }
        // Stand-ins below the first live entry go by trimming, which leaves the greatest deleted id
        // alone (after trimming only it stays 0-0); those between live entries were deleted by
        // XDEL, so deleting them again changes nothing XSETID does not set back.
        if (!gone.isEmpty()) {
            StreamId first = st.entries().isEmpty() ? null : st.entries().getFirst().id();
            if (first == null) {
                out.add(new byte[][] {ascii("XTRIM"), key, ascii("MAXLEN"), ascii("0")});
            } else if (gone.first().compareTo(first) < 0) {
                out.add(new byte[][] {ascii("XTRIM"), key, ascii("MINID"), StreamLogForms.id(first.ms(), first.seq())});
            }
            List<StreamId> between = first == null ? List.of() : new ArrayList<>(gone.tailSet(first, false));
            runs(out, "XDEL", key, between, 1, (id, args) -> args.add(StreamLogForms.id(id.ms(), id.seq())));
        }
        out.add(new byte[][] {ascii("XSETID"), key, StreamLogForms.id(st.lastId().ms(), st.lastId().seq()),
                ascii("ENTRIESADDED"), number(st.entriesAdded()), ascii("MAXDELETEDID"),
                StreamLogForms.id(st.maxDeletedId().ms(), st.maxDeletedId().seq())});
    }

    /** A stand-in for a deleted entry still pending in a group, deleted again once claimed. */
    private static byte[][] placeholder(byte[] key, StreamId id) {
        return new byte[][] {ascii("XADD"), key, StreamLogForms.id(id.ms(), id.seq()), ascii("x"), ascii("y")};
    }

    private interface Adder<T> {
        void add(T element, List<byte[]> args);
    }

    private static <T> void runs(List<byte[][]> out, String command, byte[] key, List<T> elements, int perElement,
                                 Adder<T> adder) {
        for (int from = 0; from < elements.size(); from += RUN) {
            int to = Math.min(elements.size(), from + RUN);
            List<byte[]> args = new ArrayList<>(2 + (to - from) * perElement);
            args.add(ascii(command));
            args.add(key);
            for (int i = from; i < to; i++) adder.add(elements.get(i), args);
            out.add(args.toArray(new byte[0][]));
        }
    }

    private static byte[] number(long v) { return ascii(Long.toString(v)); }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }
}
