package io.moon.node.persist;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.testing.NodeProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamPendingEntry;
import redis.clients.jedis.resps.Tuple;

/**
 * Every data type under real SIGKILLs with appendfsync always: writers change strings, hashes,
 * sets, lists, sorted sets, bitmaps, HyperLogLogs, geo sets and streams with a consumer group
 * through real clients while a model follows each acknowledged change; the node is killed at
 * random moments, restarted, and every key must be exactly as the model says (the one change in
 * flight per writer when the node died may or may not be there, as it was never acknowledged). Snapshots are taken along the way
 * (save rules), so recovery also runs from a snapshot plus the log after it.
 */
class EveryTypeCrashIT {
    @TempDir
    Path tmp;

    private static final int WRITERS = 4;
    private static final String[] TYPES = {"str", "hash", "set", "list", "zset", "bits", "hll", "geo", "stream"};

    /** What one writer's keys should hold: a canonical text per key. */
    static final class Model {
        final int id;
        final StringBuilder str = new StringBuilder();
        final TreeMap<String, String> hash = new TreeMap<>();
        final TreeSet<String> set = new TreeSet<>();
        final LinkedList<String> list = new LinkedList<>();
        final TreeMap<String, Double> zset = new TreeMap<>();
        final BitSet bits = new BitSet();
        final TreeSet<String> hll = new TreeSet<>();
        final TreeSet<String> geo = new TreeSet<>();
        /** The stream: live entries by id (ms, seq 1), whether group g exists, its last id and pending ids. */
        final TreeMap<Long, String> stream = new TreeMap<>();
        boolean group;
        long nextId = 1, groupLast;
        final TreeSet<Long> pending = new TreeSet<>();

        Model(int id) { this.id = id; }

        String key(String type) { return "w" + id + ":" + type; }

        /** The model's text for one type, as {@link #read} would read it from the node. */
        String expected(String type) {
            return switch (type) {
                case "str" -> str.isEmpty() ? "null" : str.toString();
                case "hash" -> hash.toString();
                case "set" -> set.toString();
                case "list" -> list.toString();
                case "zset" -> {
                    List<String> byScore = new ArrayList<>(zset.keySet());
                    byScore.sort((a, b) -> zset.get(a).equals(zset.get(b)) ? a.compareTo(b) : Double.compare(zset.get(a), zset.get(b)));
                    List<String> out = new ArrayList<>();
                    for (String m : byScore) out.add(m + "=" + zset.get(m));
                    yield out.toString();
                }
                case "bits" -> bits.toString();
                case "hll" -> Integer.toString(hll.size());
                case "geo" -> geo.toString();
                case "stream" -> group ? stream + " last " + groupLast + " pending " + pending : "none";
                default -> throw new IllegalArgumentException(type);
            };
        }

        Model copy() {
            Model m = new Model(id);
            m.str.append(str);
            m.hash.putAll(hash);
            m.set.addAll(set);
            m.list.addAll(list);
            m.zset.putAll(zset);
            m.bits.or(bits);
            m.hll.addAll(hll);
            m.geo.addAll(geo);
            m.stream.putAll(stream);
            m.group = group;
            m.nextId = nextId;
            m.groupLast = groupLast;
            m.pending.addAll(pending);
            return m;
        }
    }

    /** A change: the command sent, the type it touches, and what it does to the model. */
    record Change(String type, String[] command, Consumer<Model> apply) {}

    private static Change randomChange(Model m, Random r) {
        String type = TYPES[r.nextInt(TYPES.length)];
        String k = m.key(type);
        String e = "e" + r.nextInt(30);
        return switch (type) {
            case "str" -> {
                String piece = Integer.toString(r.nextInt(1000)) + ",";
                yield new Change(type, new String[] {"APPEND", k, piece}, x -> x.str.append(piece));
            }
            case "hash" -> r.nextInt(3) == 0
                    ? new Change(type, new String[] {"HDEL", k, e}, x -> x.hash.remove(e))
                    : new Change(type, new String[] {"HSET", k, e, "v" + r.nextInt(100)}, x -> x.hash.put(e, null));
            case "set" -> r.nextInt(3) == 0
                    ? new Change(type, new String[] {"SREM", k, e}, x -> x.set.remove(e))
                    : new Change(type, new String[] {"SADD", k, e}, x -> x.set.add(e));
            case "list" -> r.nextInt(3) == 0
                    ? new Change(type, new String[] {"LPOP", k}, x -> x.list.pollFirst())
                    : new Change(type, new String[] {"RPUSH", k, e}, x -> x.list.addLast(e));
            case "zset" -> {
                if (r.nextInt(3) == 0) yield new Change(type, new String[] {"ZREM", k, e}, x -> x.zset.remove(e));
                double score = r.nextInt(40) / 4.0;
                yield new Change(type, new String[] {"ZADD", k, Double.toString(score), e}, x -> x.zset.put(e, score));
            }
            case "bits" -> {
                int bit = r.nextInt(4000);
                boolean on = r.nextInt(4) != 0;
                yield new Change(type, new String[] {"SETBIT", k, Integer.toString(bit), on ? "1" : "0"}, x -> x.bits.set(bit, on));
            }
            case "hll" -> new Change(type, new String[] {"PFADD", k, e}, x -> x.hll.add(e));
            case "geo" -> {
                String lon = String.format("%.4f", -170 + r.nextDouble() * 340), lat = String.format("%.4f", -80 + r.nextDouble() * 160);
                yield new Change(type, new String[] {"GEOADD", k, lon, lat, e}, x -> x.geo.add(e));
            }
            case "stream" -> streamChange(m, k, e, r);
            default -> throw new IllegalArgumentException(type);
        };
    }

    /**
     * A stream change whose effect the model can tell without its reply: the group first (with
     * MKSTREAM), then XADD with the next id (sometimes trimming exactly), XDEL, XREADGROUP of new
     * entries (their ids become pending, the group's last id moves) and XACK.
     */
    private static Change streamChange(Model m, String k, String e, Random r) {
        if (!m.group) {
            return new Change("stream", new String[] {"XGROUP", "CREATE", k, "g", "0", "MKSTREAM"}, x -> x.group = true);
        }
        long id = m.nextId;
        return switch (r.nextInt(6)) {
            case 0 -> new Change("stream", new String[] {"XADD", k, "MAXLEN", "=", "20", id + "-1", "f", e}, x -> {
                x.stream.put(id, e);
                x.nextId = id + 1;
                while (x.stream.size() > 20) x.stream.pollFirstEntry();
            });
            case 1 -> {
                List<Long> live = new ArrayList<>(m.stream.keySet());
                long gone = live.isEmpty() ? id : live.get(r.nextInt(live.size()));
                yield new Change("stream", new String[] {"XDEL", k, gone + "-1"}, x -> x.stream.remove(gone));
            }
            case 2 -> new Change("stream", new String[] {"XREADGROUP", "GROUP", "g", "c" + r.nextInt(3), "COUNT", "2",
                    "STREAMS", k, ">"}, x -> {
                for (int n = 0; n < 2 && x.stream.higherKey(x.groupLast) != null; n++) {
                    x.groupLast = x.stream.higherKey(x.groupLast);
                    x.pending.add(x.groupLast);
                }
            });
            case 3 -> {
                long acked = m.pending.isEmpty() ? id : m.pending.first();
                yield new Change("stream", new String[] {"XACK", k, "g", acked + "-1"}, x -> x.pending.remove(acked));
            }
            default -> new Change("stream", new String[] {"XADD", k, id + "-1", "f", e}, x -> {
                x.stream.put(id, e);
                x.nextId = id + 1;
            });
        };
    }

    /** One key as the node holds it, in the model's canonical text. */
    private static String read(Jedis j, Model m, String type) {
        String k = m.key(type);
        return switch (type) {
            case "str" -> String.valueOf(j.get(k));
            case "hash" -> {
                TreeMap<String, String> fields = new TreeMap<>();
                for (String f : j.hkeys(k)) fields.put(f, null); // values are free: fields are what HSET/HDEL decide
                yield fields.toString();
            }
            case "set" -> new TreeSet<>(j.smembers(k)).toString();
            case "list" -> j.lrange(k, 0, -1).toString();
            case "zset" -> {
                List<String> out = new ArrayList<>();
                for (Tuple t : j.zrangeWithScores(k, 0, -1)) out.add(t.getElement() + "=" + t.getScore());
                yield out.toString();
            }
            case "bits" -> {
                byte[] raw = j.get(k.getBytes());
                BitSet b = new BitSet();
                if (raw != null) for (int i = 0; i < raw.length * 8; i++) if ((raw[i / 8] & (0x80 >> (i % 8))) != 0) b.set(i);
                yield b.toString();
            }
            // Small HyperLogLogs are exact in Redis's sparse form (one register per element here).
            case "hll" -> Long.toString(j.pfcount(k));
            case "geo" -> new TreeSet<>(j.zrange(k, 0, -1)).toString();
            case "stream" -> {
                if (!j.exists(k)) yield "none";
                TreeMap<Long, String> entries = new TreeMap<>();
                for (StreamEntry en : j.xrange(k, "-", "+")) entries.put(en.getID().getTime(), en.getFields().get("f"));
                StreamGroupInfo g = j.xinfoGroups(k).getFirst();
                TreeSet<Long> pending = new TreeSet<>();
                for (StreamPendingEntry p : j.xpending(k, "g", XPendingParams.xPendingParams().count(1000))) {
                    pending.add(p.getID().getTime());
                }
                yield entries + " last " + g.getLastDeliveredId().getTime() + " pending " + pending;
            }
            default -> throw new IllegalArgumentException(type);
        };
    }

    @ParameterizedTest(name = "shards {0}")
    @ValueSource(ints = {1, 4})
    void everyTypeKeepsEveryAcknowledgedChangeAcrossKills(int shards) throws Exception {
        Random rnd = new Random(17 + shards);
        Model[] acked = new Model[WRITERS];
        for (int w = 0; w < WRITERS; w++) acked[w] = new Model(w);
        Change[] inFlight = new Change[WRITERS];
        long[] changes = new long[WRITERS];
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", Integer.toString(shards),
                "appendfsync", "always", "save", "1 200")) {
            for (int round = 0; round < 4; round++) {
                assertThat(node.start()).as(node.logText()).isTrue();
                try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                    for (int w = 0; w < WRITERS; w++) {
                        for (String type : TYPES) {
                            String actual = read(j, acked[w], type);
                            String expected = acked[w].expected(type);
                            if (!actual.equals(expected) && inFlight[w] != null && inFlight[w].type().equals(type)) {
                                // The unacknowledged change may have reached the log: then it is the new truth.
                                Model withIt = acked[w].copy();
                                inFlight[w].apply().accept(withIt);
                                if (actual.equals(withIt.expected(type))) {
                                    acked[w] = withIt;
                                    continue;
                                }
                            }
                            assertThat(actual).as("round %d, %s (in flight: %s)", round, acked[w].key(type),
                                    inFlight[w] == null ? "-" : String.join(" ", inFlight[w].command())).isEqualTo(expected);
                        }
                        inFlight[w] = null;
                    }
                }
                writeUntilKilled(node, acked, inFlight, changes, rnd.nextLong(), 700 + rnd.nextInt(1500));
            }
        }
        for (long c : changes) assertThat(c).as("changes acknowledged per writer").isGreaterThan(50);
    }

    private static void writeUntilKilled(NodeProcess node, Model[] acked, Change[] inFlight, long[] changes, long seed, long killAfterMs)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        Map<Integer, Throwable> failures = new HashMap<>();
        for (int w = 0; w < WRITERS; w++) {
            int id = w;
            Random r = new Random(seed + w);
            threads.add(Thread.ofPlatform().start(() -> {
                try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                    while (!stop.get()) {
                        Change c = randomChange(acked[id], r);
                        inFlight[id] = c;
                        j.sendCommand(() -> c.command()[0].getBytes(), java.util.Arrays.copyOfRange(c.command(), 1, c.command().length));
                        c.apply().accept(acked[id]);
                        inFlight[id] = null;
                        changes[id]++;
                    }
                } catch (JedisException dead) {
                    // the node was killed under us: the change in flight stays recorded
                } catch (Throwable t) {
                    synchronized (failures) {
                        failures.put(id, t);
                    }
                }
            }));
        }
        Thread.sleep(killAfterMs);
        node.kill();
        stop.set(true);
        for (Thread t : threads) t.join(30_000);
        assertThat(failures).isEmpty();
    }
}
