package io.moon.node.persist;

import io.moon.node.persist.wal.WalRecord;
import io.moon.node.persist.wal.WalSegment;
import io.moon.node.util.Progress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery of the write-ahead logs at start-up, in two passes over every shard's segments:
 * <ol>
 *   <li>Scan: check every record, repair a torn tail (see {@link WalSegment#recover}), and note
 *       per shard which transactions are whole (TX_BEGIN ... TX_COMMIT both present).</li>
 *   <li>Replay: apply every record in LSN order, except the records of a transaction that is not
 *       whole on every shard it names: a multi-shard write is all or nothing after a crash.</li>
 * </ol>
 * A transaction is whole everywhere whenever its client got an answer under appendfsync always
 * (the answer waits for every part to be durable); under everysec the newest transactions may be
 * cut, and then are dropped from every shard.
 */
public final class Recovery {
    /** What replaying hands to the store: one command of one shard. */
    @FunctionalInterface
    public interface Applier {
        void apply(int shard, int db, byte[][] argv);
    }

    /** What recovery found, per shard and in total (INFO recovery, the start-up log). */
    public record Report(long[] lastLsn, long[] records, long[] bytesTruncated, long[] replayed,
                         long droppedTransactions, long millis) {}

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {}

    /** Scans and replays the logs of {@code shards} shards under {@code walDir(shard)}. */
    public static Report run(int shards, java.util.function.IntFunction<Path> walDir, boolean salvage, Applier applier)
            throws IOException {
        return run(shards, walDir, new long[shards], salvage, applier);
    }

    /**
     * As above, after snapshots: records at or below {@code fromLsn[shard]} (the snapshot's cut)
     * are already in the snapshot and are skipped. The cut is the same instant for every shard,
     * so a transaction is either wholly in the snapshots or wholly after the cuts.
     */
    public static Report run(int shards, java.util.function.IntFunction<Path> walDir, long[] fromLsn, boolean salvage,
                             Applier applier) throws IOException {
        long t0 = System.currentTimeMillis();
        long[] lastLsn = new long[shards], records = new long[shards], truncated = new long[shards], replayed = new long[shards];
        List<Map<Long, int[]>> whole = new ArrayList<>();
        long logBytes = 0;
        for (int s = 0; s < shards; s++) for (Path seg : segments(walDir.apply(s))) logBytes += Files.size(seg);
        // Pass 1 (shards in parallel): check, repair, collect whole transactions.
        Progress checked = new Progress(log, "Checking the log", "bytes", logBytes);
        IOException[] error = new IOException[1];
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < shards; s++) whole.add(new HashMap<>());
        for (int s = 0; s < shards; s++) {
            int shard = s;
            threads.add(Thread.ofPlatform().name("moon-recover-" + s).start(() -> {
                try {
                    Map<Long, int[]> begun = new HashMap<>();
                    ProgressSteps steps = new ProgressSteps(checked);
                    for (Path seg : segments(walDir.apply(shard))) {
                        boolean last = seg.equals(lastOf(walDir.apply(shard)));
                        var rec = WalSegment.recover(seg, shard, last, salvage, r -> {
                            steps.record(r);
                            if (r.lsn() <= fromLsn[shard]) return;
                            if (r.type() == WalRecord.TX_BEGIN) {
                                ByteBuffer p = r.payload();
                                long txid = p.getLong();
                                int n = Short.toUnsignedInt(p.getShort());
                                int[] parts = new int[n];
                                for (int i = 0; i < n; i++) parts[i] = Short.toUnsignedInt(p.getShort());
                                begun.put(txid, parts);
                            } else if (r.type() == WalRecord.TX_COMMIT) {
                                long txid = r.payload().getLong();
                                int[] parts = begun.remove(txid);
                                if (parts != null) whole.get(shard).put(txid, parts);
                            }
                        });
                        steps.flush();
                        if (rec.lastLsn() > 0) lastLsn[shard] = rec.lastLsn();
                        records[shard] += rec.records();
                        truncated[shard] += rec.bytesTruncated();
                    }
                } catch (IOException e) {
                    synchronized (error) {
                        if (error[0] == null) error[0] = e;
                    }
                }
            }));
        }
        join(threads);
        if (error[0] != null) throw error[0];

        // A transaction applies when every shard it names has it whole.
        Set<Long> apply = new HashSet<>();
        Set<Long> seen = new HashSet<>();
        for (Map<Long, int[]> m : whole) seen.addAll(m.keySet());
        long dropped = 0;
        for (long txid : seen) {
            int[] parts = null;
            for (Map<Long, int[]> m : whole) if (m.containsKey(txid)) parts = m.get(txid);
            boolean ok = true;
            for (int p : parts) ok &= p < shards && whole.get(p).containsKey(txid);
            if (ok) apply.add(txid);
            else dropped++;
        }

        // Pass 2 (shards in parallel): replay. Pass 1 truncated any torn tail: count again.
        logBytes = 0;
        for (int s = 0; s < shards; s++) for (Path seg : segments(walDir.apply(s))) logBytes += Files.size(seg);
        Progress replaying = new Progress(log, "Replaying the log", "bytes", logBytes);
        threads.clear();
        for (int s = 0; s < shards; s++) {
            int shard = s;
            threads.add(Thread.ofPlatform().name("moon-replay-" + s).start(() -> {
                try {
                    long[] inTx = {0}; // txid being replayed, 0 outside, -1 inside a dropped one
                    ProgressSteps steps = new ProgressSteps(replaying);
                    for (Path seg : segments(walDir.apply(shard))) {
                        WalSegment.recover(seg, shard, false, true, r -> {
                            steps.record(r);
                            if (r.lsn() <= fromLsn[shard]) return;
                            switch (r.type()) {
                                case WalRecord.TX_BEGIN -> {
                                    long txid = r.payload().getLong();
                                    inTx[0] = apply.contains(txid) ? txid : -1;
                                }
                                case WalRecord.TX_COMMIT -> inTx[0] = 0;
                                case WalRecord.COMMAND -> {
                                    if (inTx[0] >= 0) {
                                        ByteBuffer p = r.payload();
                                        int db = Short.toUnsignedInt(p.getShort());
                                        int argc = WalRecord.getVarint(p);
                                        byte[][] argv = new byte[argc][];
                                        for (int a = 0; a < argc; a++) {
                                            argv[a] = new byte[WalRecord.getVarint(p)];
                                            p.get(argv[a]);
                                        }
                                        applier.apply(shard, db, argv);
                                        replayed[shard]++;
                                    }
                                }
                                default -> { /* unknown types are refused by version checks */ }
                            }
                        });
                        steps.flush();
                    }
                } catch (IOException e) {
                    synchronized (error) {
                        if (error[0] == null) error[0] = e;
                    }
                }
            }));
        }
        join(threads);
        if (error[0] != null) throw error[0];
        for (int s = 0; s < shards; s++) lastLsn[s] = Math.max(lastLsn[s], fromLsn[s]);
        return new Report(lastLsn, records, truncated, replayed, dropped, System.currentTimeMillis() - t0);
    }

    private static List<Path> segments(Path dir) throws IOException { return WalSegment.list(dir); }

    /** One shard's share of a pass's progress, added in steps so that shards rarely meet on it. */
    private static final class ProgressSteps {
        private static final long STEP = 1 << 20;
        private final Progress progress;
        private long pending;

        ProgressSteps(Progress progress) { this.progress = progress; }

        void record(WalRecord.Read r) {
            pending += r.payload().remaining() + WalRecord.OVERHEAD;
            if (pending >= STEP) flush();
        }

        void flush() {
            progress.add(pending);
            pending = 0;
        }
    }

    private static Path lastOf(Path dir) throws IOException {
        List<Path> all = WalSegment.list(dir);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    private static void join(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
