package io.moon.node.command;

import io.moon.node.config.ServerConfig;
import io.moon.node.persist.ValueCodec;
import io.moon.node.persist.rdb.DumpPayload;
import io.moon.node.persist.rdb.RdbFormatException;
import io.moon.node.persist.rdb.RdbValue;
import io.moon.node.persist.rdb.RdbWriteOptions;
import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.AccessClock;
import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import io.moon.node.store.ObjectEntry;
import io.moon.node.store.TypedValue;

/**
 * DUMP and RESTORE (Redis's cluster.c dumpCommand, restoreCommand): a value as Redis's DUMP
 * payload (RDB value encoding, RDB version 10, CRC-64; {@link DumpPayload}) and back, through the
 * generic RDB form of every type ({@link ValueCodec}), so a payload moves between Moon and Redis
 * 7.0 both ways.
 *
 * <p>DUMP writes each value in the encoding Redis 7.0 would hold it in: a compact value (listpack
 * hash or sorted set, intset) as listpack or intset whatever the settings say now, a large one
 * (OBJECT ENCODING hashtable, skiplist) in the plain RDB form even when it is small, as Redis
 * dumps the encoding a value has rather than the one it would get anew.
 *
 * <p>RESTORE with a relative TTL is logged with the absolute expiry it got and ABSTTL, as Redis
 * propagates it, so that replaying the log later gives the key the same expiry.
 */
final class DumpRestoreCommands {
    private DumpRestoreCommands() {}

    static final String BUSYKEY = "BUSYKEY Target key name already exists.";
    static final String BAD_TTL = "ERR Invalid TTL value, must be >= 0";
    static final String BAD_IDLETIME = "ERR Invalid IDLETIME value, must be >= 0";
    static final String BAD_FREQ = "ERR Invalid FREQ value, must be >= 0 and <= 255";

    private static final byte[] ABSTTL = CommandContext.ascii("ABSTTL");
    private static final byte[] DEL = CommandContext.ascii("DEL");

    static void register(CommandTable t) {
        t.add(new CommandSpec("dump", 2, "readonly", 1, 1, 1, "@keyspace", DumpRestoreCommands::dump)
                .keyFlags("RO access").tips("nondeterministic_output")
                .doc("generic", "2.6.0", "Return a serialized version of the value stored at the specified key.")
                .complexity("O(1) to access the key and additional O(N*M) to serialize it, where N is the number of"
                        + " Redis objects composing the value and M their average size."));
        t.add(new CommandSpec("restore", -4, "write denyoom", 1, 1, 1, "@keyspace @dangerous", DumpRestoreCommands::restore)
                .keyFlags("OW update")
                .doc("generic", "2.6.0", "Create a key using the provided serialized value, previously obtained using DUMP.")
                .complexity("O(1) to create the new key and additional O(N*M) to reconstruct the serialized value."));
    }

    // ---------------------------------------------------------------- DUMP

    static void dump(CommandContext c) {
        Object e = c.lookupRead(1);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().bulk(payload(c.node().config(), e));
    }

    /** The DUMP payload of a keyspace entry under the node's settings (MIGRATE sends the same). */
    static byte[] payload(ServerConfig config, Object entry) {
        RdbValue value;
        try {
            value = ValueCodec.toRdb(entry);
        } catch (IllegalStateException noForm) {
            throw new RedisError("ERR DUMP of this type is not supported yet: " + noForm.getMessage());
        }
        return DumpPayload.create(value, optionsFor(config, entry));
    }

    /**
     * The write options that make the payload carry the entry's own encoding: its compact form
     * whatever the limits are now, its large form even when it would fit the limits (Redis never
     * converts a hashtable or skiplist back by itself). Lists and streams follow the settings.
     */
    static RdbWriteOptions optionsFor(ServerConfig config, Object entry) {
        int collectionLimit = RdbWriteOptions.DEFAULTS.hashMaxListpackEntries();
        int valueLimit = RdbWriteOptions.DEFAULTS.hashMaxListpackValue();
        if (entry instanceof ObjectEntry oe && oe.value instanceof TypedValue v) {
            switch (v.encodingName()) {
                case "listpack", "intset" -> {
                    collectionLimit = Integer.MAX_VALUE;
                    valueLimit = Integer.MAX_VALUE;
                }
                case "hashtable", "skiplist" -> {
                    collectionLimit = 0;
                    valueLimit = 0;
                }
                default -> { }
            }
        }
        RdbWriteOptions d = RdbWriteOptions.DEFAULTS;
        return new RdbWriteOptions(config.getBool("rdbcompression"), clampInt(config.listMaxListpackSize()),
                d.listPackedThreshold(), collectionLimit, valueLimit, collectionLimit, valueLimit, collectionLimit,
                clampInt(config.getLong("stream-node-max-bytes")), clampInt(config.getLong("stream-node-max-entries")));
    }

    private static int clampInt(long v) { return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v)); }

    // ---------------------------------------------------------------- RESTORE

    /** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]. */
    static void restore(CommandContext c) {
        boolean replace = false, absttl = false;
        long idle = -1, freq = -1;
        for (int j = 4; j < c.argc(); j++) {
            int additional = c.argc() - j - 1;
            if (c.is(j, "replace")) {
                replace = true;
            } else if (c.is(j, "absttl")) {
                absttl = true;
            } else if (c.is(j, "idletime") && additional >= 1 && freq == -1) {
                idle = c.longArg(++j);
                if (idle < 0) throw new RedisError(BAD_IDLETIME);
            } else if (c.is(j, "freq") && additional >= 1 && idle == -1) {
                freq = c.longArg(++j);
                if (freq < 0 || freq > 255) throw new RedisError(BAD_FREQ);
            } else {
                throw RedisError.syntax();
            }
        }
        Db db = c.db(1);
        if (!replace && c.lookupWrite(1) != null) throw new RedisError(BUSYKEY);
        long ttl = c.longArg(2);
        if (ttl < 0) throw new RedisError(BAD_TTL);
        byte[] payload = c.arg(3);
        if (!DumpPayload.verify(payload)) throw new RedisError(DumpPayload.ERR_VERSION_OR_CHECKSUM);
        Object entry;
        long now = c.now();
        // Redis adds the clock to a relative TTL as a C long long: a huge one wraps negative and
        // counts as already expired.
        long expireAt = ttl != 0 && !absttl ? ttl + now : ttl;
        try {
            RdbValue value = DumpPayload.read(payload);
            entry = ValueCodec.toEntry(c.arg(1), value, expireAt == 0 ? Entries.NO_EXPIRE : expireAt);
        } catch (RdbFormatException | IllegalStateException | IllegalArgumentException bad) {
            throw new RedisError(DumpPayload.ERR_BAD_DATA_FORMAT);
        }

        boolean deleted = replace && db.delete(c.buf(), c.off(1), c.len(1)) != null;
        if (expireAt != 0 && expireAt <= now) {
            // Expired on arrival: nothing is created; a replaced key is simply gone.
            if (deleted) {
                c.propagateAs(DEL, c.arg(1));
                c.notify(KeyspaceEvents.GENERIC, "del", 1);
            }
            c.reply().ok();
            return;
        }
        int clock = clockFor(c, idle, freq);
        if (clock >= 0) db.set(entry, clock);
        else db.set(entry);
        if (expireAt != 0 && !absttl) c.propagateAs(withAbsoluteTtl(c, expireAt));
        c.notify(KeyspaceEvents.GENERIC, "restore", 1);
        c.reply().ok();
    }

    /**
     * The access clock IDLETIME or FREQ asks for (Redis's objectSetLRUOrLFU), or -1 to let the key
     * get a fresh one: FREQ counts under an LFU policy, IDLETIME under any other, and the one that
     * does not apply is ignored.
     */
    private static int clockFor(CommandContext c, long idle, long freq) {
        long now = c.now();
        if (c.node().config().policy().lfu()) {
            if (freq < 0) return -1;
            return (AccessClock.lfuNew(now) & ~0xff) | (int) freq;
        }
        if (idle < 0) return -1;
        long lruNow = AccessClock.lru(now);
        long at = lruNow - idle * 1000 / 1000; // seconds at Redis's 1000 ms LRU resolution
        // Idle longer than the 24-bit clock reaches back: half a turn away stays idle a long while.
        if (at < 0) at = (lruNow + AccessClock.LRU_MAX / 2) % AccessClock.LRU_MAX;
        return (int) (at & AccessClock.LRU_MAX); // the 24 bits Redis's lru field keeps
    }

    /** The command as Redis rewrites it: argument 2 the absolute expiry, ABSTTL appended. */
    private static byte[][] withAbsoluteTtl(CommandContext c, long expireAt) {
        byte[][] argv = new byte[c.argc() + 1][];
        for (int i = 0; i < c.argc(); i++) argv[i] = i == 2 ? CommandContext.ascii(Long.toString(expireAt)) : c.arg(i);
        argv[c.argc()] = ABSTTL;
        return argv;
    }
}
