package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.testing.NodeProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Bitmaps and HyperLogLogs changed in place survive real crashes: through the write-ahead log
 * (in-place changes, growth, BITOP and PFMERGE across shards), and through a snapshot taken while
 * the same keys change in place, where a snapshot that saw a change made after its cut would
 * have it applied twice on recovery.
 */
class BitsAndHyperLogLogDurabilityIT {
    @TempDir
    Path tmp;

    private static Jedis connect(NodeProcess n) { return new Jedis("127.0.0.1", n.port(), 30_000); }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** Every key's value; a HyperLogLog without its cached cardinality, which PFCOUNT writes unlogged. */
    private static Map<String, List<Byte>> values(Jedis j, List<String> keys) {
        Map<String, List<Byte>> out = new LinkedHashMap<>();
        for (String k : keys) {
            byte[] v = j.get(b(k));
            if (v != null && v.length >= 16 && v[0] == 'H' && v[1] == 'Y' && v[2] == 'L' && v[3] == 'L') {
                Arrays.fill(v, 8, 16, (byte) 0);
            }
            out.put(k, v == null ? null : toList(v));
        }
        return out;
    }

    private static List<Byte> toList(byte[] v) {
        Byte[] boxed = new Byte[v.length];
        for (int i = 0; i < v.length; i++) boxed[i] = v[i];
        return List.of(boxed);
    }

    @Test
    void changesInPlaceAndAcrossShardsSurviveAKill() throws Exception {
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "4", "appendfsync", "always")) {
            assertThat(node.start()).isTrue();
            List<String> keys = List.of("bm:a", "bm:b", "bm:c", "bm:d", "hl:a", "hl:b", "hl:c", "hl:d");
            Map<String, List<Byte>> before;
            Map<String, Long> counts = new LinkedHashMap<>();
            Random r = new Random(8);
            try (Jedis j = connect(node)) {
                for (int step = 0; step < 1500; step++) {
                    String bm = keys.get(r.nextInt(4)), hl = keys.get(4 + r.nextInt(4));
                    switch (r.nextInt(8)) {
                        case 0 -> j.setbit(bm, r.nextInt(r.nextBoolean() ? 64 : 50_000), r.nextBoolean());
                        case 1 -> j.bitfield(bm, "OVERFLOW", "SAT", "INCRBY", "i7", Integer.toString(r.nextInt(4000)), "5",
                                "SET", "u3", "#" + r.nextInt(100), Integer.toString(r.nextInt(8)));
                        case 2 -> j.bitop(redis.clients.jedis.args.BitOP.values()[r.nextInt(3)], bm, keys.get(r.nextInt(4)),
                                keys.get(r.nextInt(4)));
                        case 3, 4 -> j.pfadd(hl, "e" + r.nextInt(40_000), "e" + r.nextInt(40_000), "f" + step);
                        case 5 -> j.pfcount(hl);
                        case 6 -> j.pfmerge(hl, keys.get(4 + r.nextInt(4)), keys.get(4 + r.nextInt(4)));
                        default -> j.bitfield("bm:fresh" + step % 7, "OVERFLOW", "FAIL", "SET", "u2", "8", "9");
                    }
                }
                List<String> all = new java.util.ArrayList<>(keys);
                for (int i = 0; i < 7; i++) all.add("bm:fresh" + i);
                keys = all;
                before = values(j, keys);
                for (int i = 4; i < 8; i++) counts.put(keys.get(i), j.pfcount(keys.get(i)));
            }
            node.kill();
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                Map<String, List<Byte>> after = values(j, keys);
                for (String k : keys) {
                    List<Byte> was = before.get(k), is = after.get(k);
                    assertThat(is == null ? null : is.size()).as("length of %s", k).isEqualTo(was == null ? null : was.size());
                    if (is != null) {
                        for (int i = 0; i < is.size(); i++) assertThat(is.get(i)).as("%s byte %d", k, i).isEqualTo(was.get(i));
                    }
                }
                for (Map.Entry<String, Long> e : counts.entrySet()) assertThat(j.pfcount(e.getKey())).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void aSnapshotTakenWhileValuesChangeInPlaceRecoversEachChangeOnce() throws Exception {
        int n = 30_000;
        try (NodeProcess node = new NodeProcess(tmp.resolve("snap"), "shards", "4", "appendfsync", "always")) {
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                Pipeline p = j.pipelined();
                for (int i = 0; i < n; i++) {
                    p.setbit("k:" + i, 8 * 40 - 1, true); // 40 bytes, changed in place below
                    if (i % 10 == 0) p.pfadd("h:" + i, "a", "b", "c");
                }
                p.sync();
                j.configSet("hll-sparse-max-bytes", "0"); // dense HyperLogLogs change in place too
                Pipeline q = j.pipelined();
                for (int i = 0; i < n; i += 10) q.pfadd("h:" + i, "d");
                q.sync();
            }
            Map<String, List<Byte>> hlls;
            List<String> hllKeys = new java.util.ArrayList<>();
            for (int i = 0; i < n; i += 10) hllKeys.add("h:" + i);
            try (Jedis saver = connect(node); Jedis writer = connect(node)) {
                Thread save = Thread.ofPlatform().start(() -> assertThat(saver.save()).isEqualTo("OK"));
                Pipeline p = writer.pipelined();
                for (int i = 0; i < n; i++) {
                    p.bitfield("k:" + i, "INCRBY", "u8", "0", "1");
                    if (i % 10 == 0) p.pfadd("h:" + i, "e-" + i);
                }
                p.sync();
                save.join();
                hlls = values(writer, hllKeys);
            }
            node.kill();
            assertThat(node.start()).isTrue();
            try (Jedis j = connect(node)) {
                Pipeline p = j.pipelined();
                List<redis.clients.jedis.Response<List<Long>>> got = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) got.add(p.bitfieldReadonly("k:" + i, "GET", "u8", "0", "GET", "u1", "319"));
                p.sync();
                for (int i = 0; i < n; i++) assertThat(got.get(i).get()).as("k:%d", i).containsExactly(1L, 1L);
                assertThat(values(j, hllKeys)).isEqualTo(hlls);
            }
        }
    }
}
