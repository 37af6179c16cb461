package io.moon.node.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * MIGRATE's connections to its targets, kept for reuse as Redis keeps them (cluster.c
 * migrateGetSocket): one per "host:port", at most {@value #MAX_ITEMS} (a random one is dropped
 * for a new one), closed once unused for more than {@value #TTL_SECONDS} seconds (checked when
 * the cache is used or counted: INFO stats migrate_cached_sockets).
 *
 * <p>Shared by the node's shard loops: a connection is taken out while a MIGRATE uses it (another
 * shard migrating to the same target meanwhile opens its own) and put back afterwards, keeping
 * the newest when two come back for one target.
 */
public final class MigrateSockets {
    static final int MAX_ITEMS = 64;
    static final int TTL_SECONDS = 10;

    private final Map<String, MigrateConnection> idle = new HashMap<>();

    /** A cached connection to the target, or a new one connected within {@code timeoutMs}. */
    MigrateConnection take(String host, int port, long timeoutMs) throws IOException {
        String name = host + ":" + port;
        synchronized (this) {
            closeExpired();
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

    /** Returns a connection that is still good, for the next MIGRATE to this target. */
    synchronized void giveBack(String host, int port, MigrateConnection c) {
        String name = host + ":" + port;
        MigrateConnection old = idle.put(name, c);
        if (old != null) old.close();
        if (idle.size() > MAX_ITEMS) {
            List<String> names = new ArrayList<>(idle.keySet());
            names.remove(name);
            String victim = names.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(names.size()));
            idle.remove(victim).close();
        }
    }

    /** Connections kept for reuse now (INFO stats migrate_cached_sockets). */
    public synchronized int size() {
        closeExpired();
        return idle.size();
    }

    /** Closes every kept connection (node shutdown). */
    public synchronized void closeAll() {
        for (MigrateConnection c : idle.values()) c.close();
        idle.clear();
    }

    private void closeExpired() {
        long now = System.currentTimeMillis();
        for (Iterator<MigrateConnection> it = idle.values().iterator(); it.hasNext(); ) {
            MigrateConnection c = it.next();
            if (now - c.lastUse > TTL_SECONDS * 1000L) {
                c.close();
                it.remove();
            }
        }
    }
}
