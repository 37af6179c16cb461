package io.moon.node.command;

import io.moon.node.server.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * CLIENT ID/SETNAME/GETNAME/LIST/INFO/KILL/NO-EVICT/NO-TOUCH/REPLY/SETINFO/HELP (Redis's
 * networking.c). Every subcommand runs on the calling client's loop; other clients are read
 * through their thread-safe accessors and closed through {@link Connection#close()}.
 */
final class ClientCommand {
    private ClientCommand() {}

    /** Redis's client types (getClientTypeByName): every Moon client is a normal one for now. */
    private static final List<String> TYPES = List.of("normal", "slave", "replica", "pubsub", "master");

    static void register(CommandTable t) {
        String plain = "noscript loading stale connection", admin = "admin " + plain;
        t.add(new CommandSpec("client", -2, "", 0, 0, 0, "", null)
                .doc("connection", "2.4.0", "A container for client connection commands").complexity("Depends on subcommand.")
                .sub(row("id", 2, plain, "5.0.0", "Returns the client ID for the current connection", ClientCommand::id))
                .sub(row("setname", 3, plain, "2.6.9", "Set the current connection name", ClientCommand::setname))
                .sub(row("getname", 2, plain, "2.6.9", "Get the current connection name", ClientCommand::getname))
                .sub(row("list", -2, admin, "2.4.0", "Get the list of client connections", ClientCommand::list)
                        .complexity("O(N) where N is the number of client connections").tips("nondeterministic_output"))
                .sub(row("info", 2, plain, "6.2.0", "Returns information about the current client connection.",
                        ClientCommand::info).tips("nondeterministic_output"))
                .sub(row("kill", -3, admin, "2.4.0", "Kill the connection of a client", ClientCommand::kill)
                        .complexity("O(N) where N is the number of client connections"))
                .sub(row("unblock", -3, admin + " sentinel", "5.0.0",
                        "Unblock a client blocked in a blocking command from a different connection", ClientCommand::unblock)
                        .complexity("O(log N) where N is the number of client connections"))
                .sub(row("no-evict", 3, admin, "7.0.0", "Set client eviction mode for the current connection",
                        ClientCommand::noEvict))
                .sub(row("no-touch", 3, plain, "7.2.0",
                        "Controls whether commands sent by the client affect the LRU/LFU of accessed keys", ClientCommand::noTouch))
                .sub(row("reply", 3, plain, "3.2.0", "Instruct the server whether to reply to commands", ClientCommand::reply))
                .sub(row("setinfo", 4, plain, "7.2.0", "Sets information specific to the client or connection.",
                        ClientCommand::setinfo))
                .sub(row("pause", -3, admin, "2.9.50", "Stop processing commands from clients for some time",
                        ClientPauseCommand::pause))
                .sub(row("unpause", 2, admin, "6.2.0", "Resume processing of clients that were paused", ClientPauseCommand::unpause)
                        .complexity("O(N) Where N is the number of paused clients"))
                .sub(row("tracking", -3, plain, "6.0.0", "Enable or disable server assisted client side caching support",
                        ClientTrackingCommand::tracking).complexity("O(1). Some options may introduce additional complexity."))
                .sub(row("caching", 3, plain, "6.0.0", "Instruct the server about tracking or not keys in the next request",
                        ClientTrackingCommand::caching))
                .sub(row("getredir", 2, plain, "6.0.0", "Get tracking notifications redirection client ID if any",
                        ClientTrackingCommand::getredir))
                .sub(row("trackinginfo", 2, plain, "6.2.0",
                        "Return information about server assisted client side caching for the current connection",
                        ClientTrackingCommand::trackinginfo))
                .sub(row("help", 2, "loading stale connection", "5.0.0", "Show helpful text about the different subcommands",
                        ClientCommand::help)));
    }

    private static CommandSpec row(String name, int arity, String flags, String since, String summary, CommandHandler h) {
        return new CommandSpec(name, arity, flags, 0, 0, 0, "@connection", h).doc("connection", since, summary).complexity("O(1)");
    }

    static void id(CommandContext c) {
        c.reply().integer(c.conn().id);
    }

    static void setname(CommandContext c) {
        String name = c.str(2);
        if (!ClientNames.valid(name)) {
            throw new RedisError("ERR Client names cannot contain spaces, newlines or special characters.");
        }
        c.conn().name(name);
        c.reply().ok();
    }

    static void getname(CommandContext c) {
        String name = c.conn().name();
        if (name.isEmpty()) c.reply().nullBulk();
        else c.reply().bulk(name);
    }

    /** CLIENT LIST [TYPE type] | [ID id ...]. */
    static void list(CommandContext c) {
        List<Connection> shown;
        if (c.argc() == 4 && c.is(2, "type")) {
            clientType(c.str(3));
            // Every client is "normal" until replicas and pub/sub exist.
            shown = c.is(3, "normal") ? clients(c) : List.of();
        } else if (c.argc() > 3 && c.is(2, "id")) {
            shown = new ArrayList<>();
            for (int i = 3; i < c.argc(); i++) {
                long id = c.longArg(i, "ERR Invalid client ID");
                Connection conn = c.node().clients().get(id);
                if (conn != null) shown.add(conn);
            }
        } else if (c.argc() != 2) {
            throw RedisError.syntax();
        } else {
            shown = clients(c);
        }
        StringBuilder sb = new StringBuilder(shown.size() * 256);
        long now = System.currentTimeMillis();
        for (Connection conn : shown) line(sb, c, conn, now).append('\n');
        c.reply().verbatim(sb.toString());
    }

    static void info(CommandContext c) {
        StringBuilder sb = new StringBuilder(256);
        line(sb, c, c.conn(), System.currentTimeMillis()).append('\n');
        c.reply().verbatim(sb.toString());
    }

    /**
     * CLIENT KILL addr:port (old form: may kill the caller, answers OK or an error) or CLIENT KILL
     * option value ... (ID, TYPE, ADDR, LADDR, USER, SKIPME; answers the number killed).
     */
    static void kill(CommandContext c) {
        String addr = null, laddr = null;
        long id = 0;
        boolean skipme = true, typeNormal = true;
        if (c.argc() == 3) {
            addr = c.str(2);
            skipme = false;
        } else {
            for (int i = 2; i < c.argc(); i += 2) {
                if (i + 1 >= c.argc()) throw RedisError.syntax();
                if (c.is(i, "id")) {
                    long v;
                    try {
                        v = c.longArg(i + 1);
                    } catch (RedisError e) {
                        v = 0;
                    }
                    if (v < 1) throw new RedisError("ERR client-id should be greater than 0");
                    id = v;
                } else if (c.is(i, "type")) {
                    typeNormal = c.is(i + 1, "normal");
                    clientType(c.str(i + 1));
                } else if (c.is(i, "addr")) {
                    addr = c.str(i + 1);
                } else if (c.is(i, "laddr")) {
                    laddr = c.str(i + 1);
                } else if (c.is(i, "user")) {
                    // Only the default user exists until ACLs are built.
                    if (!c.str(i + 1).equals("default")) throw new RedisError("ERR No such user '" + c.str(i + 1) + "'");
                } else if (c.is(i, "skipme")) {
                    if (c.is(i + 1, "yes")) skipme = true;
                    else if (c.is(i + 1, "no")) skipme = false;
                    else throw RedisError.syntax();
                } else {
                    throw RedisError.syntax();
                }
            }
        }
        int killed = 0;
        boolean closeSelf = false;
        for (Connection conn : clients(c)) {
            if (addr != null && !conn.peer().equals(addr)) continue;
            if (laddr != null && !conn.local().equals(laddr)) continue;
            if (!typeNormal) continue;
            if (id != 0 && conn.id != id) continue;
            if (conn == c.conn() && skipme) continue;
            if (conn == c.conn()) closeSelf = true;
            else conn.close();
            killed++;
        }
        if (c.argc() == 3) {
            if (killed == 0) throw new RedisError("ERR No such client");
            c.reply().ok();
        } else {
            c.reply().integer(killed);
        }
        if (closeSelf) c.conn().closeAfterReply();
    }

    /** CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 when that client was blocked and is not any more. */
    static void unblock(CommandContext c) {
        if (c.argc() > 4) {
            throw new RedisError("ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.");
        }
        boolean error = false;
        if (c.argc() == 4) {
            if (c.is(3, "error")) error = true;
            else if (!c.is(3, "timeout")) throw new RedisError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
        }
        Connection target = c.node().clients().get(c.longArg(2));
        c.reply().integer(target != null && target.unblock(error) ? 1 : 0);
    }

    static void noEvict(CommandContext c) {
        c.conn().noEvict(onOff(c));
        c.reply().ok();
    }

    static void noTouch(CommandContext c) {
        c.conn().noTouch(onOff(c));
        c.reply().ok();
    }

    private static boolean onOff(CommandContext c) {
        if (c.is(2, "on")) return true;
        if (c.is(2, "off")) return false;
        throw RedisError.syntax();
    }

    /** CLIENT REPLY ON|OFF|SKIP: only ON answers (OFF and SKIP silence their own reply too). */
    static void reply(CommandContext c) {
        if (c.is(2, "on")) {
            c.conn().replyMode("on");
            c.reply().ok();
        } else if (c.is(2, "off")) {
            c.conn().replyMode("off");
        } else if (c.is(2, "skip")) {
            c.conn().replyMode("skip");
        } else {
            throw RedisError.syntax();
        }
    }

    /** CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2; clients send it on connect). */
    static void setinfo(CommandContext c) {
        String attr = c.str(2), value = c.str(3);
        boolean name = c.is(2, "lib-name");
        if (!name && !c.is(2, "lib-ver")) throw new RedisError("ERR Unrecognized option '" + attr + "'");
        if (!ClientNames.valid(value)) {
            throw new RedisError("ERR " + attr + " cannot contain spaces, newlines or special characters.");
        }
        if (name) c.conn().libName(value);
        else c.conn().libVersion(value);
        c.reply().ok();
    }

    static void help(CommandContext c) {
        Help.reply(c,
                "CACHING (YES|NO)",
                "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
                "GETREDIR",
                "    Return the client ID we are redirecting to when tracking is enabled.",
                "GETNAME",
                "    Return the name of the current connection.",
                "ID",
                "    Return the ID of the current connection.",
                "INFO",
                "    Return information about the current client connection.",
                "KILL <ip:port>",
                "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]",
                "    Kill connections. Options are:",
                "    * ADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made from the specified address",
                "    * LADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made to specified local address",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Kill connections by type.",
                "    * USER <username>",
                "      Kill connections authenticated by <username>.",
                "    * SKIPME (YES|NO)",
                "      Skip killing current connection (default: yes).",
                "LIST [options ...]",
                "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Return clients of specified type.",
                "UNPAUSE",
                "    Stop the current client pause, resuming traffic.",
                "PAUSE <timeout> [WRITE|ALL]",
                "    Suspend all, or just write, clients for <timeout> milliseconds.",
                "REPLY (ON|OFF|SKIP)",
                "    Control the replies sent to the current connection.",
                "SETNAME <name>",
                "    Assign the name <name> to the current connection.",
                "SETINFO <option> <value>",
                "    Set client meta attr. Options are:",
                "    * LIB-NAME: the client lib name.",
                "    * LIB-VER: the client lib version.",
                "UNBLOCK <clientid> [TIMEOUT|ERROR]",
                "    Unblock the specified blocked client.",
                "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
                "         [OPTIN] [OPTOUT] [NOLOOP]",
                "    Control server assisted client side caching.",
                "TRACKINGINFO",
                "    Report tracking status for the current connection.",
                "NO-EVICT (ON|OFF)",
                "    Protect current client connection from eviction.",
                "NO-TOUCH (ON|OFF)",
                "    Will not touch LRU/LFU stats when this mode is on.");
    }

    // ------------------------------------------------------------------ helpers

    private static void clientType(String name) {
        if (!TYPES.contains(name.toLowerCase(Locale.ROOT))) throw new RedisError("ERR Unknown client type '" + name + "'");
    }

    /** Connected clients in connection order. */
    private static List<Connection> clients(CommandContext c) {
        List<Connection> all = new ArrayList<>(c.node().clients().values());
        all.sort(Comparator.comparingLong(conn -> conn.id));
        return all;
    }

    /**
     * One CLIENT LIST line, Redis 7.0's catClientInfoString fields plus 7.2's lib-name and
     * lib-ver. For the caller, qbuf and argv-mem count the command being run, as Redis still
     * holds it in the query buffer while it runs.
     */
    static StringBuilder line(StringBuilder sb, CommandContext c, Connection conn, long nowMs) {
        boolean self = conn == c.conn();
        long qbuf = conn.queryBufferBytes() + (self ? requestBytes(c) : 0);
        long argvMem = 0;
        if (self) for (int i = 0; i < c.argc(); i++) argvMem += c.len(i);
        long omem = conn.outputBytes();
        StringBuilder flags = new StringBuilder();
        if (conn.isMonitor()) flags.append('O');
        if (conn.isBlocked()) flags.append('b');
        var tracking = conn.tracking();
        if (tracking.on()) flags.append('t');
        if (tracking.brokenRedirect()) flags.append('R');
        if (tracking.bcast()) flags.append('B');
        if (conn.noEvict()) flags.append('e');
        if (conn.noTouch()) flags.append('T');
        if (flags.isEmpty()) flags.append('N');
        return sb.append("id=").append(conn.id)
                .append(" addr=").append(conn.peer())
                .append(" laddr=").append(conn.local())
                .append(" fd=").append(conn.fd())
                .append(" name=").append(conn.name())
                .append(" age=").append((nowMs - conn.createdMs()) / 1000)
                .append(" idle=").append(Math.max(0, nowMs - conn.lastInteractionMs()) / 1000)
                .append(" flags=").append(flags)
                .append(" db=").append(conn.db())
                .append(" sub=0 psub=0 ssub=0 multi=-1")
                .append(" qbuf=").append(qbuf)
                .append(" qbuf-free=0")
                .append(" argv-mem=").append(argvMem)
                .append(" multi-mem=0")
                .append(" rbs=1024 rbp=0 obl=0 oll=0")
                .append(" omem=").append(omem)
                .append(" tot-mem=").append(conn.argumentArenaBytes() + qbuf + omem)
                .append(" events=r").append(omem > 0 ? "w" : "")
                .append(" cmd=").append(conn.lastCommand())
                .append(" user=default redir=").append(tracking.on() ? tracking.redirect() : -1)
                .append(" resp=").append(conn.protocol())
                .append(" lib-name=").append(conn.libName())
                .append(" lib-ver=").append(conn.libVersion());
    }

    /** Size of the running command in RESP multibulk form. */
    private static long requestBytes(CommandContext c) {
        long n = 1 + digits(c.argc()) + 2;
        for (int i = 0; i < c.argc(); i++) n += 1 + digits(c.len(i)) + 2 + c.len(i) + 2;
        return n;
    }

    private static int digits(long v) { return Long.toString(v).length(); }
}
