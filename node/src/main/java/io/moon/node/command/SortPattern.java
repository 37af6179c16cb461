package io.moon.node.command;

import io.moon.node.cluster.KeySlot;
import io.moon.node.protocol.CommandBuffer;
import io.moon.node.server.Shard;
import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import io.moon.node.store.HashValue;
import io.moon.node.store.ObjectEntry;
import java.util.Arrays;

/**
 * SORT's BY and GET patterns (Redis's sort.c lookupKeyByPattern): {@code #} is the element
 * itself; otherwise the first {@code *} takes the element, and a {@code ->field} after it reads
 * that field of a hash instead of a string. A pattern without {@code *} reads nothing. Patterns
 * are C strings in Redis: the search for {@code *} and {@code ->} stops at a NUL byte.
 *
 * <p>The keys a pattern names may live on any shard: a SORT with such a pattern runs with every
 * shard held ({@link #readsOtherKeys}) and reads each key on its own shard.
 */
final class SortPattern {
    private final byte[] pattern;
    /** Where the '*' is, or -1 when the pattern reads no key (no '*', or it is "#"). */
    private final int star;
    private final boolean self;
    /** The hash field after "->", or null for a string lookup. */
    private final byte[] field;
    /** Bytes of the pattern after the '*' that are part of the key name. */
    private final int suffixEnd;

    SortPattern(byte[] pattern) {
        this.pattern = pattern;
        int cLength = cLength(pattern);
        this.self = cLength == 1 && pattern[0] == '#';
        int s = -1;
        if (!self) for (int i = 0; i < cLength && s < 0; i++) if (pattern[i] == '*') s = i;
        this.star = s;
        int arrow = s < 0 ? -1 : indexOfArrow(pattern, s + 1, cLength);
        // An arrow with nothing after it is part of the key name, as Redis reads it.
        if (arrow >= 0 && arrow + 2 < cLength) {
            field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
            suffixEnd = arrow;
        } else {
            field = null;
            suffixEnd = pattern.length;
        }
    }

    /** True when the pattern may read a key ("*" in it): the keys are then known only when SORT runs. */
    boolean readsKeys() { return star >= 0; }

    /**
     * The value the pattern names for {@code element}: the element for "#", the string or hash
     * field read, or null when there is none (no '*', a missing key or field, another type).
     */
    byte[] lookup(CommandContext c, byte[] element) {
        if (self) return element;
        if (star < 0) return null;
        byte[] key = new byte[star + element.length + (suffixEnd - star - 1)];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, suffixEnd - star - 1);
        Object e = dbOf(c, key).lookupRead(key, 0, key.length);
        if (e == null) return null;
        if (field == null) return e instanceof byte[] b ? Entries.value(b) : null;
        if (!(e instanceof ObjectEntry oe) || !(oe.value instanceof HashValue h)) return null;
        int at = h.find(field, 0, field.length);
        if (at < 0) return null;
        int off = h.valueOff(at);
        return Arrays.copyOfRange(h.valueBuf(at), off, off + h.valueLen(at));
    }

    /** The database holding {@code key}: its own shard's, which the command holds. */
    private static Db dbOf(CommandContext c, byte[] key) {
        if (!c.multiShard()) return c.db();
        Shard s = c.node().shardOfSlot(KeySlot.slot(key));
        for (Shard h : c.held()) {
            if (h == s) return s.keyspace().db(c.dbIndex());
        }
        // Routing holds every shard for a SORT with a pattern; failing loudly beats reading a
        // shard another thread owns.
        throw new RedisError("ERR SORT pattern key '" + new String(key, java.nio.charset.StandardCharsets.UTF_8)
                + "' lives on a shard this command does not hold");
    }

    /**
     * The routing test of the SORT rows: true when a BY or GET argument has a '*', so the command
     * may read keys on any shard and must run with every shard held. Every argument after a BY or
     * GET word counts, even one that is another option's value ("STORE by BY w_*"): holding too
     * many shards is only slower, too few would be wrong.
     */
    static boolean readsOtherKeys(CommandBuffer args, int fa, int argc) {
        byte[] b = args.data();
        for (int j = 2; j + 1 < argc; j++) {
            int o = args.offset(fa + j), n = args.length(fa + j);
            if (isWord(b, o, n, "by") || isWord(b, o, n, "get")) {
                int po = args.offset(fa + j + 1), pn = args.length(fa + j + 1);
                for (int k = po; k < po + pn && b[k] != 0; k++) if (b[k] == '*') return true;
            }
        }
        return false;
    }

    /** Case-insensitive compare with an ASCII word given in lower case. */
    static boolean isWord(byte[] b, int off, int len, String lower) {
        if (len != lower.length()) return false;
        for (int i = 0; i < len; i++) if ((b[off + i] | 0x20) != lower.charAt(i)) return false;
        return true;
    }

    /** Length up to the first NUL: what C's string functions see of the pattern. */
    private static int cLength(byte[] b) {
        for (int i = 0; i < b.length; i++) if (b[i] == 0) return i;
        return b.length;
    }

    private static int indexOfArrow(byte[] b, int from, int end) {
        for (int i = from; i + 1 < end; i++) if (b[i] == '-' && b[i + 1] == '>') return i;
        return -1;
    }
}
