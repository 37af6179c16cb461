package io.moon.node.store.stream;

import io.moon.node.store.Jvm;
import java.util.Arrays;

/**
 * An ordered map from stream ids to values: the pending entries lists of a consumer group and of
 * its consumers (Redis keeps each in a radix tree keyed by the 128-bit big-endian id).
 *
 * <p>Layout: sorted chunks of at most {@link #CHUNK} entries, each chunk three parallel arrays
 * (ms, seq, value), and a sorted array of the chunks. A lookup is a binary search over the
 * chunks' first ids, then one inside the chunk. Appending past the end (the usual case: new
 * deliveries carry growing ids) opens a new chunk instead of splitting a full one, so an
 * append-only list stays full; removals merge a chunk that fell below a quarter with a neighbour.
 * Per entry this costs 16 bytes of id plus a reference, and no object of its own.
 *
 * <p>A position ({@code long}) is the chunk index in the high half and the index inside the
 * chunk in the low half, -1 for none; any insert or removal invalidates positions.
 *
 * <p>Not thread-safe: owned, with the stream value, by one shard's loop.
 */
final class IdMap<V> {
    static final int CHUNK = 64;
    private static final int FIRST_CAPACITY = 4;

    private static final class Chunk {
        long[] ms, seq;
        Object[] vals;
        int n;

        Chunk(int capacity) {
            ms = new long[capacity];
            seq = new long[capacity];
            vals = new Object[capacity];
        }

        int capacity() { return ms.length; }

        static long bytes(int capacity) {
            return Jvm.objectSize(16) + 2 * Jvm.arraySize(capacity, 8) + Jvm.arraySize(capacity, 4);
        }
    }

    private final Meter meter;
    private Chunk[] chunks = new Chunk[1];
    private int count;
    private int size;
    /** Heap this map holds (also counted in {@link #meter}). */
    private long bytes;

    IdMap(Meter meter) {
        this.meter = meter;
        account(Jvm.objectSize(24) + Jvm.arraySize(1, 4));
    }

    private void account(long delta) {
        bytes += delta;
        meter.add(delta);
    }

    int size() { return size; }

    boolean isEmpty() { return size == 0; }

    /** Everything this map holds, for the owner to subtract when it drops the map. */
    long bytes() { return bytes; }

    /** {@link #bytes} computed from scratch (tests check the running count against it). */
    long recountBytes() {
        long b = Jvm.objectSize(24) + Jvm.arraySize(chunks.length, 4);
        for (int i = 0; i < count; i++) b += Chunk.bytes(chunks[i].capacity());
        return b;
    }

    // ------------------------------------------------------------------ search

    private static int compare(Chunk c, int i, long ms, long seq) {
        return StreamIds.compare(c.ms[i], c.seq[i], ms, seq);
    }

    /** Index of the last chunk whose first id is <= the id, or 0 (the id is below every chunk). */
    private int chunkFor(long ms, long seq) {
        int lo = 0, hi = count - 1, found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(chunks[mid], 0, ms, seq) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Index of the first entry of c that is >= the id (c.n when none is). */
    private static int indexIn(Chunk c, long ms, long seq) {
        int lo = 0, hi = c.n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(c, mid, ms, seq) < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return lo;
    }

    @SuppressWarnings("unchecked")
    V get(long ms, long seq) {
        if (size == 0) return null;
        Chunk c = chunks[chunkFor(ms, seq)];
        int i = indexIn(c, ms, seq);
        return i < c.n && c.ms[i] == ms && c.seq[i] == seq ? (V) c.vals[i] : null;
    }

    /** Position of the first entry >= the id, or -1. */
    long ceiling(long ms, long seq) {
        if (size == 0) return -1;
        int ci = chunkFor(ms, seq);
        int i = indexIn(chunks[ci], ms, seq);
        if (i < chunks[ci].n) return pos(ci, i);
        return ci + 1 < count ? pos(ci + 1, 0) : -1;
    }

    long first() { return size == 0 ? -1 : pos(0, 0); }

    long last() { return size == 0 ? -1 : pos(count - 1, chunks[count - 1].n - 1); }

    long next(long pos) {
        int ci = (int) (pos >>> 32), i = (int) pos + 1;
        if (i < chunks[ci].n) return pos(ci, i);
        return ci + 1 < count ? pos(ci + 1, 0) : -1;
    }

    long msAt(long pos) { return chunks[(int) (pos >>> 32)].ms[(int) pos]; }

    long seqAt(long pos) { return chunks[(int) (pos >>> 32)].seq[(int) pos]; }

    @SuppressWarnings("unchecked")
    V valueAt(long pos) { return (V) chunks[(int) (pos >>> 32)].vals[(int) pos]; }

    private static long pos(int chunk, int index) { return ((long) chunk << 32) | index; }

    // ------------------------------------------------------------------ changes

    /** Inserts or replaces; returns the value replaced, or null. */
    @SuppressWarnings("unchecked")
    V put(long ms, long seq, V value) {
        if (count == 0) {
            Chunk c = newChunk(FIRST_CAPACITY);
            insertChunk(0, c);
            set(c, 0, ms, seq, value);
            c.n = 1;
            size = 1;
            return null;
        }
        int ci = chunkFor(ms, seq);
        Chunk c = chunks[ci];
        int i = indexIn(c, ms, seq);
        if (i < c.n && c.ms[i] == ms && c.seq[i] == seq) {
            V old = (V) c.vals[i];
            c.vals[i] = value;
            return old;
        }
        if (c.n == CHUNK) {
            if (i == CHUNK && ci == count - 1) {
                // Past the end: a fresh chunk keeps this one full.
                Chunk tail = newChunk(FIRST_CAPACITY);
                insertChunk(count, tail);
                c = tail;
                i = 0;
            } else {
                Chunk upper = split(ci);
                if (i > c.n) {
                    i -= c.n;
                    c = upper;
                }
            }
        } else if (c.n == c.capacity()) {
            grow(c, Math.min(CHUNK, c.capacity() * 2));
        }
        System.arraycopy(c.ms, i, c.ms, i + 1, c.n - i);
        System.arraycopy(c.seq, i, c.seq, i + 1, c.n - i);
        System.arraycopy(c.vals, i, c.vals, i + 1, c.n - i);
        set(c, i, ms, seq, value);
        c.n++;
        size++;
        return null;
    }

    @SuppressWarnings("unchecked")
    V remove(long ms, long seq) {
        if (size == 0) return null;
        int ci = chunkFor(ms, seq);
        Chunk c = chunks[ci];
        int i = indexIn(c, ms, seq);
        if (i >= c.n || c.ms[i] != ms || c.seq[i] != seq) return null;
        V old = (V) c.vals[i];
        System.arraycopy(c.ms, i + 1, c.ms, i, c.n - i - 1);
        System.arraycopy(c.seq, i + 1, c.seq, i, c.n - i - 1);
        System.arraycopy(c.vals, i + 1, c.vals, i, c.n - i - 1);
        c.n--;
        c.vals[c.n] = null;
        size--;
        if (c.n == 0) {
            removeChunk(ci);
        } else if (c.n < CHUNK / 4) {
            mergeWithNeighbour(ci);
        }
        return old;
    }

    private static void set(Chunk c, int i, long ms, long seq, Object v) {
        c.ms[i] = ms;
        c.seq[i] = seq;
        c.vals[i] = v;
    }

    private Chunk newChunk(int capacity) {
        account(Chunk.bytes(capacity));
        return new Chunk(capacity);
    }

    private void grow(Chunk c, int capacity) {
        account(Chunk.bytes(capacity) - Chunk.bytes(c.capacity()));
        c.ms = Arrays.copyOf(c.ms, capacity);
        c.seq = Arrays.copyOf(c.seq, capacity);
        c.vals = Arrays.copyOf(c.vals, capacity);
    }

    /** Moves the upper half of full chunk ci into a new chunk after it; returns the new chunk. */
    private Chunk split(int ci) {
        Chunk c = chunks[ci];
        int half = c.n / 2;
        Chunk upper = newChunk(CHUNK);
        int moved = c.n - half;
        System.arraycopy(c.ms, half, upper.ms, 0, moved);
        System.arraycopy(c.seq, half, upper.seq, 0, moved);
        System.arraycopy(c.vals, half, upper.vals, 0, moved);
        Arrays.fill(c.vals, half, c.n, null);
        upper.n = moved;
        c.n = half;
        insertChunk(ci + 1, upper);
        return upper;
    }

    private void mergeWithNeighbour(int ci) {
        int into = -1;
        if (ci + 1 < count && chunks[ci].n + chunks[ci + 1].n <= CHUNK * 3 / 4) into = ci;
        else if (ci > 0 && chunks[ci - 1].n + chunks[ci].n <= CHUNK * 3 / 4) into = ci - 1;
        if (into < 0) return;
        Chunk a = chunks[into], b = chunks[into + 1];
        int total = a.n + b.n;
        if (total > a.capacity()) grow(a, Math.min(CHUNK, Math.max(total, a.capacity() * 2)));
        System.arraycopy(b.ms, 0, a.ms, a.n, b.n);
        System.arraycopy(b.seq, 0, a.seq, a.n, b.n);
        System.arraycopy(b.vals, 0, a.vals, a.n, b.n);
        a.n = total;
        removeChunk(into + 1);
    }

    private void insertChunk(int at, Chunk c) {
        if (count == chunks.length) {
            int grown = chunks.length * 2;
            account(Jvm.arraySize(grown, 4) - Jvm.arraySize(chunks.length, 4));
            chunks = Arrays.copyOf(chunks, grown);
        }
        System.arraycopy(chunks, at, chunks, at + 1, count - at);
        chunks[at] = c;
        count++;
    }

    private void removeChunk(int at) {
        account(-Chunk.bytes(chunks[at].capacity()));
        System.arraycopy(chunks, at + 1, chunks, at, count - at - 1);
        chunks[--count] = null;
        if (count > 0 && count < chunks.length / 4) {
            int shrunk = Math.max(1, chunks.length / 2);
            account(Jvm.arraySize(shrunk, 4) - Jvm.arraySize(chunks.length, 4));
            chunks = Arrays.copyOf(chunks, shrunk);
        }
    }
}
