package io.moon.node.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * MIGRATE's connections to its targets, kept for reuse as Redis keeps them (cluster.c
 * migrateGetSocket): one per "host:port" as the client wrote them, at most {@value #MAX_ITEMS}
 * (a random one is dropped to make room), closed by the node's cron once unused for more than
 * {@value #TTL_SECONDS} seconds (migrateCloseTimedoutSockets). INFO stats counts them as
 * migrate_cached_sockets.
 *
 * <p>Thread rules: MIGRATE runs on the script thread, which takes a connection out while it talks
 * on it and gives it back afterwards, so the cron (on a shard loop) never closes one in use; the
 * map itself is guarded by this object's lock.
 */
public final class MigrateSockets {
    static final int MAX_ITEMS = 64;
    static final int TTL_SECONDS = 10;

    private final Map<String, MigrateConnection> idle = new HashMap<>();

    /** The cached connection to {@code name}, or a new one connected within {@code timeoutMs}. */
    MigrateConnection take(String name, String host, int port, long timeoutMs) throws IOException {
        synchronized (this) {
            MigrateConnection cached = idle.remove(name);
            if (cached != null) {
                cached.lastUse = System.currentTimeMillis();
                return cached;
            }
        }
        MigrateConnection fresh = MigrateConnection.open(host, port, timeoutMs);
        fresh.lastUse = System.currentTimeMillis();
        return fresh;
    }

    /** Keeps a connection that is still good for the next MIGRATE to {@code name}. */
    synchronized void giveBack(String name, MigrateConnection c) {
        if (!idle.containsKey(name) && idle.size() >= MAX_ITEMS) {
            List<String> names = new ArrayList<>(idle.keySet());
            idle.remove(names.get(ThreadLocalRandom.current().nextInt(names.size()))).close();
        }
        MigrateConnection old = idle.put(name, c);
        if (old != null) old.close();
    }

    /** Connections kept for reuse now (INFO stats migrate_cached_sockets). */
    public synchronized int size() { return idle.size(); }

    /** Closes the connections unused for more than {@value #TTL_SECONDS} seconds (the node's cron, each second). */
    public synchronized void closeIdle() {
        long now = System.currentTimeMillis();
        for (Iterator<MigrateConnection> it = idle.values().iterator(); it.hasNext(); ) {
            MigrateConnection c = it.next();
            if (now - c.lastUse > TTL_SECONDS * 1000L) {
                c.close();
                it.remove();
            }
        }
    }

    /** Closes every kept connection (node shutdown). */
    public synchronized void closeAll() {
        for (MigrateConnection c : idle.values()) c.close();
        idle.clear();
    }
}
