package io.moon.node.persist;

import io.moon.node.persist.wal.Wal;
import io.moon.node.protocol.CommandBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what one command (or one EXEC, one script) writes to the logs, and writes it when the
 * outermost command ends, so a multi-command or multi-shard write is one unit in the logs.
 *
 * <p>One shard written: its records are appended as they are. Several shards, or several records
 * of one EXEC or one script: each shard's part is wrapped in TX_BEGIN/TX_COMMIT with one transaction id and the
 * list of shards, and recovery applies the transaction only when every part is whole (see
 * {@link Recovery}).
 *
 * <p>One per executing thread (each shard loop, the script thread); not thread-safe.
 */
public final class Propagator {
    /** A record to write: shard, database, arguments. */
    private record Item(int shard, int db, byte[][] argv) {}

    private final Persistence persistence;
    private final List<Item> items = new ArrayList<>();
    private int depth;
    private boolean atomic;
    /** The last LSN this propagator wrote per shard, for appendfsync always. */
    private final long[] lastLsn;
    /** Counts the ends that wrote something: a caller compares it before and after a command. */
    private long epoch;

    Propagator(Persistence persistence, int shards) {
        this.persistence = persistence;
        this.lastLsn = new long[shards];
    }

    /** Starts a command; nested starts (commands inside EXEC or a script) join the outer one. */
    public void begin(boolean atomicGroup) {
        if (depth++ == 0) {
            items.clear();
            atomic = atomicGroup;
        }
    }

    /** Adds a record: the arguments are copied out of the arena. */
    public void add(int shard, int db, CommandBuffer args, int fa, int argc) {
        byte[][] argv = new byte[argc][];
        for (int a = 0; a < argc; a++) {
            int off = args.offset(fa + a);
            argv[a] = java.util.Arrays.copyOfRange(args.data(), off, off + args.length(fa + a));
        }
        items.add(new Item(shard, db, argv));
    }

    public void add(int shard, int db, byte[][] argv) { items.add(new Item(shard, db, argv)); }

    /** Ends a command; at the outermost end writes everything collected. */
    public void end() {
        if (--depth > 0 || items.isEmpty()) return;
        boolean[] touched = new boolean[lastLsn.length];
        int shardsTouched = 0;
        for (Item it : items) if (!touched[it.shard]) { touched[it.shard] = true; shardsTouched++; }
        boolean wrap = shardsTouched > 1 || (atomic && items.size() > 1);
        long txid = wrap ? persistence.nextTxId() : 0;
        int[] shards = new int[shardsTouched];
        for (int s = 0, j = 0; s < touched.length; s++) if (touched[s]) shards[j++] = s;
        for (int s : shards) {
            Wal wal = persistence.wal(s);
            if (wrap) wal.appendTxBegin(txid, shards);
            long lsn = 0;
            for (Item it : items) if (it.shard == s) lsn = wal.appendCommand(it.db, it.argv);
            if (wrap) lsn = wal.appendTxCommit(txid);
            lastLsn[s] = lsn;
        }
        items.clear();
        epoch++;
    }

    public long epoch() { return epoch; }

    /** The last LSN this propagator wrote to shard {@code s}'s log. */
    public long lastLsn(int s) { return lastLsn[s]; }

    /** True while inside a command (nested commands join it). */
    public boolean active() { return depth > 0; }
}
