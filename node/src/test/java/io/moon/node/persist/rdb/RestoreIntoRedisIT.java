package io.moon.node.persist.rdb;

import static io.moon.node.persist.rdb.RdbSamples.bytesList;
import static io.moon.node.persist.rdb.RdbSamples.fv;
import static io.moon.node.persist.rdb.RdbSamples.z;
import static io.moon.node.persist.rdb.RdbValues.b;
import static io.moon.node.persist.rdb.RdbValues.canonical;
import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Moon's encodings into a real redis-server 7.0: values written by {@link DumpPayload} RESTORE
 * with the encoding Redis would pick and read back equal; payloads in the encodings only older
 * Redis versions wrote (built by {@link LegacyEncodings}) RESTORE to what Moon decodes from them;
 * corrupt payloads Moon accepts are accepted by Redis's deep sanitization with the same content;
 * and a whole file from {@link RdbFileWriter} loads at redis-server start.
 */
class RestoreIntoRedisIT {
    static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start("--sanitize-dump-payload", "yes");
    }

    @AfterAll
    static void stop() {
        if (redis != null) redis.close();
    }

    static String encodingOf(int type) {
        return switch (type) {
            case RdbType.LIST_QUICKLIST_2 -> "quicklist";
            case RdbType.SET_INTSET -> "intset";
            case RdbType.SET -> "hashtable";
            case RdbType.ZSET_LISTPACK, RdbType.HASH_LISTPACK -> "listpack";
            case RdbType.ZSET_2 -> "skiplist";
            case RdbType.HASH -> "hashtable";
            case RdbType.STREAM_LISTPACKS_2 -> "stream";
            default -> null;
        };
    }

    @Test
    void everySampleRestoresWithTheEncodingRedisWouldPick() throws Exception {
        try (Jedis j = redis.jedis()) {
            for (Map.Entry<String, RdbValue> e : RdbSamples.all().entrySet()) {
                byte[] payload = DumpPayload.create(e.getValue());
                assertThat(restore(j, e.getKey(), payload)).as(e.getKey()).isEqualTo("OK");
                assertThat(canonical(RdbValues.readBack(j, e.getKey()))).as(e.getKey()).isEqualTo(canonical(e.getValue()));
                String expected = encodingOf(payload[0]);
                if (expected != null) assertThat(j.objectEncoding(e.getKey())).as(e.getKey()).isEqualTo(expected);
                assertThat(j.dump(b(e.getKey()))).as("Redis's own DUMP decodes the same").satisfies(theirs ->
                        assertThat(canonical(DumpPayload.read(theirs))).isEqualTo(canonical(e.getValue())));
                j.del(e.getKey());
            }
        }
    }

    static String restore(Jedis j, String key, byte[] payload) {
        try {
            return j.restore(b(key), 0, payload);
        } catch (JedisDataException e) {
            return e.getMessage();
        }
    }

    static Map<String, byte[]> legacyPayloads() throws RdbFormatException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        List<byte[]> elements = bytesList("a", "0", "12", "13", "-1", "127", "-128", "200", "-32768", "40000",
                "-8388608", "9000000", "-2147483648", "5000000000", "-9223372036854775808", "", "x".repeat(63),
                "y".repeat(64), "z".repeat(16383), "w".repeat(16384), "01", "1.0");
        m.put("list ziplist", LegacyEncodings.payload(RdbType.LIST_ZIPLIST,
                LegacyEncodings.stringBody(LegacyEncodings.ziplist(elements))));
        m.put("list linked", LegacyEncodings.payload(RdbType.LIST, LegacyEncodings.linkedList(elements)));
        m.put("list quicklist of ziplists", LegacyEncodings.payload(RdbType.LIST_QUICKLIST,
                LegacyEncodings.quicklistOfZiplists(List.of(elements.subList(0, 5), List.of(), elements.subList(5, 22)))));
        List<byte[]> pairs = new ArrayList<>();
        List<FieldValue> fields = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String f = i % 5 == 0 ? Integer.toString(i) : "field" + i;
            String v = i % 7 == 0 ? "v".repeat(i) : Integer.toString(i * 31);
            pairs.add(b(f));
            pairs.add(b(v));
            fields.add(fv(f, v));
        }
        m.put("hash ziplist", LegacyEncodings.payload(RdbType.HASH_ZIPLIST,
                LegacyEncodings.stringBody(LegacyEncodings.ziplist(pairs))));
        m.put("hash ziplist small", LegacyEncodings.payload(RdbType.HASH_ZIPLIST,
                LegacyEncodings.stringBody(LegacyEncodings.ziplist(pairs.subList(0, 8)))));
        m.put("hash zipmap", LegacyEncodings.payload(RdbType.HASH_ZIPMAP,
                LegacyEncodings.stringBody(LegacyEncodings.zipmap(fields))));
        m.put("hash zipmap small", LegacyEncodings.payload(RdbType.HASH_ZIPMAP,
                LegacyEncodings.stringBody(LegacyEncodings.zipmap(fields.subList(0, 3)))));
        List<byte[]> zpairs = bytesList("a", "1", "b", "2.5", "c", "-3", "d", "inf", "e", "-inf", "f", "1e+300");
        m.put("zset ziplist", LegacyEncodings.payload(RdbType.ZSET_ZIPLIST,
                LegacyEncodings.stringBody(LegacyEncodings.ziplist(zpairs))));
        RdbZset textZ = new RdbZset(List.of(z("a", 1), z("b", 0.1), z("c", Double.NEGATIVE_INFINITY),
                z("d", Double.POSITIVE_INFINITY), z("e", -7e-10)));
        m.put("zset text scores", LegacyEncodings.payload(RdbType.ZSET, LegacyEncodings.textScoreZset(textZ)));
        m.put("stream v1", LegacyEncodings.payload(RdbType.STREAM_LISTPACKS,
                LegacyEncodings.streamV1(RdbSamples.stream(150, 2, true))));
        m.put("stream v1 empty", LegacyEncodings.payload(RdbType.STREAM_LISTPACKS,
                LegacyEncodings.streamV1((RdbStream) RdbSamples.all().get("stream empty with group"))));
        return m;
    }

    @Test
    void olderEncodingsRestoreInRedisToWhatMoonDecodes() throws Exception {
        try (Jedis j = redis.jedis()) {
            for (Map.Entry<String, byte[]> e : legacyPayloads().entrySet()) {
                RdbValue ours = DumpPayload.read(e.getValue());
                assertThat(restore(j, e.getKey(), e.getValue())).as(e.getKey()).isEqualTo("OK");
                assertThat(canonical(ours)).as(e.getKey()).isEqualTo(canonical(RdbValues.readBack(j, e.getKey())));
                j.del(e.getKey());
            }
        }
    }

    @Test
    void corruptPayloadsMoonAcceptsRedisAcceptsWithTheSameContent() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (RdbValue v : RdbSamples.all().values()) {
            byte[] p = DumpPayload.create(v);
            if (p.length < 400) seeds.add(p);
        }
        seeds.addAll(legacyPayloads().values().stream().filter(p -> p.length < 400).toList());
        Random random = new Random(99);
        int acceptedByMoon = 0, refusedByMoon = 0;
        try (Jedis j = redis.jedis()) {
            for (int i = 0; i < 3000; i++) {
                byte[] p = seeds.get(random.nextInt(seeds.size())).clone();
                int flips = 1 + random.nextInt(3);
                for (int f = 0; f < flips; f++) p[1 + random.nextInt(p.length - 11)] = (byte) random.nextInt(256);
                p = reseal(p);
                RdbValue ours;
                try {
                    ours = DumpPayload.read(p);
                } catch (RdbFormatException e) {
                    refusedByMoon++;
                    continue;
                }
                acceptedByMoon++;
                try {
                    assertThat(j.restore(b("fuzz"), 0, p)).isEqualTo("OK");
                } catch (JedisDataException e) {
                    throw new AssertionError("Moon accepted what Redis refused (" + e.getMessage() + "): "
                            + canonical(ours), e);
                }
                assertThat(canonical(RdbValues.readBack(j, "fuzz"))).isEqualTo(canonical(ours));
                j.del("fuzz");
            }
        }
        assertThat(acceptedByMoon).isPositive();
        assertThat(refusedByMoon).isPositive();
    }

    /** The payload with its CRC recomputed, so only the value decoders judge it. */
    static byte[] reseal(byte[] p) {
        long crc = Crc64.of(p, 0, p.length - 8);
        for (int i = 0; i < 8; i++) p[p.length - 8 + i] = (byte) (crc >>> (8 * i));
        return p;
    }

    @Test
    void aFileWrittenByMoonLoadsInRedis() throws Exception {
        Path dir = Files.createTempDirectory("moon-rdb");
        Map<String, RdbValue> samples = RdbSamples.all();
        long expireAt = System.currentTimeMillis() + 3_600_000;
        try (OutputStream out = Files.newOutputStream(dir.resolve("moon.rdb"))) {
            RdbFileWriter w = new RdbFileWriter(out, RdbWriteOptions.DEFAULTS);
            w.aux("redis-ver", "7.0.15").aux("redis-bits", "64");
            w.function(b(RedisDataset.LIBRARY));
            w.selectDb(0, samples.size(), 1);
            int i = 0;
            for (Map.Entry<String, RdbValue> e : samples.entrySet()) {
                w.key(b(e.getKey()), e.getValue(), i++ == 0 ? expireAt : RdbKey.NO_EXPIRE);
            }
            w.selectDb(3, 1, 0);
            w.key(b("in db three"), new RdbString(b("3")), RdbKey.NO_EXPIRE);
            w.finish();
        }
        try (RedisServer loaded = RedisServer.startIn(dir, "--dbfilename", "moon.rdb");
                Jedis j = loaded.jedis()) {
            assertThat(j.dbSize()).isEqualTo(samples.size());
            int i = 0;
            for (Map.Entry<String, RdbValue> e : samples.entrySet()) {
                assertThat(canonical(RdbValues.readBack(j, e.getKey()))).as(e.getKey()).isEqualTo(canonical(e.getValue()));
                long pexpiretime = (Long) RdbValues.call(j, "PEXPIRETIME", e.getKey());
                assertThat(pexpiretime).isEqualTo(i++ == 0 ? expireAt : -1);
            }
            assertThat(j.functionList()).hasSize(1);
            j.select(3);
            assertThat(j.get("in db three")).isEqualTo("3");
        }
    }
}
