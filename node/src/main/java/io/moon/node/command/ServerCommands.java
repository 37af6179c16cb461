package io.moon.node.command;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server commands (Redis's server.c, config.c, slowlog.c, debug.c): TIME, LASTSAVE, MONITOR and
 * SHUTDOWN here; INFO, CONFIG, COMMAND, CLIENT, SLOWLOG and DEBUG in their own files, all
 * registered from {@link #register}.
 */
public final class ServerCommands {
    private static final Logger log = LoggerFactory.getLogger(ServerCommands.class);

    private ServerCommands() {}

    static void register(CommandTable t) {
        InfoCommand.register(t);
        ConfigCommand.register(t);
        CommandCommand.register(t);
        ClientCommand.register(t);
        SlowlogCommand.register(t);
        DebugCommand.register(t);
        t.add(new CommandSpec("time", 1, "loading stale fast connection", 0, 0, 0, "", ServerCommands::time)
                .doc("server", "2.6.0", "Return the current server time").tips("nondeterministic_output"));
        t.add(new CommandSpec("lastsave", 1, "loading stale fast connection", 0, 0, 0, "@admin @dangerous", ServerCommands::lastsave)
                .doc("server", "1.0.0", "Get the UNIX time stamp of the last successful save to disk").tips("nondeterministic_output"));
        t.add(new CommandSpec("role", 1, "noscript loading stale fast sentinel connection", 0, 0, 0, "@admin @dangerous",
                ServerCommands::role)
                .doc("server", "2.8.12", "Return the role of the instance in the context of replication"));
        t.add(new CommandSpec("monitor", 1, "admin noscript loading stale connection", 0, 0, 0, "", ServerCommands::monitor)
                .doc("server", "1.0.0", "Listen for all requests received by the server in real time"));
        t.add(new CommandSpec("shutdown", -1, "admin noscript loading stale no_multi allow_busy connection", 0, 0, 0, "",
                ServerCommands::shutdown)
                .doc("server", "1.0.0", "Synchronously save the dataset to disk and then shut down the server"));
    }

    /** ROLE: every node is a primary without replicas until replication exists (offset 0). */
    static void role(CommandContext c) {
        c.reply().arrayHeader(3);
        c.reply().bulk("master");
        c.reply().integer(0);
        c.reply().arrayHeader(0);
    }

    static void time(CommandContext c) {
        Instant now = Instant.now();
        c.reply().arrayHeader(2);
        c.reply().bulkLong(now.getEpochSecond());
        c.reply().bulkLong(now.getNano() / 1000);
    }

    /** When the last snapshot succeeded (the node's start when it has none). */
    static void lastsave(CommandContext c) {
        var s = c.node().snapshots();
        c.reply().integer((s == null ? c.node().startMs() : s.lastSaveMs()) / 1000);
    }

    static void monitor(CommandContext c) {
        // As Redis: a client already monitoring gets no second reply.
        if (c.conn().isMonitor()) return;
        c.conn().startMonitor();
        c.reply().ok();
    }

    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. There is no persistence yet, so nothing is
     * saved: an explicit SAVE fails as a failed save does in Redis (unless FORCE), everything
     * else stops the node. On success the client gets no reply, only the closed connection.
     */
    static void shutdown(CommandContext c) {
        boolean nosave = false, save = false, force = false, abort = false;
        for (int i = 1; i < c.argc(); i++) {
            if (c.is(i, "nosave")) nosave = true;
            else if (c.is(i, "save")) save = true;
            else if (c.is(i, "now")) { /* no shutdown delay to skip: replicas do not exist yet */ }
            else if (c.is(i, "force")) force = true;
            else if (c.is(i, "abort")) abort = true;
            else throw RedisError.syntax();
        }
        if ((abort && c.argc() > 2) || (nosave && save)) throw RedisError.syntax();
        if (abort) throw new RedisError("ERR No shutdown in progress.");
        if (save && !force && c.node().snapshots() == null) {
            log.warn("SHUTDOWN SAVE refused: persistence is off on this node, nothing can be saved "
                    + "(SHUTDOWN NOSAVE or SHUTDOWN SAVE FORCE stop it anyway)");
            throw new RedisError("ERR Errors trying to SHUTDOWN. Check logs.");
        }
        // The final snapshot (taken unless NOSAVE) lets the next start skip replaying the logs.
        c.node().saveOnStop(!nosave);
        log.warn("User requested shutdown...");
        c.conn().closeAfterReply();
        c.node().requestShutdown();
    }
}
