package io.moon.node.store.stream;

import io.moon.node.store.Jvm;
import java.util.Arrays;
import java.util.Collection;
import java.util.TreeMap;

/**
 * A consumer group of a stream (Redis's streamCG): the last id delivered to it, its logical read
 * counter, its pending entries list (PEL) and its consumers by name, in byte order as Redis's
 * radix tree lists them.
 *
 * <p>Every pending entry is in the group's list and in its owner's, as one shared
 * {@link PendingEntry}; the methods here keep both lists and the owner link in step.
 *
 * <p>Not thread-safe: owned, with the stream value, by one shard's loop.
 */
public final class ConsumerGroup {
    /** Redis's SCG_INVALID_ENTRIES_READ: the read counter is unknown. */
    public static final long INVALID_ENTRIES_READ = -1;
    /** What one consumer costs in the name map, besides the consumer (a TreeMap entry). */
    private static final long MAP_ENTRY_BYTES = Jvm.objectSize(4 * 5 + 1);

    final byte[] name;
    long lastMs, lastSeq;
    long entriesRead;
    final IdMap<PendingEntry> pel;
    final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);
    private final Meter meter;

    ConsumerGroup(byte[] name, long lastMs, long lastSeq, long entriesRead, Meter meter) {
        this.name = name;
        this.lastMs = lastMs;
        this.lastSeq = lastSeq;
        this.entriesRead = entriesRead;
        this.meter = meter;
        this.pel = new IdMap<>(meter);
        meter.add(shellBytes(name));
    }

    static long shellBytes(byte[] name) {
        return Jvm.objectSize(4 + 8 + 8 + 8 + 4 + 4 + 4) + Jvm.arraySize(name.length) + Jvm.objectSize(24);
    }

    /** Everything the group holds (for the stream to subtract when the group goes). */
    long bytes() { return bytes(false); }

    /** {@link #bytes}, with each pending list recounted from scratch when {@code recount}. */
    long bytes(boolean recount) {
        long b = shellBytes(name) + (recount ? pel.recountBytes() : pel.bytes()) + pel.size() * PendingEntry.BYTES;
        for (Consumer c : consumers.values()) {
            b += Consumer.shellBytes(c.name) + MAP_ENTRY_BYTES + (recount ? c.pel.recountBytes() : c.pel.bytes());
        }
        return b;
    }

    public byte[] name() { return name; }
    public long lastMs() { return lastMs; }
    public long lastSeq() { return lastSeq; }
    public long entriesRead() { return entriesRead; }
    public int pendingCount() { return pel.size(); }
    public int consumerCount() { return consumers.size(); }

    /** Consumers in name order. */
    public Collection<Consumer> consumers() { return consumers.values(); }

    /** XGROUP SETID and the like: the last delivered id and the read counter. */
    public void setLastId(long ms, long seq, long entriesRead) {
        this.lastMs = ms;
        this.lastSeq = seq;
        this.entriesRead = entriesRead;
    }

    /** Redis's streamLookupConsumer: the consumer or null; a found one is seen now unless {@code refresh} is false. */
    public Consumer consumer(byte[] name, boolean refresh, long now) {
        Consumer c = consumers.get(name);
        if (c != null && refresh) c.seenTime = now;
        return c;
    }

    /** Redis's streamCreateConsumer: a new consumer, or null when one has that name. */
    public Consumer createConsumer(byte[] name, long now) {
        if (consumers.containsKey(name)) return null;
        Consumer c = new Consumer(name, now, meter);
        consumers.put(name, c);
        meter.add(Consumer.shellBytes(name) + MAP_ENTRY_BYTES);
        return c;
    }

    /** Redis's streamDelConsumer: drops the consumer and its pending entries; returns how many it had. */
    public int deleteConsumer(Consumer c) {
        int pending = c.pel.size();
        for (long p = c.pel.first(); p >= 0; p = c.pel.next(p)) {
            pel.remove(c.pel.msAt(p), c.pel.seqAt(p));
            meter.add(-PendingEntry.BYTES);
        }
        consumers.remove(c.name);
        meter.add(-(Consumer.shellBytes(c.name) + MAP_ENTRY_BYTES + c.pel.bytes()));
        return pending;
    }

    // ------------------------------------------------------------------ pending entries

    public PendingEntry pending(long ms, long seq) { return pel.get(ms, seq); }

    /**
     * The first pending entry of the group at or after the id, writing its id into
     * {@code idOut[0..1]}; null when there is none.
     */
    public PendingEntry nextPending(long ms, long seq, long[] idOut) { return next(pel, ms, seq, idOut); }

    /** The last pending entry of the group, its id in {@code idOut}; null when the list is empty. */
    public PendingEntry lastPending(long[] idOut) {
        long p = pel.last();
        if (p < 0) return null;
        idOut[0] = pel.msAt(p);
        idOut[1] = pel.seqAt(p);
        return pel.valueAt(p);
    }

    static PendingEntry next(IdMap<PendingEntry> map, long ms, long seq, long[] idOut) {
        long p = map.ceiling(ms, seq);
        if (p < 0) return null;
        idOut[0] = map.msAt(p);
        idOut[1] = map.seqAt(p);
        return map.valueAt(p);
    }

    /** XACK of one id: true when it was pending. */
    public boolean ack(long ms, long seq) {
        PendingEntry pe = pel.remove(ms, seq);
        if (pe == null) return false;
        if (pe.consumer != null) pe.consumer.pel.remove(ms, seq);
        meter.add(-PendingEntry.BYTES);
        return true;
    }

    /**
     * A read by {@code c} delivered this entry (XREADGROUP without NOACK, Redis's
     * streamReplyWithRange): a new pending entry, or, when the entry was pending already (after
     * XGROUP SETID moved the group back), given to {@code c} with its delivery count reset to 1.
     */
    public void delivered(Consumer c, long ms, long seq, long now) {
        PendingEntry pe = pel.get(ms, seq);
        if (pe == null) {
            pe = new PendingEntry(now, 1, c);
            pel.put(ms, seq, pe);
            c.pel.put(ms, seq, pe);
            meter.add(PendingEntry.BYTES);
            return;
        }
        if (pe.consumer != c) {
            if (pe.consumer != null) pe.consumer.pel.remove(ms, seq);
            c.pel.put(ms, seq, pe);
            pe.consumer = c;
        }
        pe.deliveryTime = now;
        pe.deliveryCount = 1;
    }

    /** XCLAIM FORCE: a pending entry with no owner yet, to be given one by {@link #assign}. */
    public PendingEntry createUnowned(long ms, long seq, long now) {
        PendingEntry pe = new PendingEntry(now, 1, null);
        pel.put(ms, seq, pe);
        meter.add(PendingEntry.BYTES);
        return pe;
    }

    /** Gives a pending entry to consumer c (XCLAIM, XAUTOCLAIM), moving it from its old owner's list. */
    public void assign(PendingEntry pe, long ms, long seq, Consumer c) {
        if (pe.consumer == c) return;
        if (pe.consumer != null) pe.consumer.pel.remove(ms, seq);
        c.pel.put(ms, seq, pe);
        pe.consumer = c;
    }

    /** Sets a pending entry's delivery time and count (XCLAIM's IDLE/TIME/RETRYCOUNT). */
    public static void setDelivery(PendingEntry pe, long time, long count) {
        pe.deliveryTime = time;
        pe.deliveryCount = count;
    }

    ConsumerGroup copy(Meter m) {
        ConsumerGroup g = new ConsumerGroup(name, lastMs, lastSeq, entriesRead, m);
        for (Consumer c : consumers.values()) {
            Consumer nc = g.createConsumer(c.name, c.seenTime);
            for (long p = c.pel.first(); p >= 0; p = c.pel.next(p)) {
                PendingEntry pe = c.pel.valueAt(p);
                PendingEntry copied = new PendingEntry(pe.deliveryTime, pe.deliveryCount, nc);
                g.pel.put(c.pel.msAt(p), c.pel.seqAt(p), copied);
                nc.pel.put(c.pel.msAt(p), c.pel.seqAt(p), copied);
                m.add(PendingEntry.BYTES);
            }
        }
        return g;
    }
}
