package io.moon.node.persist.rdb;

import static io.moon.node.persist.rdb.RdbValues.canonical;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moon.node.testing.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * dump.rdb files saved by a real redis-server 7.0 holding every type in every encoding, read with
 * {@link RdbFileReader}: every value, expiry, database, AUX field and function must match what
 * the server itself answers, under LRU and LFU policies, with compression and checksums on and
 * off; damaged copies must fail with an {@link RdbFormatException}.
 */
class RdbFileFromRedisIT {
    static RedisServer redis;
    static List<RedisDataset.Key> keys;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start(RedisDataset.SERVER_ARGS);
        try (Jedis j = redis.jedis()) {
            keys = RedisDataset.fill(j);
        }
    }

    @AfterAll
    static void stop() {
        if (redis != null) redis.close();
    }

    /** What one read of a file found. */
    record Found(Map<String, RdbKey> keys, Map<String, String> aux, List<String> functions, RdbFileReader.Summary summary,
            List<Long> progress) {}

    static Found save() throws IOException {
        return save(redis);
    }

    static Found save(RedisServer server) throws IOException {
        try (Jedis j = server.jedis()) {
            assertThat(j.save()).isEqualTo("OK");
        }
        return read(server.dir().resolve("dump.rdb"));
    }

    static Found read(Path file) throws IOException {
        Map<String, RdbKey> found = new HashMap<>();
        Map<String, String> aux = new HashMap<>();
        List<String> functions = new ArrayList<>();
        List<Long> progress = new ArrayList<>();
        RdbFileReader.Summary summary;
        try (InputStream in = Files.newInputStream(file)) {
            summary = new RdbFileReader(in, Files.size(file)).read(new RdbVisitor() {
                @Override
                public void onKey(RdbKey key) {
                    String name = key.db() + ":" + new String(key.key(), StandardCharsets.UTF_8);
                    assertThat(found.put(name, key)).as("duplicate %s", name).isNull();
                }

                @Override
                public void onAux(byte[] key, byte[] value) {
                    aux.put(new String(key, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
                }

                @Override
                public void onFunction(byte[] code) {
                    functions.add(new String(code, StandardCharsets.UTF_8));
                }

                @Override
                public void onProgress(long bytesRead, long totalBytes) {
                    progress.add(bytesRead);
                    assertThat(totalBytes).isEqualTo(file.toFile().length());
                }
            });
        }
        return new Found(found, aux, functions, summary, progress);
    }

    static void assertMatchesServer(Found f) {
        assertMatchesServer(f, redis, keys);
    }

    static void assertMatchesServer(Found f, RedisServer server, List<RedisDataset.Key> keys) {
        assertThat(f.keys()).hasSize(keys.size());
        try (Jedis j = server.jedis()) {
            for (RedisDataset.Key k : keys) {
                j.select(k.db());
                RdbKey got = f.keys().get(k.db() + ":" + k.name());
                assertThat(got).as("key %s in db %d", k.name(), k.db()).isNotNull();
                assertThat(canonical(got.value())).as(k.name()).isEqualTo(canonical(RdbValues.readBack(j, k.name())));
                long pexpiretime = (Long) RdbValues.call(j, "PEXPIRETIME", k.name());
                assertThat(got.expireAtMs()).as("expiry of %s", k.name()).isEqualTo(pexpiretime < 0 ? RdbKey.NO_EXPIRE : pexpiretime);
            }
        }
    }

    @Test
    void everyValueExpiryDatabaseAuxFieldAndFunctionMatchesTheServer() throws IOException {
        Found f = save();
        assertMatchesServer(f);
        assertThat(f.summary().version()).isEqualTo(10);
        assertThat(f.summary().checksum()).isEqualTo(RdbFileReader.Checksum.VERIFIED);
        assertThat(f.summary().emptyKeysSkipped()).isZero();
        assertThat(f.aux()).containsEntry("redis-ver", "7.0.15").containsEntry("redis-bits", "64").containsKey("ctime");
        assertThat(f.functions()).containsExactly(RedisDataset.LIBRARY);
        assertThat(f.progress()).isNotEmpty().last().isEqualTo(f.summary().bytes());
        assertThat(f.keys().values()).allSatisfy(k -> {
            assertThat(k.lfuFreq()).isEqualTo(-1);
            assertThat(k.lruIdleSeconds()).isEqualTo(-1);
        });
    }

    @Test
    void lfuAndLruPoliciesAddFreqAndIdleOpcodes() throws IOException {
        try (Jedis j = redis.jedis()) {
            j.configSet("maxmemory-policy", "allkeys-lfu");
            Found lfu = save();
            assertMatchesServer(lfu);
            assertThat(lfu.keys().values()).allSatisfy(k -> assertThat(k.lfuFreq()).isBetween(0, 255));
            j.configSet("maxmemory-policy", "allkeys-lru");
            Found lru = save();
            assertMatchesServer(lru);
            assertThat(lru.keys().values()).allSatisfy(k -> assertThat(k.lruIdleSeconds()).isGreaterThanOrEqualTo(0));
        } finally {
            try (Jedis j = redis.jedis()) {
                j.configSet("maxmemory-policy", "noeviction");
            }
        }
    }

    @Test
    void withoutCompressionAndWithoutChecksum() throws Exception {
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(RedisDataset.SERVER_ARGS),
                java.util.stream.Stream.of("--rdbcompression", "no", "--rdbchecksum", "no")).toArray(String[]::new);
        try (RedisServer plain = RedisServer.start(args)) {
            List<RedisDataset.Key> plainKeys;
            try (Jedis j = plain.jedis()) {
                plainKeys = RedisDataset.fill(j);
            }
            Found f = save(plain);
            assertMatchesServer(f, plain, plainKeys);
            assertThat(f.summary().checksum()).isEqualTo(RdbFileReader.Checksum.DISABLED_IN_FILE);
        }
    }

    @Test
    void truncatedOrFlippedCopiesFailWithAFormatError() throws IOException {
        save();
        byte[] file = Files.readAllBytes(redis.dir().resolve("dump.rdb"));
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            int cut = random.nextInt(file.length);
            byte[] truncated = java.util.Arrays.copyOf(file, cut);
            assertThatThrownBy(() -> new RdbFileReader(truncated).read(k -> {})).as("cut at %d", cut)
                    .isInstanceOf(RdbFormatException.class);
        }
        for (int i = 0; i < 200; i++) {
            byte[] flipped = file.clone();
            int at = 9 + random.nextInt(file.length - 9);
            flipped[at] ^= (byte) (1 << random.nextInt(8));
            assertThatThrownBy(() -> new RdbFileReader(flipped).read(k -> {})).as("flip at %d", at)
                    .isInstanceOf(RdbFormatException.class);
        }
    }
}
