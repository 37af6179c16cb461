package io.moon.node.command;

import io.moon.node.persist.KeyEffects;
import io.moon.node.protocol.CommandBuffer;
import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.ListValue;
import io.moon.node.store.ObjectEntry;
import io.moon.node.store.SetValue;
import io.moon.node.store.SortedSetValue;
import io.moon.node.store.TypedValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO (Redis's sort.c): the elements of a list, set or sorted set, sorted by their
 * own value or by keys a BY pattern names, numerically or ALPHA, ASC or DESC, a LIMIT window,
 * GET patterns instead of the elements, and STORE into a list.
 *
 * <p>Routing: the key and the STORE destination are the row's keys (a {@link KeyFinder} reading
 * the options as the handler does). A BY or GET pattern with a '*' names keys only known while
 * the command runs, so such a SORT runs with every shard held and reads each key on its shard
 * (Redis Cluster refuses these patterns; a Moon node has them all). A SORT ... STORE with such a
 * pattern is logged as the destination's end state ({@link KeyEffects}), since replaying it on
 * the destination's shard alone could not read the other shards' keys.
 *
 * <p>ALPHA compares bytes (C's strcmp/memcmp order, Redis's order under the C locale); Redis
 * without STORE uses strcoll, which differs only under another LC_COLLATE.
 */
final class SortCommands {
    private SortCommands() {}

    static final String BAD_DOUBLE = "ERR One or more scores can't be converted into double";

    private static final String COMPLEXITY = "O(N+M*log(M)) where N is the number of elements in the list or set to"
            + " sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";
    private static final String BY_GET_NOTES = "For the optional BY/GET keyword. It is marked 'unknown' because the key"
            + " names derive from the content of the key we sort";
    private static final String STORE_NOTES = "For the optional STORE keyword. It is marked 'unknown' because the"
            + " keyword can appear anywhere in the argument array";

    static void register(CommandTable t) {
        t.add(new CommandSpec("sort", -2, "write denyoom", 1, 1, 1, "@set @sortedset @list @dangerous", c -> sort(c, false))
                .keys((args, fa, argc, out) -> keys(args, fa, argc, out, false))
                .allShardsWhen(SortPattern::readsOtherKeys)
                .keySpecs(KeySpec.range("RO access", 1, 0, 1), KeySpec.unknown("RO access", BY_GET_NOTES),
                        KeySpec.unknown("OW update", STORE_NOTES))
                .doc("generic", "1.0.0", "Sort the elements in a list, set or sorted set").complexity(COMPLEXITY));
        t.add(new CommandSpec("sort_ro", -2, "readonly", 1, 1, 1, "@set @sortedset @list @dangerous", c -> sort(c, true))
                .keys((args, fa, argc, out) -> keys(args, fa, argc, out, true))
                .allShardsWhen(SortPattern::readsOtherKeys)
                .keySpecs(KeySpec.range("RO access", 1, 0, 1), KeySpec.unknown("RO access", BY_GET_NOTES))
                .doc("generic", "7.0.0", "Sort the elements in a list, set or sorted set. Read-only variant of SORT.")
                .complexity(COMPLEXITY));
    }

    /**
     * The key and the STORE destination, read as the handler reads the options, so that routing
     * holds the shard of the destination SORT really writes (the last STORE). Stops where the
     * handler would answer a syntax error.
     */
    private static int keys(CommandBuffer args, int fa, int argc, int[] out, boolean readonly) {
        if (argc < 2) return 0;
        int store = -1;
        byte[] b = args.data();
        for (int j = 2; j < argc; j++) {
            int left = argc - j - 1, o = args.offset(fa + j), n = args.length(fa + j);
            if (word(b, o, n, "asc") || word(b, o, n, "desc") || word(b, o, n, "alpha")) continue;
            if (word(b, o, n, "limit") && left >= 2) j += 2;
            else if (!readonly && word(b, o, n, "store") && left >= 1) store = ++j;
            else if ((word(b, o, n, "by") || word(b, o, n, "get")) && left >= 1) j++;
            else break;
        }
        if (out.length > 0) out[0] = 1;
        if (store < 0) return 1;
        if (out.length > 1) out[1] = store;
        return 2;
    }

    private static boolean word(byte[] b, int off, int len, String lower) { return SortPattern.isWord(b, off, len, lower); }

    /** One element to sort: the element, and what it sorts by (Redis's redisSortObject). */
    private static final class Item {
        final byte[] element;
        double score;
        /** ALPHA with BY: the value the pattern read, or null (sorts first). */
        byte[] by;

        Item(byte[] element) { this.element = element; }
    }

    /** sortCommandGeneric. */
    static void sort(CommandContext c, boolean readonly) {
        boolean desc = false, alpha = false, dontSort = false;
        long limitStart = 0, limitCount = -1;
        SortPattern by = null;
        int store = -1;
        List<SortPattern> gets = new ArrayList<>();
        for (int j = 2; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            if (c.is(j, "asc")) {
                desc = false;
            } else if (c.is(j, "desc")) {
                desc = true;
            } else if (c.is(j, "alpha")) {
                alpha = true;
            } else if (c.is(j, "limit") && left >= 2) {
                limitStart = c.longArg(j + 1);
                limitCount = c.longArg(j + 2);
                j += 2;
            } else if (!readonly && c.is(j, "store") && left >= 1) {
                store = ++j;
            } else if (c.is(j, "by") && left >= 1) {
                by = new SortPattern(c.arg(++j));
                // A constant BY means "do not sort" (BY nosort); it stays so even if a later BY has a '*'.
                if (!by.readsKeys()) dontSort = true;
            } else if (c.is(j, "get") && left >= 1) {
                gets.add(new SortPattern(c.arg(++j)));
            } else {
                throw RedisError.syntax();
            }
        }

        Object e = c.lookupRead(1);
        TypedValue source = null;
        if (e != null) {
            if (!(e instanceof ObjectEntry oe)
                    || !(oe.value instanceof ListValue || oe.value instanceof SetValue || oe.value instanceof SortedSetValue)) {
                throw RedisError.wrongType();
            }
            source = (TypedValue) oe.value;
        }
        // A set in no order would be stored (or seen by a script) in whatever order its table has:
        // sort it by value so the result does not depend on the replica or the run.
        if (dontSort && source instanceof SetValue && (store >= 0 || inScript(c))) {
            dontSort = false;
            alpha = true;
            by = null;
        }

        long length = source == null ? 0 : source instanceof ListValue l ? l.size()
                : source instanceof SetValue s ? s.size() : ((SortedSetValue) source).size();
        long start = Math.min(Math.max(limitStart, 0), length);
        long count = Math.min(Math.max(limitCount, -1), length);
        long end = count < 0 ? length - 1 : start + count - 1;
        if (start >= length) {
            start = length - 1;
            end = length - 2;
        }
        if (end >= length) end = length - 1;

        List<Item> items;
        boolean ordered = source == null || source instanceof ListValue || source instanceof SortedSetValue;
        if (dontSort && ordered) {
            // Native order: only the window is read, and the output starts at its first element.
            items = window(source, start, end, desc);
            end -= start;
            start = 0;
        } else {
            items = all(source);
        }

        if (!dontSort) {
            boolean badScore = false;
            for (Item it : items) {
                byte[] value;
                if (by != null) {
                    value = by.lookup(c, it.element);
                    if (value == null) continue;
                } else {
                    value = it.element;
                }
                if (alpha) {
                    if (by != null) it.by = value;
                } else {
                    it.score = Strtod.cString(value, 0, value.length);
                    if (Double.isNaN(it.score)) badScore = true;
                }
            }
            // Redis checks after looking every element up (lookups count as key hits and misses).
            if (badScore) throw new RedisError(BAD_DOUBLE);
            Comparator<Item> order = alpha
                    ? (by != null ? SortCommands::compareBy : (x, y) -> Arrays.compareUnsigned(x.element, y.element))
                    : SortCommands::compareScores;
            items.sort(desc ? order.reversed() : order);
        }

        long outputLength = (gets.isEmpty() ? 1 : gets.size()) * (end - start + 1);
        if (store < 0) {
            reply(c, items, start, end, gets, outputLength);
        } else {
            store(c, items, start, end, gets, outputLength, store, by != null && by.readsKeys() || readsKeys(gets));
        }
    }

    private static boolean inScript(CommandContext c) {
        var scripts = c.node().scriptThread();
        return scripts != null && scripts.inThread() && c.node().scripting().inScript();
    }

    private static boolean readsKeys(List<SortPattern> gets) {
        for (SortPattern p : gets) if (p.readsKeys()) return true;
        return false;
    }

    /** Numeric order; equal scores by the elements' bytes, so the result is deterministic. */
    private static int compareScores(Item x, Item y) {
        if (x.score > y.score) return 1;
        if (x.score < y.score) return -1;
        return Arrays.compareUnsigned(x.element, y.element);
    }

    /** ALPHA BY: by the values read, a missing one first. */
    private static int compareBy(Item x, Item y) {
        if (x.by == null || y.by == null) return x.by == y.by ? 0 : x.by == null ? -1 : 1;
        return Arrays.compareUnsigned(x.by, y.by);
    }

    /** Elements start..end of a list or sorted set in their own order (from the tail when desc). */
    private static List<Item> window(TypedValue source, long start, long end, boolean desc) {
        List<Item> out = new ArrayList<>((int) Math.max(0, Math.min(end - start + 1, 1 << 16)));
        if (source == null || end < start) return out;
        if (source instanceof ListValue l) {
            ListValue.Cursor cur = l.cursor(desc ? l.size() - start - 1 : start, !desc);
            for (long n = end - start + 1; n > 0 && cur.next(); n--) out.add(new Item(cur.bytes()));
        } else {
            ((SortedSetValue) source).range(start, end, desc,
                    (b, off, len, score) -> out.add(new Item(Arrays.copyOfRange(b, off, off + len))));
        }
        return out;
    }

    private static List<Item> all(TypedValue source) {
        List<Item> out = new ArrayList<>();
        switch (source) {
            case null -> { }
            case ListValue l -> {
                ListValue.Cursor cur = l.cursor(0, true);
                while (cur.next()) out.add(new Item(cur.bytes()));
            }
            case SetValue s -> {
                for (int h = s.first(); h >= 0; h = s.next(h)) out.add(new Item(s.member(h)));
            }
            case SortedSetValue z -> z.forEach((b, off, len, score) -> out.add(new Item(Arrays.copyOfRange(b, off, off + len))));
            default -> throw new IllegalStateException("not sortable: " + source.typeName());
        }
        return out;
    }

    private static void reply(CommandContext c, List<Item> items, long start, long end, List<SortPattern> gets,
                              long outputLength) {
        var r = c.reply();
        r.arrayHeader(Math.max(0, outputLength));
        for (long j = start; j <= end; j++) {
            byte[] element = items.get((int) j).element;
            if (gets.isEmpty()) r.bulk(element);
            for (SortPattern g : gets) {
                byte[] v = g.lookup(c, element);
                if (v == null) r.nullBulk();
                else r.bulk(v);
            }
        }
    }

    private static void store(CommandContext c, List<Item> items, long start, long end, List<SortPattern> gets,
                              long outputLength, int dest, boolean patterns) {
        ListValue list = new ListValue(c.node().config().listMaxListpackSize());
        for (long j = start; j <= end; j++) {
            byte[] element = items.get((int) j).element;
            if (gets.isEmpty()) list.push(false, element);
            for (SortPattern g : gets) {
                byte[] v = g.lookup(c, element);
                list.push(false, v == null ? new byte[0] : v);
            }
        }
        boolean changed = false;
        if (outputLength > 0) {
            c.storeValue(dest, list);
            c.notify(KeyspaceEvents.LIST, "sortstore", dest);
            changed = true;
        } else if (c.db(dest).delete(c.buf(), c.off(dest), c.len(dest)) != null) {
            c.notify(KeyspaceEvents.GENERIC, "del", dest);
            changed = true;
        }
        if (changed && patterns) {
            byte[] key = c.arg(dest);
            List<byte[][]> effect = KeyEffects.recreate(c.db(dest), key);
            for (int i = 0; i < effect.size(); i++) {
                if (i == 0) c.propagateAs(effect.get(i));
                else c.alsoPropagate(effect.get(i));
            }
        }
        c.reply().integer(Math.max(0, outputLength));
    }
}
