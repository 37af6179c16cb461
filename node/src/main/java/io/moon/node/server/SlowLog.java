package io.moon.node.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * SLOWLOG entries, newest first, as Redis's slowlog.c: at most 32 arguments kept per entry (the
 * last one saying how many more there were), arguments longer than 128 bytes cut with a note.
 * Shared by all shards; guarded by its own lock (entries are rare by definition).
 */
public final class SlowLog {
    public static final int MAX_ARGC = 32;
    public static final int MAX_ARG_LEN = 128;

    public record Entry(long id, long timeSec, long durationMicros, List<byte[]> args, String peer, String clientName) {}

    private final Deque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    public synchronized void add(long durationMicros, List<byte[]> args, String peer, String name, long maxLen) {
        entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, durationMicros, args, peer, name));
        while (entries.size() > maxLen) entries.removeLast();
    }

    public synchronized List<Entry> get(int count) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (out.size() >= count) break;
            out.add(e);
        }
        return out;
    }

    public synchronized int size() { return entries.size(); }

    public synchronized void reset() { entries.clear(); }

    public synchronized void trim(long maxLen) {
        while (entries.size() > maxLen) entries.removeLast();
    }
}
