package io.moon.node.command;

import io.moon.node.protocol.Reply;
import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.HashValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The hash family (Redis's t_hash.c "hash type commands"). Handlers keep Redis's order: check
 * arguments, look up (creating the key when a write needs it), change the value through the
 * {@link HashValue} type API, reply, then {@code valueChanged} (WATCH, memory, dirty, deleting an
 * emptied key) and the keyspace events Redis sends.
 */
public final class HashCommands {
    private HashCommands() {}

    static final String NOT_INTEGER = "ERR hash value is not an integer";
    static final String NOT_FLOAT = "ERR hash value is not a float";
    static final String INCR_NAN_OR_INFINITY = "ERR value is NaN or Infinity";
    static final String RESULT_NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";
    static final String COUNT_OUT_OF_RANGE = "ERR value is out of range";

    private static final String SCAN_COMPLEXITY = "O(1) for every call. O(N) for a complete iteration, including enough"
            + " command calls for the cursor to return back to 0. N is the number of elements inside the collection..";

    static void register(CommandTable t) {
        t.add(new CommandSpec("hset", -4, "write denyoom fast", 1, 1, 1, "@hash", HashCommands::hset)
                .keyFlags("RW update")
                .doc("hash", "2.0.0", "Set the string value of a hash field")
                .complexity("O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command"
                        + " is called with multiple field/value pairs."));
        t.add(new CommandSpec("hsetnx", 4, "write denyoom fast", 1, 1, 1, "@hash", HashCommands::hsetnx)
                .keyFlags("RW insert")
                .doc("hash", "2.0.0", "Set the value of a hash field, only if the field does not exist").complexity("O(1)"));
        t.add(new CommandSpec("hget", 3, "readonly fast", 1, 1, 1, "@hash", HashCommands::hget)
                .keyFlags("RO access")
                .doc("hash", "2.0.0", "Get the value of a hash field").complexity("O(1)"));
        t.add(new CommandSpec("hmget", -3, "readonly fast", 1, 1, 1, "@hash", HashCommands::hmget)
                .keyFlags("RO access")
                .doc("hash", "2.0.0", "Get the values of all the given hash fields")
                .complexity("O(N) where N is the number of fields being requested."));
        t.add(new CommandSpec("hmset", -4, "write denyoom fast", 1, 1, 1, "@hash", HashCommands::hset)
                .keyFlags("RW update")
                .doc("hash", "2.0.0", "Set multiple hash fields to multiple values")
                .complexity("O(N) where N is the number of fields being set."));
        t.add(new CommandSpec("hgetall", 2, "readonly", 1, 1, 1, "@hash", HashCommands::hgetall)
                .keyFlags("RO access").tips("nondeterministic_output_order")
                .doc("hash", "2.0.0", "Get all the fields and values in a hash")
                .complexity("O(N) where N is the size of the hash."));
        t.add(new CommandSpec("hkeys", 2, "readonly", 1, 1, 1, "@hash", HashCommands::hkeys)
                .keyFlags("RO access").tips("nondeterministic_output_order")
                .doc("hash", "2.0.0", "Get all the fields in a hash").complexity("O(N) where N is the size of the hash."));
        t.add(new CommandSpec("hvals", 2, "readonly", 1, 1, 1, "@hash", HashCommands::hvals)
                .keyFlags("RO access").tips("nondeterministic_output_order")
                .doc("hash", "2.0.0", "Get all the values in a hash").complexity("O(N) where N is the size of the hash."));
        t.add(new CommandSpec("hlen", 2, "readonly fast", 1, 1, 1, "@hash", HashCommands::hlen)
                .keyFlags("RO")
                .doc("hash", "2.0.0", "Get the number of fields in a hash").complexity("O(1)"));
        t.add(new CommandSpec("hexists", 3, "readonly fast", 1, 1, 1, "@hash", HashCommands::hexists)
                .keyFlags("RO")
                .doc("hash", "2.0.0", "Determine if a hash field exists").complexity("O(1)"));
        t.add(new CommandSpec("hdel", -3, "write fast", 1, 1, 1, "@hash", HashCommands::hdel)
                .keyFlags("RW delete")
                .doc("hash", "2.0.0", "Delete one or more hash fields")
                .complexity("O(N) where N is the number of fields to be removed."));
        t.add(new CommandSpec("hincrby", 4, "write denyoom fast", 1, 1, 1, "@hash", HashCommands::hincrby)
                .keyFlags("RW access update")
                .doc("hash", "2.0.0", "Increment the integer value of a hash field by the given number").complexity("O(1)"));
        t.add(new CommandSpec("hincrbyfloat", 4, "write denyoom fast", 1, 1, 1, "@hash", HashCommands::hincrbyfloat)
                .keyFlags("RW access update")
                .doc("hash", "2.6.0", "Increment the float value of a hash field by the given amount").complexity("O(1)"));
        t.add(new CommandSpec("hstrlen", 3, "readonly fast", 1, 1, 1, "@hash", HashCommands::hstrlen)
                .keyFlags("RO")
                .doc("hash", "3.2.0", "Get the length of the value of a hash field").complexity("O(1)"));
        t.add(new CommandSpec("hrandfield", -2, "readonly", 1, 1, 1, "@hash", HashCommands::hrandfield)
                .keyFlags("RO access").tips("nondeterministic_output")
                .doc("hash", "6.2.0", "Get one or multiple random fields from a hash")
                .complexity("O(N) where N is the number of fields returned"));
        t.add(new CommandSpec("hscan", -3, "readonly", 1, 1, 1, "@hash", HashCommands::hscan)
                .keyFlags("RO access").tips("nondeterministic_output")
                .doc("hash", "2.8.0", "Incrementally iterate hash fields and associated values").complexity(SCAN_COMPLEXITY));
    }

    // ---------------------------------------------------------------- helpers

    /** Redis's hashTypeLookupWriteOrCreate: the hash at argument i, created (empty) when missing. */
    private static HashValue writeOrCreate(CommandContext c, int i) {
        HashValue h = c.writeValue(i, HashValue.class);
        if (h == null) {
            h = new HashValue();
            c.storeValue(i, h);
        }
        return h;
    }

    /** Sets field argument {@code f} to {@code v[vo, vo+vl)} with the listpack thresholds of the settings. */
    private static boolean set(CommandContext c, HashValue h, int f, byte[] v, int vo, int vl) {
        var config = c.node().config();
        return h.set(c.buf(), c.off(f), c.len(f), v, vo, vl, config.hashMaxListpackEntries(), config.hashMaxListpackValue());
    }

    private static int find(CommandContext c, HashValue h, int f) { return h.find(c.buf(), c.off(f), c.len(f)); }

    private static void replyField(Reply r, HashValue h, int handle) {
        r.bulk(h.fieldBuf(handle), h.fieldOff(handle), h.fieldLen(handle));
    }

    private static void replyValue(Reply r, HashValue h, int handle) {
        r.bulk(h.valueBuf(handle), h.valueOff(handle), h.valueLen(handle));
    }

    /** Redis's addHashFieldToReply: the value, or null for a missing hash or field. */
    private static void replyValueOf(CommandContext c, HashValue h, int f) {
        int handle = h == null ? -1 : find(c, h, f);
        if (handle < 0) c.reply().nullBulk();
        else replyValue(c.reply(), h, handle);
    }

    // ---------------------------------------------------------------- setting fields

    /** HSET (replies the number of new fields) and the deprecated HMSET (replies OK). */
    static void hset(CommandContext c) {
        if (c.argc() % 2 == 1) throw RedisError.arity(c.spec().name);
        HashValue h = writeOrCreate(c, 1);
        int created = 0;
        for (int i = 2; i < c.argc(); i += 2) {
            if (set(c, h, i, c.buf(), c.off(i + 1), c.len(i + 1))) created++;
        }
        if (c.spec().name.equals("hset")) c.reply().integer(created);
        else c.reply().ok();
        c.valueChanged(1);
        c.notify(KeyspaceEvents.HASH, "hset", 1);
    }

    static void hsetnx(CommandContext c) {
        HashValue h = c.writeValue(1, HashValue.class);
        if (h != null && find(c, h, 2) >= 0) {
            c.reply().integer(0);
            return;
        }
        if (h == null) h = writeOrCreate(c, 1);
        set(c, h, 2, c.buf(), c.off(3), c.len(3));
        c.reply().integer(1);
        c.valueChanged(1);
        c.notify(KeyspaceEvents.HASH, "hset", 1);
    }

    /** HINCRBY key field increment: the field read as a 64-bit integer (0 when missing). */
    static void hincrby(CommandContext c) {
        long incr = c.longArg(3);
        HashValue h = c.writeValue(1, HashValue.class);
        long value = 0;
        int handle = h == null ? -1 : find(c, h, 2);
        if (handle >= 0) {
            byte[] b = h.valueBuf(handle);
            int o = h.valueOff(handle), n = h.valueLen(handle);
            value = Numbers.parseLong(b, o, n);
            if (value == Numbers.NOT_A_NUMBER && !Numbers.isLong(b, o, n)) throw new RedisError(NOT_INTEGER);
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw new RedisError(RedisError.OVERFLOW);
        }
        value += incr;
        c.reply().integer(value);
        storeIncremented(c, h, Numbers.toBytes(value), "hincrby");
    }

    /** The end of HINCRBY and HINCRBYFLOAT, after the reply: field argument 2 set to its new text. */
    private static void storeIncremented(CommandContext c, HashValue h, byte[] text, String event) {
        if (h == null) h = writeOrCreate(c, 1);
        set(c, h, 2, text, 0, text.length);
        c.valueChanged(1);
        c.notify(KeyspaceEvents.HASH, event, 1);
    }

    /**
     * HINCRBYFLOAT key field increment, in the long double arithmetic and "%.17Lf" form of
     * INCRBYFLOAT ({@link LongDouble}).
     */
    static void hincrbyfloat(CommandContext c) {
        LongDouble incr = LongDouble.parse(c.buf(), c.off(3), c.len(3));
        if (incr == null) throw new RedisError(RedisError.NOT_FLOAT);
        if (!incr.isFinite()) throw new RedisError(INCR_NAN_OR_INFINITY);
        HashValue h = c.writeValue(1, HashValue.class);
        LongDouble value = LongDouble.ZERO;
        int handle = h == null ? -1 : find(c, h, 2);
        if (handle >= 0) {
            value = LongDouble.parse(h.valueBuf(handle), h.valueOff(handle), h.valueLen(handle));
            if (value == null) throw new RedisError(NOT_FLOAT);
        }
        LongDouble result = value.add(incr);
        if (!result.isFinite()) throw new RedisError(RESULT_NAN_OR_INFINITY);
        byte[] text = result.toHumanString().getBytes(StandardCharsets.US_ASCII);
        c.reply().bulk(text);
        storeIncremented(c, h, text, "hincrbyfloat");
        // As Redis: logged as HSET of the result, so float formatting never differs on replay.
        c.propagateAs(CommandContext.ascii("HSET"), c.arg(1), c.arg(2), text);
    }

    static void hdel(CommandContext c) {
        HashValue h = c.writeValue(1, HashValue.class);
        if (h == null) {
            c.reply().integer(0);
            return;
        }
        int deleted = 0;
        for (int i = 2; i < c.argc(); i++) {
            if (h.delete(c.buf(), c.off(i), c.len(i))) {
                deleted++;
                if (h.isEmpty()) break;
            }
        }
        c.reply().integer(deleted);
        if (deleted > 0) {
            boolean kept = c.valueChanged(1);
            c.notify(KeyspaceEvents.HASH, "hdel", 1);
            if (!kept) c.notify(KeyspaceEvents.GENERIC, "del", 1);
        }
    }

    // ---------------------------------------------------------------- reading fields

    static void hget(CommandContext c) {
        replyValueOf(c, c.readValue(1, HashValue.class), 2);
    }

    /** HMGET: a missing key is an empty hash (nulls), but another type is WRONGTYPE. */
    static void hmget(CommandContext c) {
        HashValue h = c.readValue(1, HashValue.class);
        c.reply().arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) replyValueOf(c, h, i);
    }

    static void hlen(CommandContext c) {
        HashValue h = c.readValue(1, HashValue.class);
        c.reply().integer(h == null ? 0 : h.size());
    }

    static void hstrlen(CommandContext c) {
        HashValue h = c.readValue(1, HashValue.class);
        int handle = h == null ? -1 : find(c, h, 2);
        c.reply().integer(handle < 0 ? 0 : h.valueLen(handle));
    }

    static void hexists(CommandContext c) {
        HashValue h = c.readValue(1, HashValue.class);
        c.reply().integer(h != null && find(c, h, 2) >= 0 ? 1 : 0);
    }

    /** HGETALL: a map in RESP3 (an empty map for a missing key), a flat array in RESP2. */
    static void hgetall(CommandContext c) {
        HashValue h = c.readValue(1, HashValue.class);
        Reply r = c.reply();
        r.mapHeader(h == null ? 0 : h.size());
        if (h == null) return;
        for (int i = h.first(); i >= 0; i = h.next(i)) {
            replyField(r, h, i);
            replyValue(r, h, i);
        }
    }

    static void hkeys(CommandContext c) {
        HashValue h = c.readValue(1, HashValue.class);
        c.reply().arrayHeader(h == null ? 0 : h.size());
        if (h != null) for (int i = h.first(); i >= 0; i = h.next(i)) replyField(c.reply(), h, i);
    }

    static void hvals(CommandContext c) {
        HashValue h = c.readValue(1, HashValue.class);
        c.reply().arrayHeader(h == null ? 0 : h.size());
        if (h != null) for (int i = h.first(); i >= 0; i = h.next(i)) replyValue(c.reply(), h, i);
    }

    // ---------------------------------------------------------------- random fields and scan

    /**
     * HRANDFIELD key [count [WITHVALUES]]. As t_hash.c: the count is checked before the key; a
     * negative count returns that many fields with repetition; WITHVALUES gives pairs, nested
     * two-element arrays in RESP3.
     */
    static void hrandfield(CommandContext c) {
        if (c.argc() == 2) {
            HashValue h = c.readValue(1, HashValue.class);
            if (h == null) c.reply().nullBulk();
            else replyField(c.reply(), h, h.random(RandomPicks.rnd()));
            return;
        }
        long l = c.longArg(2);
        if (l == Long.MIN_VALUE) {
            throw new RedisError("ERR value is out of range, value must between " + -Long.MAX_VALUE + " and " + Long.MAX_VALUE);
        }
        if (c.argc() > 4 || (c.argc() == 4 && !c.is(3, "withvalues"))) throw RedisError.syntax();
        boolean withValues = c.argc() == 4;
        if (withValues && (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2)) throw new RedisError(COUNT_OUT_OF_RANGE);
        HashValue h = c.readValue(1, HashValue.class);
        Reply r = c.reply();
        if (h == null || l == 0) {
            r.emptyArray();
            return;
        }
        boolean nested = withValues && r.resp3();
        int size = h.size();
        if (l < 0 || l == 1) {
            long count = Math.abs(l);
            r.arrayHeader(withValues && !nested ? count * 2 : count);
            RandomPicks.Repeating picks = new RandomPicks.Repeating(h);
            int start = r.buffer().writerIndex();
            for (long i = 0; i < count; i++) {
                replyPair(r, h, picks.next(), withValues, nested);
                if ((i & 1023) == 1023) RandomPicks.checkReplySize(c, start);
            }
            return;
        }
        int count = (int) Math.min(l, size);
        r.arrayHeader(withValues && !nested ? count * 2L : count);
        if (count == size) {
            for (int i = h.first(); i >= 0; i = h.next(i)) replyPair(r, h, i, withValues, nested);
            return;
        }
        for (int handle : RandomPicks.distinct(h, count)) replyPair(r, h, handle, withValues, nested);
    }

    private static void replyPair(Reply r, HashValue h, int handle, boolean withValue, boolean nested) {
        if (nested) r.arrayHeader(2);
        replyField(r, h, handle);
        if (withValue) replyValue(r, h, handle);
    }

    /** HSCAN key cursor [MATCH pattern] [COUNT count]: fields and values, filtered on the field. */
    static void hscan(CommandContext c) {
        long cursor = ScanCursor.parse(c.buf(), c.off(2), c.len(2));
        HashValue h = c.readValue(1, HashValue.class);
        if (h == null) {
            ElementScan.replyEmpty(c);
            return;
        }
        ElementScan scan = ElementScan.parse(c, 3);
        List<Integer> found = new ArrayList<>();
        long next = h.scan(cursor, scan.count, i -> {
            if (scan.matches(h.fieldBuf(i), h.fieldOff(i), h.fieldLen(i))) found.add(i);
        });
        Reply r = c.reply();
        r.arrayHeader(2);
        r.bulk(Long.toUnsignedString(next));
        r.arrayHeader(found.size() * 2L);
        for (int i : found) {
            replyField(r, h, i);
            replyValue(r, h, i);
        }
    }
}
