package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The HyperLogLog family on a 4-shard node through Jedis, Lettuce and raw RESP: adds, the cached
 * cardinality in the header, counts and merges over keys on different shards, the sparse to
 * dense promotion, Redis's errors for other types, foreign strings and corrupt values, PFDEBUG
 * and PFSELFTEST, events and WATCH.
 */
class HyperLogLogCommandsIT extends StringFamilyClients {
    static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    static final String CORRUPT = "INVALIDOBJ Corrupted HLL object detected";

    /** Adds n distinct elements "prefix-i" in one pipeline. */
    private void addMany(String key, String prefix, int n) {
        try (var p = node.jedis()) {
            Pipeline pipe = p.pipelined();
            for (int i = 0; i < n; i += 100) {
                List<String> batch = new ArrayList<>();
                for (int k = i; k < Math.min(n, i + 100); k++) batch.add(prefix + "-" + k);
                pipe.pfadd(key, batch.toArray(new String[0]));
            }
            pipe.sync();
        }
    }

    private String cacheByte(String key) throws Exception { return (String) call("GETRANGE", key, "15", "15"); }

    @Test
    void pfaddCreatesTheKeyAndTellsWhetherARegisterChanged() throws Exception {
        assertThat(call("PFADD", "h")).isEqualTo(1L);
        assertThat(j.exists("h")).isTrue();
        assertThat(call("PFADD", "h")).isEqualTo(0L);
        assertThat(j.pfcount("h")).isZero();
        assertThat(j.pfadd("h", "a", "b", "c")).isEqualTo(1);
        assertThat(j.pfadd("h", "a", "b", "c")).isZero();
        assertThat(lettuce.pfadd("h", "d")).isEqualTo(1);
        assertThat(call("PFADD", "h", "")).isEqualTo(1L);
        assertThat(j.pfcount("h")).isEqualTo(5);
        assertThat(lettuce.pfcount("h")).isEqualTo(5);
        assertThat(call("GETRANGE", "h", "0", "4")).isEqualTo("HYLL\u0001");
        assertThat(call("PFDEBUG", "ENCODING", "h")).isEqualTo("sparse");
        assertThat(call("PFCOUNT", "missing")).isEqualTo(0L);
    }

    @Test
    void pfcountCachesTheCardinalityInTheHeader() throws Exception {
        j.pfadd("c", "a", "b", "c");
        assertThat(cacheByte("c")).isEqualTo("\u0080");
        assertThat(j.pfcount("c")).isEqualTo(3);
        assertThat(cacheByte("c")).isEqualTo("\u0000");
        assertThat(call("GETRANGE", "c", "8", "8")).isEqualTo("\u0003");
        j.pfadd("c", "a", "b", "c");
        assertThat(cacheByte("c")).isEqualTo("\u0000");
        j.pfadd("c", "1", "2", "3");
        assertThat(cacheByte("c")).isEqualTo("\u0080");
        // A valid cache is answered as it is, as Redis does.
        j.pfcount("c");
        call("SETRANGE", "c", "8", "*");
        assertThat(j.pfcount("c")).isEqualTo('*');
    }

    @Test
    void estimatesStayCloseAndTheValueTurnsDenseAsItGrows() throws Exception {
        addMany("big", "e", 500);
        assertThat(call("PFDEBUG", "ENCODING", "big")).isEqualTo("sparse");
        assertThat((double) j.pfcount("big")).isCloseTo(500, offset(15.0));
        addMany("big", "e", 20_000);
        assertThat(call("PFDEBUG", "ENCODING", "big")).isEqualTo("dense");
        assertThat(j.strlen("big")).isEqualTo(12304);
        assertThat((double) j.pfcount("big")).isCloseTo(20_000, offset(400.0));
        // Adding what is there already changes nothing in place either.
        assertThat(j.pfadd("big", "e-1", "e-2")).isZero();
    }

    @Test
    void hllSparseMaxBytesDecidesWhenToTurnDense() throws Exception {
        j.configSet("hll-sparse-max-bytes", "0");
        try {
            j.pfadd("d", "x");
            assertThat(call("PFDEBUG", "ENCODING", "d")).isEqualTo("dense");
            j.configSet("hll-sparse-max-bytes", "100");
            addMany("s", "v", 10);
            assertThat(call("PFDEBUG", "ENCODING", "s")).isEqualTo("sparse");
            addMany("s", "v", 200);
            assertThat(call("PFDEBUG", "ENCODING", "s")).isEqualTo("dense");
        } finally {
            j.configSet("hll-sparse-max-bytes", "3000");
        }
    }

    @Test
    void pfcountOfManyKeysOnEveryShardEstimatesTheUnionAndWritesNothing() throws Exception {
        String[] k = keysOnDistinctShards("u", 4);
        addMany(k[0], "x", 1000);
        addMany(k[1], "x", 1500); // overlaps k[0]
        addMany(k[2], "y", 1000);
        assertThat((double) j.pfcount(k[0], k[1], k[2], k[3])).isCloseTo(2500, offset(75.0));
        assertThat((double) lettuce.pfcount(k[0], k[2])).isCloseTo(2000, offset(60.0));
        assertThat(cacheByte(k[0])).isEqualTo("\u0080");
        assertThat(j.exists(k[3])).isFalse();
        assertThat(call("PFCOUNT", k[3], "missing")).isEqualTo(0L);
    }

    @Test
    void pfmergeOverKeysOnEveryShard() throws Exception {
        String[] k = keysOnDistinctShards("m", 4);
        j.pfadd(k[1], "a", "b", "c");
        j.pfadd(k[2], "b", "c", "d");
        j.pfadd(k[3], "c", "d", "e");
        assertThat(j.pfmerge(k[0], k[1], k[2], k[3])).isEqualTo("OK");
        assertThat(j.pfcount(k[0])).isEqualTo(5);
        assertThat(call("PFDEBUG", "ENCODING", k[0])).isEqualTo("sparse");
        // The destination is a source too, keeps its expiry, and turns dense with a dense source.
        j.expire(k[0], 1000);
        addMany(k[1], "z", 5000);
        assertThat(lettuce.pfmerge(k[0], k[1])).isEqualTo("OK");
        assertThat(call("PFDEBUG", "ENCODING", k[0])).isEqualTo("dense");
        assertThat((double) j.pfcount(k[0])).isCloseTo(5005, offset(150.0));
        assertThat(j.ttl(k[0])).isGreaterThan(990);
        assertThat(j.pfcount(k[0])).isEqualTo(j.pfcount(k[0], k[1], k[2], k[3]));
        // No source: an empty value is created.
        assertThat(call("PFMERGE", "lonely")).isEqualTo("OK");
        assertThat(j.pfcount("lonely")).isZero();
        assertThat(call("PFMERGE", "lonely", "missing")).isEqualTo("OK");
    }

    @Test
    void otherTypesAndForeignStringsAreRefused() throws Exception {
        plantNonString("list");
        assertThat(error("PFADD", "list", "a")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("PFCOUNT", "list")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("PFMERGE", "d", "list")).isEqualTo(RedisError.WRONGTYPE);
        j.set("str", "bar");
        j.set("num", "12345");
        for (String key : new String[] {"str", "num"}) {
            assertThat(error("PFADD", key, "a")).isEqualTo(NOT_HLL);
            assertThat(error("PFCOUNT", key)).isEqualTo(NOT_HLL);
            assertThat(error("PFCOUNT", "missing", key)).isEqualTo(NOT_HLL);
            assertThat(error("PFMERGE", "dest", key)).isEqualTo(NOT_HLL);
            assertThat(error("PFMERGE", key, "missing")).isEqualTo(NOT_HLL);
            assertThat(error("PFDEBUG", "ENCODING", key)).isEqualTo(NOT_HLL);
        }
        assertThat(j.exists("dest")).isFalse();
        assertThatThrownBy(() -> j.pfadd("str", "x")).isInstanceOf(JedisDataException.class).hasMessage(NOT_HLL);
    }

    @Test
    void damagedValuesAreDetectedAsRedisDetectsThem() throws Exception {
        j.pfadd("tail", "a", "b", "c");
        j.append("tail", "hello");
        assertThat(error("PFCOUNT", "tail")).isEqualTo(CORRUPT);
        assertThat(error("PFCOUNT", "tail", "missing")).isEqualTo(CORRUPT);
        assertThat(error("PFMERGE", "dest", "tail")).isEqualTo(CORRUPT);
        assertThat(error("PFDEBUG", "GETREG", "tail")).isEqualTo(CORRUPT);
        assertThat(error("PFDEBUG", "TODENSE", "tail")).isEqualTo(CORRUPT);
        j.pfadd("magic", "a");
        call("SETRANGE", "magic", "0", "0123");
        assertThat(error("PFCOUNT", "magic")).isEqualTo(NOT_HLL);
        j.pfadd("enc", "a");
        call("SETRANGE", "enc", "4", "x");
        assertThat(error("PFCOUNT", "enc")).isEqualTo(NOT_HLL);
        j.pfadd("len", "a");
        call("SETRANGE", "len", "4", "\u0000"); // claims dense with a sparse length
        assertThat(error("PFCOUNT", "len")).isEqualTo(NOT_HLL);
        // Random damage never takes the node down.
        java.util.Random r = new java.util.Random(4);
        for (int round = 0; round < 300; round++) {
            j.del("f");
            addMany("f", "r" + round, 1 + r.nextInt(3000));
            for (int i = 0; i < 5; i++) {
                long len = j.strlen("f");
                call("SETRANGE", "f", String.valueOf(r.nextInt((int) len)), String.valueOf((char) r.nextInt(256)));
                if (r.nextBoolean()) break;
            }
            Object reply = call("PFCOUNT", "f");
            call("PFADD", "f", "more", "elements", "here");
            call("PFMERGE", "g", "f");
            assertThat(reply).isNotNull();
        }
        assertThat(call("PING")).isEqualTo("PONG");
    }

    @Test
    void arityErrors() throws Exception {
        assertThat(error("PFADD")).isEqualTo(wrongArgs("pfadd"));
        assertThat(error("PFCOUNT")).isEqualTo(wrongArgs("pfcount"));
        assertThat(error("PFMERGE")).isEqualTo(wrongArgs("pfmerge"));
        assertThat(error("PFDEBUG", "ENCODING")).isEqualTo(wrongArgs("pfdebug"));
        assertThat(error("PFDEBUG", "ENCODING", "a", "b")).isEqualTo(wrongArgs("pfdebug"));
        assertThat(error("PFSELFTEST", "x")).isEqualTo(wrongArgs("pfselftest"));
    }

    @Test
    void pfdebugShowsAndConvertsTheRepresentation() throws Exception {
        assertThat(error("PFDEBUG", "ENCODING", "missing")).isEqualTo("ERR The specified key does not exist");
        assertThat(error("PFDEBUG", "FOO", "missing")).isEqualTo("ERR The specified key does not exist");
        call("PFADD", "p");
        assertThat(call("PFDEBUG", "DECODE", "p")).isEqualTo("Z:16384");
        j.pfadd("p", "a");
        assertThat((String) call("PFDEBUG", "decode", "p")).matches("Z:\\d+ v:\\d+,1 Z:\\d+");
        assertThat(error("PFDEBUG", "FOO", "p")).isEqualTo("ERR Unknown PFDEBUG subcommand 'FOO'");
        assertThat(call("PFDEBUG", "TODENSE", "p")).isEqualTo(1L);
        assertThat(call("PFDEBUG", "TODENSE", "p")).isEqualTo(0L);
        assertThat(call("PFDEBUG", "ENCODING", "p")).isEqualTo("dense");
        assertThat(error("PFDEBUG", "DECODE", "p")).isEqualTo("ERR HLL encoding is not sparse");
        assertThat(j.pfcount("p")).isEqualTo(1);
        j.pfadd("q", "a", "b", "c");
        List<?> registers = (List<?>) call("PFDEBUG", "GETREG", "q");
        assertThat(registers).hasSize(16384);
        assertThat(registers.stream().filter(v -> (Long) v != 0).count()).isEqualTo(3);
        assertThat(call("PFDEBUG", "ENCODING", "q")).isEqualTo("dense");
        assertThat(call("PFSELFTEST")).isEqualTo("OK");
    }

    @Test
    void changesSendPfaddEvents() throws Exception {
        String[] k = keysOnDistinctShards("ev", 2);
        withKeyspaceEvents(sub -> {
            j.pfadd(k[0], "a");
            assertThat(event(sub)).isEqualTo(List.of(k[0], "pfadd"));
            j.pfadd(k[0], "a"); // no change, no event
            j.pfcount(k[0]); // PFCOUNT sends none
            j.pfmerge(k[1], k[0]);
            assertThat(event(sub)).isEqualTo(List.of(k[1], "pfadd"));
        });
    }

    @Test
    void changesInPlaceTellWatchers() throws Exception {
        addMany("w", "v", 5000); // dense: adds change it in place
        assertThat(call("PFDEBUG", "ENCODING", "w")).isEqualTo("dense");
        j.pfcount("w");
        try (redis.clients.jedis.Jedis other = node.jedis()) {
            j.watch("w");
            other.pfadd("w", "v-1");
            other.pfcount("w"); // cached: nothing written
            Transaction t = j.multi();
            t.pfcount("w");
            assertThat(t.exec()).isNotNull();
            j.watch("w");
            other.pfadd("w", "new-element-" + System.nanoTime(), "another", "and-more");
            t = j.multi();
            t.pfcount("w");
            assertThat(t.exec()).isNull();
            // Writing the cache back is a change too, as in Redis.
            j.watch("w");
            other.pfcount("w");
            t = j.multi();
            t.pfcount("w");
            assertThat(t.exec()).isNull();
        }
    }
}
