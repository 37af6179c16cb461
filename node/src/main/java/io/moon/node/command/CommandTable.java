package io.moon.node.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Every command the node knows, looked up by the name bytes of a request without allocating:
 * an open-addressing table keyed by a case-folded FNV-1a hash, compared case-insensitively.
 */
public final class CommandTable {
    private final CommandSpec[] slots = new CommandSpec[1024];
    private final byte[][] names = new byte[1024][];
    private final List<CommandSpec> all = new ArrayList<>();
    private final List<CommandSpec> allWithSubs = new ArrayList<>();

    public void add(CommandSpec spec) {
        if (lookup(spec.name) != null) throw new IllegalStateException("duplicate command " + spec.name);
        byte[] n = spec.name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int i = hash(n, 0, n.length) & (slots.length - 1);
        while (slots[i] != null) i = (i + 1) & (slots.length - 1);
        slots[i] = spec;
        names[i] = n;
        all.add(spec);
        spec.id = allWithSubs.size();
        allWithSubs.add(spec);
        for (CommandSpec sub : spec.subcommands.values()) {
            sub.id = allWithSubs.size();
            allWithSubs.add(sub);
        }
    }

    public void addAll(CommandSpec... specs) {
        for (CommandSpec s : specs) add(s);
    }

    public CommandSpec lookup(byte[] b, int off, int len) {
        int i = hash(b, off, len) & (slots.length - 1);
        while (true) {
            CommandSpec s = slots[i];
            if (s == null) return null;
            if (equalsFolded(names[i], b, off, len)) return s;
            i = (i + 1) & (slots.length - 1);
        }
    }

    public CommandSpec lookup(String name) {
        byte[] n = name.toLowerCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return lookup(n, 0, n.length);
    }

    /** Top-level commands in registration order. */
    public Collection<CommandSpec> commands() { return Collections.unmodifiableList(all); }

    /** Commands and subcommands; index = {@link CommandSpec#id}. */
    public List<CommandSpec> allWithSubcommands() { return Collections.unmodifiableList(allWithSubs); }

    private static int hash(byte[] b, int off, int len) {
        int h = 0x811c9dc5;
        for (int i = off; i < off + len; i++) {
            h ^= fold(b[i]);
            h *= 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    private static int fold(byte c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

    private static boolean equalsFolded(byte[] lower, byte[] b, int off, int len) {
        if (lower.length != len) return false;
        for (int i = 0; i < len; i++) if (lower[i] != fold(b[off + i])) return false;
        return true;
    }
}
