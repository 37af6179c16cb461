package io.moon.node.command;

import io.moon.node.protocol.CommandBuffer;
import io.moon.node.protocol.Reply;
import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.ObjectEntry;
import io.moon.node.store.SetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The set family (Redis's t_set.c). Handlers keep Redis's order: check arguments, look up
 * (creating the key when a write needs it), change the value through the {@link SetValue} type
 * API, reply, then {@code valueChanged} and the keyspace events Redis sends, in its order.
 *
 * <p>Multi-key commands (SMOVE, SINTER..., the *STORE variants) reach every key through its
 * argument index, so they work with keys on several shards: such a command runs once with all of
 * its shards held.
 */
public final class SetCommands {
    private SetCommands() {}

    static final String NUMKEYS = "ERR numkeys should be greater than 0";
    static final String TOO_MANY_KEYS = "ERR Number of keys can't be greater than number of args";
    static final String NEGATIVE_LIMIT = "ERR LIMIT can't be negative";
    static final String NOT_POSITIVE = "ERR value is out of range, must be positive";

    private static final String SCAN_COMPLEXITY = "O(1) for every call. O(N) for a complete iteration, including enough"
            + " command calls for the cursor to return back to 0. N is the number of elements inside the collection..";
    private static final String INTER_COMPLEXITY = "O(N*M) worst case where N is the cardinality of the smallest set"
            + " and M is the number of sets.";
    private static final String ALL_COMPLEXITY = "O(N) where N is the total number of elements in all given sets.";

    private enum Op { UNION, DIFF }

    private static final byte[] SREM = CommandContext.ascii("SREM");
    private static final byte[] DEL = CommandContext.ascii("DEL");

    static void register(CommandTable t) {
        t.add(new CommandSpec("sadd", -3, "write denyoom fast", 1, 1, 1, "@set", SetCommands::sadd)
                .keyFlags("RW insert")
                .doc("set", "1.0.0", "Add one or more members to a set")
                .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with"
                        + " multiple arguments."));
        t.add(new CommandSpec("srem", -3, "write fast", 1, 1, 1, "@set", SetCommands::srem)
                .keyFlags("RW delete")
                .doc("set", "1.0.0", "Remove one or more members from a set")
                .complexity("O(N) where N is the number of members to be removed."));
        t.add(new CommandSpec("sismember", 3, "readonly fast", 1, 1, 1, "@set", SetCommands::sismember)
                .keyFlags("RO")
                .doc("set", "1.0.0", "Determine if a given value is a member of a set").complexity("O(1)"));
        t.add(new CommandSpec("smismember", -3, "readonly fast", 1, 1, 1, "@set", SetCommands::smismember)
                .keyFlags("RO access")
                .doc("set", "6.2.0", "Returns the membership associated with the given elements for a set")
                .complexity("O(N) where N is the number of elements being checked for membership"));
        t.add(new CommandSpec("smembers", 2, "readonly", 1, 1, 1, "@set", c -> sinter(c, 1, -1, false, 0))
                .keyFlags("RO access").tips("nondeterministic_output_order")
                .doc("set", "1.0.0", "Get all the members in a set").complexity("O(N) where N is the set cardinality."));
        t.add(new CommandSpec("scard", 2, "readonly fast", 1, 1, 1, "@set", SetCommands::scard)
                .keyFlags("RO")
                .doc("set", "1.0.0", "Get the number of members in a set").complexity("O(1)"));
        t.add(new CommandSpec("spop", -2, "write fast", 1, 1, 1, "@set", SetCommands::spop)
                .keyFlags("RW access delete").tips("nondeterministic_output")
                .doc("set", "1.0.0", "Remove and return one or multiple random members from a set")
                .complexity("Without the count argument O(1), otherwise O(N) where N is the value of the passed count."));
        t.add(new CommandSpec("srandmember", -2, "readonly", 1, 1, 1, "@set", SetCommands::srandmember)
                .keyFlags("RO access").tips("nondeterministic_output")
                .doc("set", "1.0.0", "Get one or multiple random members from a set")
                .complexity("Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed"
                        + " count."));
        t.add(new CommandSpec("smove", 4, "write fast", 1, 2, 1, "@set", SetCommands::smove)
                .keySpecs(KeySpec.range("RW access delete", 1, 0, 1), KeySpec.range("RW insert", 2, 0, 1))
                .doc("set", "1.0.0", "Move a member from one set to another").complexity("O(1)"));
        t.add(new CommandSpec("sinter", -2, "readonly", 1, -1, 1, "@set", c -> sinter(c, 1, -1, false, 0))
                .keyFlags("RO access").tips("nondeterministic_output_order")
                .doc("set", "1.0.0", "Intersect multiple sets").complexity(INTER_COMPLEXITY));
        t.add(new CommandSpec("sintercard", -3, "readonly", 0, 0, 0, "@set", SetCommands::sintercard)
                .keys(SetCommands::sintercardKeys)
                .keySpecs(KeySpec.keynum("RO access", 1, 0, 1, 1))
                .doc("set", "7.0.0", "Intersect multiple sets and return the cardinality of the result")
                .complexity(INTER_COMPLEXITY));
        t.add(new CommandSpec("sinterstore", -3, "write denyoom", 1, -1, 1, "@set", c -> sinter(c, 2, 1, false, 0))
                .keySpecs(KeySpec.range("RW update", 1, 0, 1), KeySpec.range("RO access", 2, -1, 1))
                .doc("set", "1.0.0", "Intersect multiple sets and store the resulting set in a key")
                .complexity(INTER_COMPLEXITY));
        t.add(new CommandSpec("sunion", -2, "readonly", 1, -1, 1, "@set", c -> unionOrDiff(c, 1, -1, Op.UNION))
                .keyFlags("RO access").tips("nondeterministic_output_order")
                .doc("set", "1.0.0", "Add multiple sets").complexity(ALL_COMPLEXITY));
        t.add(new CommandSpec("sunionstore", -3, "write denyoom", 1, -1, 1, "@set", c -> unionOrDiff(c, 2, 1, Op.UNION))
                .keySpecs(KeySpec.range("OW update", 1, 0, 1), KeySpec.range("RO access", 2, -1, 1))
                .doc("set", "1.0.0", "Add multiple sets and store the resulting set in a key").complexity(ALL_COMPLEXITY));
        t.add(new CommandSpec("sdiff", -2, "readonly", 1, -1, 1, "@set", c -> unionOrDiff(c, 1, -1, Op.DIFF))
                .keyFlags("RO access").tips("nondeterministic_output_order")
                .doc("set", "1.0.0", "Subtract multiple sets").complexity(ALL_COMPLEXITY));
        t.add(new CommandSpec("sdiffstore", -3, "write denyoom", 1, -1, 1, "@set", c -> unionOrDiff(c, 2, 1, Op.DIFF))
                .keySpecs(KeySpec.range("OW update", 1, 0, 1), KeySpec.range("RO access", 2, -1, 1))
                .doc("set", "1.0.0", "Subtract multiple sets and store the resulting set in a key")
                .complexity(ALL_COMPLEXITY));
        t.add(new CommandSpec("sscan", -3, "readonly", 1, 1, 1, "@set", SetCommands::sscan)
                .keyFlags("RO access").tips("nondeterministic_output")
                .doc("set", "2.8.0", "Incrementally iterate Set elements").complexity(SCAN_COMPLEXITY));
    }

    // ---------------------------------------------------------------- helpers

    /** The set of a looked-up entry, null for none; WRONGTYPE for another type. */
    private static SetValue asSet(Object e) {
        if (e == null) return null;
        if (e instanceof ObjectEntry oe && oe.value instanceof SetValue s) return s;
        throw RedisError.wrongType();
    }

    private static long maxIntsetEntries(CommandContext c) {
        return c.node().config().setMaxIntsetEntries();
    }

    private static void replyMember(Reply r, SetValue s, int handle) { r.bulk(s.member(handle)); }

    /** Deletes the key at argument i (a *STORE destination with an empty result): "del" if it existed. */
    private static void deleteKey(CommandContext c, int i) {
        if (c.db(i).delete(c.buf(), c.off(i), c.len(i)) != null) c.notify(KeyspaceEvents.GENERIC, "del", i);
    }

    /** SINTERCARD's keys: numkeys after the name, when it is a usable count. */
    static int sintercardKeys(CommandBuffer args, int firstArg, int argc, int[] out) {
        if (argc < 3) return 0;
        long n = Numbers.parseLong(args.data(), args.offset(firstArg + 1), args.length(firstArg + 1));
        if (n < 1 || n > argc - 2) return 0;
        for (int i = 0; i < n && i < out.length; i++) out[i] = 2 + i;
        return (int) n;
    }

    // ---------------------------------------------------------------- members

    static void sadd(CommandContext c) {
        SetValue s = c.writeValue(1, SetValue.class);
        if (s == null) {
            s = new SetValue();
            c.storeValue(1, s);
        }
        long max = maxIntsetEntries(c);
        int added = 0;
        for (int i = 2; i < c.argc(); i++) if (s.add(c.buf(), c.off(i), c.len(i), max)) added++;
        c.reply().integer(added);
        if (added > 0) {
            c.valueChanged(1);
            c.notify(KeyspaceEvents.SET, "sadd", 1);
        }
    }

    static void srem(CommandContext c) {
        SetValue s = c.writeValue(1, SetValue.class);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        int removed = 0;
        for (int i = 2; i < c.argc(); i++) {
            if (s.remove(c.buf(), c.off(i), c.len(i))) {
                removed++;
                if (s.isEmpty()) break;
            }
        }
        c.reply().integer(removed);
        if (removed > 0) {
            boolean kept = c.valueChanged(1);
            c.notify(KeyspaceEvents.SET, "srem", 1);
            if (!kept) c.notify(KeyspaceEvents.GENERIC, "del", 1);
        }
    }

    /**
     * SMOVE source destination member. As Redis: a missing source answers 0 before the types are
     * checked; the same key for both answers whether the member is there; the destination is
     * touched only when the member was not in it yet.
     */
    static void smove(CommandContext c) {
        Object srcEntry = c.lookupWrite(1);
        Object dstEntry = c.lookupWrite(2);
        if (srcEntry == null) {
            c.reply().integer(0);
            return;
        }
        SetValue src = asSet(srcEntry), dst = asSet(dstEntry);
        if (src == dst) {
            c.reply().integer(src.contains(c.buf(), c.off(3), c.len(3)) ? 1 : 0);
            return;
        }
        if (!src.remove(c.buf(), c.off(3), c.len(3))) {
            c.reply().integer(0);
            return;
        }
        c.notify(KeyspaceEvents.SET, "srem", 1);
        if (!c.valueChanged(1)) c.notify(KeyspaceEvents.GENERIC, "del", 1);
        if (dst == null) {
            dst = new SetValue();
            c.storeValue(2, dst);
        }
        if (dst.add(c.buf(), c.off(3), c.len(3), maxIntsetEntries(c))) {
            c.valueChanged(2);
            c.notify(KeyspaceEvents.SET, "sadd", 2);
        }
        c.reply().integer(1);
    }

    static void sismember(CommandContext c) {
        SetValue s = c.readValue(1, SetValue.class);
        c.reply().integer(s != null && s.contains(c.buf(), c.off(2), c.len(2)) ? 1 : 0);
    }

    /** SMISMEMBER: a missing key is an empty set (zeros), but another type is WRONGTYPE. */
    static void smismember(CommandContext c) {
        SetValue s = c.readValue(1, SetValue.class);
        c.reply().arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) c.reply().integer(s != null && s.contains(c.buf(), c.off(i), c.len(i)) ? 1 : 0);
    }

    static void scard(CommandContext c) {
        SetValue s = c.readValue(1, SetValue.class);
        c.reply().integer(s == null ? 0 : s.size());
    }

    // ---------------------------------------------------------------- random members

    /** SPOP key [count]: without a count one member (or nil); with one a set reply. */
    static void spop(CommandContext c) {
        if (c.argc() > 3) throw RedisError.syntax();
        if (c.argc() == 3) {
            spopCount(c);
            return;
        }
        SetValue s = c.writeValue(1, SetValue.class);
        if (s == null) {
            c.reply().nullBulk();
            return;
        }
        int h = s.random(RandomPicks.rnd());
        byte[] member = s.member(h);
        s.removeAt(h);
        c.notify(KeyspaceEvents.SET, "spop", 1);
        // As Redis: logged as the removal of what was popped, so a replay pops the same member.
        c.propagateAs(SREM, c.arg(1), member);
        c.reply().bulk(member);
        if (!c.valueChanged(1)) c.notify(KeyspaceEvents.GENERIC, "del", 1);
    }

    /**
     * SPOP key count: the whole set (and the key deleted) when count reaches its size, else
     * count distinct random members removed. The "spop" event comes before the members go, as in
     * Redis.
     */
    private static void spopCount(CommandContext c) {
        long count = c.longArg(2, NOT_POSITIVE);
        if (count < 0) throw new RedisError(NOT_POSITIVE);
        SetValue s = c.writeValue(1, SetValue.class);
        Reply r = c.reply();
        if (s == null || count == 0) {
            r.setHeader(0);
            return;
        }
        int size = s.size();
        c.notify(KeyspaceEvents.SET, "spop", 1);
        if (count >= size) {
            r.setHeader(size);
            for (int h = s.first(); h >= 0; h = s.next(h)) replyMember(r, s, h);
            c.db(1).delete(c.buf(), c.off(1), c.len(1));
            c.notify(KeyspaceEvents.GENERIC, "del", 1);
            c.propagateAs(DEL, c.arg(1));
            return;
        }
        int[] picked = RandomPicks.distinct(s, (int) count);
        byte[][] members = new byte[picked.length][];
        for (int i = 0; i < picked.length; i++) members[i] = s.member(picked[i]);
        r.setHeader(members.length);
        byte[][] srem = new byte[members.length + 2][];
        srem[0] = SREM;
        srem[1] = c.arg(1);
        for (int i = 0; i < members.length; i++) {
            byte[] m = members[i];
            r.bulk(m);
            s.remove(m, 0, m.length); // by member: removing shifts handles
            srem[i + 2] = m;
        }
        c.valueChanged(1);
        c.propagateAs(srem);
    }

    /**
     * SRANDMEMBER key [count]. The count is checked before the key; a negative count returns
     * that many members with repetition, a positive one distinct members.
     */
    static void srandmember(CommandContext c) {
        if (c.argc() > 3) throw RedisError.syntax();
        if (c.argc() == 2) {
            SetValue s = c.readValue(1, SetValue.class);
            if (s == null) c.reply().nullBulk();
            else replyMember(c.reply(), s, s.random(RandomPicks.rnd()));
            return;
        }
        long l = c.longArg(2);
        if (l == Long.MIN_VALUE) {
            throw new RedisError("ERR value is out of range, value must between " + -Long.MAX_VALUE + " and " + Long.MAX_VALUE);
        }
        SetValue s = c.readValue(1, SetValue.class);
        Reply r = c.reply();
        if (s == null || l == 0) {
            r.emptyArray();
            return;
        }
        int size = s.size();
        if (l < 0 || l == 1) {
            long count = Math.abs(l);
            r.arrayHeader(count);
            RandomPicks.Repeating picks = new RandomPicks.Repeating(s);
            int start = r.buffer().writerIndex();
            for (long i = 0; i < count; i++) {
                replyMember(r, s, picks.next());
                if ((i & 1023) == 1023) RandomPicks.checkReplySize(c, start);
            }
            return;
        }
        if (l >= size) {
            r.arrayHeader(size);
            for (int h = s.first(); h >= 0; h = s.next(h)) replyMember(r, s, h);
            return;
        }
        int[] picked = RandomPicks.distinct(s, (int) l);
        r.arrayHeader(picked.length);
        for (int h : picked) replyMember(r, s, h);
    }

    // ---------------------------------------------------------------- set algebra

    /**
     * The sets at arguments [first, end), null for missing keys. Keys are looked up in order and
     * the first of another type answers WRONGTYPE, as Redis's loop does: a missing key before it
     * does not hide the error.
     */
    private static SetValue[] sources(CommandContext c, int first, int end) {
        SetValue[] sets = new SetValue[end - first];
        for (int i = first; i < end; i++) sets[i - first] = asSet(c.lookupRead(i));
        return sets;
    }

    /**
     * SINTER, SMEMBERS, SINTERSTORE and SINTERCARD (Redis's sinterGenericCommand) over the keys
     * from argument {@code first}. {@code dst} is the destination's argument or -1;
     * {@code cardinality} counts instead of listing, stopping at {@code limit} (0: no limit).
     */
    private static void sinter(CommandContext c, int first, int dst, boolean cardinality, long limit) {
        sinter(c, first, c.argc(), dst, cardinality, limit);
    }

    private static void sinter(CommandContext c, int first, int end, int dst, boolean cardinality, long limit) {
        SetValue[] sets = sources(c, first, end);
        Reply r = c.reply();
        for (SetValue s : sets) {
            if (s != null) continue;
            // An empty set empties the intersection.
            if (dst >= 0) {
                deleteKey(c, dst);
                r.integer(0);
            } else if (cardinality) {
                r.integer(0);
            } else {
                r.setHeader(0);
            }
            return;
        }
        sets = sets.clone();
        Arrays.sort(sets, Comparator.comparingInt(SetValue::size));
        SetValue smallest = sets[0];
        List<byte[]> out = new ArrayList<>();
        long found = 0;
        for (int h = smallest.first(); h >= 0; h = smallest.next(h)) {
            byte[] m = smallest.member(h);
            if (!inAllOthers(sets, m)) continue;
            found++;
            if (cardinality) {
                if (limit > 0 && found >= limit) break;
            } else {
                out.add(m);
            }
        }
        if (cardinality) {
            r.integer(found);
        } else if (dst < 0) {
            r.setHeader(out.size());
            for (byte[] m : out) r.bulk(m);
        } else {
            // As Redis's SINTERSTORE: a new intset that the members convert as they come.
            SetValue result = new SetValue();
            long max = maxIntsetEntries(c);
            for (byte[] m : out) result.add(m, 0, m.length, max);
            store(c, dst, result, "sinterstore");
        }
    }

    private static boolean inAllOthers(SetValue[] sets, byte[] m) {
        for (int j = 1; j < sets.length; j++) {
            if (sets[j] != sets[0] && !sets[j].contains(m)) return false;
        }
        return true;
    }

    /**
     * A *STORE destination: the result replaces the key (and its expiry, as Redis's setKey), or,
     * when empty, the key is deleted.
     */
    private static void store(CommandContext c, int dst, SetValue result, String event) {
        if (result.isEmpty()) {
            c.reply().integer(0);
            deleteKey(c, dst);
            return;
        }
        c.storeValue(dst, result);
        c.reply().integer(result.size());
        c.notify(KeyspaceEvents.SET, event, dst);
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit]. */
    static void sintercard(CommandContext c) {
        long numkeys = c.longArg(1, NUMKEYS);
        if (numkeys < 1) throw new RedisError(NUMKEYS);
        if (numkeys > c.argc() - 2) throw new RedisError(TOO_MANY_KEYS);
        long limit = 0;
        for (int i = 2 + (int) numkeys; i < c.argc(); i++) {
            if (c.is(i, "limit") && i + 1 < c.argc()) {
                limit = c.longArg(++i, NEGATIVE_LIMIT);
                if (limit < 0) throw new RedisError(NEGATIVE_LIMIT);
            } else {
                throw RedisError.syntax();
            }
        }
        sinter(c, 2, 2 + (int) numkeys, -1, true, limit);
    }

    /**
     * SUNION, SDIFF and their STORE variants (Redis's sunionDiffGenericCommand) over the keys
     * from argument {@code first}; {@code dst} is the destination's argument or -1. A missing
     * key is an empty set; SDIFF of a set minus itself is empty.
     */
    private static void unionOrDiff(CommandContext c, int first, int dst, Op op) {
        SetValue[] sets = sources(c, first, c.argc());
        // As Redis: the result starts as an intset and converts by the same rules as SADD.
        SetValue result = new SetValue();
        long max = maxIntsetEntries(c);
        if (op == Op.UNION) {
            for (SetValue s : sets) {
                if (s == null) continue;
                for (int h = s.first(); h >= 0; h = s.next(h)) {
                    byte[] m = s.member(h);
                    result.add(m, 0, m.length, max);
                }
            }
        } else if (sets[0] != null) {
            SetValue base = sets[0];
            for (int h = base.first(); h >= 0; h = base.next(h)) {
                byte[] m = base.member(h);
                boolean elsewhere = false;
                for (int j = 1; j < sets.length && !elsewhere; j++) {
                    elsewhere = sets[j] != null && (sets[j] == base || sets[j].contains(m));
                }
                if (!elsewhere) result.add(m, 0, m.length, max);
            }
        }
        Reply r = c.reply();
        if (dst < 0) {
            r.setHeader(result.size());
            for (int h = result.first(); h >= 0; h = result.next(h)) replyMember(r, result, h);
            return;
        }
        store(c, dst, result, op == Op.UNION ? "sunionstore" : "sdiffstore");
    }

    /** SSCAN key cursor [MATCH pattern] [COUNT count]. */
    static void sscan(CommandContext c) {
        long cursor = ScanCursor.parse(c.buf(), c.off(2), c.len(2));
        SetValue s = c.readValue(1, SetValue.class);
        if (s == null) {
            ElementScan.replyEmpty(c);
            return;
        }
        ElementScan scan = ElementScan.parse(c, 3);
        List<byte[]> found = new ArrayList<>();
        long next = s.scan(cursor, scan.count, h -> {
            byte[] m = s.member(h);
            if (scan.matches(m, 0, m.length)) found.add(m);
        });
        Reply r = c.reply();
        r.arrayHeader(2);
        r.bulk(Long.toUnsignedString(next));
        r.arrayHeader(found.size());
        for (byte[] m : found) r.bulk(m);
    }
}
