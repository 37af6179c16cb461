package io.moon.node.command;

import io.moon.node.config.ServerConfig;
import io.moon.node.store.AccessClock;
import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import io.moon.node.store.EvictionPolicy;
import io.moon.node.store.ObjectEntry;
import io.moon.node.store.TypedValue;

/**
 * OBJECT ENCODING|FREQ|IDLETIME|REFCOUNT|HELP (Redis's object.c objectCommand). A string entry
 * is reported with the encoding Redis would give its value (int, embstr, raw), read from the
 * bytes since Moon stores every string the same way.
 */
final class ObjectCommand {
    private ObjectCommand() {}

    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
    static final int EMBSTR_SIZE_LIMIT = 44;
    /** Redis's OBJ_SHARED_INTEGERS: 0..9999 are shared objects. */
    static final long SHARED_INTEGERS = 10000;
    /** Redis's OBJ_SHARED_REFCOUNT, what REFCOUNT reports for a shared object. */
    static final long SHARED_REFCOUNT = Integer.MAX_VALUE;

    static final String LFU_NOT_SELECTED = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
            + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    static final String LFU_SELECTED = "ERR An LFU maxmemory policy is selected, idle time not tracked. "
            + "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

    private static final String[] HELP = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    };

    static void register(CommandTable t) {
        t.add(new CommandSpec("object", -2, "", 0, 0, 0, "", null)
                .doc("generic", "2.2.3", "A container for object introspection commands.")
                .sub(new CommandSpec("encoding", 3, "readonly", 2, 2, 1, "@keyspace", ObjectCommand::encoding)
                        .keyFlags("RO").tips("nondeterministic_output")
                        .doc("generic", "2.2.3", "Returns the internal encoding of a Redis object."))
                .sub(new CommandSpec("freq", 3, "readonly", 2, 2, 1, "@keyspace", ObjectCommand::freq)
                        .keyFlags("RO").tips("nondeterministic_output")
                        .doc("generic", "4.0.0", "Returns the logarithmic access frequency counter of a Redis object."))
                .sub(new CommandSpec("idletime", 3, "readonly", 2, 2, 1, "@keyspace", ObjectCommand::idletime)
                        .keyFlags("RO").tips("nondeterministic_output")
                        .doc("generic", "2.2.3", "Returns the time since the last access to a Redis object."))
                .sub(new CommandSpec("refcount", 3, "readonly", 2, 2, 1, "@keyspace", ObjectCommand::refcount)
                        .keyFlags("RO").tips("nondeterministic_output")
                        .doc("generic", "2.2.3", "Returns the reference count of a value of a key."))
                .sub(new CommandSpec("help", 2, "loading stale", 0, 0, 0, "@keyspace", ObjectCommand::help)
                        .doc("generic", "6.2.0", "Returns helpful text about the different subcommands.")));
    }

    /** Redis's objectCommandLookupOrReply: the entry, or null after answering a null reply. */
    private static Object lookup(CommandContext c) {
        Object e = c.db().lookupReadNoTouch(c.buf(), c.off(2), c.len(2));
        if (e == null) c.reply().nullBulk();
        return e;
    }

    static void encoding(CommandContext c) {
        Object e = lookup(c);
        if (e == null) return;
        c.reply().bulk(e instanceof byte[] b ? stringEncoding(b) : ((TypedValue) ((ObjectEntry) e).value).encodingName());
    }

    /** Redis's tryObjectEncoding outcome: int when the text is a 64-bit integer, then by length. */
    static String stringEncoding(byte[] e) {
        int vo = Entries.valueOffset(e), vl = e.length - vo;
        if (integerValue(e, vo, vl)) return "int";
        return vl <= EMBSTR_SIZE_LIMIT ? "embstr" : "raw";
    }

    private static boolean integerValue(byte[] e, int vo, int vl) {
        return vl <= 20 && (Numbers.parseLong(e, vo, vl) != Numbers.NOT_A_NUMBER || Numbers.isLong(e, vo, vl));
    }

    /**
     * Integers 0..9999 are Redis's shared objects (refcount INT_MAX) unless an LRU or LFU policy
     * under maxmemory needs a clock per key; every other value has one reference.
     */
    static void refcount(CommandContext c) {
        Object e = lookup(c);
        if (e == null) return;
        long refs = 1;
        if (e instanceof byte[] b) {
            int vo = Entries.valueOffset(b), vl = b.length - vo;
            if (integerValue(b, vo, vl)) {
                long v = Numbers.parseLong(b, vo, vl);
                if (v >= 0 && v < SHARED_INTEGERS && sharedIntegers(c.node().config())) refs = SHARED_REFCOUNT;
            }
        }
        c.reply().integer(refs);
    }

    private static boolean sharedIntegers(ServerConfig config) {
        EvictionPolicy p = config.policy();
        boolean perKeyClock = p.lfu() || p == EvictionPolicy.ALLKEYS_LRU || p == EvictionPolicy.VOLATILE_LRU;
        return config.maxmemory() == 0 || !perKeyClock;
    }

    static void idletime(CommandContext c) {
        Object e = lookup(c);
        if (e == null) return;
        if (c.shard().keyspace().lfuPolicy()) throw new RedisError(LFU_SELECTED);
        c.reply().integer(AccessClock.idleSeconds(clockOf(c), c.now()));
    }

    static void freq(CommandContext c) {
        Object e = lookup(c);
        if (e == null) return;
        if (!c.shard().keyspace().lfuPolicy()) throw new RedisError(LFU_NOT_SELECTED);
        c.reply().integer(AccessClock.lfuDecayed(clockOf(c), c.now(), c.shard().keyspace().lfuDecayTime()));
    }

    private static int clockOf(CommandContext c) {
        Db db = c.db();
        return db.clockOf(c.buf(), c.off(2), c.len(2));
    }

    static void help(CommandContext c) {
        c.reply().arrayHeader(HELP.length);
        for (String line : HELP) c.reply().simple(line);
    }
}
