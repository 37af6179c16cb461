package io.moon.node.server.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pieces of the tracking tables: client id sets, the BCAST prefix table, the node-wide key limit. */
class TrackingStructuresTest {
    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void clientIdsKeepEachIdOnceAsTheyGrow() {
        ClientIds ids = new ClientIds();
        Set<Long> expected = new HashSet<>();
        for (long id = 1; id <= 5000; id += 3) {
            assertThat(ids.add(id)).isTrue();
            expected.add(id);
        }
        for (long id = 1; id <= 5000; id += 3) assertThat(ids.add(id)).isFalse();
        assertThat(ids.size()).isEqualTo(expected.size());
        Set<Long> seen = new HashSet<>();
        ids.forEach(seen::add);
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void prefixTableIsCopiedOnWrite() {
        BroadcastPrefixes table = new BroadcastPrefixes();
        assertThat(table.any()).isFalse();
        assertThat(table.add(b("user:"), 7)).isTrue();
        assertThat(table.add(b("user:"), 7)).isFalse();
        assertThat(table.add(b("user:"), 9)).isTrue();
        assertThat(table.add(b(""), 9)).isTrue();
        BroadcastPrefixes.Prefix[] before = table.snapshot();
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.find(b("user:")).clients()).containsExactly(7, 9);
        byte[] key = b("xuser:1x");
        assertThat(table.find(b("user:")).matches(key, 1, 6)).isTrue();
        assertThat(table.find(b("user:")).matches(key, 1, 4)).isFalse();
        assertThat(table.find(b("")).matches(key, 0, 0)).isTrue();
        table.remove(b("user:"), 7);
        table.remove(b(""), 9);
        assertThat(before).hasSize(2); // a reader's snapshot stays as it was
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.find(b("user:")).clients()).containsExactly(9);
        table.remove(b("user:"), 9);
        assertThat(table.any()).isFalse();
    }

    @Test
    void shardsEvictingAtOnceStopAtTheLimit() throws Exception {
        Map<Long, io.moon.node.server.Connection> none = new ConcurrentHashMap<>();
        Tracking tracking = new Tracking(none);
        tracking.keysAdded(10_000);
        AtomicInteger claimed = new AtomicInteger();
        Thread[] shards = new Thread[4];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new Thread(() -> {
                while (tracking.claimEviction(37)) claimed.incrementAndGet();
            });
            shards[i].start();
        }
        for (Thread t : shards) t.join();
        assertThat(claimed.get()).isEqualTo(10_000 - 37);
        assertThat(tracking.keys()).isEqualTo(37);
    }
}
