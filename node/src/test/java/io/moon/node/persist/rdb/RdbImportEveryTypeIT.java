package io.moon.node.persist.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.testing.NodeProcess;
import io.moon.node.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.LibraryInfo;

/**
 * Moving in from Redis, end to end: Debian's redis-server holding every type in every encoding it
 * writes ({@link RedisDataset}: strings, lists, sets, sorted sets, hashes, streams with groups,
 * expiries, several databases, a function library) saves its dump.rdb; a 4-shard node imports
 * it at start. Each key is then DUMPed from the node and RESTOREd into a second redis-server, and
 * Redis's own DEBUG DIGEST-VALUE must match the original server's: the value as Redis sees it,
 * whatever encoding either side chose. The import also survives a SIGKILL right after it.
 */
class RdbImportEveryTypeIT {
    @TempDir
    Path tmp;

    @Test
    void everyKeyOfARedisDumpMovesInAsRedisHadIt() throws Exception {
        Path dump = tmp.resolve("dump.rdb");
        try (RedisServer redis = RedisServer.start(RedisDataset.SERVER_ARGS);
             RedisServer check = RedisServer.start(RedisDataset.SERVER_ARGS)) {
            List<RedisDataset.Key> keys;
            try (Jedis j = redis.jedis()) {
                keys = RedisDataset.fill(j);
                assertThat(j.save()).isEqualTo("OK");
            }
            Files.copy(redis.dir().resolve("dump.rdb"), dump);
            try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "4", "import-rdb", dump.toString())) {
                assertThat(node.start()).as(node.logText()).isTrue();
                compare(redis, check, node, keys);
                node.kill();
                assertThat(node.start()).as(node.logText()).isTrue();
                compare(redis, check, node, keys);
            }
        }
    }

    /**
     * Restarting with the same import-rdb (a pod's arguments do not change) starts on the node's
     * own data; another dump asked of a node with data is refused, saying why.
     */
    @Test
    void theSameDumpIsNotImportedTwiceAndAnotherIsRefused() throws Exception {
        Path first = tmp.resolve("first.rdb"), second = tmp.resolve("second.rdb");
        try (RedisServer redis = RedisServer.start()) {
            try (Jedis j = redis.jedis()) {
                j.set("k", "first");
                assertThat(j.save()).isEqualTo("OK");
                Files.copy(redis.dir().resolve("dump.rdb"), first);
                j.set("k", "second");
                j.set("other", "x");
                assertThat(j.save()).isEqualTo("OK");
                Files.copy(redis.dir().resolve("dump.rdb"), second);
            }
        }
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "2", "import-rdb", first.toString())) {
            assertThat(node.start()).as(node.logText()).isTrue();
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                j.set("k", "changed after the import");
            }
            assertThat(node.stop()).isIn(0, 143);
            assertThat(node.start()).as(node.logText()).isTrue();
            assertThat(node.logText()).contains("was imported at an earlier start");
            try (Jedis j = new Jedis("127.0.0.1", node.port(), 10_000)) {
                assertThat(j.get("k")).isEqualTo("changed after the import");
            }
        }
        try (NodeProcess node = new NodeProcess(tmp.resolve("data"), "shards", "2", "import-rdb", second.toString())) {
            assertThat(node.start()).isFalse();
            assertThat(node.logText()).contains("this node already has data", "import into an empty node");
        }
    }

    private static void compare(RedisServer redis, RedisServer check, NodeProcess node, List<RedisDataset.Key> keys) {
        List<String> differences = new ArrayList<>();
        try (Jedis original = redis.jedis(); Jedis restored = check.jedis();
             Jedis moon = new Jedis("127.0.0.1", node.port(), 10_000)) {
            restored.flushAll();
            for (int db = 0; db < 16; db++) {
                original.select(db);
                moon.select(db);
                assertThat(moon.dbSize()).as("keys in db %d", db).isEqualTo(original.dbSize());
            }
            for (RedisDataset.Key k : keys) {
                original.select(k.db());
                moon.select(k.db());
                restored.select(k.db());
                byte[] name = RdbValues.b(k.name());
                byte[] payload = moon.dump(name);
                if (payload == null) {
                    differences.add(k.name() + ": missing");
                    continue;
                }
                long ttl = original.pttl(k.name()), moonTtl = moon.pttl(k.name());
                // Redis's digest counts whether a key has an expiry: restore it with Moon's.
                restored.restore(name, Math.max(moonTtl, 0), payload);
                String want = digest(original, k.name()), got = digest(restored, k.name());
                if (!want.equals(got)) differences.add(k.name() + " (" + k.encoding() + "): digest " + got + ", Redis " + want);
                if ((ttl < 0) != (moonTtl < 0) || Math.abs(ttl - moonTtl) > 60_000) {
                    differences.add(k.name() + ": ttl " + moonTtl + ", Redis " + ttl);
                }
            }
            moon.select(0);
            assertThat(moon.functionList()).extracting(LibraryInfo::getLibraryName).contains("rdblib");
        }
        assertThat(differences).as("keys that differ from Redis's").isEmpty();
        assertThat(keys).hasSizeGreaterThan(40);
    }

    private static String digest(Jedis j, String key) {
        Object reply = RdbValues.call(j, "DEBUG", "DIGEST-VALUE", key);
        return new String((byte[]) ((List<?>) reply).getFirst(), java.nio.charset.StandardCharsets.US_ASCII);
    }
}
