package io.moon.node.command;

import io.moon.node.protocol.CommandBuffer;
import io.moon.node.protocol.Reply;
import io.moon.node.util.Glob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * COMMAND [COUNT|INFO|DOCS|LIST|GETKEYS|GETKEYSANDFLAGS|HELP] (Redis's server.c), read from the
 * command table: each row is what Redis's commands/*.json say about a command. Runs on the
 * client's loop; the table never changes after start.
 */
final class CommandCommand {
    private CommandCommand() {}

    /** Flags Redis keeps out of COMMAND INFO on purpose (addReplyFlagsForCommand). */
    private static final long HIDDEN_FLAGS = CommandFlags.MAY_REPLICATE | CommandFlags.SENTINEL
            | CommandFlags.ONLY_SENTINEL | CommandFlags.PROTECTED | CommandFlags.MODULE_GETKEYS
            | CommandFlags.MODULE_NO_CLUSTER;

    static void register(CommandTable t) {
        String flags = "loading stale connection";
        t.add(new CommandSpec("command", -1, flags, 0, 0, 0, "@connection", CommandCommand::all)
                .doc("server", "2.8.13", "Get array of Redis command details")
                .complexity("O(N) where N is the total number of Redis commands").tips("nondeterministic_output_order")
                .sub(new CommandSpec("count", 2, flags, 0, 0, 0, "@connection", CommandCommand::count)
                        .doc("server", "2.8.13", "Get total number of Redis commands").complexity("O(1)"))
                .sub(new CommandSpec("info", -2, flags, 0, 0, 0, "@connection", CommandCommand::info)
                        .doc("server", "2.8.13", "Get array of specific Redis command details, or all when no argument is given.")
                        .complexity("O(N) where N is the number of commands to look up").tips("nondeterministic_output_order"))
                .sub(new CommandSpec("docs", -2, flags, 0, 0, 0, "@connection", CommandCommand::docs)
                        .doc("server", "7.0.0", "Get array of specific Redis command documentation")
                        .complexity("O(N) where N is the number of commands to look up").tips("nondeterministic_output_order"))
                .sub(new CommandSpec("list", -2, flags, 0, 0, 0, "@connection", CommandCommand::list)
                        .doc("server", "7.0.0", "Get an array of Redis command names")
                        .complexity("O(N) where N is the total number of Redis commands").tips("nondeterministic_output_order"))
                .sub(new CommandSpec("getkeys", -4, flags, 0, 0, 0, "@connection", c -> getkeys(c, false))
                        .doc("server", "2.8.13", "Extract keys given a full Redis command")
                        .complexity("O(N) where N is the number of arguments to the command"))
                .sub(new CommandSpec("getkeysandflags", -4, flags, 0, 0, 0, "@connection", c -> getkeys(c, true))
                        .doc("server", "7.0.0", "Extract keys and access flags given a full Redis command")
                        .complexity("O(N) where N is the number of arguments to the command"))
                .sub(new CommandSpec("help", 2, flags, 0, 0, 0, "@connection", CommandCommand::help)
                        .doc("server", "5.0.0", "Show helpful text about the different subcommands").complexity("O(1)")));
    }

    /** COMMAND with no subcommand; with an unknown one, Redis's container error. */
    static void all(CommandContext c) {
        if (c.argc() > 1) {
            String sub = c.str(1);
            throw new RedisError("ERR unknown subcommand '" + (sub.length() > 128 ? sub.substring(0, 128) : sub)
                    + "'. Try COMMAND HELP.");
        }
        allInfo(c);
    }

    private static void allInfo(CommandContext c) {
        var commands = c.node().commands().commands();
        c.reply().arrayHeader(commands.size());
        for (CommandSpec s : commands) info(c.reply(), s);
    }

    static void count(CommandContext c) {
        c.reply().integer(c.node().commands().commands().size());
    }

    static void info(CommandContext c) {
        if (c.argc() == 2) {
            allInfo(c);
            return;
        }
        c.reply().arrayHeader(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            CommandSpec s = byFullName(c.node().commands(), c.str(i));
            if (s == null) c.reply().nullBulk(); // Redis's addReplyNull: $-1 in RESP2
            else info(c.reply(), s);
        }
    }

    static void docs(CommandContext c) {
        List<CommandSpec> found = new ArrayList<>();
        if (c.argc() == 2) {
            found.addAll(c.node().commands().commands());
        } else {
            for (int i = 2; i < c.argc(); i++) {
                CommandSpec s = byFullName(c.node().commands(), c.str(i));
                if (s != null) found.add(s);
            }
        }
        c.reply().mapHeader(found.size());
        for (CommandSpec s : found) {
            c.reply().bulk(s.fullName());
            docs(c.reply(), s);
        }
    }

    /** COMMAND LIST [FILTERBY MODULE name|ACLCAT category|PATTERN pattern]. */
    static void list(CommandContext c) {
        String type = null, arg = null;
        for (int i = 2; i < c.argc(); i++) {
            int more = c.argc() - 1 - i;
            if (!c.is(i, "filterby") || more != 2) throw RedisError.syntax();
            type = c.str(i + 1).toLowerCase(Locale.ROOT);
            if (!type.equals("module") && !type.equals("aclcat") && !type.equals("pattern")) throw RedisError.syntax();
            arg = c.str(i + 2);
            i += 2;
        }
        long category = 0;
        if ("aclcat".equals(type)) {
            int at = Arrays.asList(AclCategories.NAMES).indexOf(arg.toLowerCase(Locale.ROOT));
            category = at < 0 ? 0 : 1L << at;
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec s : c.node().commands().commands()) {
            addIfListed(names, s, type, arg, category);
            for (CommandSpec sub : s.subcommands.values()) addIfListed(names, sub, type, arg, category);
        }
        c.reply().arrayHeader(names.size());
        for (String n : names) c.reply().bulk(n);
    }

    private static void addIfListed(List<String> out, CommandSpec s, String type, String arg, long category) {
        boolean listed = type == null
                || (type.equals("aclcat") && (s.acl & category) != 0)
                || (type.equals("pattern") && Glob.matches(arg, s.fullName(), true));
        // FILTERBY MODULE lists nothing: Moon loads no modules.
        if (listed) out.add(s.fullName());
    }

    /** COMMAND GETKEYS / GETKEYSANDFLAGS cmd arg ..., as Redis's getKeysSubcommandImpl. */
    static void getkeys(CommandContext c, boolean withFlags) {
        String[] args = new String[c.argc() - 2];
        for (int i = 2; i < c.argc(); i++) args[i - 2] = c.str(i);
        CommandSpec cmd = c.node().commands().lookup(args[0]);
        if (cmd != null && args.length > 1 && !cmd.subcommands.isEmpty()) {
            cmd = cmd.subcommands.get(args[1].toLowerCase(Locale.ROOT));
        }
        if (cmd == null) throw new RedisError("ERR Invalid command specified");
        if (!hasKeys(cmd)) throw new RedisError("ERR The command has no key arguments");
        if ((cmd.arity > 0 && cmd.arity != args.length) || args.length < -cmd.arity) {
            throw new RedisError("ERR Invalid number of arguments specified for command");
        }
        List<KeySpec.KeyRef> keys = keysOf(c, cmd, args);
        if (keys.isEmpty()) {
            if (cmd.is(CommandFlags.NO_MANDATORY_KEYS)) {
                c.reply().emptyArray();
                return;
            }
            throw new RedisError("ERR Invalid arguments specified for command");
        }
        Reply r = c.reply();
        r.arrayHeader(keys.size());
        for (KeySpec.KeyRef k : keys) {
            if (!withFlags) {
                r.bulk(args[k.position()]);
                continue;
            }
            r.arrayHeader(2);
            r.bulk(args[k.position()]);
            List<String> names = KeySpec.flagNames(k.flags());
            r.setHeader(names.size());
            for (String n : names) r.simple(n);
        }
    }

    private static boolean hasKeys(CommandSpec cmd) {
        if (cmd.firstKey > 0 || cmd.keyFinder != null) return true;
        for (KeySpec s : cmd.keySpecs) if ((s.flags & KeySpec.NOT_KEY) == 0) return true;
        return false;
    }

    /**
     * Key specs first when they are reliable (Redis's getKeysFromCommandWithSpecs), then the
     * row's key finder, then its first/last/step positions.
     */
    private static List<KeySpec.KeyRef> keysOf(CommandContext c, CommandSpec cmd, String[] args) {
        boolean variable = false;
        for (KeySpec s : cmd.keySpecs) variable |= (s.flags & KeySpec.VARIABLE_FLAGS) != 0 && s.resolver == null;
        if (!cmd.keySpecs.isEmpty() && !variable) {
            List<KeySpec.KeyRef> keys = KeySpec.find(cmd.keySpecs, args, cmd.arity, false);
            if (keys != null) return keys;
        }
        if (cmd.keyFinder == null && !cmd.keySpecs.isEmpty() && !variable) return List.of();
        CommandBuffer cb = new CommandBuffer();
        for (int i = 2; i < c.argc(); i++) cb.addArg(c.buf(), c.off(i), c.len(i));
        cb.endCommand();
        int[] pos = new int[Math.max(16, args.length)];
        int n = cmd.keyPositions(cb, 0, args.length, pos);
        if (n > pos.length) {
            pos = new int[n];
            n = cmd.keyPositions(cb, 0, args.length, pos);
        }
        // Flags for keys found without specs: those of the spec that covers the position, if any.
        List<KeySpec.KeyRef> partial = cmd.keySpecs.isEmpty() ? List.of() : KeySpec.find(cmd.keySpecs, args, cmd.arity, true);
        // Keys found here are found as Redis's getkeys procs find them, and get the flags those give:
        // the covering spec's, or for a key no spec finds (SORT's STORE) the last "unknown" spec's,
        // never "incomplete" (the proc's answer is complete).
        int unknownFlags = 0;
        for (KeySpec s : cmd.keySpecs) if (s.beginSearch == KeySpec.BeginSearch.UNKNOWN) unknownFlags = s.flags & ~KeySpec.INCOMPLETE;
        List<KeySpec.KeyRef> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int flags = unknownFlags;
            for (KeySpec.KeyRef p : partial) if (p.position() == pos[k]) flags = p.flags() & ~KeySpec.INCOMPLETE;
            out.add(new KeySpec.KeyRef(pos[k], flags));
        }
        return out;
    }

    /** Redis's lookupCommandBySds: "name" or "container|sub", case-insensitive. */
    static CommandSpec byFullName(CommandTable table, String fullName) {
        String[] parts = fullName.split("\\|", -1);
        if (parts.length > 2) return null;
        CommandSpec base = table.lookup(parts[0]);
        if (base == null || parts.length == 1) return base;
        return base.subcommands.get(parts[1].toLowerCase(Locale.ROOT));
    }

    // ------------------------------------------------------------------ reply shapes

    /** One command as Redis's addReplyCommandInfo: ten fields, subcommands nested. */
    static void info(Reply r, CommandSpec s) {
        r.arrayHeader(10);
        r.bulk(s.fullName());
        r.integer(s.arity);
        List<String> flags = CommandFlags.redisNames(s.flags & ~HIDDEN_FLAGS);
        if (s.keyFinder != null && !flags.contains("movablekeys")) flags.add("movablekeys");
        r.setHeader(flags.size());
        for (String f : flags) r.simple(f);
        r.integer(s.firstKey);
        r.integer(s.lastKey);
        r.integer(s.step);
        List<String> cats = AclCategories.names(s.acl);
        r.setHeader(cats.size());
        for (String cat : cats) r.simple(cat);
        r.setHeader(s.tips.size());
        for (String tip : s.tips) r.bulk(tip);
        r.setHeader(s.keySpecs.size());
        for (KeySpec k : s.keySpecs) keySpec(r, k);
        if (s.subcommands.isEmpty()) {
            r.setHeader(0);
        } else {
            r.arrayHeader(s.subcommands.size());
            for (CommandSpec sub : s.subcommands.values()) info(r, sub);
        }
    }

    /** Redis's addReplyCommandKeySpecs for one spec. */
    private static void keySpec(Reply r, KeySpec k) {
        r.mapHeader(k.notes == null ? 3 : 4);
        if (k.notes != null) {
            r.bulk("notes");
            r.bulk(k.notes);
        }
        r.bulk("flags");
        List<String> names = k.flagNames();
        r.setHeader(names.size());
        for (String n : names) r.simple(n);
        r.bulk("begin_search");
        switch (k.beginSearch) {
            case INDEX -> typed(r, "index", "index", k.index);
            case KEYWORD -> typed(r, "keyword", "keyword", k.keyword, "startfrom", k.index);
            case UNKNOWN -> typed(r, "unknown");
        }
        r.bulk("find_keys");
        switch (k.findKeys) {
            case RANGE -> typed(r, "range", "lastkey", k.lastKey, "keystep", k.keyStep, "limit", k.limit);
            case KEYNUM -> typed(r, "keynum", "keynumidx", k.keyNumIndex, "firstkey", k.firstKey, "keystep", k.keyStep);
            case UNKNOWN -> typed(r, "unknown");
        }
    }

    /** {type: name, spec: {field: value, ...}}, values being integers or strings. */
    private static void typed(Reply r, String type, Object... fields) {
        r.mapHeader(2);
        r.bulk("type");
        r.bulk(type);
        r.bulk("spec");
        r.mapHeader(fields.length / 2);
        for (int i = 0; i < fields.length; i += 2) {
            r.bulk((String) fields[i]);
            if (fields[i + 1] instanceof Integer n) r.integer(n);
            else r.bulk((String) fields[i + 1]);
        }
    }

    /** One command as Redis's addReplyCommandDocs (Moon keeps no argument or history docs). */
    static void docs(Reply r, CommandSpec s) {
        boolean summary = !s.summary.isEmpty(), since = !s.since.isEmpty(), complexity = !s.complexity.isEmpty();
        int n = 1 + (summary ? 1 : 0) + (since ? 1 : 0) + (complexity ? 1 : 0) + (s.subcommands.isEmpty() ? 0 : 1);
        r.mapHeader(n);
        if (summary) {
            r.bulk("summary");
            r.bulk(s.summary);
        }
        if (since) {
            r.bulk("since");
            r.bulk(s.since);
        }
        r.bulk("group");
        r.bulk(s.group);
        if (complexity) {
            r.bulk("complexity");
            r.bulk(s.complexity);
        }
        if (!s.subcommands.isEmpty()) {
            r.bulk("subcommands");
            r.mapHeader(s.subcommands.size());
            for (CommandSpec sub : s.subcommands.values()) {
                r.bulk(sub.fullName());
                docs(r, sub);
            }
        }
    }

    static void help(CommandContext c) {
        Help.reply(c,
                "(no subcommand)",
                "    Return details about all Redis commands.",
                "COUNT",
                "    Return the total number of commands in this Redis server.",
                "LIST",
                "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]",
                "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>",
                "    Return the keys from a full Redis command.",
                "GETKEYSANDFLAGS <full-command>",
                "    Return the keys and the access flags from a full Redis command.");
    }
}
