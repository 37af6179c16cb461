package io.moon.node.server.tracking;

import io.moon.node.server.Connection;
import io.moon.node.server.Shard;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client-side caching for the node (Redis's tracking.c): turns CLIENT TRACKING on and off, keeps
 * the node-wide counts INFO shows, and sends invalidations to clients, through their redirection
 * when they have one. The keys each client may cache live in per-shard {@link TrackingTable}s;
 * docs/architecture.md ("client-side caching") tells how the pieces fit.
 *
 * <p>Thread rules: {@link #enable} and {@link #disable} run on the client's own loop; the rest is
 * called from any thread. Messages reach a client through {@link Connection#invalidate}, which
 * hands them to the client's loop, so they keep their order with its replies.
 */
public final class Tracking {
    private final Map<Long, Connection> clients;
    final BroadcastPrefixes prefixes = new BroadcastPrefixes();
    private final AtomicInteger trackingClients = new AtomicInteger();
    /** Keys in every shard's table (Redis's raxSize(TrackingTable)): what tracking-table-max-keys caps. */
    private final AtomicLong keys = new AtomicLong();
    /** Client ids in every shard's table (Redis's TrackingTableTotalItems). */
    private final AtomicLong items = new AtomicLong();

    public Tracking(Map<Long, Connection> clients) { this.clients = clients; }

    /** INFO tracking_clients. */
    public int clients() { return trackingClients.get(); }
    /** INFO tracking_total_keys. */
    public long keys() { return keys.get(); }
    /** INFO tracking_total_items. */
    public long items() { return items.get(); }
    /** INFO tracking_total_prefixes. */
    public int prefixes() { return prefixes.size(); }

    /**
     * Redis's enableTracking, once CLIENT TRACKING ON's options are checked: sets the mode, and in
     * BCAST mode follows {@code newPrefixes} (the empty prefix, every key, when none is given).
     */
    public void enable(Connection c, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop,
                       List<byte[]> newPrefixes) {
        ClientTracking t = c.tracking();
        if (!t.on()) trackingClients.incrementAndGet();
        t.enable(redirect, bcast, optin, optout, noloop);
        if (!bcast) return;
        if (newPrefixes.isEmpty()) newPrefixes = List.of(new byte[0]);
        for (byte[] p : newPrefixes) {
            if (prefixes.add(p, c.id)) t.prefixes().add(p.clone());
        }
    }

    /**
     * Redis's disableTracking (CLIENT TRACKING OFF, RESET, disconnect): stops following prefixes.
     * The client's id stays in the shards' tables until each key changes or is evicted, as in
     * Redis, where dropping them at once could take long for a client that cached much.
     */
    public void disable(Connection c) {
        ClientTracking t = c.tracking();
        if (!t.on()) return;
        for (byte[] p : t.prefixes()) prefixes.remove(p, c.id);
        t.disable();
        trackingClients.decrementAndGet();
    }

    /**
     * Redis's trackingInvalidateKeysOnFlush (FLUSHALL, FLUSHDB, SWAPDB): every tracking client is
     * told that all keys are invalid (a null key list), and the tables of {@code held} (every shard,
     * when a client runs the command) are emptied. {@code current} is the client whose command
     * flushed: its message follows that command's reply.
     */
    public void flushed(Shard[] held, long current) {
        if (trackingClients.get() > 0) {
            for (Connection c : clients.values()) {
                if (c.tracking().on()) deliver(c, null, c.id == current);
            }
        }
        for (Shard s : held) s.tracking().clear();
    }

    /**
     * A key {@code client} may cache changed (or left the table to keep it under its limit): the
     * message goes unless the client no longer tracks in default mode, or NOLOOP spares it a
     * change of its own (Redis's trackingInvalidateKey).
     */
    void invalidate(long client, byte[][] key, long current) {
        Connection c = clients.get(client);
        if (c == null) return;
        ClientTracking t = c.tracking();
        // A client that switched to BCAST since caching the key is not told about it any more.
        if (!t.on() || t.bcast()) return;
        if (t.noloop() && client == current) return;
        deliver(c, key, client == current);
    }

    /**
     * Redis's sendTrackingMessage: to the client itself, or to its redirection target; when that
     * target has gone, the client learns it (RESP3 only) and the message is lost.
     */
    void deliver(Connection c, byte[][] keys, boolean afterOwnCommand) {
        ClientTracking t = c.tracking();
        long redirect = t.redirect();
        if (redirect == 0) {
            c.invalidate(keys, false, afterOwnCommand);
            return;
        }
        Connection target = clients.get(redirect);
        if (target == null) {
            t.redirectBroken();
            c.trackingRedirectBroken(redirect, afterOwnCommand);
            return;
        }
        target.invalidate(keys, true, afterOwnCommand);
    }

    Connection client(long id) { return clients.get(id); }

    void keysAdded(long n) { keys.addAndGet(n); }
    void keysRemoved(long n) { keys.addAndGet(-n); }
    void itemsAdded(long n) { items.addAndGet(n); }
    void itemsRemoved(long n) { items.addAndGet(-n); }

    /**
     * Takes one key off the node-wide count if it is over {@code max}: a shard evicts a key only
     * after this succeeded, so shards evicting at once never go below the limit together.
     */
    boolean claimEviction(long max) {
        for (long n = keys.get(); n > max; n = keys.get()) {
            if (keys.compareAndSet(n, n - 1)) return true;
        }
        return false;
    }
}
