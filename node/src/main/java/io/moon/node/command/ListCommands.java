package io.moon.node.command;

import io.moon.node.command.CommandContext.TimeoutReply;
import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.ListValue;
import java.nio.charset.StandardCharsets;

/**
 * The list family (Redis's t_list.c). Handlers keep Redis's order: parse the arguments that Redis
 * parses first, look the key up, check its type, change, reply, then notify. A list that becomes
 * empty is deleted ({@link CommandContext#valueChanged}) with a "del" event after the pop event,
 * as listElementsRemoved does.
 *
 * <h2>Blocking</h2>
 * BLPOP, BRPOP, BLMPOP, BLMOVE and BRPOPLPUSH pop at once when a key has elements; otherwise
 * they block ({@link CommandContext#block}) and the node runs them again when a key is signalled
 * ready. Such a re-run serves the client as Redis's serveClientsBlockedOnListKey does: a key that
 * holds something other than a list is passed over (the client stays blocked) instead of
 * answering WRONGTYPE; only BLMOVE's destination of the wrong type is an error, as in Redis 7.0.
 * Inside MULTI/EXEC a blocking command that finds nothing answers its timeout reply at once.
 */
public final class ListCommands {
    private ListCommands() {}

    static final String RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second"
            + " ... or use negative to start from the end of the list";
    static final String COUNT_NEGATIVE = "ERR COUNT can't be negative";
    static final String MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
    static final String NUMKEYS = "ERR numkeys should be greater than 0";
    static final String MPOP_COUNT = "ERR count should be greater than 0";
    static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";

    private static final String PUSH_COMPLEXITY = "O(1) for each element added, so O(N) to add N elements when the"
            + " command is called with multiple arguments.";
    private static final String MPOP_COMPLEXITY = "O(N+M) where N is the number of provided keys and M is the number"
            + " of elements returned.";

    static void register(CommandTable t) {
        t.add(new CommandSpec("lpush", -3, "write denyoom fast", 1, 1, 1, "@list", c -> push(c, true, false))
                .keyFlags("RW insert")
                .doc("list", "1.0.0", "Prepend one or multiple elements to a list").complexity(PUSH_COMPLEXITY));
        t.add(new CommandSpec("rpush", -3, "write denyoom fast", 1, 1, 1, "@list", c -> push(c, false, false))
                .keyFlags("RW insert")
                .doc("list", "1.0.0", "Append one or multiple elements to a list").complexity(PUSH_COMPLEXITY));
        t.add(new CommandSpec("lpushx", -3, "write denyoom fast", 1, 1, 1, "@list", c -> push(c, true, true))
                .keyFlags("RW insert")
                .doc("list", "2.2.0", "Prepend an element to a list, only if the list exists").complexity(PUSH_COMPLEXITY));
        t.add(new CommandSpec("rpushx", -3, "write denyoom fast", 1, 1, 1, "@list", c -> push(c, false, true))
                .keyFlags("RW insert")
                .doc("list", "2.2.0", "Append an element to a list, only if the list exists").complexity(PUSH_COMPLEXITY));
        t.add(new CommandSpec("lpop", -2, "write fast", 1, 1, 1, "@list", c -> pop(c, true))
                .keyFlags("RW access delete")
                .doc("list", "1.0.0", "Remove and get the first elements in a list")
                .complexity("O(N) where N is the number of elements returned"));
        t.add(new CommandSpec("rpop", -2, "write fast", 1, 1, 1, "@list", c -> pop(c, false))
                .keyFlags("RW access delete")
                .doc("list", "1.0.0", "Remove and get the last elements in a list")
                .complexity("O(N) where N is the number of elements returned"));
        t.add(new CommandSpec("llen", 2, "readonly fast", 1, 1, 1, "@list", ListCommands::llen)
                .keyFlags("RO")
                .doc("list", "1.0.0", "Get the length of a list").complexity("O(1)"));
        t.add(new CommandSpec("lindex", 3, "readonly", 1, 1, 1, "@list", ListCommands::lindex)
                .keyFlags("RO access")
                .doc("list", "1.0.0", "Get an element from a list by its index")
                .complexity("O(N) where N is the number of elements to traverse to get to the element at index. This"
                        + " makes asking for the first or the last element of the list O(1)."));
        t.add(new CommandSpec("lset", 4, "write denyoom", 1, 1, 1, "@list", ListCommands::lset)
                .keyFlags("RW update")
                .doc("list", "1.0.0", "Set the value of an element in a list by its index")
                .complexity("O(N) where N is the length of the list. Setting either the first or the last element of"
                        + " the list is O(1)."));
        t.add(new CommandSpec("lrange", 4, "readonly", 1, 1, 1, "@list", ListCommands::lrange)
                .keyFlags("RO access")
                .doc("list", "1.0.0", "Get a range of elements from a list")
                .complexity("O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest"
                        + " end (HEAD or TAIL) for large lists; and N is the number of elements in the specified"
                        + " range."));
        t.add(new CommandSpec("ltrim", 4, "write", 1, 1, 1, "@list", ListCommands::ltrim)
                .keyFlags("RW delete")
                .doc("list", "1.0.0", "Trim a list to the specified range")
                .complexity("O(N) where N is the number of elements to be removed by the operation."));
        t.add(new CommandSpec("lrem", 4, "write", 1, 1, 1, "@list", ListCommands::lrem)
                .keyFlags("RW delete")
                .doc("list", "1.0.0", "Remove elements from a list")
                .complexity("O(N+M) where N is the length of the list and M is the number of elements removed."));
        t.add(new CommandSpec("linsert", 5, "write denyoom", 1, 1, 1, "@list", ListCommands::linsert)
                .keyFlags("RW insert")
                .doc("list", "2.2.0", "Insert an element before or after another element in a list")
                .complexity("O(N) where N is the number of elements to traverse before seeing the value pivot. This"
                        + " means that inserting somewhere on the left end on the list (head) can be considered O(1)"
                        + " and inserting somewhere on the right end (tail) is O(N)."));
        t.add(new CommandSpec("lpos", -3, "readonly", 1, 1, 1, "@list", ListCommands::lpos)
                .keyFlags("RO access")
                .doc("list", "6.0.6", "Return the index of matching elements on a list")
                .complexity("O(N) where N is the number of elements in the list, for the average case. When searching"
                        + " for elements near the head or the tail of the list, or when the MAXLEN option is"
                        + " provided, the command may run in constant time."));
        t.add(new CommandSpec("lmove", 5, "write denyoom", 1, 2, 1, "@list", ListCommands::lmove)
                .keySpecs(KeySpec.range("RW access delete", 1, 0, 1), KeySpec.range("RW insert", 2, 0, 1))
                .doc("list", "6.2.0", "Pop an element from a list, push it to another list and return it")
                .complexity("O(1)"));
        t.add(new CommandSpec("rpoplpush", 3, "write denyoom", 1, 2, 1, "@list", ListCommands::rpoplpush)
                .keySpecs(KeySpec.range("RW access delete", 1, 0, 1), KeySpec.range("RW insert", 2, 0, 1))
                .doc("list", "1.2.0", "Remove the last element in a list, prepend it to another list and return it")
                .complexity("O(1)"));
        t.add(new CommandSpec("lmpop", -4, "write", 0, 0, 0, "@list", c -> mpop(c, 1, false))
                .keys(KeyFinder.numkeys(1))
                .keySpecs(KeySpec.keynum("RW access delete", 1, 0, 1, 1))
                .doc("list", "7.0.0", "Pop elements from a list").complexity(MPOP_COMPLEXITY));
        t.add(new CommandSpec("blpop", -3, "write noscript blocking", 1, -2, 1, "@list", c -> bpop(c, true))
                .keySpecs(KeySpec.range("RW access delete", 1, -2, 1))
                .doc("list", "2.0.0", "Remove and get the first element in a list, or block until one is available")
                .complexity("O(N) where N is the number of provided keys."));
        t.add(new CommandSpec("brpop", -3, "write noscript blocking", 1, -2, 1, "@list", c -> bpop(c, false))
                .keySpecs(KeySpec.range("RW access delete", 1, -2, 1))
                .doc("list", "2.0.0", "Remove and get the last element in a list, or block until one is available")
                .complexity("O(N) where N is the number of provided keys."));
        t.add(new CommandSpec("blmove", 6, "write denyoom noscript blocking", 1, 2, 1, "@list", ListCommands::blmove)
                .keySpecs(KeySpec.range("RW access delete", 1, 0, 1), KeySpec.range("RW insert", 2, 0, 1))
                .doc("list", "6.2.0", "Pop an element from a list, push it to another list and return it; or block"
                        + " until one is available").complexity("O(1)"));
        t.add(new CommandSpec("brpoplpush", 4, "write denyoom noscript blocking", 1, 2, 1, "@list",
                ListCommands::brpoplpush)
                .keySpecs(KeySpec.range("RW access delete", 1, 0, 1), KeySpec.range("RW insert", 2, 0, 1))
                .doc("list", "2.2.0", "Pop an element from a list, push it to another list and return it; or block"
                        + " until one is available").complexity("O(1)"));
        t.add(new CommandSpec("blmpop", -5, "write blocking", 0, 0, 0, "@list", c -> mpop(c, 2, true))
                .keys(KeyFinder.numkeys(2))
                .keySpecs(KeySpec.keynum("RW access delete", 2, 0, 1, 1))
                .doc("list", "7.0.0", "Pop elements from a list, or block until one is available")
                .complexity(MPOP_COMPLEXITY));
    }

    // ---------------------------------------------------------------- helpers

    /** A new empty list with the node limit configured now (Redis's createQuicklistObject). */
    private static ListValue newList(CommandContext c) {
        return new ListValue(c.node().config().listMaxListpackSize());
    }

    private static void replyElement(CommandContext c, ListValue.Cursor e) {
        if (e.isInt()) c.reply().bulkLong(e.intValue());
        else c.reply().bulk(e.buf(), e.off(), e.len());
    }

    /**
     * Redis's getRangeLongFromObjectOrReply with a message: a non-integer and a value out of
     * [min, max] both answer {@code error}.
     */
    private static long rangeArg(CommandContext c, int i, long min, long max, String error) {
        long v = c.longArg(i, error);
        if (v < min || v > max) throw new RedisError(error);
        return v;
    }

    /**
     * Redis's index rules for LRANGE and LTRIM: negative indexes count from the tail, then the
     * range is clamped to the list. {start, end} inside the list, or null when it is empty.
     */
    private static long[] clampRange(long start, long end, long len) {
        if (start < 0) start += len;
        if (end < 0) end += len;
        if (start < 0) start = 0;
        if (start > end || start >= len) return null;
        return new long[] {start, Math.min(end, len - 1)};
    }

    /** LEFT or RIGHT (true for LEFT, the head), or a syntax error. */
    private static boolean side(CommandContext c, int i) {
        if (c.is(i, "left")) return true;
        if (c.is(i, "right")) return false;
        throw RedisError.syntax();
    }

    /**
     * Redis's listElementsRemoved: the pop event, then the key goes (with a "del" event) when the
     * list is empty; the change is counted either way.
     */
    private static void elementsRemoved(CommandContext c, int keyArg, boolean head) {
        c.notify(KeyspaceEvents.LIST, head ? "lpop" : "rpop", keyArg);
        if (!c.valueChanged(keyArg)) c.notify(KeyspaceEvents.GENERIC, "del", keyArg);
    }

    /**
     * Pops up to {@code count} elements from one end into an array reply, each as it comes (from
     * the tail, the last element first), as Redis's addListRangeReply plus listTypeDelRange.
     */
    private static void popRange(CommandContext c, ListValue l, boolean head, long count) {
        long n = Math.min(count, l.size());
        c.reply().arrayHeader(n);
        ListValue.Cursor e = l.cursor(head ? 0 : l.size() - 1, head);
        for (long k = 0; k < n && e.next(); k++) replyElement(c, e);
        l.removeEnd(head, n);
    }

    /**
     * The list at key argument i for a blocking pop, or null when it has nothing to give. While a
     * blocked client is being served, a key of another type is passed over (Redis 7.0 serves list
     * waiters only from lists); otherwise it is WRONGTYPE.
     */
    private static ListValue blockingSource(CommandContext c, int i) {
        if (c.serving() == null) return c.writeValue(i, ListValue.class);
        Object e = c.lookupWrite(i);
        return e instanceof io.moon.node.store.ObjectEntry oe && oe.value instanceof ListValue l ? l : null;
    }

    // ---------------------------------------------------------------- push

    /** LPUSH, RPUSH, and with {@code onlyIfExists} LPUSHX and RPUSHX. */
    static void push(CommandContext c, boolean head, boolean onlyIfExists) {
        ListValue l = c.writeValue(1, ListValue.class);
        if (l == null) {
            if (onlyIfExists) {
                c.reply().integer(0);
                return;
            }
            l = newList(c);
            for (int i = 2; i < c.argc(); i++) l.push(head, c.buf(), c.off(i), c.len(i));
            l.trimToSize();
            c.storeValue(1, l); // a new key: clients blocked on it are served after this command
        } else {
            for (int i = 2; i < c.argc(); i++) l.push(head, c.buf(), c.off(i), c.len(i));
            c.valueChanged(1);
        }
        c.reply().integer(l.size());
        c.notify(KeyspaceEvents.LIST, head ? "lpush" : "rpush", 1);
    }

    // ---------------------------------------------------------------- pop

    /** LPOP and RPOP, with the optional count (then the reply is an array). */
    static void pop(CommandContext c, boolean head) {
        if (c.argc() > 3) throw RedisError.arity(c.spec().fullName());
        boolean hasCount = c.argc() == 3;
        long count = hasCount ? rangeArg(c, 2, 0, Long.MAX_VALUE, MUST_BE_POSITIVE) : 0;
        ListValue l = c.writeValue(1, ListValue.class);
        if (l == null) {
            if (hasCount) c.reply().nullArray();
            else c.reply().nullBulk();
            return;
        }
        if (hasCount && count == 0) {
            c.reply().emptyArray();
            return;
        }
        if (!hasCount) {
            c.reply().bulk(l.pop(head));
            elementsRemoved(c, 1, head);
            return;
        }
        popRange(c, l, head, count);
        elementsRemoved(c, 1, head);
    }

    /**
     * LMPOP numkeys key... LEFT|RIGHT [COUNT n] and BLMPOP timeout numkeys ... ({@code numkeysArg}
     * is 1 or 2): the first non-empty list gives up to n elements, answered as [key, [elements]].
     */
    static void mpop(CommandContext c, int numkeysArg, boolean blocking) {
        long numkeys = rangeArg(c, numkeysArg, 1, Long.MAX_VALUE, NUMKEYS);
        if (numkeys > c.argc() - numkeysArg - 2) throw RedisError.syntax(); // no room for LEFT|RIGHT
        long whereArg = numkeysArg + numkeys + 1;
        boolean head = side(c, (int) whereArg);
        long count = -1;
        for (int j = (int) whereArg + 1; j < c.argc(); j++) {
            if (count == -1 && c.is(j, "count") && j + 1 < c.argc()) {
                count = rangeArg(c, ++j, 1, Long.MAX_VALUE, MPOP_COUNT);
            } else {
                throw RedisError.syntax();
            }
        }
        if (count == -1) count = 1;
        int firstKey = numkeysArg + 1, lastKey = (int) (numkeysArg + numkeys);
        if (blocking) {
            long timeoutMs = BlockingTimeout.seconds(c, 1);
            if (!popFirstNonEmpty(c, firstKey, lastKey, head, count)) block(c, timeoutMs, firstKey, lastKey);
        } else if (!popFirstNonEmpty(c, firstKey, lastKey, head, count)) {
            c.reply().nullArray();
        }
    }

    /**
     * Pops from the first key in [firstKey, lastKey] that holds elements; count -1 answers
     * [key, element] (BLPOP), otherwise [key, [elements]] (LMPOP). False when all are empty.
     */
    private static boolean popFirstNonEmpty(CommandContext c, int firstKey, int lastKey, boolean head, long count) {
        for (int k = firstKey; k <= lastKey; k++) {
            ListValue l = blockingSource(c, k);
            if (l == null || l.isEmpty()) continue;
            c.reply().arrayHeader(2);
            c.reply().bulk(c.buf(), c.off(k), c.len(k));
            long popped = count == -1 ? 1 : Math.min(count, l.size());
            if (count == -1) c.reply().bulk(l.pop(head));
            else popRange(c, l, head, count);
            elementsRemoved(c, k, head);
            // Logged as Redis propagates it: the plain pop of the key that gave.
            if (count == -1) logAs(c, head ? "LPOP" : "RPOP", c.arg(k));
            else logAs(c, head ? "LPOP" : "RPOP", c.arg(k), Long.toString(popped).getBytes(StandardCharsets.US_ASCII));
            return true;
        }
        return false;
    }

    /**
     * Logs (and will replicate) {@code argv} instead of the command, as Redis's
     * rewriteClientCommandVector, on the shard of its key (args[0]): a client served from one of
     * its keys must not replay as a pop of whichever key has elements at replay time, and a move
     * between shards replays as a pop on one and a push on the other. Calls add up.
     */
    private static void logAs(CommandContext c, String name, byte[]... args) {
        if (c.node().persistence() == null) return;
        byte[][] argv = new byte[args.length + 1][];
        argv[0] = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(args, 0, argv, 1, args.length);
        c.propagateAs(argv);
    }

    /** Blocks on keys [firstKey, lastKey] when allowed; inside MULTI answers the timeout reply now. */
    private static void block(CommandContext c, long timeoutMs, int firstKey, int lastKey) {
        if (!c.mayBlock()) {
            c.reply().nullArray();
            return;
        }
        int[] keys = new int[lastKey - firstKey + 1];
        for (int k = 0; k < keys.length; k++) keys[k] = firstKey + k;
        c.block(timeoutMs, TimeoutReply.NULL_ARRAY, keys);
    }

    /** BLPOP and BRPOP key... timeout. */
    static void bpop(CommandContext c, boolean head) {
        long timeoutMs = BlockingTimeout.seconds(c, c.argc() - 1);
        if (!popFirstNonEmpty(c, 1, c.argc() - 2, head, -1)) block(c, timeoutMs, 1, c.argc() - 2);
    }

    // ---------------------------------------------------------------- move

    static void lmove(CommandContext c) {
        boolean from = side(c, 3), to = side(c, 4);
        move(c, from, to);
    }

    static void rpoplpush(CommandContext c) { move(c, false, true); }

    /**
     * Redis's lmoveGenericCommand: nil when the source is missing; WRONGTYPE for either key;
     * otherwise the element goes from one end of the source to one end of the destination (which
     * may be the same list), with the push event before the pop event, as Redis sends them.
     */
    private static boolean move(CommandContext c, boolean fromHead, boolean toHead) {
        ListValue src = c.serving() == null ? c.writeValue(1, ListValue.class) : blockingSource(c, 1);
        if (src == null) {
            if (c.serving() == null) c.reply().nullBulk();
            return false;
        }
        ListValue dst = c.writeValue(2, ListValue.class);
        byte[] value = src.pop(fromHead);
        boolean same = dst == src;
        if (dst == null) {
            dst = newList(c);
            dst.push(toHead, value);
            dst.trimToSize();
            c.storeValue(2, dst);
        } else {
            dst.push(toHead, value);
            if (!same) c.valueChanged(2);
        }
        c.notify(KeyspaceEvents.LIST, toHead ? "lpush" : "rpush", 2);
        c.reply().bulk(value);
        elementsRemoved(c, 1, fromHead);
        if (c.multiShard() && c.shardOfKey(1) != c.shardOfKey(2)) {
            logAs(c, fromHead ? "LPOP" : "RPOP", c.arg(1));
            logAs(c, toHead ? "LPUSH" : "RPUSH", c.arg(2), value);
        } else if (c.spec().is(CommandFlags.BLOCKING)) {
            if (c.argc() == 4) logAs(c, "RPOPLPUSH", c.arg(1), c.arg(2));
            else logAs(c, "LMOVE", c.arg(1), c.arg(2), c.arg(3), c.arg(4));
        }
        return true;
    }

    /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
    static void blmove(CommandContext c) {
        boolean from = side(c, 3), to = side(c, 4);
        long timeoutMs = BlockingTimeout.seconds(c, 5);
        blockingMove(c, from, to, timeoutMs);
    }

    /** BRPOPLPUSH source destination timeout. */
    static void brpoplpush(CommandContext c) {
        long timeoutMs = BlockingTimeout.seconds(c, 3);
        blockingMove(c, false, true, timeoutMs);
    }

    private static void blockingMove(CommandContext c, boolean from, boolean to, long timeoutMs) {
        if (c.serving() == null) {
            // As Redis: the source's type is checked before anything else.
            if (c.writeValue(1, ListValue.class) != null) {
                move(c, from, to);
                return;
            }
            if (!c.mayBlock()) {
                c.reply().nullBulk();
                return;
            }
            c.block(timeoutMs, TimeoutReply.NULL_BULK, 1);
            return;
        }
        if (!move(c, from, to)) c.block(timeoutMs, TimeoutReply.NULL_BULK, 1);
    }

    // ---------------------------------------------------------------- read

    static void llen(CommandContext c) {
        ListValue l = c.readValue(1, ListValue.class);
        c.reply().integer(l == null ? 0 : l.size());
    }

    static void lindex(CommandContext c) {
        ListValue l = c.readValue(1, ListValue.class);
        if (l == null) {
            c.reply().nullBulk();
            return;
        }
        long index = c.longArg(2);
        ListValue.Cursor e = l.cursor(0, true);
        if (l.get(index, e)) replyElement(c, e);
        else c.reply().nullBulk();
    }

    static void lrange(CommandContext c) {
        long start = c.longArg(2), end = c.longArg(3);
        ListValue l = c.readValue(1, ListValue.class);
        if (l == null) {
            c.reply().emptyArray();
            return;
        }
        long[] range = clampRange(start, end, l.size());
        if (range == null) {
            c.reply().emptyArray();
            return;
        }
        long n = range[1] - range[0] + 1;
        c.reply().arrayHeader(n);
        ListValue.Cursor e = l.cursor(range[0], true);
        for (long k = 0; k < n && e.next(); k++) replyElement(c, e);
    }

    /**
     * LPOS key element [RANK rank] [COUNT num] [MAXLEN len]: index of the rank-th match (from
     * the tail for a negative rank), or with COUNT an array of up to num matches (0 = all).
     */
    static void lpos(CommandContext c) {
        long rank = 1, count = -1, maxlen = 0;
        for (int j = 3; j < c.argc(); j++) {
            boolean more = j + 1 < c.argc();
            if (c.is(j, "rank") && more) {
                rank = c.longArg(++j);
                if (rank == 0) throw new RedisError(RANK_ZERO);
            } else if (c.is(j, "count") && more) {
                count = rangeArg(c, ++j, 0, Long.MAX_VALUE, COUNT_NEGATIVE);
            } else if (c.is(j, "maxlen") && more) {
                maxlen = rangeArg(c, ++j, 0, Long.MAX_VALUE, MAXLEN_NEGATIVE);
            } else {
                throw RedisError.syntax();
            }
        }
        boolean forward = true;
        if (rank < 0) {
            rank = -rank; // Long.MIN_VALUE stays negative: every match then counts, as in Redis
            forward = false;
        }
        ListValue l = c.readValue(1, ListValue.class);
        if (l == null) {
            if (count != -1) c.reply().emptyArray();
            else c.reply().nullBulk();
            return;
        }
        ListValue.Needle needle = new ListValue.Needle(c.buf(), c.off(2), c.len(2));
        ListValue.Cursor e = l.cursor(forward ? 0 : l.size() - 1, forward);
        long scanned = 0, matches = 0, found = 0;
        long[] hits = count != -1 ? new long[(int) Math.min(count == 0 ? 16 : count, 1024)] : null;
        long first = -1;
        while ((maxlen == 0 || scanned < maxlen) && e.next()) {
            scanned++;
            if (!e.matches(needle)) continue;
            matches++;
            if (matches < rank) continue;
            if (hits == null) {
                first = e.index();
                break;
            }
            if (found == hits.length) hits = java.util.Arrays.copyOf(hits, hits.length * 2);
            hits[(int) found++] = e.index();
            if (count != 0 && found >= count) break;
        }
        if (hits == null) {
            if (first >= 0) c.reply().integer(first);
            else c.reply().nullBulk();
            return;
        }
        c.reply().arrayHeader(found);
        for (int k = 0; k < found; k++) c.reply().integer(hits[k]);
    }

    // ---------------------------------------------------------------- change in place

    static void lset(CommandContext c) {
        ListValue l = c.writeValue(1, ListValue.class);
        if (l == null) throw new RedisError(RedisError.NO_SUCH_KEY);
        long index = c.longArg(2);
        ListValue.Cursor e = l.cursor(0, true);
        if (!l.get(index, e)) throw new RedisError(RedisError.OUT_OF_RANGE);
        e.replace(c.buf(), c.off(3), c.len(3));
        c.reply().ok();
        c.valueChanged(1);
        c.notify(KeyspaceEvents.LIST, "lset", 1);
    }

    /** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key. */
    static void linsert(CommandContext c) {
        boolean after;
        if (c.is(2, "after")) after = true;
        else if (c.is(2, "before")) after = false;
        else throw RedisError.syntax();
        ListValue l = c.writeValue(1, ListValue.class);
        if (l == null) {
            c.reply().integer(0);
            return;
        }
        ListValue.Needle pivot = new ListValue.Needle(c.buf(), c.off(3), c.len(3));
        ListValue.Cursor e = l.cursor(0, true);
        while (e.next()) {
            if (e.matches(pivot)) {
                e.insert(after, c.buf(), c.off(4), c.len(4));
                c.valueChanged(1);
                c.notify(KeyspaceEvents.LIST, "linsert", 1);
                c.reply().integer(l.size());
                return;
            }
        }
        c.reply().integer(-1);
    }

    /** LREM key count element: from the head (count > 0), the tail (count < 0), or all (0). */
    static void lrem(CommandContext c) {
        long count = c.longArg(2);
        ListValue l = c.writeValue(1, ListValue.class);
        if (l == null) {
            c.reply().integer(0);
            return;
        }
        ListValue.Needle needle = new ListValue.Needle(c.buf(), c.off(3), c.len(3));
        // -Long.MIN_VALUE does not exist; it removes as many as a limit can, which is all of them.
        long limit = count == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(count);
        long removed = l.remove(needle, limit, count < 0);
        if (removed > 0) {
            boolean kept = c.valueChanged(1);
            c.notify(KeyspaceEvents.LIST, "lrem", 1);
            if (!kept) c.notify(KeyspaceEvents.GENERIC, "del", 1);
        }
        c.reply().integer(removed);
    }

    /** LTRIM key start stop: keeps the range (the key goes when the range is empty). */
    static void ltrim(CommandContext c) {
        long start = c.longArg(2), end = c.longArg(3);
        ListValue l = c.writeValue(1, ListValue.class);
        if (l == null) {
            c.reply().ok();
            return;
        }
        long[] range = clampRange(start, end, l.size());
        if (range == null) l.removeEnd(true, l.size());
        else l.trim(range[0], range[1]);
        c.notify(KeyspaceEvents.LIST, "ltrim", 1);
        if (!c.valueChanged(1)) c.notify(KeyspaceEvents.GENERIC, "del", 1);
        c.reply().ok();
    }
}
