package io.moon.node.command;

import io.moon.node.config.ServerConfig;
import io.moon.node.protocol.CommandBuffer;
import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username
 * password] [KEYS key ...] (Redis's cluster.c migrateCommand): each key's DUMP payload sent as
 * RESTORE, with its remaining TTL, to another server, and deleted here once the target took it,
 * unless COPY.
 *
 * <p>As in Redis the network I/O is synchronous, each step (connect, each 64 KB written, each
 * reply line) bounded by the timeout. The row is {@code off_loop}: MIGRATE runs on the script
 * thread with its keys' shards held, so those shards' data waits for the target (Redis's whole
 * server waits) while no shard loop does. Connections are kept for reuse ({@link MigrateSockets});
 * after a failure that is not a timeout, before the target answered anything, MIGRATE retries
 * once on a new connection. The deletions are logged as DEL of the keys the target acknowledged,
 * never as the MIGRATE itself.
 */
final class MigrateCommand {
    private MigrateCommand() {}

    static final String KEYS_NEED_EMPTY_KEY =
            "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string";
    static final String CONNECT_FAILED = "IOERR error or timeout connecting to the client";
    static final String TARGET_ERROR = "ERR Target instance replied with error: ";

    private static final byte[] AUTH = CommandContext.ascii("AUTH");
    private static final byte[] SELECT = CommandContext.ascii("SELECT");
    private static final byte[] RESTORE = CommandContext.ascii("RESTORE");
    private static final byte[] REPLACE = CommandContext.ascii("REPLACE");
    private static final byte[] DEL = CommandContext.ascii("DEL");

    static void register(CommandTable t) {
        t.add(new CommandSpec("migrate", -6, "write off_loop", 3, 3, 1, "@keyspace @dangerous", MigrateCommand::migrate)
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

    /**
     * Redis's migrateGetKeys: the key argument, or the keys after KEYS when the key is empty. The
     * values of AUTH and AUTH2 are skipped, so a password spelled "keys" is not taken for the option.
     */
    private static int keys(CommandBuffer args, int fa, int argc, int[] out) {
        int first = 3, num = 1;
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
            if (SortPattern.isWord(b, o, n, "keys")) break;
            int hide = SortPattern.isWord(b, o, n, "auth") && more >= 1 ? 1
                    : SortPattern.isWord(b, o, n, "auth2") && more >= 2 ? 2 : 0;
            if (hide == 0) continue;
            if (secret == null) secret = new boolean[argc];
            for (int k = 1; k <= hide; k++) secret[j + k] = true;
            j += hide;
        }
        return secret;
    }

    /** The parsed options. */
    private record Options(boolean copy, boolean replace, byte[] username, byte[] password, int firstKey,
                           int numKeys, long dbid, long timeoutMs) {}

    /** What one attempt got back: the first error a target reply carried, and any socket failure. */
    private record Outcome(String targetError, IOException socketError, int answered) {}

    static void migrate(CommandContext c) {
        Options o = options(c);
        List<Integer> present = new ArrayList<>();
        for (int j = 0; j < o.numKeys(); j++) if (c.lookupRead(o.firstKey() + j) != null) present.add(o.firstKey() + j);
        if (present.isEmpty()) {
            // Not an error: the keys have often just expired.
            c.reply().simple("NOKEY");
            return;
        }
        String host = c.str(1);
        String name = host + ":" + c.str(2);
        MigrateSockets sockets = c.node().migrateSockets();
        boolean mayRetry = true;
        while (true) {
            List<Integer> sent = new ArrayList<>();
            // Built before a connection is taken out, so that a value that cannot be dumped fails first.
            byte[] restores = restores(c, o, present, sent);
            MigrateConnection conn;
            try {
                conn = sockets.take(name, host, atoiPort(c), o.timeoutMs());
            } catch (IOException e) {
                throw new RedisError(CONNECT_FAILED);
            }
            boolean kept = false;
            try {
                boolean select = conn.lastDb != o.dbid();
                try {
                    conn.write(setup(o, select), o.timeoutMs());
                    conn.write(restores, o.timeoutMs());
                } catch (IOException e) {
                    if (retry(e, mayRetry)) {
                        mayRetry = false;
                        continue;
                    }
                    throw new RedisError("IOERR error or timeout writing to target instance");
                }
                Outcome outcome;
                try {
                    String authReply = o.password() != null ? conn.readLine(o.timeoutMs()) : null;
                    String selectReply = select ? conn.readLine(o.timeoutMs()) : null;
                    String setupError = error(authReply) != null ? error(authReply) : error(selectReply);
                    outcome = readReplies(c, conn, sent, setupError, o.copy(), o.timeoutMs());
                } catch (IOException e) {
                    if (retry(e, mayRetry)) {
                        mayRetry = false;
                        continue;
                    }
                    throw new RedisError("IOERR error or timeout reading to target instance");
                }
                IOException failure = outcome.socketError();
                if (outcome.targetError() == null && failure != null && outcome.answered() == 0 && retry(failure, mayRetry)) {
                    // Nothing was acknowledged: the cached connection had simply been closed.
                    mayRetry = false;
                    continue;
                }
                if (failure == null) {
                    // After an error the target's selected database is unknown: SELECT again next time.
                    conn.lastDb = outcome.targetError() != null ? -1 : o.dbid();
                    sockets.giveBack(name, conn);
                    kept = true;
                }
                if (outcome.targetError() != null) throw new RedisError(TARGET_ERROR + outcome.targetError());
                if (failure != null) throw new RedisError("IOERR error or timeout reading to target instance");
                c.reply().ok();
                return;
            } finally {
                // A connection that failed in any way is dropped (the next MIGRATE connects anew).
                if (!kept) conn.close();
            }
        }
    }

    /** Redis retries once, and never after a timeout (errno ETIMEDOUT). */
    private static boolean retry(IOException e, boolean mayRetry) {
        return mayRetry && !(e instanceof SocketTimeoutException);
    }

    /** Options in Redis's order: the flags first, then the timeout, then the database. */
    private static Options options(CommandContext c) {
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
        return new Options(copy, replace, username, password, firstKey, numKeys, dbid, timeout <= 0 ? 1000 : timeout);
    }

    /** The port as C's atoi reads it (leading digits; anything else is 0, and connecting fails). */
    private static int atoiPort(CommandContext c) {
        long v = 0;
        byte[] b = c.buf();
        int o = c.off(2), n = c.len(2), i = 0;
        while (i < n && Strtod.isSpace(b[o + i])) i++;
        boolean negative = i < n && b[o + i] == '-';
        if (i < n && (b[o + i] == '-' || b[o + i] == '+')) i++;
        for (; i < n && b[o + i] >= '0' && b[o + i] <= '9' && v < 1_000_000; i++) v = v * 10 + (b[o + i] - '0');
        if (negative) v = -v;
        return v < 0 || v > 65535 ? 0 : (int) v;
    }

    /** AUTH when a password was given, SELECT when the connection has another database selected. */
    private static byte[] setup(Options o, boolean select) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (o.password() != null) {
            if (o.username() != null) MigrateConnection.appendCommand(out, AUTH, o.username(), o.password());
            else MigrateConnection.appendCommand(out, AUTH, o.password());
        }
        if (select) MigrateConnection.appendCommand(out, SELECT, CommandContext.ascii(Long.toString(o.dbid())));
        return out.toByteArray();
    }

    /**
     * One RESTORE per key still alive, with its remaining TTL (a key that expired since the lookup
     * is left out); {@code sent} gets the argument index of each key sent.
     */
    private static byte[] restores(CommandContext c, Options o, List<Integer> keys, List<Integer> sent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ServerConfig config = c.node().config();
        for (int k : keys) {
            Db db = c.db(k);
            Object e = db.peek(c.buf(), c.off(k), c.len(k));
            if (e == null) continue;
            long ttl = 0;
            long at = Entries.expireAt(e);
            if (at != Entries.NO_EXPIRE) {
                ttl = at - System.currentTimeMillis();
                if (ttl < 0) continue;
                if (ttl < 1) ttl = 1;
            }
            sent.add(k);
            byte[] ttlArg = CommandContext.ascii(Long.toString(ttl));
            byte[] payload = DumpRestoreCommands.payload(config, e);
            if (o.replace()) MigrateConnection.appendCommand(out, RESTORE, c.arg(k), ttlArg, payload, REPLACE);
            else MigrateConnection.appendCommand(out, RESTORE, c.arg(k), ttlArg, payload);
        }
        return out.toByteArray();
    }

    /** The error text of a reply line ("-ERR ..." without its '-'), or null. */
    private static String error(String line) {
        return line != null && line.startsWith("-") ? line.substring(1) : null;
    }

    /**
     * Reads a reply per RESTORE sent; deletes each key the target took (unless COPY) and logs its
     * DEL. A failed AUTH or SELECT is the error reported, else the first RESTORE's that failed;
     * as in Redis every reply is still read, and keys the target took are still deleted.
     */
    private static Outcome readReplies(CommandContext c, MigrateConnection conn, List<Integer> sent, String setupError,
                                       boolean copy, long timeoutMs) {
        String targetError = null;
        boolean logged = false;
        int j = 0;
        for (; j < sent.size(); j++) {
            String reply;
            try {
                reply = conn.readLine(timeoutMs);
            } catch (IOException e) {
                return new Outcome(targetError, e, j);
            }
            String err = setupError != null ? setupError : error(reply);
            if (err != null) {
                if (targetError == null) targetError = err;
            } else if (!copy) {
                int k = sent.get(j);
                c.db(k).delete(c.buf(), c.off(k), c.len(k));
                c.notify(KeyspaceEvents.GENERIC, "del", k);
                // One DEL per key, so each goes to the log of its own key's shard.
                if (!logged) c.propagateAs(DEL, c.arg(k));
                else c.alsoPropagate(DEL, c.arg(k));
                logged = true;
            }
        }
        return new Outcome(targetError, null, j);
    }
}
