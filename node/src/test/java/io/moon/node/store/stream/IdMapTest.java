package io.moon.node.store.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The pending-list map against a TreeMap model: random puts, removals, lookups and walks. */
class IdMapTest {
    /** An id as a model key, ordered as Redis orders ids (unsigned halves). */
    record Id(long ms, long seq) implements Comparable<Id> {
        @Override
        public int compareTo(Id o) { return StreamIds.compare(ms, seq, o.ms, o.seq); }
    }

    @Test
    void randomOperationsMatchATreeMap() {
        Random rnd = new Random(42);
        for (int round = 0; round < 20; round++) {
            Meter meter = new Meter();
            IdMap<String> map = new IdMap<>(meter);
            TreeMap<Id, String> model = new TreeMap<>();
            int range = 1 + rnd.nextInt(round < 10 ? 50 : 5000);
            for (int op = 0; op < 4000; op++) {
                Id id = randomId(rnd, range);
                int kind = rnd.nextInt(10);
                if (kind < 5) {
                    String v = "v" + op;
                    assertThat(map.put(id.ms, id.seq, v)).isEqualTo(model.put(id, v));
                } else if (kind < 8) {
                    assertThat(map.remove(id.ms, id.seq)).isEqualTo(model.remove(id));
                } else {
                    assertThat(map.get(id.ms, id.seq)).isEqualTo(model.get(id));
                    Map.Entry<Id, String> ceil = model.ceilingEntry(id);
                    long p = map.ceiling(id.ms, id.seq);
                    if (ceil == null) {
                        assertThat(p).isEqualTo(-1);
                    } else {
                        assertThat(new Id(map.msAt(p), map.seqAt(p))).isEqualTo(ceil.getKey());
                        assertThat(map.valueAt(p)).isEqualTo(ceil.getValue());
                    }
                }
                assertThat(map.size()).isEqualTo(model.size());
            }
            assertThat(walk(map)).isEqualTo(new ArrayList<>(model.keySet()));
            assertThat(map.bytes()).isEqualTo(map.recountBytes()).isEqualTo(meter.bytes);
            for (Id id : new ArrayList<>(model.keySet())) map.remove(id.ms, id.seq);
            assertThat(map.size()).isZero();
            assertThat(map.first()).isEqualTo(-1);
            assertThat(map.bytes()).isEqualTo(map.recountBytes());
        }
    }

    @Test
    void appendingInOrderKeepsChunksFull() {
        Meter meter = new Meter();
        IdMap<Integer> map = new IdMap<>(meter);
        int n = IdMap.CHUNK * 100;
        for (int i = 0; i < n; i++) map.put(1000 + i, 0, i);
        // Full chunks: about 16 bytes of id and a 4-byte reference per entry, plus chunk headers.
        assertThat(map.bytes()).isLessThan(n * 24L);
        assertThat(walk(map)).hasSize(n);
        assertThat(map.valueAt(map.last())).isEqualTo(n - 1);
    }

    @Test
    void unsignedIdsSortAfterSignedOnes() {
        IdMap<String> map = new IdMap<>(new Meter());
        map.put(-1L, -1L, "max");
        map.put(0, 0, "zero");
        map.put(Long.MAX_VALUE, 5, "mid");
        assertThat(map.valueAt(map.first())).isEqualTo("zero");
        assertThat(map.valueAt(map.last())).isEqualTo("max");
        assertThat(map.valueAt(map.ceiling(Long.MAX_VALUE, 6))).isEqualTo("max");
    }

    private static Id randomId(Random rnd, int range) {
        long ms = rnd.nextInt(range);
        if (rnd.nextInt(50) == 0) ms = -1L - rnd.nextInt(3); // near UINT64_MAX
        return new Id(ms, rnd.nextInt(4));
    }

    private static List<Id> walk(IdMap<?> map) {
        List<Id> out = new ArrayList<>();
        for (long p = map.first(); p >= 0; p = map.next(p)) out.add(new Id(map.msAt(p), map.seqAt(p)));
        return out;
    }
}
