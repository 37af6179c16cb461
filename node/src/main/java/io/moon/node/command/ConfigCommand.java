package io.moon.node.command;

import io.moon.node.config.ServerConfig;
import io.moon.node.server.Shard;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONFIG GET/SET/RESETSTAT/REWRITE/HELP (Redis's config.c), over {@link ServerConfig}. GET, SET,
 * REWRITE and HELP touch only the settings (which have their own lock) and run on the client's
 * loop; RESETSTAT clears every shard's counters and so runs with every shard held.
 */
final class ConfigCommand {
    private static final Logger log = LoggerFactory.getLogger(ConfigCommand.class);

    private ConfigCommand() {}

    static void register(CommandTable t) {
        t.add(new CommandSpec("config", -2, "", 0, 0, 0, "", null)
                .doc("server", "2.0.0", "A container for server configuration commands").complexity("Depends on subcommand.")
                .sub(new CommandSpec("get", -3, "admin noscript loading stale connection", 0, 0, 0, "", ConfigCommand::get)
                        .doc("server", "2.0.0", "Get the values of configuration parameters")
                        .complexity("O(N) when N is the number of configuration parameters provided"))
                .sub(new CommandSpec("set", -4, "admin noscript loading stale connection", 0, 0, 0, "", ConfigCommand::set)
                        .redact(ConfigCommand::setSecrets)
                        .doc("server", "2.0.0", "Set configuration parameters to the given values")
                        .complexity("O(N) when N is the number of configuration parameters provided")
                        .tips("request_policy:all_nodes", "response_policy:all_succeeded"))
                .sub(new CommandSpec("resetstat", 2, "admin noscript loading stale all_shards", 0, 0, 0, "", ConfigCommand::resetstat)
                        .doc("server", "2.0.0", "Reset the stats returned by INFO").complexity("O(1)"))
                .sub(new CommandSpec("rewrite", 2, "admin noscript loading stale connection", 0, 0, 0, "", ConfigCommand::rewrite)
                        .doc("server", "2.8.0", "Rewrite the configuration file with the in memory configuration").complexity("O(1)"))
                .sub(new CommandSpec("help", 2, "loading stale connection", 0, 0, 0, "", ConfigCommand::help)
                        .doc("server", "5.0.0", "Show helpful text about the different subcommands").complexity("O(1)")));
    }

    /** CONFIG GET pattern [pattern ...]: a map of name to value (a flat array in RESP2). */
    static void get(CommandContext c) {
        List<String> patterns = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) patterns.add(c.str(i));
        Map<String, String> found = c.node().config().match(patterns);
        c.reply().mapHeader(found.size());
        for (var e : found.entrySet()) {
            c.reply().bulk(e.getKey());
            c.reply().bulk(e.getValue());
        }
    }

    /** CONFIG SET name value [name value ...]: all or nothing. */
    static void set(CommandContext c) {
        if (c.argc() % 2 != 0) throw RedisError.syntax();
        List<String[]> pairs = new ArrayList<>();
        for (int i = 2; i < c.argc(); i += 2) pairs.add(new String[] {c.str(i), c.str(i + 1)});
        try {
            c.node().config().set(pairs, c.conn().isLoopback());
        } catch (ServerConfig.ConfigSetException e) {
            throw new RedisError(e.getMessage());
        }
        c.reply().ok();
    }

    /** CONFIG SET: the values of sensitive settings (requirepass, masterauth...). */
    static boolean[] setSecrets(ServerConfig config, io.moon.node.protocol.CommandBuffer args, int firstArg, int argc) {
        boolean[] s = new boolean[argc];
        for (int i = 2; i + 1 < argc; i += 2) {
            var p = config.param(args.argString(firstArg + i));
            if (p != null && p.sensitive) s[i + 1] = true;
        }
        return s;
    }

    /**
     * Redis's resetServerStats plus its command and error tables: per-shard command and keyspace
     * counters, the node's connection and traffic totals, the instantaneous rates and the peak.
     */
    static void resetstat(CommandContext c) {
        var node = c.node();
        for (var st : node.commandStats()) st.reset();
        for (Shard s : node.shards()) s.keyspace().stats.reset();
        node.totalConnections.reset();
        node.rejectedConnections.reset();
        node.netInputBytes.reset();
        node.netOutputBytes.reset();
        node.metrics().reset();
        node.resetPeakMemory();
        node.statsReset();
        c.reply().ok();
    }

    static void rewrite(CommandContext c) {
        try {
            c.node().config().rewrite();
        } catch (ServerConfig.ConfigSetException e) {
            throw new RedisError(e.getMessage());
        } catch (IOException e) {
            log.warn("CONFIG REWRITE failed: {}", e.toString());
            throw new RedisError("ERR Rewriting config file: " + reason(e));
        }
        log.warn("CONFIG REWRITE executed with success.");
        c.reply().ok();
    }

    /** strerror-like text for an I/O failure. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "Permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "No such file or directory";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    static void help(CommandContext c) {
        Help.reply(c,
                "GET <pattern>",
                "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>",
                "    Set the configuration <directive> to <value>.",
                "RESETSTAT",
                "    Reset statistics reported by the INFO command.",
                "REWRITE",
                "    Rewrite the configuration file.");
    }
}
