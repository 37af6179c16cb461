package io.moon.node.store.stream;

import static io.moon.node.store.stream.StreamValueTest.append;
import static io.moon.node.store.stream.StreamValueTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.persist.rdb.DumpPayload;
import io.moon.node.persist.rdb.RdbStream;
import io.moon.node.persist.rdb.RdbValue;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The stream value to and from the RDB model ({@link RdbStream}) that DUMP, RESTORE and RDB files
 * go through: round trips keep entries, counters, groups, pending entries and consumers; the
 * model's bytes (Redis's RDB_TYPE_STREAM_LISTPACKS_2) decode back to the same value; and a payload
 * Redis 5 dumped (from Redis's own stream-cgroups test) loads with 7.0's derived counters.
 */
class StreamValueRdbTest {
    @Test
    void roundTripKeepsEverything() throws Exception {
        StreamValue s = sample();
        RdbStream r = s.toRdb();
        assertThat(r.entries()).hasSize((int) s.length());
        StreamValue back = StreamValue.fromRdb(r, 4096, 3);
        assertThat(render(back)).isEqualTo(render(s));
        assertThat(back.memoryUsage()).isEqualTo(back.recountMemory());

        // Through the bytes of a DUMP payload as well: the codec checks the model's consistency.
        RdbValue decoded = DumpPayload.read(DumpPayload.create(r));
        StreamValue fromBytes = StreamValue.fromRdb((RdbStream) decoded, 4096, 100);
        assertThat(render(fromBytes)).isEqualTo(render(s));
    }

    @Test
    void anEmptyStreamWithOnlyCountersSurvives() throws Exception {
        StreamValue s = new StreamValue();
        append(s, 5, 5, List.of("a", "b"), 4096, 100);
        s.delete(5, 5);
        s.setIds(9, 0, 7, 5, 5);
        s.createGroup(bytes("g"), 9, 0, ConsumerGroup.INVALID_ENTRIES_READ);
        StreamValue back = StreamValue.fromRdb((RdbStream) DumpPayload.read(DumpPayload.create(s.toRdb())), 4096, 100);
        assertThat(render(back)).isEqualTo(render(s));
        assertThat(back.length()).isZero();
        assertThat(back.lag(back.group(bytes("g")))).isZero();
    }

    @Test
    void loadsAStreamRedisFiveDumped() throws Exception {
        // XADD x 1-0..6-0, XDEL x 3-0, XGROUP CREATE x g1 0, XGROUP CREATE x g2 0,
        // XREADGROUP GROUP g1 c11 COUNT 4 STREAMS x >, XTRIM x MAXLEN = 2 (on Redis 5).
        byte[] payload = HexFormat.of().parseHex(""
            + "0F011000000000000000010000000000000000C3404A4057165700000023000201040101018464617461050001030100"
            + "20010381610204200A0001400A0062600A0002400A0063600A4022018164200A4039200A0065600A0005400A0066200A"
            + "00FF02060002026731050004000000000000000100000000000000003EF783437A010000010000000000000002000000"
            + "00000000003EF783437A01000001000000000000000400000000000000003EF783437A01000001000000000000000500"
            + "000000000000003EF783437A0100000101036331313EF783437A01000004000000000000000100000000000000000000"
            + "000000000002000000000000000000000000000000040000000000000000000000000000000500000000000000000267"
            + "320000000009003D52EF6867521DFA");
        assertThat(DumpPayload.verify(payload)).isTrue();
        StreamValue s = StreamValue.fromRdb((RdbStream) DumpPayload.read(payload), 4096, 100);
        assertThat(s.length()).isEqualTo(2);
        assertThat(StreamIds.toString(s.maxDeletedMs(), s.maxDeletedSeq())).isEqualTo("0-0");
        assertThat(s.entriesAdded()).isEqualTo(2);
        ConsumerGroup g1 = s.group(bytes("g1")), g2 = s.group(bytes("g2"));
        assertThat(g1.entriesRead()).isEqualTo(1);
        assertThat(s.lag(g1)).isEqualTo(1);
        assertThat(g2.entriesRead()).isZero();
        assertThat(s.lag(g2)).isEqualTo(2);
        assertThat(g1.pendingCount()).isEqualTo(4);
        assertThat(g1.consumer(bytes("c11"), false, 0).pendingCount()).isEqualTo(4);
    }

    @Test
    void randomStreamsRoundTrip() throws Exception {
        Random rnd = new Random(3);
        for (int round = 0; round < 30; round++) {
            StreamValue s = new StreamValue();
            int n = rnd.nextInt(300);
            for (int j = 1; j <= n; j++) {
                append(s, j, rnd.nextInt(3), List.of("f" + rnd.nextInt(2), "v" + j), 4096, 1 + rnd.nextInt(20));
            }
            for (int j = 0; j < n / 5; j++) s.delete(1 + rnd.nextInt(Math.max(1, n)), rnd.nextInt(3));
            int groups = rnd.nextInt(3);
            for (int g = 0; g < groups; g++) {
                ConsumerGroup group = s.createGroup(bytes("g" + g), 0, 0, rnd.nextBoolean() ? 0 : -1);
                StreamCursor c = s.cursor();
                int consumers = 1 + rnd.nextInt(3);
                while (c.next() && rnd.nextInt(4) != 0) {
                    Consumer who = group.consumer(bytes("c" + rnd.nextInt(consumers)), false, 0);
                    if (who == null) who = group.createConsumer(bytes("c" + rnd.nextInt(consumers)), rnd.nextInt(1000));
                    if (who == null) continue;
                    s.groupRead(group, c.entry().ms(), c.entry().seq());
                    group.delivered(who, c.entry().ms(), c.entry().seq(), rnd.nextInt(100_000));
                }
            }
            StreamValue back = StreamValue.fromRdb((RdbStream) DumpPayload.read(DumpPayload.create(s.toRdb())), 4096, 100);
            assertThat(render(back)).isEqualTo(render(s));
        }
    }

    private static StreamValue sample() {
        StreamValue s = new StreamValue();
        for (int j = 1; j <= 20; j++) append(s, 100 + j, j % 3, List.of("temp", "" + j, "unit", j % 2 == 0 ? "C" : "F"), 4096, 3);
        append(s, 200, 0, List.of("other", "shape"), 4096, 3);
        s.delete(105, 2);
        s.delete(101, 1);
        ConsumerGroup g = s.createGroup(bytes("readers"), 0, 0, 0);
        Consumer a = g.createConsumer(bytes("alice"), 1_000), b = g.createConsumer(bytes("bob"), 2_000);
        g.createConsumer(bytes("idle"), 3_000);
        StreamCursor c = s.cursor();
        int k = 0;
        while (c.next() && k++ < 8) {
            s.groupRead(g, c.entry().ms(), c.entry().seq());
            g.delivered(k % 2 == 0 ? a : b, c.entry().ms(), c.entry().seq(), 5_000 + k);
        }
        g.ack(102, 2);
        s.createGroup(bytes("late"), 200, 0, ConsumerGroup.INVALID_ENTRIES_READ);
        return s;
    }

    /** Everything a stream value shows, as text. */
    static String render(StreamValue s) {
        StringBuilder sb = new StringBuilder();
        sb.append("len=").append(s.length()).append(" last=").append(StreamIds.toString(s.lastMs(), s.lastSeq()))
                .append(" first=").append(StreamIds.toString(s.firstMs(), s.firstSeq()))
                .append(" maxdel=").append(StreamIds.toString(s.maxDeletedMs(), s.maxDeletedSeq()))
                .append(" added=").append(s.entriesAdded()).append('\n');
        for (StreamValueTest.Entry e : StreamValueTest.read(s.cursor())) sb.append(e).append('\n');
        long[] id = new long[2];
        for (ConsumerGroup g : s.groups()) {
            sb.append("group ").append(text(g.name())).append(' ').append(StreamIds.toString(g.lastMs(), g.lastSeq()))
                    .append(" read=").append(g.entriesRead()).append(" lag=").append(s.lag(g)).append('\n');
            id[0] = id[1] = 0;
            for (PendingEntry pe = g.nextPending(0, 0, id); pe != null; ) {
                sb.append("  pel ").append(StreamIds.toString(id[0], id[1])).append(' ').append(text(pe.consumer().name()))
                        .append(' ').append(pe.deliveryTime()).append(' ').append(pe.deliveryCount()).append('\n');
                pe = StreamIds.increment(id) ? g.nextPending(id[0], id[1], id) : null;
            }
            for (Consumer c : g.consumers()) {
                sb.append("  consumer ").append(text(c.name())).append(" seen=").append(c.seenTime())
                        .append(" pending=").append(c.pendingCount()).append('\n');
            }
        }
        return sb.toString();
    }

    private static String text(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
}
