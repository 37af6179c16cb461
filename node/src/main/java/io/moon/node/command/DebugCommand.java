package io.moon.node.command;

import io.moon.node.cluster.KeySlot;
import io.moon.node.protocol.Reply;
import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DEBUG subcommands Redis's test suite relies on that mean something here (debug.c): SLEEP,
 * SET-ACTIVE-EXPIRE, POPULATE, LOG, ERROR, PROTOCOL, CONFIG-REWRITE-FORCE-ALL, HELP. Allowed
 * by enable-debug-command (no, yes, or local for loopback clients), as in Redis.
 *
 * <p>The row is {@code all_shards}: DEBUG runs with every shard held, so DEBUG SLEEP stalls the
 * whole node as it stalls Redis, and POPULATE writes each key on its own shard.
 */
final class DebugCommand {
    private static final Logger log = LoggerFactory.getLogger(DebugCommand.class);

    private DebugCommand() {}

    static void register(CommandTable t) {
        t.add(new CommandSpec("debug", -2, "admin noscript loading stale all_shards", 0, 0, 0, "", DebugCommand::debug)
                .doc("server", "1.0.0", "A container for debugging commands").complexity("Depends on subcommand."));
    }

    static void debug(CommandContext c) {
        checkAllowed(c);
        int argc = c.argc();
        if (argc == 2 && c.is(1, "help")) help(c);
        else if (argc == 3 && c.is(1, "sleep")) sleep(c);
        else if (argc == 3 && c.is(1, "set-active-expire")) {
            c.node().activeExpire(atoi(c.str(2)) != 0);
            c.reply().ok();
        } else if (argc >= 3 && argc <= 5 && c.is(1, "populate")) populate(c);
        else if (argc == 3 && c.is(1, "log")) {
            log.warn("DEBUG LOG: {}", c.str(2));
            c.reply().ok();
        } else if (argc == 3 && c.is(1, "error")) {
            // A reply, not a failure of the command: not counted in errorstats (Redis's addReplySds).
            c.reply().error(c.str(2));
        } else if (argc == 3 && c.is(1, "protocol")) protocol(c);
        else if (argc == 2 && c.is(1, "config-rewrite-force-all")) {
            try {
                c.node().config().rewrite(true);
            } catch (io.moon.node.config.ServerConfig.ConfigSetException e) {
                throw new RedisError(e.getMessage());
            } catch (IOException e) {
                throw new RedisError("ERR CONFIG-REWRITE-FORCE-ALL failed: " + ConfigCommand.reason(e));
            }
            c.reply().ok();
        } else throw Help.subcommandSyntaxError(c);
    }

    /** Redis's allowProtectedAction for enable-debug-command. */
    private static void checkAllowed(CommandContext c) {
        String mode = c.node().config().get("enable-debug-command");
        if (mode.equals("yes") || (mode.equals("local") && c.conn().isLoopback())) return;
        throw new RedisError("ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
                + "you can run it from a local connection, otherwise you need to set this option in the configuration "
                + "file, and then restart the server.");
    }

    /** DEBUG SLEEP seconds: a fraction is allowed; what strtod cannot read sleeps 0. */
    private static void sleep(CommandContext c) {
        double seconds;
        try {
            seconds = Double.parseDouble(c.str(2));
        } catch (NumberFormatException e) {
            seconds = 0;
        }
        long micros = (long) (seconds * 1_000_000);
        if (micros > 0) {
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        c.reply().ok();
    }

    /**
     * DEBUG POPULATE count [prefix] [size]: string keys prefix:0.. with values value:0.. (padded
     * with zero bytes or cut to size); keys that exist are left alone.
     */
    private static void populate(CommandContext c) {
        long count = positive(c, 2);
        long size = c.argc() == 5 ? positive(c, 4) : 0;
        // A value is one Java array: at most a little under 2^31 bytes, whatever proto-max-bulk-len says.
        if (size > Math.min(c.node().config().protoMaxBulkLen(), Integer.MAX_VALUE - 64)) {
            throw new RedisError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        }
        String prefix = c.argc() >= 4 ? c.str(3) : "key";
        for (long j = 0; j < count; j++) {
            byte[] key = (prefix + ":" + j).getBytes(StandardCharsets.UTF_8);
            Db db = c.node().shardOfSlot(KeySlot.slot(key, 0, key.length)).keyspace().db(c.dbIndex());
            if (db.peek(key) != null) continue;
            byte[] value = ("value:" + j).getBytes(StandardCharsets.UTF_8);
            if (size > 0) value = Arrays.copyOf(value, (int) size);
            db.set(Entries.newString(key, 0, key.length, value, 0, value.length, Entries.NO_EXPIRE));
        }
        c.reply().ok();
    }

    private static long positive(CommandContext c, int i) {
        long v = c.longArg(i);
        if (v < 0) throw new RedisError("ERR value is out of range, must be positive");
        return v;
    }

    /** DEBUG PROTOCOL type: one sample reply of each RESP type, as Redis sends them. */
    private static void protocol(CommandContext c) {
        Reply r = c.reply();
        String type = c.str(2).toLowerCase(java.util.Locale.ROOT);
        switch (type) {
            case "string" -> r.bulk("Hello World");
            case "integer" -> r.integer(12345);
            case "double" -> r.doubleValue(3.141);
            case "bignum" -> {
                String big = "1234567999999999999999999999999999999";
                if (r.resp3()) r.raw(("(" + big + "\r\n").getBytes(StandardCharsets.US_ASCII));
                else r.bulk(big);
            }
            case "null" -> r.nullBulk();
            case "array" -> {
                r.arrayHeader(3);
                for (int j = 0; j < 3; j++) r.integer(j);
            }
            case "set" -> {
                r.setHeader(3);
                for (int j = 0; j < 3; j++) r.integer(j);
            }
            case "map" -> {
                r.mapHeader(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                    r.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (r.resp3()) {
                    r.raw("|1\r\n".getBytes(StandardCharsets.US_ASCII));
                    r.bulk("key-popularity");
                    r.arrayHeader(2);
                    r.bulk("key:123");
                    r.integer(90);
                }
                r.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (!r.resp3()) throw new RedisError("ERR RESP2 is not supported by this command");
                r.pushHeader(2);
                r.bulk("server-cpu-usage");
                r.integer(42);
                r.bulk("Some real reply following the push reply");
            }
            case "true" -> r.bool(true);
            case "false" -> r.bool(false);
            case "verbatim" -> r.verbatim("This is a verbatim\nstring");
            default -> throw new RedisError("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }

    /** C's atoi: leading digits with an optional sign, 0 when there are none. */
    private static int atoi(String s) {
        int i = 0, sign = 1;
        long v = 0;
        s = s.trim();
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) sign = s.charAt(i++) == '-' ? -1 : 1;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && v < Integer.MAX_VALUE) v = v * 10 + (s.charAt(i++) - '0');
        return (int) (sign * v);
    }

    private static void help(CommandContext c) {
        Help.reply(c,
                "CONFIG-REWRITE-FORCE-ALL",
                "    Like CONFIG REWRITE but writes all configuration options, including",
                "    keywords not listed in original configuration file or default values.",
                "ERROR <string>",
                "    Return a Redis protocol error with <string> as message. Useful for clients",
                "    unit tests to simulate Redis errors.",
                "LOG <message>",
                "    Write <message> to the server log.",
                "POPULATE <count> [<prefix>] [<size>]",
                "    Create <count> string keys named key:<num>. If <prefix> is specified then",
                "    it is used instead of the 'key' prefix.",
                "PROTOCOL <type>",
                "    Reply with a test value of the specified type. <type> can be: string,",
                "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
                "    true, false.",
                "SET-ACTIVE-EXPIRE <0|1>",
                "    Setting it to 0 disables expiring keys in background when they are not",
                "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                "    default.",
                "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed.");
    }
}
