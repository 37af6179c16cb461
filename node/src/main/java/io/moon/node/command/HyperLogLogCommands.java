package io.moon.node.command;

import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.Entries;
import io.moon.node.store.hll.HllEstimator;
import io.moon.node.store.hll.HllLayout;
import io.moon.node.store.hll.HllSelfTest;
import io.moon.node.store.hll.HyperLogLog;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The HyperLogLog family (Redis's hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFSELFTEST, PFDEBUG.
 * A HyperLogLog is a plain string holding Redis's exact representation ({@link HllLayout}), so a
 * value copied from redis-server with GET/SET or DUMP/RESTORE counts the same here, and the
 * reverse.
 *
 * <p>Changes that keep the value's length (a dense register, the cached cardinality PFCOUNT
 * writes back) are made in place in the keyspace entry; a sparse value that grows or turns dense
 * is stored as a new entry that keeps the key's expiry.
 */
public final class HyperLogLogCommands {
    private HyperLogLogCommands() {}

    static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    static final String CORRUPT = "INVALIDOBJ Corrupted HLL object detected";
    static final String NO_KEY = "ERR The specified key does not exist";
    static final String NOT_SPARSE = "ERR HLL encoding is not sparse";

    static void register(CommandTable t) {
        t.add(new CommandSpec("pfadd", -2, "write denyoom fast", 1, 1, 1, "@hyperloglog", HyperLogLogCommands::pfadd)
                .keyFlags("RW insert")
                .doc("hyperloglog", "2.8.9", "Adds the specified elements to the specified HyperLogLog.")
                .complexity("O(1) to add every element."));
        t.add(new CommandSpec("pfcount", -2, "readonly may_replicate", 1, -1, 1, "@hyperloglog", HyperLogLogCommands::pfcount)
                .keySpecs(KeySpec.range("RW access", 1, -1, 1).withNotes(
                        "RW because it may change the internal representation of the key, and propagate to replicas"))
                .doc("hyperloglog", "2.8.9",
                        "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).")
                .complexity("O(1) with a very small average constant time when called with a single key. O(N) with N"
                        + " being the number of keys, and much bigger constant times, when called with multiple keys."));
        t.add(new CommandSpec("pfmerge", -2, "write denyoom", 1, -1, 1, "@hyperloglog", HyperLogLogCommands::pfmerge)
                .keySpecs(KeySpec.range("RW access insert", 1, 0, 1), KeySpec.range("RO access", 2, -1, 1))
                .doc("hyperloglog", "2.8.9", "Merge N different HyperLogLogs into a single one.")
                .complexity("O(N) to merge N HyperLogLogs, but with high constant times."));
        t.add(new CommandSpec("pfselftest", 1, "admin", 0, 0, 0, "@hyperloglog", HyperLogLogCommands::pfselftest)
                .doc("hyperloglog", "2.8.9", "An internal command for testing HyperLogLog values").complexity("N/A"));
        t.add(new CommandSpec("pfdebug", 3, "write denyoom admin", 2, 2, 1, "@hyperloglog", HyperLogLogCommands::pfdebug)
                .keyFlags("RW access")
                .doc("hyperloglog", "2.8.9", "Internal commands for debugging HyperLogLog values").complexity("N/A"));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Redis's isHLLObjectOrReply for a looked-up entry: null for a missing key, WRONGTYPE for
     * another type, and Redis's HyperLogLog WRONGTYPE for a string that is not one.
     */
    private static byte[] hllEntry(Object o) {
        if (o == null) return null;
        if (!(o instanceof byte[] e)) throw RedisError.wrongType();
        int vo = Entries.valueOffset(e);
        if (!HllLayout.isValid(e, vo, e.length - vo)) throw new RedisError(NOT_HLL);
        return e;
    }

    private static HyperLogLog view(byte[] e) {
        int vo = Entries.valueOffset(e);
        return HyperLogLog.over(e, vo, e.length - vo);
    }

    /**
     * After {@code h} changed: a value that moved to its own array becomes the key's new entry
     * (keeping old's expiry), a change in place is signalled. Either counts one change.
     */
    private static void store(CommandContext c, int keyArg, byte[] old, HyperLogLog h) {
        if (h.copied()) {
            long expireAt = old == null ? Entries.NO_EXPIRE : Entries.expireAt(old);
            c.db(keyArg).set(Entries.newString(c.buf(), c.off(keyArg), c.len(keyArg), h.array(), h.offset(), h.length(),
                    expireAt));
        } else {
            c.db(keyArg).keyModified(c.buf(), c.off(keyArg), c.len(keyArg));
        }
    }

    private static long sparseMaxBytes(CommandContext c) { return c.node().config().getLong("hll-sparse-max-bytes"); }

    // ---------------------------------------------------------------- commands

    /** PFADD key [element ...]: 1 when the key was created or a register changed. */
    static void pfadd(CommandContext c) {
        byte[] old = hllEntry(c.lookupWrite(1));
        HyperLogLog h = old == null ? HyperLogLog.empty() : view(old);
        long updated = old == null ? 1 : 0;
        long sparseMax = c.argc() > 2 && !h.isDense() ? sparseMaxBytes(c) : 0;
        for (int j = 2; j < c.argc(); j++) {
            int r = h.add(c.buf(), c.off(j), c.len(j), sparseMax);
            if (r < 0) throw new RedisError(CORRUPT);
            updated += r;
        }
        if (updated > 0) {
            h.invalidateCache();
            store(c, 1, old, h);
            c.shardOfKey(1).keyspace().dirty += updated - 1; // Redis counts each changed register
            c.notify(KeyspaceEvents.STRING, "pfadd", 1);
        }
        c.reply().integer(updated > 0 ? 1 : 0);
    }

    /**
     * PFCOUNT key [key ...]. One key: the cached cardinality, or a new estimate written back into
     * the header (a change of the value, as in Redis). Several keys, on any shards: the estimate
     * of their union, nothing written.
     */
    static void pfcount(CommandContext c) {
        if (c.argc() > 2) {
            byte[] max = new byte[HllLayout.REGISTERS];
            for (int j = 1; j < c.argc(); j++) {
                byte[] e = hllEntry(c.lookupRead(j));
                if (e != null && !view(e).mergeInto(max)) throw new RedisError(CORRUPT);
            }
            c.reply().integer(HllEstimator.estimate(max));
            return;
        }
        byte[] e = hllEntry(c.lookupRead(1));
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        HyperLogLog h = view(e);
        long card;
        if (h.cacheValid()) {
            card = h.cachedCardinality();
        } else {
            card = h.count();
            if (card < 0) throw new RedisError(CORRUPT);
            // The cache is written in place: a write lookup first lets a running snapshot take
            // the value as it was.
            c.lookupWrite(1);
            h.cacheCardinality(card);
            c.db(1).keyModified(c.buf(), c.off(1), c.len(1));
        }
        c.reply().integer(card);
    }

    /**
     * PFMERGE destkey [sourcekey ...]: destkey (itself a source) gets the register-wise maximum;
     * it turns dense when any source is dense. Keys may be on any shards.
     */
    static void pfmerge(CommandContext c) {
        byte[] max = new byte[HllLayout.REGISTERS];
        boolean dense = false;
        for (int j = 1; j < c.argc(); j++) {
            byte[] e = hllEntry(c.lookupRead(j));
            if (e == null) continue;
            HyperLogLog h = view(e);
            if (h.isDense()) dense = true;
            if (!h.mergeInto(max)) throw new RedisError(CORRUPT);
        }
        byte[] old = (byte[]) c.lookupWrite(1); // checked above as a source
        HyperLogLog h = old == null ? HyperLogLog.empty() : view(old);
        if (dense && !h.toDense()) throw new RedisError(CORRUPT);
        long sparseMax = h.isDense() ? 0 : sparseMaxBytes(c);
        for (int i = 0; i < max.length; i++) {
            if (max[i] != 0) h.raise(i, max[i], sparseMax);
        }
        h.invalidateCache();
        store(c, 1, old, h);
        // A mass add, so the same event as PFADD (as Redis).
        c.notify(KeyspaceEvents.STRING, "pfadd", 1);
        c.reply().ok();
    }

    static void pfselftest(CommandContext c) {
        String failure = HllSelfTest.run(sparseMaxBytes(c), ThreadLocalRandom.current());
        if (failure != null) throw new RedisError("ERR " + failure);
        c.reply().ok();
    }

    /** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. GETREG and TODENSE turn a sparse value dense. */
    static void pfdebug(CommandContext c) {
        Object o = c.lookupWrite(2);
        if (o == null) throw new RedisError(NO_KEY);
        byte[] e = hllEntry(o);
        HyperLogLog h = view(e);
        if (c.is(1, "getreg")) {
            if (!h.isDense()) {
                if (!h.toDense()) throw new RedisError(CORRUPT);
                store(c, 2, e, h);
            }
            c.reply().arrayHeader(HllLayout.REGISTERS);
            for (int i = 0; i < HllLayout.REGISTERS; i++) c.reply().integer(h.register(i));
        } else if (c.is(1, "decode")) {
            if (h.isDense()) throw new RedisError(NOT_SPARSE);
            c.reply().bulk(h.describeSparse());
        } else if (c.is(1, "encoding")) {
            c.reply().simple(h.isDense() ? "dense" : "sparse");
        } else if (c.is(1, "todense")) {
            boolean converted = !h.isDense();
            if (converted) {
                if (!h.toDense()) throw new RedisError(CORRUPT);
                store(c, 2, e, h);
            }
            c.reply().integer(converted ? 1 : 0);
        } else {
            throw new RedisError("ERR Unknown PFDEBUG subcommand '" + c.str(1) + "'");
        }
    }
}
