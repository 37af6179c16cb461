package io.moon.node.script;

import io.moon.node.command.RedisError;
import io.moon.node.protocol.ArgSplitter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Script flags (script.c scripts_flags_def) and the EVAL shebang that declares them
 * ({@code #!lua flags=no-writes,allow-oom}, eval.c evalExtractShebangFlags). A script without a
 * shebang runs in EVAL's backward-compatible mode, where flags are not checked.
 */
final class ScriptFlags {
    private ScriptFlags() {}

    static final int NO_WRITES = 1, ALLOW_OOM = 1 << 1, ALLOW_STALE = 1 << 2, NO_CLUSTER = 1 << 3,
            ALLOW_CROSS_SLOT = 1 << 4, EVAL_COMPAT_MODE = 1 << 5;

    /** The flag names in Redis's order (FUNCTION LIST prints them in it). */
    static final String[] NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"};

    /** The flag of a name as written in a shebang (exact) or a function's flags table (any case). */
    static int byName(String name, boolean anyCase) {
        for (int i = 0; i < NAMES.length; i++) {
            if (anyCase ? NAMES[i].equalsIgnoreCase(name) : NAMES[i].equals(name)) return 1 << i;
        }
        return 0;
    }

    static List<String> names(int flags) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) if ((flags & (1 << i)) != 0) out.add(NAMES[i]);
        return out;
    }

    /** An EVAL body's flags and shebang length (0 without one). */
    record Shebang(int flags, int length) {}

    /** Reads the shebang of an EVAL body; errors have Redis's texts. */
    static Shebang parse(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') return new Shebang(EVAL_COMPAT_MODE, 0);
        int end = -1;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) throw new RedisError("ERR Invalid script shebang");
        List<String> parts = splitArgs(body, end);
        if (parts == null || parts.isEmpty()) throw new RedisError("ERR Invalid engine in script shebang");
        if (!parts.get(0).equals("#!lua")) {
            throw new RedisError("ERR Unexpected engine in script shebang: " + parts.get(0));
        }
        int flags = 0;
        for (int j = 1; j < parts.size(); j++) {
            String part = parts.get(j);
            if (!part.startsWith("flags=")) throw new RedisError("ERR Unknown lua shebang option: " + part);
            String list = part.substring(6);
            // sdssplitlen: an empty list has no flags; "a,,b" has an empty one, which is unknown.
            if (list.isEmpty()) continue;
            for (String f : list.split(",", -1)) {
                int flag = byName(f, false);
                if (flag == 0) throw new RedisError("ERR Unexpected flag in script shebang: " + f);
                flags |= flag;
            }
        }
        return new Shebang(flags, end);
    }

    /** sdssplitargs of {@code b[0, end)} as texts; null when the quoting is unbalanced. */
    static List<String> splitArgs(byte[] b, int end) {
        List<byte[]> raw = ArgSplitter.split(b, 0, end);
        if (raw == null) return null;
        List<String> out = new ArrayList<>(raw.size());
        for (byte[] r : raw) out.add(new String(r, StandardCharsets.UTF_8));
        return out;
    }

    /** Lower case of an ASCII name (function names compare without case). */
    static String fold(String s) { return s.toLowerCase(Locale.ROOT); }
}
