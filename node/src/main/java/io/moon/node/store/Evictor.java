package io.moon.node.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Eviction for one shard, after Redis's evict.c: sample {@code maxmemory-samples} keys from each
 * database, keep the best candidates in a pool of 16 ordered by idle score, evict the best one
 * that still exists, and repeat until the shard is within its limit. The random policies pick a
 * random key from the databases in turn.
 */
final class Evictor {
    private Evictor() {}

    private static final int POOL = 16;

    static boolean evict(Keyspace ks, EvictionPolicy policy, int samples, long limit) {
        if (policy == EvictionPolicy.NOEVICTION) return false;
        long start = System.nanoTime();
        List<Object> sample = new ArrayList<>(samples);
        Object[] poolEntry = new Object[POOL];
        long[] poolScore = new long[POOL];
        int[] poolDb = new int[POOL];
        int poolSize = 0;
        int nextDb = 0;
        try {
            while (ks.usedMemory() > limit) {
                Object victim = null;
                Db victimDb = null;
                if (policy.random()) {
                    for (int i = 0; i < ks.databases() && victim == null; i++) {
                        Db db = ks.db((nextDb + i) % ks.databases());
                        sample.clear();
                        db.sample(policy.volatileOnly(), 1, sample);
                        if (!sample.isEmpty()) {
                            victim = sample.get(0);
                            victimDb = db;
                        }
                    }
                    nextDb++;
                } else {
                    for (int d = 0; d < ks.databases(); d++) {
                        Db db = ks.db(d);
                        sample.clear();
                        db.sample(policy.volatileOnly(), samples, sample);
                        for (Object e : sample) {
                            long score = score(ks, db, e, policy);
                            poolSize = insert(poolEntry, poolScore, poolDb, poolSize, e, score, d);
                        }
                    }
                    // Best candidate first that still exists unchanged.
                    while (poolSize > 0 && victim == null) {
                        poolSize--;
                        Object e = poolEntry[poolSize];
                        Db db = ks.db(poolDb[poolSize]);
                        poolEntry[poolSize] = null;
                        byte[] k = Entries.key(e);
                        if (db.main.get(k, 0, k.length, KeyHash.hash(k, 0, k.length)) == e) {
                            victim = e;
                            victimDb = db;
                        }
                    }
                }
                if (victim == null) return false;
                byte[] k = Entries.key(victim);
                victimDb.delete(k, 0, k.length);
                ks.stats.evictedKeys++;
                ks.keyEvicted(victimDb, victim);
            }
            return true;
        } finally {
            ks.stats.evictionTimeMicros += (System.nanoTime() - start) / 1000;
        }
    }

    /** Higher is a better victim: idle seconds, 255 - LFU counter, or time left inverted. */
    private static long score(Keyspace ks, Db db, Object e, EvictionPolicy policy) {
        if (policy == EvictionPolicy.VOLATILE_TTL) return Long.MAX_VALUE - Entries.expireAt(e);
        byte[] k = Entries.key(e);
        int clock = db.clockOf(k, 0, k.length);
        if (policy.lfu()) return 255 - AccessClock.lfuDecayed(clock, ks.now(), ks.lfuDecayTime());
        return AccessClock.idleSeconds(clock, ks.now());
    }

    /** Keeps the pool sorted ascending by score; the best candidate sits at the end. */
    private static int insert(Object[] entry, long[] score, int[] db, int size, Object e, long s, int d) {
        for (int i = 0; i < size; i++) if (entry[i] == e) return size;
        int pos = 0;
        while (pos < size && score[pos] < s) pos++;
        if (size == POOL) {
            if (pos == 0) return size; // worse than everything in a full pool
            // drop the worst (index 0) and shift left up to pos
            System.arraycopy(entry, 1, entry, 0, pos - 1);
            System.arraycopy(score, 1, score, 0, pos - 1);
            System.arraycopy(db, 1, db, 0, pos - 1);
            pos--;
        } else {
            System.arraycopy(entry, pos, entry, pos + 1, size - pos);
            System.arraycopy(score, pos, score, pos + 1, size - pos);
            System.arraycopy(db, pos, db, pos + 1, size - pos);
            size++;
        }
        entry[pos] = e;
        score[pos] = s;
        db[pos] = d;
        return size;
    }
}
