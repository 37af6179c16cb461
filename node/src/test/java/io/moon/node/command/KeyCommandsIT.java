package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.RawClient.Err;
import io.moon.node.testing.TestNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.FlushMode;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/** DEL, EXISTS, TYPE, RENAME, COPY, MOVE, KEYS, SCAN, RANDOMKEY, TOUCH, OBJECT, SWAPDB, FLUSH* on 4 shards. */
class KeyCommandsIT extends FourShardNode {
    @BeforeEach
    void flush() {
        try (Jedis j = node.jedis()) {
            j.flushAll();
        }
    }

    private static String on(int shard, String prefix) { return ShardKeys.on(node.node(), shard, prefix); }

    private static Object call(String... args) throws Exception {
        try (RawClient r = node.raw()) {
            return r.call(args);
        }
    }

    private static Err err(String message) { return new Err(message); }

    // ---------------------------------------------------------------- DEL, UNLINK, EXISTS, TOUCH, TYPE

    @Test
    void delUnlinkExistsAndTouchCountKeysOnEveryShard() {
        try (Jedis j = node.jedis()) {
            String[] keys = {on(0, "k"), on(1, "k"), on(2, "k"), on(3, "k")};
            for (String k : keys) j.set(k, "v");
            assertThat(j.exists(keys[0], keys[1], keys[2], keys[3], "missing", keys[0])).isEqualTo(5);
            assertThat(j.touch(keys[0], keys[3], "missing")).isEqualTo(2);
            assertThat(j.del(keys[0], keys[1], "missing", keys[0])).isEqualTo(2);
            assertThat(j.unlink(keys[2], keys[3], keys[2])).isEqualTo(2);
            assertThat(j.exists(keys)).isZero();
            assertThat(j.dbSize()).isZero();
        }
    }

    @Test
    void keyCommandsCheckTheirArity() throws Exception {
        assertThat(call("del")).isEqualTo(err("ERR wrong number of arguments for 'del' command"));
        assertThat(call("exists")).isEqualTo(err("ERR wrong number of arguments for 'exists' command"));
        assertThat(call("touch")).isEqualTo(err("ERR wrong number of arguments for 'touch' command"));
        assertThat(call("type")).isEqualTo(err("ERR wrong number of arguments for 'type' command"));
        assertThat(call("type", "a", "b")).isEqualTo(err("ERR wrong number of arguments for 'type' command"));
        assertThat(call("rename", "a")).isEqualTo(err("ERR wrong number of arguments for 'rename' command"));
        assertThat(call("renamenx", "a", "b", "c")).isEqualTo(err("ERR wrong number of arguments for 'renamenx' command"));
        assertThat(call("copy", "a")).isEqualTo(err("ERR wrong number of arguments for 'copy' command"));
        assertThat(call("move", "a")).isEqualTo(err("ERR wrong number of arguments for 'move' command"));
        assertThat(call("keys")).isEqualTo(err("ERR wrong number of arguments for 'keys' command"));
        assertThat(call("scan")).isEqualTo(err("ERR wrong number of arguments for 'scan' command"));
        assertThat(call("randomkey", "x")).isEqualTo(err("ERR wrong number of arguments for 'randomkey' command"));
        assertThat(call("swapdb", "0")).isEqualTo(err("ERR wrong number of arguments for 'swapdb' command"));
        assertThat(call("dbsize", "x")).isEqualTo(err("ERR wrong number of arguments for 'dbsize' command"));
    }

    @Test
    void typeNamesStringsAndMissingKeys() throws Exception {
        try (RawClient r = node.raw()) {
            r.call("set", "s", "v");
            assertThat(r.call("type", "s")).isEqualTo("string");
            assertThat(r.call("type", "missing")).isEqualTo("none");
        }
    }

    // ---------------------------------------------------------------- RENAME, RENAMENX

    @Test
    void renameMovesValueAndExpiryToAKeyOnAnotherShard() {
        try (Jedis j = node.jedis()) {
            String from = on(0, "from"), to = on(3, "to");
            j.set(from, "value", SetParams.setParams().px(100_000));
            assertThat(j.rename(from, to)).isEqualTo("OK");
            assertThat(j.get(to)).isEqualTo("value");
            assertThat(j.exists(from)).isFalse();
            assertThat(j.pttl(to)).isBetween(90_000L, 100_000L);
            assertThat(j.dbSize()).isEqualTo(1);
        }
    }

    @Test
    void renameOverwritesTheTargetWithoutInheritingItsExpiry() {
        try (Jedis j = node.jedis()) {
            String from = on(1, "from"), to = on(2, "to");
            j.set(from, "new");
            j.set(to, "old", SetParams.setParams().ex(100));
            assertThat(j.rename(from, to)).isEqualTo("OK");
            assertThat(j.get(to)).isEqualTo("new");
            assertThat(j.ttl(to)).isEqualTo(-1);
            String same = on(1, "same");
            j.set(same, "x");
            j.set(from, "y", SetParams.setParams().ex(100));
            assertThat(j.rename(from, same)).isEqualTo("OK");
            assertThat(j.ttl(same)).isBetween(90L, 100L);
        }
    }

    @Test
    void renameErrorsAndRenamesToItself() throws Exception {
        try (RawClient r = node.raw()) {
            assertThat(r.call("rename", "missing", "x")).isEqualTo(err("ERR no such key"));
            assertThat(r.call("renamenx", "missing", "x")).isEqualTo(err("ERR no such key"));
            assertThat(r.call("rename", "missing", "missing")).isEqualTo(err("ERR no such key"));
            r.call("set", "k", "v");
            assertThat(r.call("rename", "k", "k")).isEqualTo("OK");
            assertThat(r.call("renamenx", "k", "k")).isEqualTo(0L);
            assertThat(r.call("get", "k")).isEqualTo("v");
        }
    }

    @Test
    void renamenxLeavesBothKeysWhenTheTargetExists() {
        try (Jedis j = node.jedis()) {
            String a = on(0, "a"), b = on(2, "b"), c = on(3, "c");
            j.set(a, "1");
            j.set(b, "2");
            assertThat(j.renamenx(a, b)).isZero();
            assertThat(j.get(a)).isEqualTo("1");
            assertThat(j.get(b)).isEqualTo("2");
            assertThat(j.renamenx(a, c)).isEqualTo(1);
            assertThat(j.get(c)).isEqualTo("1");
            assertThat(j.exists(a)).isFalse();
        }
    }

    // ---------------------------------------------------------------- COPY, MOVE

    @Test
    void copyAcrossShardsKeepsExpiryAndMakesAnIndependentValue() {
        try (Jedis j = node.jedis()) {
            String src = on(0, "src"), dst = on(1, "dst");
            j.set(src, "hello", SetParams.setParams().ex(1000));
            assertThat(j.copy(src, dst, false)).isTrue();
            assertThat(j.get(dst)).isEqualTo("hello");
            assertThat(j.ttl(dst)).isBetween(990L, 1000L);
            j.set(src, "hello world", SetParams.setParams().keepTtl());
            assertThat(j.get(dst)).isEqualTo("hello");
            assertThat(j.copy(src, dst, false)).isFalse();
            assertThat(j.copy(src, dst, true)).isTrue();
            assertThat(j.get(dst)).isEqualTo("hello world");
            j.set("plain", "p");
            assertThat(j.copy("plain", dst, true)).isTrue();
            assertThat(j.ttl(dst)).as("COPY does not keep the replaced key's expiry").isEqualTo(-1);
            assertThat(j.copy("missing", "x", false)).isFalse();
        }
    }

    @Test
    void copyToAnotherDatabase() {
        try (Jedis j = node.jedis()) {
            j.set("k", "v");
            assertThat(j.copy("k", "k", 5, false)).isTrue();
            assertThat(j.copy("k", "k", 5, false)).isFalse();
            j.select(5);
            assertThat(j.get("k")).isEqualTo("v");
            j.select(0);
            assertThat(j.get("k")).isEqualTo("v");
        }
    }

    @Test
    void copyRejectsBadArguments() throws Exception {
        try (RawClient r = node.raw()) {
            r.call("set", "k", "v");
            assertThat(r.call("copy", "k", "k")).isEqualTo(err("ERR source and destination objects are the same"));
            assertThat(r.call("copy", "k", "k", "db", "0")).isEqualTo(err("ERR source and destination objects are the same"));
            assertThat(r.call("copy", "k", "x", "db")).isEqualTo(err("ERR syntax error"));
            assertThat(r.call("copy", "k", "x", "foo")).isEqualTo(err("ERR syntax error"));
            assertThat(r.call("copy", "k", "x", "db", "x")).isEqualTo(err("ERR value is not an integer or out of range"));
            assertThat(r.call("copy", "k", "x", "db", "16")).isEqualTo(err("ERR DB index is out of range"));
            assertThat(r.call("copy", "k", "x", "db", "-1")).isEqualTo(err("ERR DB index is out of range"));
            assertThat(r.call("copy", "k", "x", "db", "99999999999"))
                    .isEqualTo(err("ERR value is out of range, value must between -2147483648 and 2147483647"));
            assertThat(r.call("exists", "x")).isEqualTo(0L);
        }
    }

    @Test
    void moveTakesTheKeyWithItsExpiryToAnotherDatabase() {
        try (Jedis j = node.jedis()) {
            j.set("k", "v", SetParams.setParams().ex(500));
            assertThat(j.move("k", 3)).isEqualTo(1);
            assertThat(j.exists("k")).isFalse();
            assertThat(j.move("k", 3)).isZero();
            j.select(3);
            assertThat(j.get("k")).isEqualTo("v");
            assertThat(j.ttl("k")).isBetween(490L, 500L);
            j.select(0);
            j.set("k", "here");
            assertThat(j.move("k", 3)).as("the target database has the key").isZero();
            assertThat(j.get("k")).isEqualTo("here");
        }
    }

    @Test
    void moveRejectsBadDatabases() throws Exception {
        try (RawClient r = node.raw()) {
            r.call("set", "k", "v");
            assertThat(r.call("move", "k", "0")).isEqualTo(err("ERR source and destination objects are the same"));
            assertThat(r.call("move", "k", "16")).isEqualTo(err("ERR DB index is out of range"));
            assertThat(r.call("move", "k", "x")).isEqualTo(err("ERR value is not an integer or out of range"));
            assertThat(r.call("move", "k", "4294967296"))
                    .isEqualTo(err("ERR value is out of range, value must between -2147483648 and 2147483647"));
            assertThat(r.call("move", "missing", "1")).isEqualTo(0L);
        }
    }

    // ---------------------------------------------------------------- KEYS, SCAN, RANDOMKEY

    @Test
    void keysMatchesAcrossShardsAndSkipsExpiredKeys() throws Exception {
        try (Jedis j = node.jedis()) {
            Set<String> users = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                j.set("user:" + i, "x");
                users.add("user:" + i);
            }
            j.set("other", "x");
            j.set("user:*", "x");
            users.add("user:*");
            j.set("user:gone", "x", SetParams.setParams().px(1));
            Thread.sleep(5);
            assertThat(j.keys("user:*")).isEqualTo(users);
            assertThat(j.keys("*")).hasSize(42);
            assertThat(j.keys("user:\\*")).containsExactly("user:*");
            assertThat(j.keys("user:[0-1]")).containsExactlyInAnyOrder("user:0", "user:1");
            assertThat(j.keys("nothing*")).isEmpty();
            j.select(1);
            assertThat(j.keys("*")).isEmpty();
        }
    }

    @Test
    void scanReturnsEveryKeyOfEveryShardThenCursorZero() {
        try (Jedis j = node.jedis()) {
            Set<String> all = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                j.set("key:" + i, "v");
                all.add("key:" + i);
            }
            for (int count : new int[] {1, 10, 100, 5000}) {
                Set<String> seen = new HashSet<>();
                String cursor = "0";
                int calls = 0;
                do {
                    ScanResult<String> r = j.scan(cursor, new ScanParams().count(count));
                    seen.addAll(r.getResult());
                    cursor = r.getCursor();
                    calls++;
                } while (!cursor.equals("0"));
                assertThat(seen).isEqualTo(all);
                assertThat(calls).isGreaterThanOrEqualTo(4); // at least one call per shard
            }
        }
    }

    @Test
    void scanFiltersByPatternAndType() {
        try (Jedis j = node.jedis()) {
            for (int i = 0; i < 100; i++) j.set((i % 2 == 0 ? "even:" : "odd:") + i, "v");
            Set<String> even = new HashSet<>(), typed = new HashSet<>(), none = new HashSet<>();
            String cursor = "0";
            do {
                ScanResult<String> r = j.scan(cursor, new ScanParams().match("even:*").count(7));
                even.addAll(r.getResult());
                cursor = r.getCursor();
            } while (!cursor.equals("0"));
            do {
                ScanResult<String> r = j.scan(cursor, new ScanParams().count(50), "STRING");
                typed.addAll(r.getResult());
                cursor = r.getCursor();
            } while (!cursor.equals("0"));
            do {
                ScanResult<String> r = j.scan(cursor, new ScanParams().count(50), "hash");
                none.addAll(r.getResult());
                cursor = r.getCursor();
            } while (!cursor.equals("0"));
            assertThat(even).hasSize(50).allMatch(k -> k.startsWith("even:"));
            assertThat(typed).hasSize(100);
            assertThat(none).isEmpty();
        }
    }

    @Test
    void scanWithLettuceWalksAllShards() {
        RedisClient client = RedisClient.create(node.uri());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> cmd = conn.sync();
            for (int i = 0; i < 300; i++) cmd.set("l:" + i, "v");
            Set<String> seen = new HashSet<>();
            KeyScanCursor<String> cursor = cmd.scan(ScanArgs.Builder.limit(20));
            seen.addAll(cursor.getKeys());
            while (!cursor.isFinished()) {
                cursor = cmd.scan(cursor, ScanArgs.Builder.limit(20));
                seen.addAll(cursor.getKeys());
            }
            assertThat(seen).hasSize(300);
            assertThat(cmd.scan(io.lettuce.core.ScanCursor.INITIAL, ScanArgs.Builder.matches("nomatch*")).getKeys()).isEmpty();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void scanReturnsEveryKeyPresentThroughoutWhileOthersComeAndGo() {
        try (Jedis j = node.jedis(); Jedis writer = node.jedis()) {
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                j.set("stable:" + i, "v");
                stable.add("stable:" + i);
            }
            List<String> added = new ArrayList<>();
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            int n = 0;
            do {
                ScanResult<String> r = j.scan(cursor, new ScanParams().count(5 + rnd.nextInt(30)));
                seen.addAll(r.getResult());
                cursor = r.getCursor();
                // Between calls: new keys make tables grow and split; deletions leave holes.
                for (int i = 0; i < 40 && n < 30_000; i++) {
                    String k = "churn:" + n++;
                    writer.set(k, "v");
                    added.add(k);
                }
                for (int i = 0; i < 20 && !added.isEmpty(); i++) writer.del(added.remove(rnd.nextInt(added.size())));
            } while (!cursor.equals("0"));
            assertThat(n).as("keys were added during the scan").isGreaterThan(2000);
            assertThat(seen).containsAll(stable);
        }
    }

    @Test
    void scanRejectsBadCursorsAndOptions() throws Exception {
        try (RawClient r = node.raw()) {
            assertThat(r.call("scan", "abc")).isEqualTo(err("ERR invalid cursor"));
            assertThat(r.call("scan", " 1")).isEqualTo(err("ERR invalid cursor"));
            assertThat(r.call("scan", "1x")).isEqualTo(err("ERR invalid cursor"));
            assertThat(r.call("scan", "18446744073709551616")).isEqualTo(err("ERR invalid cursor"));
            assertThat(r.call("scan", "abc", "count", "0")).as("the cursor is checked first").isEqualTo(err("ERR invalid cursor"));
            assertThat(r.call("scan", "0", "count", "0")).isEqualTo(err("ERR syntax error"));
            assertThat(r.call("scan", "0", "count", "x")).isEqualTo(err("ERR value is not an integer or out of range"));
            assertThat(r.call("scan", "0", "match")).isEqualTo(err("ERR syntax error"));
            assertThat(r.call("scan", "0", "foo", "bar")).isEqualTo(err("ERR syntax error"));
            // Any 64-bit number is a cursor, as in Redis; one past the shards ends the scan.
            assertThat(r.call("scan", "18446744073709551615")).isEqualTo(List.of("0", List.of()));
            assertThat(r.call("scan", "-1")).isEqualTo(List.of("0", List.of()));
        }
    }

    @Test
    void randomkeyPicksLiveKeysFromEveryShard() throws Exception {
        try (Jedis j = node.jedis()) {
            assertThat(j.randomKey()).isNull();
            String[] keys = {on(0, "r"), on(1, "r"), on(2, "r"), on(3, "r")};
            for (String k : keys) j.set(k, "v");
            for (int i = 0; i < 50; i++) j.set("dead:" + i, "v", SetParams.setParams().px(1));
            Thread.sleep(5);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 400 && seen.size() < 4; i++) seen.add(j.randomKey());
            assertThat(seen).containsExactlyInAnyOrder(keys);
        }
    }

    // ---------------------------------------------------------------- OBJECT

    @Test
    void objectEncodingNamesStringsAsRedisDoes() throws Exception {
        try (RawClient r = node.raw()) {
            r.call("set", "int", "12345");
            r.call("set", "neg", "-9223372036854775808");
            r.call("set", "big", "9223372036854775808");
            r.call("set", "zero", "01");
            r.call("set", "short", "a".repeat(44));
            r.call("set", "long", "a".repeat(45));
            assertThat(r.call("object", "encoding", "int")).isEqualTo("int");
            assertThat(r.call("object", "encoding", "neg")).isEqualTo("int");
            assertThat(r.call("object", "encoding", "big")).isEqualTo("embstr");
            assertThat(r.call("object", "encoding", "zero")).isEqualTo("embstr");
            assertThat(r.call("object", "encoding", "short")).isEqualTo("embstr");
            assertThat(r.call("object", "encoding", "long")).isEqualTo("raw");
            assertThat(r.call("object", "encoding", "missing")).isNull();
            assertThat(r.call("object", "refcount", "missing")).isNull();
            assertThat(r.call("object", "idletime", "missing")).isNull();
            assertThat(r.call("object", "freq", "missing")).isNull();
        }
    }

    @Test
    void objectRefcountReportsSharedIntegers() throws Exception {
        try (RawClient r = node.raw()) {
            r.call("set", "n", "9999");
            assertThat(r.call("object", "refcount", "n")).isEqualTo(2147483647L);
            r.call("set", "n", "10000");
            assertThat(r.call("object", "refcount", "n")).isEqualTo(1L);
            r.call("set", "n", "-1");
            assertThat(r.call("object", "refcount", "n")).isEqualTo(1L);
            r.call("set", "n", "text");
            assertThat(r.call("object", "refcount", "n")).isEqualTo(1L);
        }
    }

    @Test
    void objectIdletimeGrowsAndOnlyTouchingCommandsResetIt() throws Exception {
        try (Jedis j = node.jedis()) {
            j.set("k", "v");
            assertThat(j.objectIdletime("k")).isZero();
            Thread.sleep(2100);
            j.type("k");
            j.exists("k");
            j.ttl("k");
            j.objectEncoding("k");
            assertThat(j.objectIdletime("k")).as("TYPE, EXISTS, TTL and OBJECT do not touch").isGreaterThanOrEqualTo(2);
            assertThat(j.touch("k")).isEqualTo(1);
            assertThat(j.objectIdletime("k")).isZero();
        }
    }

    @Test
    void objectFreqNeedsAnLfuPolicy() throws Exception {
        try (RawClient r = node.raw()) {
            r.call("set", "k", "v");
            assertThat(r.call("object", "freq", "k")).isEqualTo(err("ERR An LFU maxmemory policy is not selected, "
                    + "access frequency not tracked. Please note that when switching between policies at runtime LRU "
                    + "and LFU data will take some time to adjust."));
        }
        try (TestNode lfu = TestNode.start("shards", "4", "maxmemory-policy", "allkeys-lfu"); RawClient r = lfu.raw()) {
            r.call("set", "k", "v");
            assertThat(r.call("object", "freq", "k")).isEqualTo(5L); // Redis's LFU_INIT_VAL for a new key
            for (int i = 0; i < 200; i++) r.call("get", "k");
            assertThat((Long) r.call("object", "freq", "k")).isGreaterThan(5L);
            assertThat(r.call("object", "idletime", "k")).isEqualTo(err("ERR An LFU maxmemory policy is selected, "
                    + "idle time not tracked. Please note that when switching between policies at runtime LRU and LFU "
                    + "data will take some time to adjust."));
        }
    }

    @Test
    void objectHelpAndBadSubcommands() throws Exception {
        try (RawClient r = node.raw()) {
            Object help = r.call("object", "help");
            assertThat(help).asList().hasSize(15);
            assertThat(((List<?>) help).get(0)).isEqualTo("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
            assertThat(((List<?>) help).get(14)).isEqualTo("    Prints this help.");
            assertThat(r.call("object", "foo", "k")).isEqualTo(err("ERR unknown subcommand 'foo'. Try OBJECT HELP."));
            assertThat(r.call("object")).isEqualTo(err("ERR wrong number of arguments for 'object' command"));
            assertThat(r.call("object", "encoding")).isEqualTo(err("ERR wrong number of arguments for 'object|encoding' command"));
            assertThat(r.call("object", "encoding", "a", "b")).isEqualTo(err("ERR wrong number of arguments for 'object|encoding' command"));
            assertThat(r.call("object", "help", "x")).isEqualTo(err("ERR wrong number of arguments for 'object|help' command"));
        }
    }

    // ---------------------------------------------------------------- databases

    @Test
    void dbsizeCountsTheSelectedDatabaseOnEveryShard() {
        try (Jedis j = node.jedis()) {
            for (int s = 0; s < 4; s++) j.set(on(s, "d"), "v");
            assertThat(j.dbSize()).isEqualTo(4);
            j.select(2);
            assertThat(j.dbSize()).isZero();
            j.set("x", "v");
            assertThat(j.dbSize()).isEqualTo(1);
        }
    }

    @Test
    void swapdbSwapsOnEveryShard() {
        try (Jedis j = node.jedis()) {
            for (int s = 0; s < 4; s++) j.set(on(s, "a"), "db0");
            j.select(1);
            j.set(on(2, "b"), "db1");
            assertThat(j.swapDB(0, 1)).isEqualTo("OK");
            assertThat(j.dbSize()).isEqualTo(4);
            assertThat(j.get(on(3, "a"))).isEqualTo("db0");
            j.select(0);
            assertThat(j.dbSize()).isEqualTo(1);
            assertThat(j.get(on(2, "b"))).isEqualTo("db1");
            assertThat(j.swapDB(0, 0)).isEqualTo("OK");
            assertThat(j.dbSize()).isEqualTo(1);
        }
    }

    @Test
    void swapdbRejectsBadIndexes() throws Exception {
        try (RawClient r = node.raw()) {
            assertThat(r.call("swapdb", "x", "1")).isEqualTo(err("ERR invalid first DB index"));
            assertThat(r.call("swapdb", "1", "x")).isEqualTo(err("ERR invalid second DB index"));
            assertThat(r.call("swapdb", "99999999999", "1")).isEqualTo(err("ERR invalid first DB index"));
            assertThat(r.call("swapdb", "0", "16")).isEqualTo(err("ERR DB index is out of range"));
            assertThat(r.call("swapdb", "-1", "0")).isEqualTo(err("ERR DB index is out of range"));
        }
    }

    @Test
    void flushdbAndFlushallTakeSyncOrAsync() throws Exception {
        try (Jedis j = node.jedis()) {
            for (int s = 0; s < 4; s++) j.set(on(s, "f"), "v");
            j.select(1);
            j.set("one", "v");
            assertThat(j.flushDB(FlushMode.ASYNC)).isEqualTo("OK");
            assertThat(j.dbSize()).isZero();
            j.select(0);
            assertThat(j.dbSize()).isEqualTo(4);
            assertThat(j.flushDB(FlushMode.SYNC)).isEqualTo("OK");
            assertThat(j.dbSize()).isZero();
            j.set("again", "v");
            j.select(7);
            j.set("seven", "v");
            assertThat(j.flushAll(FlushMode.ASYNC)).isEqualTo("OK");
            assertThat(j.dbSize()).isZero();
            j.select(0);
            assertThat(j.dbSize()).isZero();
        }
        try (RawClient r = node.raw()) {
            assertThat(r.call("flushall", "now")).isEqualTo(err("ERR syntax error"));
            assertThat(r.call("flushall", "sync", "async")).isEqualTo(err("ERR syntax error"));
            assertThat(r.call("flushdb", "x")).isEqualTo(err("ERR syntax error"));
            assertThat(r.call("flushdb", "Async")).isEqualTo("OK");
        }
    }
}
