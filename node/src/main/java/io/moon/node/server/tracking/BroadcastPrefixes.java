package io.moon.node.server.tracking;

import java.util.Arrays;

/**
 * The prefixes clients in BCAST mode follow, and who follows each (Redis's PrefixTable, minus the
 * keys changed per prefix, which each shard keeps in its {@link TrackingTable}). One table for the
 * node: a client registers from its own loop, and every shard reads it on each write.
 *
 * <p>Copy on write: readers take the array in one volatile read and never lock; changes (CLIENT
 * TRACKING, disconnects) are rare and serialised. A key written after a CLIENT TRACKING ... BCAST
 * answered sees the new prefix, whatever shard owns it.
 */
final class BroadcastPrefixes {
    /** One prefix and the ids of the clients that follow it; never changed once published. */
    record Prefix(byte[] bytes, long[] clients) {
        boolean matches(byte[] k, int off, int len) {
            return bytes.length <= len && Arrays.equals(bytes, 0, bytes.length, k, off, off + bytes.length);
        }
    }

    private static final Prefix[] NONE = {};
    private volatile Prefix[] all = NONE;

    /** True when some client follows a prefix: every changed key must then be matched. */
    boolean any() { return all.length > 0; }

    Prefix[] snapshot() { return all; }

    int size() { return all.length; }

    Prefix find(byte[] prefix) {
        for (Prefix p : all) if (Arrays.equals(p.bytes, prefix)) return p;
        return null;
    }

    /** Redis's enableBcastTrackingForPrefix: false when the client followed it already. */
    synchronized boolean add(byte[] prefix, long client) {
        Prefix[] now = all;
        for (int i = 0; i < now.length; i++) {
            if (!Arrays.equals(now[i].bytes, prefix)) continue;
            for (long c : now[i].clients) if (c == client) return false;
            long[] clients = Arrays.copyOf(now[i].clients, now[i].clients.length + 1);
            clients[clients.length - 1] = client;
            Prefix[] next = now.clone();
            next[i] = new Prefix(now[i].bytes, clients);
            all = next;
            return true;
        }
        Prefix[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = new Prefix(prefix.clone(), new long[] {client});
        all = next;
        return true;
    }

    /** The client stops following the prefix; the prefix goes when nobody follows it. */
    synchronized void remove(byte[] prefix, long client) {
        Prefix[] now = all;
        for (int i = 0; i < now.length; i++) {
            if (!Arrays.equals(now[i].bytes, prefix)) continue;
            long[] clients = Arrays.stream(now[i].clients).filter(c -> c != client).toArray();
            Prefix[] next;
            if (clients.length == 0) {
                next = new Prefix[now.length - 1];
                System.arraycopy(now, 0, next, 0, i);
                System.arraycopy(now, i + 1, next, i, now.length - i - 1);
            } else {
                next = now.clone();
                next[i] = new Prefix(now[i].bytes, clients);
            }
            all = next;
            return;
        }
    }
}
