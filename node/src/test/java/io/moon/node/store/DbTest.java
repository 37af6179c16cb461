package io.moon.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Expiry in one database: lazy on access, by the active cycle, and kept across moves. */
class DbTest {
    private static final long T0 = 1_800_000_000_000L;

    private Keyspace ks;
    private Db db;
    private EvictionPolicy policy = EvictionPolicy.NOEVICTION;

    @BeforeEach
    void setUp() {
        ks = new Keyspace(0, 16, new Keyspace.Settings() {
            @Override public long maxmemoryPerShard() { return 0; }
            @Override public EvictionPolicy policy() { return policy; }
            @Override public int samples() { return 5; }
            @Override public int lfuLogFactor() { return 10; }
            @Override public int lfuDecayTime() { return 1; }
        });
        ks.setClock(T0);
        db = ks.db(0);
    }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private void set(String key, long expireAt) {
        byte[] k = b(key), v = b("value");
        db.set(Entries.newString(k, 0, k.length, v, 0, v.length, expireAt));
    }

    private Object read(String key) {
        byte[] k = b(key);
        return db.lookupRead(k, 0, k.length);
    }

    @Test
    void anExpiredKeyIsGoneOnAccessAndCounted() {
        set("k", T0 + 1000);
        assertThat(read("k")).isNotNull();
        ks.setClock(T0 + 1000);
        assertThat(read("k")).as("alive up to and including its expiry time, as Redis").isNotNull();
        ks.setClock(T0 + 1001);
        assertThat(read("k")).isNull();
        assertThat(db.size()).isZero();
        assertThat(db.expiresSize()).isZero();
        assertThat(ks.stats.expiredKeys).isEqualTo(1);
        assertThat(db.memory()).isEqualTo(new Db(ks, 1).memory());
    }

    @Test
    void deletingAnExpiredKeyIsAnExpiryNotADelete() {
        set("k", T0 + 10);
        ks.setClock(T0 + 11);
        assertThat(db.delete(b("k"))).isNull();
        assertThat(ks.stats.expiredKeys).isEqualTo(1);
        assertThat(db.size()).isZero();
    }

    @Test
    void setExpireAndPersistKeepTheExpiresTableInStep() {
        set("k", Entries.NO_EXPIRE);
        byte[] k = b("k");
        assertThat(db.expiresSize()).isZero();
        assertThat(db.setExpire(k, 0, 1, T0 + 5000)).isTrue();
        assertThat(db.expiresSize()).isEqualTo(1);
        assertThat(Entries.expireAt(db.peek(k))).isEqualTo(T0 + 5000);
        assertThat(db.setExpire(k, 0, 1, Entries.NO_EXPIRE)).isTrue();
        assertThat(db.expiresSize()).isZero();
        assertThat(Entries.hasExpire(db.peek(k))).isFalse();
        assertThat(db.setExpire(b("missing"), 0, 7, T0)).isFalse();
    }

    @Test
    void overwritingWithoutExpiryClearsTheOldExpiry() {
        set("k", T0 + 100);
        set("k", Entries.NO_EXPIRE);
        assertThat(db.expiresSize()).isZero();
        ks.setClock(T0 + 1000);
        assertThat(read("k")).isNotNull();
    }

    @Test
    void activeExpiryRemovesKeysNobodyReads() {
        for (int i = 0; i < 5000; i++) set("gone:" + i, T0 + 100);
        for (int i = 0; i < 500; i++) set("later:" + i, T0 + 1_000_000);
        for (int i = 0; i < 500; i++) set("kept:" + i, Entries.NO_EXPIRE);
        ks.setClock(T0 + 101);
        for (int cycle = 0; cycle < 100 && db.size() > 1000; cycle++) ks.activeExpireCycle(25_000);
        assertThat(db.size()).isEqualTo(1000);
        assertThat(db.expiresSize()).isEqualTo(500);
        assertThat(ks.stats.expiredKeys).isEqualTo(5000);
        assertThat(ks.stats.expireCycles).isPositive();
    }

    @Test
    void activeExpiryReachesEveryDatabase() {
        for (int d = 0; d < 16; d++) {
            Db other = ks.db(d);
            for (int i = 0; i < 100; i++) {
                byte[] k = b("k" + i), v = b("v");
                other.set(Entries.newString(k, 0, k.length, v, 0, v.length, T0 + 1));
            }
        }
        ks.setClock(T0 + 2);
        for (int cycle = 0; cycle < 50; cycle++) ks.activeExpireCycle(25_000);
        assertThat(ks.keys()).isZero();
    }

    @Test
    void activeExpiryFindsTheLastFewKeysOfASparseTable() {
        for (int i = 0; i < 50_000; i++) set("k" + i, T0 + 1_000_000);
        for (int i = 0; i < 50_000; i++) {
            if (i % 10_000 != 0) db.delete(b("k" + i));
        }
        assertThat(db.expiresSize()).isEqualTo(5);
        ks.setClock(T0 + 1_000_001);
        ks.activeExpireCycle(25_000);
        assertThat(db.size()).isZero();
    }

    @Test
    void scanLeavesOutAndRemovesExpiredKeys() {
        for (int i = 0; i < 100; i++) set("live:" + i, Entries.NO_EXPIRE);
        for (int i = 0; i < 100; i++) set("dead:" + i, T0 + 1);
        ks.setClock(T0 + 2);
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        do {
            cursor = db.scan(cursor, 10, e -> seen.add(new String(Entries.key(e), StandardCharsets.UTF_8)));
        } while (cursor >= 0);
        assertThat(seen).hasSize(100).allMatch(k -> k.startsWith("live:"));
        assertThat(db.size()).isEqualTo(100);
        assertThat(ks.stats.expiredKeys).isEqualTo(100);
    }

    @Test
    void randomLiveNeverReturnsAnExpiredKey() {
        for (int i = 0; i < 50; i++) set("dead:" + i, T0 + 1);
        set("live", Entries.NO_EXPIRE);
        ks.setClock(T0 + 2);
        for (int i = 0; i < 100; i++) {
            Object e = db.randomLive();
            if (e != null) assertThat(new String(Entries.key(e), StandardCharsets.UTF_8)).isEqualTo("live");
        }
        assertThat(db.randomLive()).isNotNull();
        assertThat(db.size()).isLessThan(51);
    }

    @Test
    void lookupReadNoTouchLeavesTheClockAlone() {
        policy = EvictionPolicy.ALLKEYS_LRU;
        set("k", Entries.NO_EXPIRE);
        byte[] k = b("k");
        int created = db.clockOf(k, 0, 1);
        ks.setClock(T0 + 5000);
        assertThat(db.lookupReadNoTouch(k, 0, 1)).isNotNull();
        assertThat(db.clockOf(k, 0, 1)).isEqualTo(created);
        assertThat(ks.stats.keyspaceHits).isEqualTo(1);
        db.lookupRead(k, 0, 1);
        assertThat(AccessClock.idleSeconds(db.clockOf(k, 0, 1), ks.now())).isZero();
        assertThat(AccessClock.idleSeconds(created, ks.now())).isEqualTo(5);
    }

    @Test
    void setWithAClockKeepsIt() {
        set("k", Entries.NO_EXPIRE);
        byte[] k = b("k");
        int clock = db.clockOf(k, 0, 1);
        ks.setClock(T0 + 60_000);
        Object moved = db.delete(k);
        Db other = ks.db(3);
        other.set(moved, clock);
        assertThat(other.clockOf(k, 0, 1)).isEqualTo(clock);
    }

    @Test
    void swapAndClearMoveExpiryWithTheData() {
        set("k", T0 + 10);
        Db other = ks.db(1);
        db.swapWith(other);
        assertThat(db.size()).isZero();
        assertThat(other.expiresSize()).isEqualTo(1);
        ks.setClock(T0 + 11);
        List<Object> none = new ArrayList<>();
        other.forEachLive(none::add);
        assertThat(none).isEmpty();
        other.clear();
        assertThat(other.size()).isZero();
        assertThat(other.expiresSize()).isZero();
    }
}
