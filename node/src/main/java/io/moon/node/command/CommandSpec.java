package io.moon.node.command;

import io.moon.node.protocol.CommandBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One row of the command table: what COMMAND INFO reports (name, arity, flags, legacy key
 * positions, ACL categories), what routing reads (key positions, {@link CommandFlags#CONNECTION},
 * {@link CommandFlags#ALL_SHARDS}, a {@link KeyFinder}), and the handler. Families declare their
 * rows next to their handlers.
 *
 * <p>Arity as Redis: n means exactly n arguments (command name included), -n at least n.
 */
public final class CommandSpec {
    public final String name;
    public final int arity;
    public final long flags;
    public final int firstKey, lastKey, step;
    public final long acl;
    public final CommandHandler handler;
    public KeyFinder keyFinder;
    /** Picks the shard for commands routed by something other than a key (SCAN's cursor). */
    public ShardRouter router;
    /**
     * Runs the command with every shard held when this says so for its arguments, as if it were
     * {@link CommandFlags#ALL_SHARDS} (SORT with a BY or GET pattern, whose keys are known only
     * while it runs). Its writes are logged as any multi-shard command's, not once per shard.
     */
    public ArgsTest allShardsWhen;
    /** Marks the arguments SLOWLOG and MONITOR must not show (AUTH's password...). */
    public ArgRedactor redactor;
    public CommandSpec parent;
    public final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();
    public String group = "generic", since = "1.0.0", summary = "", complexity = "";
    /** Redis's key specs (COMMAND INFO, COMMAND GETKEYS); empty when the row declares none. */
    public final List<KeySpec> keySpecs = new ArrayList<>();
    /** Redis's command tips ("nondeterministic_output", "request_policy:all_shards"...). */
    public final List<String> tips = new ArrayList<>();
    /** Index into per-shard statistics arrays; assigned by the table. */
    public int id = -1;

    /** Chooses a shard index from the arguments; -1 means the client's own shard. */
    @FunctionalInterface
    public interface ShardRouter {
        int shard(CommandBuffer args, int firstArg, int argc, int shards);
    }

    /** A test over a command's arguments (index 0 at {@code firstArg} is the command name). */
    @FunctionalInterface
    public interface ArgsTest {
        boolean test(CommandBuffer args, int firstArg, int argc);
    }

    public CommandSpec(String name, int arity, String flags, int firstKey, int lastKey, int step, String acl,
                       CommandHandler handler) {
        this.name = name.toLowerCase(Locale.ROOT);
        this.arity = arity;
        this.flags = CommandFlags.parse(flags);
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.step = step;
        long explicit = AclCategories.parse(acl);
        this.acl = explicit | implicitAcl(this.flags, explicit);
        this.handler = handler;
    }

    /** Redis's setImplicitACLCategories (read-only scripting commands are not @read). */
    private static long implicitAcl(long f, long explicit) {
        long c = 0;
        if ((f & CommandFlags.WRITE) != 0) c |= AclCategories.parse("@write");
        if ((f & CommandFlags.READONLY) != 0 && (f & CommandFlags.PUBSUB) == 0
                && (explicit & AclCategories.parse("@scripting")) == 0) {
            c |= AclCategories.parse("@read");
        }
        if ((f & CommandFlags.ADMIN) != 0) c |= AclCategories.parse("@admin @dangerous");
        if ((f & CommandFlags.PUBSUB) != 0) c |= AclCategories.parse("@pubsub");
        if ((f & CommandFlags.FAST) != 0) c |= AclCategories.parse("@fast");
        if ((f & CommandFlags.BLOCKING) != 0) c |= AclCategories.parse("@blocking");
        if ((c & AclCategories.parse("@fast")) == 0) c |= AclCategories.parse("@slow");
        return c;
    }

    public CommandSpec doc(String group, String since, String summary) {
        this.group = group;
        this.since = since;
        this.summary = summary;
        return this;
    }

    public CommandSpec complexity(String complexity) {
        this.complexity = complexity;
        return this;
    }

    /** Declares the key specs, as in Redis's commands/*.json. */
    public CommandSpec keySpecs(KeySpec... specs) {
        keySpecs.addAll(List.of(specs));
        return this;
    }

    /** One key spec covering the row's first/last/step positions, with these key flags ("RW access update"). */
    public CommandSpec keyFlags(String flags) {
        keySpecs.add(KeySpec.fromLegacy(flags, firstKey, lastKey, step));
        return this;
    }

    public CommandSpec tips(String... tips) {
        this.tips.addAll(List.of(tips));
        return this;
    }

    public CommandSpec keys(KeyFinder finder) {
        this.keyFinder = finder;
        return this;
    }

    public CommandSpec allShardsWhen(ArgsTest test) {
        this.allShardsWhen = test;
        return this;
    }

    /** True when the command must run with every shard held: flagged all_shards, or its {@link #allShardsWhen} says so. */
    public boolean allShards(CommandBuffer args, int firstArg, int argc) {
        return is(CommandFlags.ALL_SHARDS) || (allShardsWhen != null && allShardsWhen.test(args, firstArg, argc));
    }

    public CommandSpec redact(ArgRedactor redactor) {
        this.redactor = redactor;
        return this;
    }

    public CommandSpec route(ShardRouter router) {
        this.router = router;
        return this;
    }

    public CommandSpec sub(CommandSpec sub) {
        sub.parent = this;
        subcommands.put(sub.name, sub);
        return this;
    }

    public boolean is(long flag) { return (flags & flag) != 0; }

    /** "config|get" for subcommands, as Redis's fullname. */
    public String fullName() { return parent == null ? name : parent.name + "|" + name; }

    public boolean arityOk(int argc) { return arity > 0 ? argc == arity : argc >= -arity; }

    /**
     * Positions (0 = command name) of the key arguments; returns the count, which may exceed
     * out.length (the caller retries with a bigger array).
     */
    public int keyPositions(CommandBuffer args, int firstArg, int argc, int[] out) {
        if (keyFinder != null) return keyFinder.find(args, firstArg, argc, out);
        if (firstKey <= 0 || firstKey >= argc) return 0;
        int last = lastKey < 0 ? argc + lastKey : Math.min(lastKey, argc - 1);
        int n = 0;
        for (int i = firstKey; i <= last; i += step) {
            if (n < out.length) out[n] = i;
            n++;
        }
        return n;
    }
}
