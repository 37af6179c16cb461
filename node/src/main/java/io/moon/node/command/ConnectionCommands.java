package io.moon.node.command;

import io.moon.node.protocol.Replies;
import io.moon.node.protocol.Reply;
import io.moon.node.server.Connection;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * Connection commands (Redis's networking.c and server.c): PING, ECHO, SELECT, AUTH, HELLO,
 * QUIT, RESET. They run on the client's own loop and may change its state.
 */
public final class ConnectionCommands {
    private ConnectionCommands() {}

    static void register(CommandTable t) {
        t.add(new CommandSpec("ping", -1, "fast sentinel connection", 0, 0, 0, "@connection", ConnectionCommands::ping)
                .doc("connection", "1.0.0", "Returns the server's liveliness response."));
        t.add(new CommandSpec("echo", 2, "loading stale fast connection", 0, 0, 0, "@connection", ConnectionCommands::echo)
                .doc("connection", "1.0.0", "Returns the given string."));
        t.add(new CommandSpec("select", 2, "loading stale fast connection", 0, 0, 0, "@connection", ConnectionCommands::select)
                .doc("connection", "1.0.0", "Changes the selected database."));
        t.add(new CommandSpec("auth", -2, "noscript loading stale fast no_auth sentinel allow_busy connection", 0, 0, 0,
                "@connection", ConnectionCommands::auth)
                .redact(ConnectionCommands::authSecrets)
                .doc("connection", "1.0.0", "Authenticates the connection."));
        t.add(new CommandSpec("hello", -1, "noscript loading stale fast no_auth sentinel allow_busy connection", 0, 0, 0,
                "@connection", ConnectionCommands::hello)
                .redact(ConnectionCommands::helloSecrets)
                .doc("connection", "6.0.0", "Handshakes with the server."));
        t.add(new CommandSpec("quit", -1, "allow_busy noscript loading stale fast no_auth connection not_queued", 0, 0, 0,
                "@connection", ConnectionCommands::quit)
                .doc("connection", "1.0.0", "Closes the connection."));
        t.add(new CommandSpec("reset", 1, "noscript loading stale fast no_auth allow_busy connection not_queued", 0, 0, 0,
                "@connection", ConnectionCommands::reset)
                .doc("connection", "6.2.0", "Resets the connection."));
    }

    /** AUTH [user] password: every argument (Redis redacts both). */
    static boolean[] authSecrets(io.moon.node.config.ServerConfig config, io.moon.node.protocol.CommandBuffer args,
                                 int firstArg, int argc) {
        boolean[] s = new boolean[argc];
        java.util.Arrays.fill(s, 1, argc, true);
        return s;
    }

    /** HELLO ... AUTH user password ...: the user and the password. */
    static boolean[] helloSecrets(io.moon.node.config.ServerConfig config, io.moon.node.protocol.CommandBuffer args,
                                  int firstArg, int argc) {
        boolean[] s = new boolean[argc];
        for (int i = 2; i + 2 < argc; i++) {
            if (args.argString(firstArg + i).equalsIgnoreCase("auth")) {
                s[i + 1] = s[i + 2] = true;
                i += 2;
            }
        }
        return s;
    }

    static void ping(CommandContext c) {
        if (c.argc() > 2) throw RedisError.arity("ping");
        if (c.reply().protocol() == 2 && c.conn().subscriptions().active()) {
            // In RESP2 subscribed mode PING answers like a message: ["pong", <argument or "">].
            c.reply().arrayHeader(2);
            c.reply().bulk("pong");
            if (c.argc() == 1) c.reply().bulk("");
            else c.reply().bulk(c.buf(), c.off(1), c.len(1));
            return;
        }
        if (c.argc() == 1) c.reply().raw(Replies.PONG);
        else c.reply().bulk(c.buf(), c.off(1), c.len(1));
    }

    static void echo(CommandContext c) {
        c.reply().bulk(c.buf(), c.off(1), c.len(1));
    }

    static void select(CommandContext c) {
        long db = c.longArg(1);
        if (db < 0 || db >= c.node().config().getInt("databases")) throw new RedisError(RedisError.DB_INDEX);
        c.conn().db((int) db);
        c.reply().ok();
    }

    static void auth(CommandContext c) {
        if (c.argc() > 3) throw RedisError.syntax();
        String pass = c.node().config().requirepass();
        if (c.argc() == 2 && pass.isEmpty()) {
            throw new RedisError("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        String user = c.argc() == 3 ? c.str(1) : "default";
        byte[] given = c.arg(c.argc() - 1);
        if (!checkPassword(user, given, pass)) {
            throw new RedisError("WRONGPASS invalid username-password pair or user is disabled.");
        }
        c.conn().authenticated(true);
        c.reply().ok();
    }

    /** Only the default user exists until ACLs are built; compares in constant time. */
    static boolean checkPassword(String user, byte[] given, String pass) {
        if (!user.equals("default")) return false;
        if (pass.isEmpty()) return true; // nopass
        return MessageDigest.isEqual(given, pass.getBytes(StandardCharsets.UTF_8));
    }

    static void hello(CommandContext c) {
        Connection conn = c.conn();
        int ver = conn.protocol();
        int i = 1;
        if (c.argc() >= 2) {
            long v;
            try {
                v = c.longArg(1);
            } catch (RedisError e) {
                throw new RedisError("ERR Protocol version is not an integer or out of range");
            }
            if (v < 2 || v > 3) throw new RedisError("NOPROTO unsupported protocol version");
            ver = (int) v;
            i = 2;
        }
        String setName = null;
        boolean authed = conn.authenticated();
        for (; i < c.argc(); i++) {
            int left = c.argc() - i - 1;
            if (c.is(i, "auth") && left >= 2) {
                String user = c.str(i + 1);
                if (!checkPassword(user, c.arg(i + 2), c.node().config().requirepass())) {
                    throw new RedisError("WRONGPASS invalid username-password pair or user is disabled.");
                }
                authed = true;
                i += 2;
            } else if (c.is(i, "setname") && left >= 1) {
                setName = c.str(i + 1);
                if (!ClientNames.valid(setName)) {
                    throw new RedisError("ERR Client names cannot contain spaces, newlines or special characters.");
                }
                i += 1;
            } else {
                throw new RedisError("ERR Syntax error in HELLO option '" + c.str(i) + "'");
            }
        }
        if (!authed) {
            throw new RedisError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
                    + "<proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
                    + "protocol version at the same time");
        }
        conn.authenticated(true);
        if (setName != null) conn.name(setName);
        conn.protocol(ver);
        Reply r = c.reply();
        r.target(r.buffer(), ver);
        r.mapHeader(7);
        r.bulk("server");
        r.bulk("redis");
        r.bulk("version");
        r.bulk(ServerInfo.REDIS_VERSION);
        r.bulk("proto");
        r.integer(ver);
        r.bulk("id");
        r.integer(conn.id);
        r.bulk("mode");
        r.bulk("standalone");
        r.bulk("role");
        r.bulk("master");
        r.bulk("modules");
        r.emptyArray();
    }

    static void quit(CommandContext c) {
        c.conn().closeAfterReply();
        c.reply().ok();
    }

    static void reset(CommandContext c) {
        Connection conn = c.conn();
        conn.db(0);
        conn.protocol(2);
        conn.name("");
        conn.noEvict(false);
        conn.noTouch(false);
        conn.authenticated(c.node().config().requirepass().isEmpty());
        conn.discardMulti();
        conn.unwatchAll();
        conn.subscriptions().clear(c.node().pubsub(), conn);
        c.node().tracking().disable(conn);
        c.reply().simple("RESET");
    }
}
