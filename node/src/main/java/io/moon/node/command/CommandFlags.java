package io.moon.node.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Command flags with Redis's names (server.h CMD_*; COMMAND INFO prints them), plus the
 * routing flags Moon needs. Declared in rows as a space-separated string.
 */
public final class CommandFlags {
    private CommandFlags() {}

    public static final long WRITE = 1L;
    public static final long READONLY = 1L << 1;
    public static final long DENYOOM = 1L << 2;
    public static final long MODULE = 1L << 3;
    public static final long ADMIN = 1L << 4;
    public static final long PUBSUB = 1L << 5;
    public static final long NOSCRIPT = 1L << 6;
    public static final long BLOCKING = 1L << 8;
    public static final long LOADING = 1L << 9;
    public static final long STALE = 1L << 10;
    public static final long SKIP_MONITOR = 1L << 11;
    public static final long SKIP_SLOWLOG = 1L << 12;
    public static final long ASKING = 1L << 13;
    public static final long FAST = 1L << 14;
    public static final long NO_AUTH = 1L << 15;
    public static final long MAY_REPLICATE = 1L << 16;
    public static final long SENTINEL = 1L << 17;
    public static final long ONLY_SENTINEL = 1L << 18;
    public static final long NO_MANDATORY_KEYS = 1L << 19;
    public static final long PROTECTED = 1L << 20;
    public static final long MODULE_GETKEYS = 1L << 21;
    public static final long MODULE_NO_CLUSTER = 1L << 22;
    public static final long NO_ASYNC_LOADING = 1L << 23;
    public static final long NO_MULTI = 1L << 24;
    public static final long MOVABLE_KEYS = 1L << 25;
    public static final long ALLOW_BUSY = 1L << 26;

    /** Moon: runs on the client's own loop with its connection (no keys, no shard data). */
    public static final long CONNECTION = 1L << 40;
    /** Moon: runs once with every shard held (FLUSHALL, DBSIZE, KEYS...). */
    public static final long ALL_SHARDS = 1L << 41;
    /** Moon: runs at once even inside MULTI (MULTI, EXEC, DISCARD, WATCH, QUIT, RESET). */
    public static final long NOT_QUEUED = 1L << 42;
    /** Moon: EXEC, routed to the shards of the queued commands' keys. */
    public static final long EXEC = 1L << 43;
    /** Moon: the reply is pushes (subscription confirmations), sent even under CLIENT REPLY OFF. */
    public static final long PUSH_REPLY = 1L << 44;
    /**
     * Moon: a multi-key write whose effect on each key is independent of the others (MSET, DEL):
     * logged as one command per shard holding that shard's keys.
     */
    public static final long SPLIT_BY_KEY = 1L << 45;
    /**
     * Moon: runs on the node's script thread (it uses a Lua state), holding the shards of its
     * keys and the client's own (EVAL, FCALL, SCRIPT LOAD, FUNCTION LOAD...).
     */
    public static final long SCRIPT = 1L << 46;
    /**
     * Moon: waits on something outside the node (MIGRATE on its target), so it runs off the shard
     * loops: on the script thread, holding the shards of its keys as a script does.
     */
    public static final long OFF_LOOP = 1L << 47;

    private static final String[] NAMES = new String[64];

    static {
        String[] n = {"write", "readonly", "denyoom", "module", "admin", "pubsub", "noscript", null,
            "blocking", "loading", "stale", "skip_monitor", "skip_slowlog", "asking", "fast", "no_auth",
            "may_replicate", "sentinel", "only_sentinel", "no_mandatory_keys", "protected",
            "module_getkeys", "module_no_cluster", "no_async_loading", "no_multi", "movablekeys",
            "allow_busy"};
        System.arraycopy(n, 0, NAMES, 0, n.length);
        NAMES[40] = "connection";
        NAMES[41] = "all_shards";
        NAMES[42] = "not_queued";
        NAMES[43] = "exec";
        NAMES[44] = "push_reply";
        NAMES[45] = "split_by_key";
        NAMES[46] = "script";
        NAMES[47] = "off_loop";
    }

    public static long parse(String flags) {
        long f = 0;
        for (String s : flags.trim().split("\\s+")) {
            if (s.isEmpty()) continue;
            int i = indexOf(s.toLowerCase(Locale.ROOT));
            if (i < 0) throw new IllegalArgumentException("unknown command flag: " + s);
            f |= 1L << i;
        }
        return f;
    }

    private static int indexOf(String name) {
        for (int i = 0; i < NAMES.length; i++) if (name.equals(NAMES[i])) return i;
        return -1;
    }

    /** Redis's flag names for COMMAND INFO (Moon's routing flags left out). */
    public static List<String> redisNames(long flags) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) if ((flags & (1L << i)) != 0 && NAMES[i] != null) out.add(NAMES[i]);
        return out;
    }
}
