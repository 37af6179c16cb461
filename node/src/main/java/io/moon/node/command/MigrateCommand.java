package io.moon.node.command;

import io.moon.node.config.ServerConfig;
import io.moon.node.protocol.CommandBuffer;
import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username
 * password] [KEYS key ...] (Redis's cluster.c migrateCommand): each key's DUMP payload sent as
 * RESTORE (with its remaining TTL) to another server, then deleted here once the target
 * acknowledged it, unless COPY.
 *
 * <p>As in Redis the network I/O is synchronous, bounded by the timeout at each step: the loop of
 * the keys' shard (of every shard holding one of the keys) waits for the target meanwhile.
 * Connections are kept for reuse ({@link MigrateSockets}); after a failure on a kept connection
 * MIGRATE retries once on a new one unless the failure was a timeout. The deletions are logged
 * as DEL of the keys the target acknowledged, never as the MIGRATE itself.
 */
final class MigrateCommand {
    private MigrateCommand() {}

    static final String KEYS_NEED_EMPTY_KEY =
            "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string";
    static final String CONNECT_FAILED = "IOERR error or timeout connecting to the client";

    private static final byte[] DEL = CommandContext.ascii("DEL");
    private static final byte[] RESTORE = CommandContext.ascii("RESTORE");
    private static final byte[] REPLACE = CommandContext.ascii("REPLACE");

    static void register(CommandTable t) {
        t.add(new CommandSpec("migrate", -6, "write", 3, 3, 1, "@keyspace @dangerous", MigrateCommand::migrate)
                .keys(MigrateCommand::keys)
                .redact(MigrateCommand::secrets)
                .keySpecs(KeySpec.range("RW access delete", 3, 0, 1),
                        KeySpec.keywordRange("RW access delete incomplete", "KEYS", -2, -1, 1, 0))
                .tips("nondeterministic_output")
                .doc("generic", "2.6.0", "Atomically transfer a key from a Redis instance to another one.")
                .complexity("This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the"
                        + " target instance. See the pages of these commands for time complexity. Also an O(N) data"
                        + " transfer between the two instances is performed."));
    }

    /** Redis's migrateGetKeys: the key argument, or the keys after KEYS when the key is empty. */
    private static int keys(CommandBuffer args, int fa, int argc, int[] out) {
        int first = 3, num = argc > 3 ? 1 : 0;
        byte[] b = args.data();
        for (int i = 6; i < argc; i++) {
            int o = args.offset(fa + i), n = args.length(fa + i);
            if (SortPattern.isWord(b, o, n, "keys")) {
                if (args.length(fa + 3) > 0) {
                    num = 0;
                } else {
                    first = i + 1;
                    num = argc - first;
                }
                break;
            }
            if (SortPattern.isWord(b, o, n, "auth")) i += 1;
            else if (SortPattern.isWord(b, o, n, "auth2")) i += 2;
        }
        for (int k = 0; k < num && k < out.length; k++) out[k] = first + k;
        return num;
    }

    /** AUTH's password and AUTH2's username and password, as Redis redacts them. */
    private static boolean[] secrets(ServerConfig config, CommandBuffer args, int fa, int argc) {
        boolean[] secret = null;
        byte[] b = args.data();
        for (int j = 6; j < argc; j++) {
            int o = args.offset(fa + j), n = args.length(fa + j), more = argc - 1 - j;
            int hide = SortPattern.isWord(b, o, n, "auth") && more >= 1 ? 1
                    : SortPattern.isWord(b, o, n, "auth2") && more >= 2 ? 2 : 0;
            if (SortPattern.isWord(b, o, n, "keys")) break;
            if (hide == 0) continue;
            if (secret == null) secret = new boolean[argc];
            for (int k = 1; k <= hide; k++) secret[j + k] = true;
            j += hide;
        }
        return secret;
    }

    /** What the RESTOREs got back. */
    private record Outcome(String targetError, boolean socketError, int answered, boolean timedOut) {}

    static void migrate(CommandContext c) {
        boolean copy = false, replace = false;
        byte[] username = null, password = null;
        int firstKey = 3, numKeys = 1;
        for (int j = 6; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (c.is(j, "copy")) {
                copy = true;
            } else if (c.is(j, "replace")) {
                replace = true;
            } else if (c.is(j, "auth")) {
                if (more == 0) throw RedisError.syntax();
                password = c.arg(++j);
            } else if (c.is(j, "auth2")) {
                if (more < 2) throw RedisError.syntax();
                username = c.arg(++j);
                password = c.arg(++j);
            } else if (c.is(j, "keys")) {
                if (c.len(3) != 0) throw new RedisError(KEYS_NEED_EMPTY_KEY);
                firstKey = j + 1;
                numKeys = c.argc() - j - 1;
                break;
            } else {
                throw RedisError.syntax();
            }
        }
        long timeout = c.longArg(5);
        long dbid = c.longArg(4);
        if (timeout <= 0) timeout = 1000;

        List<Integer> present = new ArrayList<>();
        for (int j = 0; j < numKeys; j++) if (c.lookupRead(firstKey + j) != null) present.add(firstKey + j);
        if (present.isEmpty()) {
            c.reply().simple("NOKEY");
            return;
        }
        String host = c.str(1);
        int port = (int) portNumber(c);
        MigrateSockets sockets = c.node().migrateSockets();

        boolean mayRetry = true;
        while (true) {
            MigrateConnection conn;
            try {
                conn = sockets.take(host, port, timeout);
            } catch (IOException e) {
                throw new RedisError(CONNECT_FAILED);
            }
            boolean select = conn.lastDb != dbid;
            List<Integer> sent = new ArrayList<>();
            byte[] request = request(c, present, sent, username, password, select, dbid, replace);
            boolean writing = true;
            Outcome outcome = null;
            try {
                conn.write(request, timeout);
                writing = false;
                String authReply = password != null ? conn.readLine(timeout) : null;
                String selectReply = select ? conn.readLine(timeout) : null;
                outcome = readReplies(c, conn, sent, authReply, selectReply, copy, timeout);
            } catch (IOException e) {
                conn.close();
                if (mayRetry && !(e instanceof SocketTimeoutException)) {
                    mayRetry = false;
                    continue;
                }
                throw new RedisError("IOERR error or timeout " + (writing ? "writing" : "reading") + " to target instance");
            }
            if (outcome.targetError == null && outcome.socketError && outcome.answered == 0 && mayRetry
                    && !outcome.timedOut()) {
                conn.close();
                mayRetry = false;
                continue;
            }
            // After an error the target's selected database is unknown: SELECT again next time.
            conn.lastDb = outcome.targetError != null ? -1 : dbid;
            if (outcome.socketError) conn.close();
            else sockets.giveBack(host, port, conn);
            if (outcome.targetError != null) {
                throw new RedisError("ERR Target instance replied with error: " + outcome.targetError);
            }
            if (outcome.socketError) throw new RedisError("IOERR error or timeout reading to target instance");
            c.reply().ok();
            return;
        }
    }

    private static long portNumber(CommandContext c) {
        // Redis reads the port with atoi: leading digits, anything else is 0 (and connecting fails).
        long v = 0;
        byte[] b = c.buf();
        int o = c.off(2), n = c.len(2), i = 0;
        while (i < n && Strtod.isSpace(b[o + i])) i++;
        boolean neg = i < n && b[o + i] == '-';
        if (i < n && (b[o + i] == '-' || b[o + i] == '+')) i++;
        for (; i < n && b[o + i] >= '0' && b[o + i] <= '9' && v < 1_000_000; i++) v = v * 10 + (b[o + i] - '0');
        v = neg ? -v : v;
        return v < 0 || v > 65535 ? 0 : v;
    }

    /**
     * AUTH, SELECT and one RESTORE per key still alive with its remaining TTL (keys that expired
     * since the lookup are left out; {@code sent} gets the arguments of those sent).
     */
    private static byte[] request(CommandContext c, List<Integer> keys, List<Integer> sent, byte[] username,
                                  byte[] password, boolean select, long dbid, boolean replace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (password != null) {
            if (username != null) MigrateConnection.appendCommand(out, ascii("AUTH"), username, password);
            else MigrateConnection.appendCommand(out, ascii("AUTH"), password);
        }
        if (select) MigrateConnection.appendCommand(out, ascii("SELECT"), ascii(Long.toString(dbid)));
        ServerConfig config = c.node().config();
        for (int k : keys) {
            Db db = c.db(k);
            Object e = db.peek(c.buf(), c.off(k), c.len(k));
            if (e == null) continue;
            long ttl = 0;
            long at = Entries.expireAt(e);
            if (at != Entries.NO_EXPIRE) {
                ttl = at - c.now();
                if (ttl < 0) continue;
                if (ttl < 1) ttl = 1;
            }
            sent.add(k);
            byte[] payload = DumpRestoreCommands.payload(config, e);
            if (replace) MigrateConnection.appendCommand(out, RESTORE, c.arg(k), ascii(Long.toString(ttl)), payload, REPLACE);
            else MigrateConnection.appendCommand(out, RESTORE, c.arg(k), ascii(Long.toString(ttl)), payload);
        }
        return out.toByteArray();
    }

    /**
     * Reads a reply per RESTORE sent; deletes each key the target took (unless COPY) and logs its
     * DEL. The first error of AUTH, SELECT or a RESTORE is the one reported.
     */
    private static Outcome readReplies(CommandContext c, MigrateConnection conn, List<Integer> sent, String authReply,
                                       String selectReply, boolean copy, long timeout) {
        String targetError = null;
        int j = 0;
        boolean socketError = false, timedOut = false;
        boolean logged = false;
        for (; j < sent.size(); j++) {
            String reply;
            try {
                reply = conn.readLine(timeout);
            } catch (IOException e) {
                socketError = true;
                timedOut = e instanceof SocketTimeoutException;
                break;
            }
            if (authReply != null && authReply.startsWith("-") || selectReply != null && selectReply.startsWith("-")
                    || reply.startsWith("-")) {
                if (targetError == null) {
                    String err = authReply != null && authReply.startsWith("-") ? authReply
                            : selectReply != null && selectReply.startsWith("-") ? selectReply : reply;
                    targetError = err.substring(1);
                }
            } else if (!copy) {
                int k = sent.get(j);
                c.db(k).delete(c.buf(), c.off(k), c.len(k));
                c.notify(KeyspaceEvents.GENERIC, "del", k);
                // Logged per key, so that each DEL goes to its own shard's log.
                if (!logged) c.propagateAs(DEL, c.arg(k));
                else c.alsoPropagate(DEL, c.arg(k));
                logged = true;
            }
        }
        return new Outcome(targetError, socketError, j, timedOut);
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }
}
