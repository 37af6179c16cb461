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
        reply.target(out, protocol);
        return this;
    }

    /** Set while EXEC runs its queued commands: blocking commands answer at once instead of blocking. */
    public void inExec(boolean v) { this.inExec = v; }
    public boolean inExec() { return inExec; }

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
}
