package io.moon.node.command;

import io.moon.node.cluster.KeySlot;
import io.moon.node.protocol.CommandBuffer;
import io.moon.node.protocol.Doubles;
import io.moon.node.protocol.Reply;
import io.moon.node.server.Connection;
import io.moon.node.server.Node;
import io.moon.node.server.Shard;
import io.moon.node.store.Db;
import io.moon.node.store.Keyspace;
import io.moon.node.store.ObjectEntry;
import io.moon.node.store.TypedValue;
import io.moon.node.pubsub.KeyspaceEvents;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a handler sees of the command it runs: arguments read in place from the connection's
 * {@link CommandBuffer}, the database (or, for keys spread over shards, the database of each
 * key's shard), the reply writer, the client and the node.
 *
 * <p>One instance per event loop, re-pointed at each command before its handler runs; handlers
 * must not keep it. Argument index 0 is the command name.
 */
public final class CommandContext {
    private CommandBuffer args;
    private int first;
    private int argc;
    private Shard shard;
    private boolean multiShard;
    private Shard[] held;
    private int dbIndex;
    private Connection conn;
    private CommandSpec spec;
    private final Reply reply = new Reply();
    private Node node;
    private boolean inExec;
    /** The window slot of the command (for blocking), or -1. */
    private int slot = -1;
    /** Non-null while a blocked client's command is re-run to serve it. */
    private Object serving;
    /** What the command kept when it blocked, when it runs again; null on a first run. */
    private Object kept;
    /** The handler blocked (or, re-run to serve its client, found nothing and stays blocked). */
    private boolean blocked;
    /** What the command logs instead of itself (Redis's rewriteClientCommandVector/alsoPropagate). */
    private java.util.List<byte[][]> propagation;
    private boolean replaceOwn;
    private boolean toNodeLog;
    /** Called by a script (redis.call): Redis's CLIENT_SCRIPT. */
    private boolean fromScript;

    public CommandContext bind(Node node, CommandBuffer args, int first, int argc, CommandSpec spec, Shard shard,
                               Shard[] held, int dbIndex, Connection conn, io.netty.buffer.ByteBuf out, int protocol) {
        this.node = node;
        this.args = args;
        this.first = first;
        this.argc = argc;
        this.spec = spec;
        this.shard = shard;
        this.multiShard = held != null;
        this.held = held;
        this.dbIndex = dbIndex;
        this.conn = conn;
        this.propagation = null;
        this.replaceOwn = false;
        this.toNodeLog = false;
        this.fromScript = false;
        reply.target(out, protocol);
        return this;
    }

    /** Set when a script called the command (redis.call, redis.pcall). */
    public void fromScript(boolean v) { this.fromScript = v; }

    /** True when a script called the command (Redis's CLIENT_SCRIPT flag). */
    public boolean fromScript() { return fromScript; }

    /** Set while EXEC runs its queued commands: blocking commands answer at once instead of blocking. */
    public void inExec(boolean v) { this.inExec = v; }

    /** Set by the dispatcher for each command: its window slot and, when re-run to serve a blocked client, that client. */
    public void blockingState(int slot, Object serving, Object kept) {
        this.slot = slot;
        this.serving = serving;
        this.kept = kept;
        this.blocked = false;
    }

    public int slot() { return slot; }
    /** Non-null when this run serves a blocked client (its command runs again): see {@link #block}. */
    public Object serving() { return serving; }
    /** True when the handler called {@link #block}: the command has no reply yet. */
    public boolean blocked() { return blocked; }
    public void markBlocked() { this.blocked = true; }
    public boolean inExec() { return inExec; }

    /**
     * Logs (and will replicate) {@code argv} instead of the command as it was sent, for commands
     * whose effect depends on the clock or chance: relative expiry becomes PXAT/PEXPIREAT, a
     * random pop becomes the removal of what was popped. Several calls log several commands.
     * Keys in argv[1] pick the shard whose log gets it.
     */
    public void propagateAs(byte[]... argv) {
        replaceOwn = true;
        alsoPropagate(argv);
    }

    /** Logs {@code argv} besides the command itself (Redis's alsoPropagate). */
    public void alsoPropagate(byte[]... argv) {
        if (propagation == null) propagation = new java.util.ArrayList<>(2);
        propagation.add(argv);
    }

    /**
     * Logs the command as it was sent, in shard 0's log whatever shards it ran on: node-wide state
     * (function libraries) is kept in one log, so recovery applies its changes once and in order,
     * and shard 0's snapshot holds that state as it was at the cut.
     */
    public void propagateToNodeLog() {
        replaceOwn = true;
        toNodeLog = true;
    }

    /** True when the command is logged in shard 0's log (see {@link #propagateToNodeLog}). */
    public boolean propagatesToNodeLog() { return toNodeLog; }

    /**
     * True while recovery replays a logged command (there is no client): like Redis's
     * mustObeyClient, what was accepted once is applied again without the client limits.
     */
    public boolean fromLog() { return conn == null; }

    /** Commands to log added by the handler, or null. */
    public java.util.List<byte[][]> propagation() { return propagation; }

    /** True when the handler replaced its own logged form. */
    public boolean replacesOwnPropagation() { return replaceOwn; }

    /** Argument i as a byte[] for building a logged command (a copy). */
    public static byte[] ascii(String s) { return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII); }

    /**
     * True when the command is replayed from the write-ahead log (no client): the log-only
     * options Moon writes into its own records (XCLAIM and XGROUP CREATECONSUMER's SEENTIME) are
     * accepted then, and only then.
     */
    public boolean replaying() { return conn == null; }

    public int argc() { return argc; }
    public byte[] buf() { return args.data(); }
    public int off(int i) { return args.offset(first + i); }
    public int len(int i) { return args.length(first + i); }
    public CommandSpec spec() { return spec; }
    public Reply reply() { return reply; }
    public Node node() { return node; }
    /** The client. Connection state may be changed only by {@link CommandFlags#CONNECTION} commands. */
    public Connection conn() { return conn; }
    /** The shard whose loop runs this command (for multi-shard commands, one of them). */
    public Shard shard() { return shard; }
    public boolean multiShard() { return multiShard; }
    /** Every shard this command holds when it runs multi-shard; null when it runs on one shard. */
    public Shard[] held() { return held; }
    public int dbIndex() { return dbIndex; }
    public long now() { return shard.keyspace().now(); }

    /** The selected database on this command's shard. */
    public Db db() { return shard.keyspace().db(dbIndex); }

    /** The selected database on the shard of the key at argument {@code keyArg}. */
    public Db db(int keyArg) { return multiShard ? dbOfKey(keyArg, dbIndex) : db(); }

    /** Database {@code index} on the shard of the key at argument {@code keyArg}. */
    public Db dbOfKey(int keyArg, int index) {
        Keyspace ks = multiShard ? node.shardOfSlot(KeySlot.slot(buf(), off(keyArg), len(keyArg))).keyspace()
                : shard.keyspace();
        return ks.db(index);
    }

    public byte[] arg(int i) {
        int o = off(i);
        return Arrays.copyOfRange(args.data(), o, o + len(i));
    }

    public String str(int i) { return new String(args.data(), off(i), len(i), StandardCharsets.UTF_8); }

    /** Case-insensitive compare with an ASCII word given in lower case. */
    public boolean is(int i, String lowerWord) {
        int n = len(i);
        if (n != lowerWord.length()) return false;
        byte[] b = args.data();
        int o = off(i);
        for (int k = 0; k < n; k++) {
            int c = b[o + k];
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != lowerWord.charAt(k)) return false;
        }
        return true;
    }

    /** The argument as a 64-bit integer, or Redis's "value is not an integer" error. */
    public long longArg(int i) { return longArg(i, RedisError.NOT_INTEGER); }

    public long longArg(int i, String error) {
        long v = Numbers.parseLong(args.data(), off(i), len(i));
        if (v == Numbers.NOT_A_NUMBER && !Numbers.isLong(args.data(), off(i), len(i))) throw new RedisError(error);
        return v;
    }

    /** The argument as a double, or Redis's "value is not a valid float" error. */
    public double doubleArg(int i) {
        double d = Doubles.parse(args.data(), off(i), len(i));
        if (Double.isNaN(d)) throw new RedisError(RedisError.NOT_FLOAT);
        return d;
    }

    /** Lookup for reading the key at argument i: hits/misses counted, lazily expired. */
    public Object lookupRead(int i) { return db(i).lookupRead(buf(), off(i), len(i)); }

    /** Lookup before writing the key at argument i. */
    public Object lookupWrite(int i) { return db(i).lookupWrite(buf(), off(i), len(i)); }

    // ---------------------------------------------------------------- the type API of handlers

    /**
     * The value of the key at argument i for reading, when it is a {@code type}; null when the key
     * does not exist; WRONGTYPE when it holds another type.
     */
    public <T extends TypedValue> T readValue(int i, Class<T> type) { return typed(lookupRead(i), type); }

    /** As {@link #readValue}, with a write lookup (before changing the value). */
    public <T extends TypedValue> T writeValue(int i, Class<T> type) { return typed(lookupWrite(i), type); }

    private static <T extends TypedValue> T typed(Object e, Class<T> type) {
        if (e == null) return null;
        if (e instanceof ObjectEntry oe && type.isInstance(oe.value)) return type.cast(oe.value);
        throw RedisError.wrongType();
    }

    /** Stores {@code v} as the new value of the key at argument i (replacing any value, dropping any expiry). */
    public void storeValue(int i, TypedValue v) { db(i).set(new ObjectEntry(arg(i), v)); }

    /**
     * After a handler changed the value of the key at argument i in place (Redis's
     * signalModifiedKey and dirty++): re-counts memory, tells WATCHers, and deletes the key when
     * the value became empty. Returns false when the key was deleted.
     */
    public boolean valueChanged(int i) { return db(i).valueChanged(buf(), off(i), len(i)); }

    /**
     * After a change Redis does not signal as a modification of the key (dirty++ only, no WATCH:
     * a stream's consumer groups): re-counts the value's memory.
     */
    public void valueResized(int i) { db(i).valueResized(buf(), off(i), len(i)); }

    /**
     * A keyspace notification (Redis's notifyKeyspaceEvent) for the key at argument i:
     * {@code type} is one of {@link KeyspaceEvents}'s classes, {@code event} the event name
     * ("lpush", "del", "expire"...).
     */
    public void notify(int type, String event, int i) { notifyIn(dbIndex, type, event, i); }

    /** As {@link #notify}, for a key in database {@code db} (MOVE, COPY ... DB). */
    public void notifyIn(int db, int type, String event, int i) {
        KeyspaceEvents events = node.keyspaceEvents();
        if (events.enabled(type)) events.publish(type, event, db, arg(i));
    }

    /**
     * Redis's signalKeyAsReady: the key at argument i may now serve clients blocked on it
     * (a push to a list, an add to a sorted set or stream). Served after this command finishes.
     */
    public void signalKeyAsReady(int i) { shardOfKey(i).blocking().signalReady(dbIndex, arg(i)); }

    /**
     * True when this command may block its client (not inside EXEC or a script). A handler that
     * finds nothing to serve and may block calls {@link #block} and writes no reply.
     */
    public boolean mayBlock() { return !inExec && slot >= 0; }

    /**
     * Blocks the client on the keys at the given arguments until one of them is signalled ready
     * (the command then runs again from the start, on the key's shard) or {@code timeoutMs}
     * passes (0 = forever), when {@code onTimeout} is the reply. The handler must not reply.
     *
     * <p>When the command runs again to serve the client ({@link #serving} non-null), it should
     * serve it from the keys it waits on and touch only those and the keys it does not wait on
     * (BLMOVE's destination): it runs on the ready key's shard, where waited keys of other shards
     * read as absent. Finding nothing, it calls block again and stays blocked where it was (its
     * place in the queue and its deadline kept).
     */
    public void block(long timeoutMs, TimeoutReply onTimeout, int... keyArgs) {
        conn.block(this, timeoutMs, onTimeout, keyArgs, null, false);
    }

    /**
     * As {@link #block}, for a command that reads without taking (XREAD, XREADGROUP): when it
     * runs again and finds nothing, later waiters on the key are still tried; and {@code kept}
     * (what it resolved when it first ran, such as XREAD's {@code $} ids) comes back from
     * {@link #blockedState()} each time it runs again.
     */
    public void blockReader(long timeoutMs, TimeoutReply onTimeout, Object kept, int... keyArgs) {
        conn.block(this, timeoutMs, onTimeout, keyArgs, kept, true);
    }

    /**
     * What a command that blocked with {@link #blockReader} kept, when it runs again to be served
     * (on a key's shard, or with all its shards held); null when the command runs for the first time.
     */
    public Object blockedState() { return kept; }

    /** What a blocked command answers when its timeout passes. */
    public enum TimeoutReply { NULL_ARRAY, NULL_BULK }

    /** The shard that owns the key at argument i. */
    /**
     * False when the key at argument i lives on a shard this run does not hold: a blocked client
     * served on a ready key's shard sees its keys of other shards as absent (see {@link #block}).
     */
    public boolean keyHeld(int i) {
        return multiShard || node.shardOfSlot(KeySlot.slot(buf(), off(i), len(i))) == shard;
    }

    public Shard shardOfKey(int i) {
        return multiShard ? node.shardOfSlot(KeySlot.slot(buf(), off(i), len(i))) : shard;
    }
}
