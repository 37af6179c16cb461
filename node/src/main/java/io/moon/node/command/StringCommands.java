package io.moon.node.command;

import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import java.nio.charset.StandardCharsets;

/**
 * The string family (Redis's t_string.c). Handlers keep Redis's order: parse and check
 * arguments, look up, check the type, change, reply. Keys are read through the argument index
 * ({@code c.db(1)}, {@code c.lookupRead(i)}) so a handler is right on whichever shard runs it.
 */
public final class StringCommands {
    private StringCommands() {}

    static final String OFFSET_OUT_OF_RANGE = "ERR offset is out of range";
    static final String TOO_BIG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    static final String NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";
    static final String LCS_NOT_STRINGS = "ERR The specified keys must contain string values";
    static final String LCS_LEN_AND_IDX = "ERR If you want both the length and indexes, please just use IDX.";
    static final String LCS_OVER_LIMIT = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
    static final String LCS_NO_MEMORY = "ERR Insufficient memory, failed allocating transient memory for LCS";

    private static final byte[] EMPTY = new byte[0];

    /**
     * Longest value a string entry can hold: the entry is one Java array (the JVM's limit is a
     * little under 2^31) that also holds a header of up to 14 bytes and the key.
     */
    static final long MAX_ENTRY_LENGTH = Integer.MAX_VALUE - 8 - 14;

    private static final String GETRANGE_COMPLEXITY = "O(N) where N is the length of the returned string. The"
            + " complexity is ultimately determined by the returned length, but because creating a substring from an"
            + " existing string is very cheap, it can be considered O(1) for small strings.";

    static void register(CommandTable t) {
        t.add(new CommandSpec("get", 2, "readonly fast", 1, 1, 1, "@string", StringCommands::get)
                .keyFlags("RO access")
                .doc("string", "1.0.0", "Get the value of a key").complexity("O(1)"));
        t.add(new CommandSpec("set", -3, "write denyoom", 1, 1, 1, "@string", StringCommands::set)
                .keySpecs(KeySpec.range("RW access update variable_flags", 1, 0, 1)
                        .withNotes("RW and ACCESS due to the optional `GET` argument")
                        .resolvedBy(StringCommands::setKeyFlags))
                .doc("string", "1.0.0", "Set the string value of a key").complexity("O(1)"));
        t.add(new CommandSpec("setnx", 3, "write denyoom fast", 1, 1, 1, "@string", StringCommands::setnx)
                .keyFlags("OW insert")
                .doc("string", "1.0.0", "Set the value of a key, only if the key does not exist").complexity("O(1)"));
        t.add(new CommandSpec("setex", 4, "write denyoom", 1, 1, 1, "@string", c -> setex(c, true))
                .keyFlags("OW update")
                .doc("string", "2.0.0", "Set the value and expiration of a key").complexity("O(1)"));
        t.add(new CommandSpec("psetex", 4, "write denyoom", 1, 1, 1, "@string", c -> setex(c, false))
                .keyFlags("OW update")
                .doc("string", "2.6.0", "Set the value and expiration in milliseconds of a key").complexity("O(1)"));
        t.add(new CommandSpec("getset", 3, "write denyoom fast", 1, 1, 1, "@string", StringCommands::getset)
                .keyFlags("RW access update")
                .doc("string", "1.0.0", "Set the string value of a key and return its old value").complexity("O(1)"));
        t.add(new CommandSpec("getdel", 2, "write fast", 1, 1, 1, "@string", StringCommands::getdel)
                .keyFlags("RW access delete")
                .doc("string", "6.2.0", "Get the value of a key and delete the key").complexity("O(1)"));
        t.add(new CommandSpec("getex", -2, "write fast", 1, 1, 1, "@string", StringCommands::getex)
                .keySpecs(KeySpec.range("RW access update", 1, 0, 1).withNotes("RW and UPDATE because it changes the TTL"))
                .doc("string", "6.2.0", "Get the value of a key and optionally set its expiration").complexity("O(1)"));
        t.add(new CommandSpec("mget", -2, "readonly fast", 1, -1, 1, "@string", StringCommands::mget)
                .keyFlags("RO access")
                .doc("string", "1.0.0", "Get the values of all the given keys")
                .complexity("O(N) where N is the number of keys to retrieve."));
        t.add(new CommandSpec("mset", -3, "write denyoom split_by_key", 1, -1, 2, "@string", StringCommands::mset)
                .keyFlags("OW update")
                .doc("string", "1.0.1", "Set multiple keys to multiple values")
                .complexity("O(N) where N is the number of keys to set."));
        t.add(new CommandSpec("msetnx", -3, "write denyoom split_by_key", 1, -1, 2, "@string", StringCommands::msetnx)
                .keyFlags("OW insert")
                .doc("string", "1.0.1", "Set multiple keys to multiple values, only if none of the keys exist")
                .complexity("O(N) where N is the number of keys to set."));
        t.add(new CommandSpec("append", 3, "write denyoom fast", 1, 1, 1, "@string", StringCommands::append)
                .keyFlags("RW insert")
                .doc("string", "2.0.0", "Append a value to a key")
                .complexity("O(1). The amortized time complexity is O(1) assuming the appended value is small and the"
                        + " already present value is of any size, since the dynamic string library used by Redis will"
                        + " double the free space available on every reallocation."));
        t.add(new CommandSpec("strlen", 2, "readonly fast", 1, 1, 1, "@string", StringCommands::strlen)
                .keyFlags("RO")
                .doc("string", "2.2.0", "Get the length of the value stored in a key").complexity("O(1)"));
        t.add(new CommandSpec("incr", 2, "write denyoom fast", 1, 1, 1, "@string", c -> incrBy(c, 1))
                .keyFlags("RW access update")
                .doc("string", "1.0.0", "Increment the integer value of a key by one").complexity("O(1)"));
        t.add(new CommandSpec("decr", 2, "write denyoom fast", 1, 1, 1, "@string", c -> incrBy(c, -1))
                .keyFlags("RW access update")
                .doc("string", "1.0.0", "Decrement the integer value of a key by one").complexity("O(1)"));
        t.add(new CommandSpec("incrby", 3, "write denyoom fast", 1, 1, 1, "@string", c -> incrBy(c, c.longArg(2)))
                .keyFlags("RW access update")
                .doc("string", "1.0.0", "Increment the integer value of a key by the given amount").complexity("O(1)"));
        t.add(new CommandSpec("decrby", 3, "write denyoom fast", 1, 1, 1, "@string", StringCommands::decrby)
                .keyFlags("RW access update")
                .doc("string", "1.0.0", "Decrement the integer value of a key by the given number").complexity("O(1)"));
        t.add(new CommandSpec("incrbyfloat", 3, "write denyoom fast", 1, 1, 1, "@string", StringCommands::incrbyfloat)
                .keyFlags("RW access update")
                .doc("string", "2.6.0", "Increment the float value of a key by the given amount").complexity("O(1)"));
        t.add(new CommandSpec("getrange", 4, "readonly", 1, 1, 1, "@string", StringCommands::getrange)
                .keyFlags("RO access")
                .doc("string", "2.4.0", "Get a substring of the string stored at a key").complexity(GETRANGE_COMPLEXITY));
        t.add(new CommandSpec("substr", 4, "readonly", 1, 1, 1, "@string", StringCommands::getrange)
                .keyFlags("RO access")
                .doc("string", "1.0.0", "Get a substring of the string stored at a key").complexity(GETRANGE_COMPLEXITY));
        t.add(new CommandSpec("setrange", 4, "write denyoom", 1, 1, 1, "@string", StringCommands::setrange)
                .keyFlags("RW update")
                .doc("string", "2.2.0", "Overwrite part of a string at key starting at the specified offset")
                .complexity("O(1), not counting the time taken to copy the new string in place. Usually, this string"
                        + " is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M"
                        + " being the length of the value argument."));
        t.add(new CommandSpec("lcs", -3, "readonly", 1, 2, 1, "@string", StringCommands::lcs)
                .keyFlags("RO access")
                .doc("string", "7.0.0", "Find longest common substring")
                .complexity("O(N*M) where N and M are the lengths of s1 and s2, respectively"));
    }

    /** SET's key is read too when GET is given (Redis's setGetKeys). */
    static String setKeyFlags(String[] args) {
        for (int i = 3; i < args.length; i++) if (args[i].equalsIgnoreCase("get")) return "RW access update";
        return "OW update";
    }

    // ---------------------------------------------------------------- string type API

    /** The string entry at argument i for reading, null when missing; WRONGTYPE for other types. */
    static byte[] readString(CommandContext c, int i) {
        Object e = c.lookupRead(i);
        if (e == null) return null;
        if (!(e instanceof byte[] b)) throw RedisError.wrongType();
        return b;
    }

    /** The string entry at argument i before a write, null when missing; WRONGTYPE for other types. */
    static byte[] writeString(CommandContext c, int i) {
        Object e = c.lookupWrite(i);
        if (e == null) return null;
        if (!(e instanceof byte[] b)) throw RedisError.wrongType();
        return b;
    }

    /** Stores value under the key at argument i, with the given expiry. */
    static void store(CommandContext c, Db db, int keyArg, byte[] v, int voff, int vlen, long expireAt) {
        db.set(Entries.newString(c.buf(), c.off(keyArg), c.len(keyArg), v, voff, vlen, expireAt));
    }

    /** Stores the value argument {@code valueArg} under the key at argument i. */
    private static void storeArg(CommandContext c, int keyArg, int valueArg, long expireAt) {
        store(c, c.db(keyArg), keyArg, c.buf(), c.off(valueArg), c.len(valueArg), expireAt);
    }

    /** A zero-filled value of {@code vlen} bytes under the key at argument i, to fill in place. */
    private static byte[] newValue(CommandContext c, int keyArg, int vlen, long expireAt) {
        return Entries.newString(c.buf(), c.off(keyArg), c.len(keyArg), vlen, expireAt);
    }

    private static void replyValue(CommandContext c, byte[] e) {
        int vo = Entries.valueOffset(e);
        c.reply().bulk(e, vo, e.length - vo);
    }

    private static void replyValueOrNil(CommandContext c, byte[] e) {
        if (e == null) c.reply().nullBulk();
        else replyValue(c, e);
    }

    /**
     * Redis's checkStringLength: a string may not grow past proto-max-bulk-len (sums that
     * overflow included), nor here past what one entry array can hold.
     */
    private static void checkStringLength(CommandContext c, long size, long append) {
        long total = size + append;
        if (total < size || total < append || total > c.node().config().protoMaxBulkLen()
                || total > MAX_ENTRY_LENGTH - c.len(1)) {
            throw new RedisError(TOO_BIG);
        }
    }

    /** Redis's rewrite of SET/SETEX/PSETEX with an expiry: SET key value PXAT <absolute ms>. */
    private static void propagateWithAbsoluteExpiry(CommandContext c, int keyArg, int valueArg, long expireAt) {
        c.propagateAs(CommandContext.ascii("SET"), c.arg(keyArg), c.arg(valueArg), CommandContext.ascii("PXAT"),
                Numbers.toBytes(expireAt));
    }

    // ---------------------------------------------------------------- get and set

    static void get(CommandContext c) {
        replyValueOrNil(c, readString(c, 1));
    }

    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL], as Redis 7.0. */
    static void set(CommandContext c) {
        if (c.argc() == 3) { // the hot path: no options to parse
            c.lookupWrite(1);
            storeArg(c, 1, 2, Entries.NO_EXPIRE);
            c.notify(KeyspaceEvents.STRING, "set", 1);
            c.reply().ok();
            return;
        }
        SetOptions o = SetOptions.parse(c, 3, true);
        long expireAt = o.expireAt(c);
        // GET reads like GET does (a hit or miss, WRONGTYPE) before SET looks at the key.
        byte[] previous = o.get ? readString(c, 1) : null;
        Object old = c.lookupWrite(1);
        if (o.get) replyValueOrNil(c, previous);
        if ((o.nx && old != null) || (o.xx && old == null)) {
            if (!o.get) c.reply().nullBulk();
            return;
        }
        if (o.keepTtl && old != null) expireAt = Entries.expireAt(old);
        storeArg(c, 1, 2, expireAt);
        c.notify(KeyspaceEvents.STRING, "set", 1);
        if (o.hasExpire()) {
            c.notify(KeyspaceEvents.GENERIC, "expire", 1);
            propagateWithAbsoluteExpiry(c, 1, 2, expireAt);
        }
        if (!o.get) c.reply().ok();
    }

    static void setnx(CommandContext c) {
        if (c.lookupWrite(1) != null) {
            c.reply().integer(0);
            return;
        }
        storeArg(c, 1, 2, Entries.NO_EXPIRE);
        c.notify(KeyspaceEvents.STRING, "set", 1);
        c.reply().integer(1);
    }

    /** SETEX (seconds) and PSETEX (milliseconds): a relative expiry, checked before anything else. */
    static void setex(CommandContext c, boolean seconds) {
        long expireAt = SetOptions.expireAt(c, c.longArg(2), seconds, true);
        c.lookupWrite(1);
        storeArg(c, 1, 3, expireAt);
        c.notify(KeyspaceEvents.STRING, "set", 1);
        c.notify(KeyspaceEvents.GENERIC, "expire", 1);
        propagateWithAbsoluteExpiry(c, 1, 3, expireAt);
        c.reply().ok();
    }

    /** GETSET: the old value (nil when missing); the new value has no expiry. */
    static void getset(CommandContext c) {
        byte[] old = readString(c, 1);
        storeArg(c, 1, 2, Entries.NO_EXPIRE);
        c.notify(KeyspaceEvents.STRING, "set", 1);
        replyValueOrNil(c, old);
    }

    static void getdel(CommandContext c) {
        byte[] e = readString(c, 1);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        replyValue(c, e);
        c.db(1).delete(c.buf(), c.off(1), c.len(1));
        c.notify(KeyspaceEvents.GENERIC, "del", 1);
    }

    /**
     * GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST]. As Redis, a missing key answers nil before
     * the expire value is checked, and an absolute time already past deletes the key.
     */
    static void getex(CommandContext c) {
        SetOptions o = SetOptions.parse(c, 2, false);
        byte[] e = readString(c, 1);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        long expireAt = o.expireAt(c);
        replyValue(c, e);
        Db db = c.db(1);
        // Logged as Redis propagates GETEX: DEL, PEXPIREAT with the absolute time, or PERSIST.
        if (o.hasExpire() && expireAt <= c.now()) {
            db.delete(c.buf(), c.off(1), c.len(1));
            c.notify(KeyspaceEvents.GENERIC, "del", 1);
            c.propagateAs(CommandContext.ascii("DEL"), c.arg(1));
        } else if (o.hasExpire()) {
            db.setExpire(c.buf(), c.off(1), c.len(1), expireAt);
            c.notify(KeyspaceEvents.GENERIC, "expire", 1);
            c.propagateAs(CommandContext.ascii("PEXPIREAT"), c.arg(1), Numbers.toBytes(expireAt));
        } else if (o.persist && Entries.hasExpire(e)) {
            db.setExpire(c.buf(), c.off(1), c.len(1), Entries.NO_EXPIRE);
            c.notify(KeyspaceEvents.GENERIC, "persist", 1);
            c.propagateAs(CommandContext.ascii("PERSIST"), c.arg(1));
        }
    }

    // ---------------------------------------------------------------- many keys

    static void mget(CommandContext c) {
        c.reply().arrayHeader(c.argc() - 1);
        for (int i = 1; i < c.argc(); i++) {
            Object e = c.lookupRead(i);
            if (e instanceof byte[] b) replyValue(c, b);
            else c.reply().nullBulk(); // missing, or not a string: MGET answers nil
        }
    }

    static void mset(CommandContext c) {
        if (c.argc() % 2 == 0) throw RedisError.arity(c.spec().name);
        for (int i = 1; i < c.argc(); i += 2) {
            storeArg(c, i, i + 1, Entries.NO_EXPIRE);
            c.notify(KeyspaceEvents.STRING, "set", i);
        }
        c.reply().ok();
    }

    /**
     * MSETNX: nothing is set when any key exists. When keys span shards this runs with every
     * involved shard held, so no client sees some keys set and not others.
     */
    static void msetnx(CommandContext c) {
        if (c.argc() % 2 == 0) throw RedisError.arity(c.spec().name);
        for (int i = 1; i < c.argc(); i += 2) {
            if (c.lookupWrite(i) != null) {
                c.reply().integer(0);
                return;
            }
        }
        for (int i = 1; i < c.argc(); i += 2) {
            storeArg(c, i, i + 1, Entries.NO_EXPIRE);
            c.notify(KeyspaceEvents.STRING, "set", i);
        }
        c.reply().integer(1);
    }

    // ---------------------------------------------------------------- parts of a value

    static void append(CommandContext c) {
        byte[] old = writeString(c, 1);
        int addLen = c.len(2);
        if (old == null) {
            storeArg(c, 1, 2, Entries.NO_EXPIRE);
            c.notify(KeyspaceEvents.STRING, "append", 1);
            c.reply().integer(addLen);
            return;
        }
        int vo = Entries.valueOffset(old), oldLen = old.length - vo;
        checkStringLength(c, oldLen, addLen);
        byte[] e = newValue(c, 1, oldLen + addLen, Entries.expireAt(old));
        int nvo = e.length - oldLen - addLen;
        System.arraycopy(old, vo, e, nvo, oldLen);
        System.arraycopy(c.buf(), c.off(2), e, nvo + oldLen, addLen);
        c.db(1).set(e);
        c.notify(KeyspaceEvents.STRING, "append", 1);
        c.reply().integer(oldLen + addLen);
    }

    static void strlen(CommandContext c) {
        byte[] e = readString(c, 1);
        c.reply().integer(e == null ? 0 : Entries.valueLength(e));
    }

    /** SETRANGE key offset value: zero-pads up to offset; an empty value changes nothing. */
    static void setrange(CommandContext c) {
        long offset = c.longArg(2);
        if (offset < 0) throw new RedisError(OFFSET_OUT_OF_RANGE);
        byte[] old = writeString(c, 1);
        int patchLen = c.len(3);
        int oldLen = old == null ? 0 : Entries.valueLength(old);
        if (patchLen == 0) {
            c.reply().integer(oldLen); // 0 for a missing key, which stays missing
            return;
        }
        checkStringLength(c, offset, patchLen);
        int newLen = Math.max(oldLen, (int) offset + patchLen);
        byte[] e = newValue(c, 1, newLen, old == null ? Entries.NO_EXPIRE : Entries.expireAt(old));
        int nvo = e.length - newLen;
        if (old != null) System.arraycopy(old, old.length - oldLen, e, nvo, oldLen);
        System.arraycopy(c.buf(), c.off(3), e, nvo + (int) offset, patchLen);
        c.db(1).set(e);
        c.notify(KeyspaceEvents.STRING, "setrange", 1);
        c.reply().integer(newLen);
    }

    /** GETRANGE (and SUBSTR) key start end: inclusive, negative from the end, clamped as Redis. */
    static void getrange(CommandContext c) {
        long start = c.longArg(2);
        long end = c.longArg(3);
        byte[] e = readString(c, 1);
        if (e == null) {
            c.reply().bulk(EMPTY);
            return;
        }
        int vo = Entries.valueOffset(e);
        long len = e.length - vo;
        if (start < 0 && end < 0 && start > end) {
            c.reply().bulk(e, vo, 0);
            return;
        }
        if (start < 0) start = len + start;
        if (end < 0) end = len + end;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= len) end = len - 1;
        if (start > end || len == 0) c.reply().bulk(e, vo, 0);
        else c.reply().bulk(e, vo + (int) start, (int) (end - start + 1));
    }

    // ---------------------------------------------------------------- numbers

    static void decrby(CommandContext c) {
        long by = c.longArg(2);
        if (by == Long.MIN_VALUE) throw new RedisError("ERR decrement would overflow");
        incrBy(c, -by);
    }

    /** INCR, DECR, INCRBY, DECRBY: the value must be a 64-bit integer in text; expiry kept. */
    static void incrBy(CommandContext c, long by) {
        byte[] b = writeString(c, 1);
        long value = 0;
        long expireAt = Entries.NO_EXPIRE;
        if (b != null) {
            int vo = Entries.valueOffset(b);
            value = Numbers.parseLong(b, vo, b.length - vo);
            if (value == Numbers.NOT_A_NUMBER && !Numbers.isLong(b, vo, b.length - vo)) throw RedisError.notInteger();
            expireAt = Entries.expireAt(b);
        }
        long result;
        try {
            result = Math.addExact(value, by);
        } catch (ArithmeticException ex) {
            throw new RedisError(RedisError.OVERFLOW);
        }
        byte[] digits = Numbers.toBytes(result);
        store(c, c.db(1), 1, digits, 0, digits.length, expireAt);
        c.notify(KeyspaceEvents.STRING, "incrby", 1);
        c.reply().integer(result);
    }

    /**
     * INCRBYFLOAT in C's long double arithmetic, printed as Redis prints it (see
     * {@link LongDouble}); the expiry is kept.
     */
    static void incrbyfloat(CommandContext c) {
        byte[] b = writeString(c, 1);
        LongDouble value = LongDouble.ZERO;
        long expireAt = Entries.NO_EXPIRE;
        if (b != null) {
            int vo = Entries.valueOffset(b);
            value = LongDouble.parse(b, vo, b.length - vo);
            if (value == null) throw new RedisError(RedisError.NOT_FLOAT);
            expireAt = Entries.expireAt(b);
        }
        LongDouble incr = LongDouble.parse(c.buf(), c.off(2), c.len(2));
        if (incr == null) throw new RedisError(RedisError.NOT_FLOAT);
        LongDouble result = value.add(incr);
        if (!result.isFinite()) throw new RedisError(NAN_OR_INFINITY);
        byte[] text = result.toHumanString().getBytes(StandardCharsets.US_ASCII);
        store(c, c.db(1), 1, text, 0, text.length, expireAt);
        c.notify(KeyspaceEvents.STRING, "incrbyfloat", 1);
        // As Redis: the float result is logged, not the increment.
        c.propagateAs(CommandContext.ascii("SET"), c.arg(1), text, CommandContext.ascii("KEEPTTL"));
        c.reply().bulk(text);
    }

    // ---------------------------------------------------------------- LCS

    /** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]; missing keys are empty strings. */
    static void lcs(CommandContext c) {
        Object ea = c.lookupRead(1), eb = c.lookupRead(2);
        if ((ea != null && !(ea instanceof byte[])) || (eb != null && !(eb instanceof byte[]))) {
            throw new RedisError(LCS_NOT_STRINGS);
        }
        boolean getLen = false, getIdx = false, withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < c.argc(); j++) {
            if (c.is(j, "idx")) {
                getIdx = true;
            } else if (c.is(j, "len")) {
                getLen = true;
            } else if (c.is(j, "withmatchlen")) {
                withMatchLen = true;
            } else if (c.is(j, "minmatchlen") && j + 1 < c.argc()) {
                minMatchLen = Math.max(0, c.longArg(++j));
            } else {
                throw RedisError.syntax();
            }
        }
        if (getLen && getIdx) throw new RedisError(LCS_LEN_AND_IDX);

        byte[] a = ea == null ? EMPTY : (byte[]) ea;
        byte[] b = eb == null ? EMPTY : (byte[]) eb;
        int aOff = ea == null ? 0 : Entries.valueOffset(a), bOff = eb == null ? 0 : Entries.valueOffset(b);
        int aLen = a.length - aOff, bLen = b.length - bOff;
        // Redis sizes its table at 4 bytes a cell and refuses past proto-max-bulk-len; keep its
        // limit so the same calls succeed, although this table is far smaller.
        if ((aLen + 1L) * (bLen + 1L) * 4 > c.node().config().protoMaxBulkLen()) throw new RedisError(LCS_OVER_LIMIT);
        if (getLen) {
            c.reply().integer(Lcs.lengthOf(a, aOff, aLen, b, bOff, bLen).length);
            return;
        }
        Lcs lcs;
        try {
            if ((long) aLen * bLen / 64 > Integer.MAX_VALUE - 8) throw new RedisError(LCS_NO_MEMORY);
            lcs = Lcs.of(a, aOff, aLen, b, bOff, bLen, getIdx ? minMatchLen : 0);
        } catch (OutOfMemoryError e) {
            throw new RedisError(LCS_NO_MEMORY);
        }
        if (!getIdx) {
            c.reply().bulk(lcs.sequence);
            return;
        }
        c.reply().mapHeader(2);
        c.reply().bulk("matches");
        c.reply().arrayHeader(lcs.matches.size());
        for (Lcs.Match m : lcs.matches) {
            c.reply().arrayHeader(withMatchLen ? 3 : 2);
            c.reply().arrayHeader(2);
            c.reply().integer(m.aStart());
            c.reply().integer(m.aEnd());
            c.reply().arrayHeader(2);
            c.reply().integer(m.bStart());
            c.reply().integer(m.bEnd());
            if (withMatchLen) c.reply().integer(m.length());
        }
        c.reply().bulk("len");
        c.reply().integer(lcs.length);
    }
}
