package io.moon.node.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One key specification of a command, as Redis 7 describes keys (commands/*.json "key_specs",
 * server.h {@code keySpec}): where the search for keys begins (an argument index, or the
 * argument after a keyword), how keys are found from there (a range, or a count argument), and
 * what the command does to those keys (flags such as {@code RW access update}).
 *
 * <p>COMMAND INFO prints the specs; COMMAND GETKEYS and GETKEYSANDFLAGS find keys with them
 * ({@link #find}), as Redis's getKeysUsingKeySpecs. Routing does not read them: it uses the
 * row's first/last/step positions or its {@link KeyFinder}.
 */
public final class KeySpec {
    /** Key-spec flags with Redis's names, in Redis's order (addReplyFlagsForKeyArgs). */
    static final String[] FLAG_NAMES = {"RO", "RW", "OW", "RM", "access", "update", "insert", "delete",
        "not_key", "incomplete", "variable_flags"};
    static final int NOT_KEY = 1 << 8;
    static final int INCOMPLETE = 1 << 9;
    static final int VARIABLE_FLAGS = 1 << 10;

    public enum BeginSearch { INDEX, KEYWORD, UNKNOWN }

    public enum FindKeys { RANGE, KEYNUM, UNKNOWN }

    public final int flags;
    public final String notes;
    public final BeginSearch beginSearch;
    /** INDEX: the argument position; KEYWORD: where the keyword search starts (negative: from the end). */
    public final int index;
    public final String keyword;
    public final FindKeys findKeys;
    /** RANGE: last key relative to the first (negative: from the end), step, limit. */
    public final int lastKey, keyStep, limit;
    /** KEYNUM: position of the count argument and of the first key, both relative to the begin. */
    public final int keyNumIndex, firstKey;
    /** For a spec flagged variable_flags: the actual flags of its keys given the arguments. */
    public final java.util.function.Function<String[], String> resolver;

    private KeySpec(int flags, String notes, BeginSearch bs, int index, String keyword, FindKeys fk, int lastKey,
                    int keyStep, int limit, int keyNumIndex, int firstKey,
                    java.util.function.Function<String[], String> resolver) {
        this.flags = flags;
        this.notes = notes;
        this.beginSearch = bs;
        this.index = index;
        this.keyword = keyword;
        this.findKeys = fk;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.limit = limit;
        this.keyNumIndex = keyNumIndex;
        this.firstKey = firstKey;
        this.resolver = resolver;
    }

    /** Keys from argument {@code index}: {@code lastKey} relative to it (-1: to the end), every {@code step}. */
    public static KeySpec range(String flags, int index, int lastKey, int step) {
        return new KeySpec(parseFlags(flags), null, BeginSearch.INDEX, index, null, FindKeys.RANGE, lastKey, step, 0, 0, 0, null);
    }

    /** Keys counted by the argument at {@code index + keyNumIndex}, the first at {@code index + firstKey}. */
    public static KeySpec keynum(String flags, int index, int keyNumIndex, int firstKey, int step) {
        return new KeySpec(parseFlags(flags), null, BeginSearch.INDEX, index, null, FindKeys.KEYNUM, 0, step, 0,
                keyNumIndex, firstKey, null);
    }

    /** Keys after {@code keyword}, searched from {@code startFrom}: a range relative to the keyword. */
    public static KeySpec keywordRange(String flags, String keyword, int startFrom, int lastKey, int step, int limit) {
        return new KeySpec(parseFlags(flags), null, BeginSearch.KEYWORD, startFrom, keyword, FindKeys.RANGE, lastKey,
                step, limit, 0, 0, null);
    }

    /** Keys after {@code keyword}, counted by an argument relative to it. */
    public static KeySpec keywordKeynum(String flags, String keyword, int startFrom, int keyNumIndex, int firstKey, int step) {
        return new KeySpec(parseFlags(flags), null, BeginSearch.KEYWORD, startFrom, keyword, FindKeys.KEYNUM, 0, step, 0,
                keyNumIndex, firstKey, null);
    }

    /** A spec Redis cannot describe statically (SORT's BY/GET patterns, MIGRATE's KEYS). */
    public static KeySpec unknown(String flags, String notes) {
        return new KeySpec(parseFlags(flags), notes, BeginSearch.UNKNOWN, 0, null, FindKeys.UNKNOWN, 0, 0, 0, 0, 0, null);
    }

    public KeySpec withNotes(String text) {
        return new KeySpec(flags, text, beginSearch, index, keyword, findKeys, lastKey, keyStep, limit, keyNumIndex, firstKey,
                resolver);
    }

    /**
     * How to tell a variable_flags spec's real flags from the arguments (Redis's getkeys_proc
     * for such commands, e.g. SET's GET option turns OW into RW access).
     */
    public KeySpec resolvedBy(java.util.function.Function<String[], String> flagsOf) {
        return new KeySpec(flags, notes, beginSearch, index, keyword, findKeys, lastKey, keyStep, limit, keyNumIndex, firstKey,
                flagsOf);
    }

    /** The spec matching a row's legacy first/last/step positions. */
    static KeySpec fromLegacy(String flags, int first, int last, int step) {
        return range(flags, first, last < 0 ? last : last - first, step);
    }

    static int parseFlags(String flags) {
        int f = 0;
        for (String s : flags.trim().split("\\s+")) {
            if (s.isEmpty()) continue;
            int i = indexOf(s);
            if (i < 0) throw new IllegalArgumentException("unknown key-spec flag: " + s);
            f |= 1 << i;
        }
        return f;
    }

    private static int indexOf(String name) {
        for (int i = 0; i < FLAG_NAMES.length; i++) if (FLAG_NAMES[i].equalsIgnoreCase(name)) return i;
        return -1;
    }

    public List<String> flagNames() { return flagNames(flags); }

    static List<String> flagNames(int flags) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < FLAG_NAMES.length; i++) if ((flags & (1 << i)) != 0) out.add(FLAG_NAMES[i]);
        return out;
    }

    /** A key found by {@link #find}: its argument position and the flags of the spec that found it. */
    public record KeyRef(int position, int flags) {}

    /**
     * Redis's getKeysUsingKeySpecs over {@code args} (index 0 = command name), with variable
     * flags resolved by the spec's resolver. Returns the keys,
     * or null when a spec cannot be applied (unknown spec, bad count, positions out of range),
     * unless {@code partial}, which skips such specs instead.
     */
    static List<KeyRef> find(List<KeySpec> specs, String[] args, int arity, boolean partial) {
        int argc = args.length;
        List<KeyRef> out = new ArrayList<>();
        for (KeySpec s : specs) {
            if ((s.flags & NOT_KEY) != 0) continue;
            int first = begin(s, args);
            if (first < 0) {
                if (partial) continue;
                return null;
            }
            if (first == 0) continue; // keyword absent: no keys from this spec
            int last, step;
            if (s.findKeys == FindKeys.RANGE) {
                step = s.keyStep;
                if (s.lastKey >= 0) last = first + s.lastKey;
                else if (s.limit == 0) last = argc + s.lastKey;
                else last = first + ((argc - first) / s.limit + s.lastKey);
            } else if (s.findKeys == FindKeys.KEYNUM) {
                step = s.keyStep;
                int at = first + s.keyNumIndex;
                long n = at < argc ? parseCount(args[at]) : -1;
                if (n < 0 || n > Integer.MAX_VALUE) {
                    if (partial) continue;
                    return null;
                }
                first += s.firstKey;
                last = first + (int) n - 1;
            } else {
                if (partial) continue;
                return null;
            }
            if (last >= argc || last < first || first >= argc) {
                if (last == first - 1 && s.findKeys == FindKeys.KEYNUM) continue; // numkeys 0
                if (partial) continue;
                return null;
            }
            int keyFlags = s.resolver == null ? s.flags : parseFlags(s.resolver.apply(args));
            for (int i = first; i <= last; i += Math.max(1, step)) {
                if (i >= argc) {
                    if (arity < 0) continue;
                    break;
                }
                out.add(new KeyRef(i, keyFlags));
            }
            if ((s.flags & INCOMPLETE) != 0 && !partial) return null;
        }
        return out;
    }

    /** First argument after the begin search; 0 when a keyword is absent; -1 for an unknown spec. */
    private static int begin(KeySpec s, String[] args) {
        int argc = args.length;
        if (s.beginSearch == BeginSearch.INDEX) return s.index;
        if (s.beginSearch == BeginSearch.UNKNOWN) return -1;
        int start = s.index > 0 ? s.index : argc + s.index;
        int end = s.index > 0 ? argc - 1 : 1;
        String kw = s.keyword.toLowerCase(Locale.ROOT);
        // As Redis: the end index itself is never looked at (a keyword there has no key after it).
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
            if (i >= argc || i < 1) break;
            if (args[i].toLowerCase(Locale.ROOT).equals(kw)) return i + 1;
        }
        return 0;
    }

    private static long parseCount(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
