package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.RawClient.Err;
import io.moon.node.testing.RedisServer;
import io.moon.node.testing.SideBySide;
import io.moon.node.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Client-side caching (CLIENT TRACKING) on a 4-shard node: keys cached from every shard, writes,
 * expiry and flushes on any shard invalidating them, RESP3 pushes and RESP2 redirection, BCAST,
 * OPTIN/OPTOUT, NOLOOP, the table limit, Lettuce's client-side cache, and the options' errors
 * compared with a real redis-server.
 */
class ClientTrackingIT {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start("shards", "4");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** A RESP3 raw client. */
    private static RawClient resp3() throws Exception {
        RawClient c = node.raw();
        c.call("HELLO", "3");
        return c;
    }

    /** One key per shard, named after {@code prefix}. */
    private static List<String> keyPerShard(String prefix) {
        List<String> keys = new ArrayList<>();
        for (int s = 0; s < 4; s++) keys.add(ShardKeys.on(node.node(), s, prefix));
        return keys;
    }

    private static String[] args(String command, List<String> keys) {
        List<String> all = new ArrayList<>(keys);
        all.addFirst(command);
        return all.toArray(String[]::new);
    }

    /** Reads n invalidation pushes and returns the keys they name. */
    private static Set<String> invalidated(RawClient c, int n) throws Exception {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < n; i++) {
            List<?> push = (List<?>) c.read();
            assertThat(push.get(0)).isEqualTo("invalidate");
            for (Object k : (List<?>) push.get(1)) keys.add((String) k);
        }
        return keys;
    }

    @Test
    void writesOnEveryShardInvalidateWhatWasRead() throws Exception {
        List<String> read = keyPerShard("csc:read:");
        List<String> unread = keyPerShard("csc:unread:");
        try (RawClient t = resp3(); Jedis w = node.jedis()) {
            for (String k : read) w.set(k, "1");
            assertThat(t.call("CLIENT", "TRACKING", "on")).isEqualTo("OK");
            for (String k : read) assertThat(t.call("GET", k)).isEqualTo("1");
            for (String k : unread) w.set(k, "2"); // never read: no message
            for (String k : read) w.incr(k);
            assertThat(invalidated(t, 4)).containsExactlyInAnyOrderElementsOf(read);
            // Each key was forgotten once invalidated: a second write says nothing.
            for (String k : read) w.incr(k);
            assertThat(t.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void multiShardReadsTrackEveryKey() throws Exception {
        List<String> keys = keyPerShard("csc:mget:");
        try (RawClient t = resp3(); Jedis w = node.jedis()) {
            t.call("CLIENT", "TRACKING", "on");
            assertThat(t.call(args("MGET", keys))).isEqualTo(Arrays.asList(null, null, null, null));
            w.del(keys.toArray(String[]::new)); // nothing to delete: no change, no message
            w.mset(keys.get(0), "a", keys.get(1), "b", keys.get(2), "c", keys.get(3), "d");
            assertThat(invalidated(t, 4)).containsExactlyInAnyOrderElementsOf(keys);
        }
    }

    @Test
    void ownWriteInvalidatesAfterItsReply() throws Exception {
        try (RawClient t = resp3()) {
            for (String k : keyPerShard("csc:own:")) {
                t.call("SET", k, "1");
                t.call("CLIENT", "TRACKING", "on");
                t.call("GET", k);
                assertThat(t.call("HSET", k + ":h", "f", "v")).isEqualTo(1L); // another key: nothing
                assertThat(t.call("APPEND", k, "2")).isEqualTo(2L);
                assertThat(t.read()).isEqualTo(List.of("invalidate", List.of(k)));
                t.call("CLIENT", "TRACKING", "off");
            }
        }
    }

    @Test
    void redirectionToResp2Subscriber() throws Exception {
        try (RawClient sub = node.raw(); RawClient t = node.raw(); Jedis w = node.jedis()) {
            long subId = (Long) sub.call("CLIENT", "ID");
            sub.command("SUBSCRIBE", "__redis__:invalidate");
            sub.read();
            assertThat(t.call("CLIENT", "TRACKING", "on", "REDIRECT", String.valueOf(subId))).isEqualTo("OK");
            assertThat(t.call("CLIENT", "GETREDIR")).isEqualTo(subId);
            List<String> keys = keyPerShard("csc:redir:");
            for (String k : keys) t.call("GET", k);
            for (String k : keys) w.set(k, "x");
            Set<String> got = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                List<?> m = (List<?>) sub.read();
                assertThat(m.subList(0, 2)).isEqualTo(List.of("message", "__redis__:invalidate"));
                got.add((String) ((List<?>) m.get(2)).get(0));
            }
            assertThat(got).containsExactlyInAnyOrderElementsOf(keys);
            // A RESP2 client that is not subscribed cannot get pushes: tracking without redirection sends nothing.
            t.call("CLIENT", "TRACKING", "off");
            t.call("CLIENT", "TRACKING", "on");
            t.call("GET", keys.get(0));
            w.set(keys.get(0), "y");
            assertThat(t.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void brokenRedirectionIsReported() throws Exception {
        try (RawClient t = resp3(); Jedis w = node.jedis()) {
            RawClient target = node.raw();
            long targetId = (Long) target.call("CLIENT", "ID");
            t.call("CLIENT", "TRACKING", "on", "REDIRECT", String.valueOf(targetId));
            String key = ShardKeys.on(node.node(), 3, "csc:broken:");
            t.call("GET", key);
            assertThat(target.call("QUIT")).isEqualTo("OK");
            target.close();
            w.set(key, "1");
            assertThat(t.read()).isEqualTo(List.of("tracking-redir-broken", targetId));
            Map<?, ?> info = (Map<?, ?>) t.call("CLIENT", "TRACKINGINFO");
            assertThat(info.get("flags")).isEqualTo(List.of("on", "broken_redirect"));
            assertThat(info.get("redirect")).isEqualTo(targetId);
            assertThat((String) t.call("CLIENT", "INFO")).contains("flags=tR ").contains(" redir=" + targetId + " ");
        }
    }

    @Test
    void broadcastPrefixesCoverEveryShard() throws Exception {
        try (RawClient t = resp3(); Jedis w = node.jedis()) {
            assertThat(t.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "csc:b:", "PREFIX", "csc:c:")).isEqualTo("OK");
            List<String> b = keyPerShard("csc:b:");
            for (String k : b) w.set(k, "1");
            w.set("csc:other", "1");
            assertThat(invalidated(t, 4)).containsExactlyInAnyOrderElementsOf(b);
            // One command's keys under one prefix on one shard come as one message.
            String c1 = "csc:c:{t}1", c2 = "csc:c:{t}2";
            w.mset(c1, "1", c2, "2");
            assertThat(t.read()).isEqualTo(List.of("invalidate", List.of(c1, c2)));
            Map<?, ?> info = (Map<?, ?>) t.call("CLIENT", "TRACKINGINFO");
            assertThat(info.get("flags")).isEqualTo(List.of("on", "bcast"));
            assertThat(info.get("prefixes")).isEqualTo(List.of("csc:b:", "csc:c:"));
            assertThat(w.info("stats")).contains("tracking_total_prefixes:2");
            assertThat((String) t.call("CLIENT", "INFO")).contains("flags=tB ");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> node.jedis().info("stats").contains("tracking_total_prefixes:0"));
    }

    @Test
    void noloopSkipsOwnChanges() throws Exception {
        List<String> keys = keyPerShard("csc:noloop:");
        try (RawClient t = resp3(); Jedis w = node.jedis()) {
            t.call("CLIENT", "TRACKING", "on", "NOLOOP");
            t.call(args("MGET", keys));
            t.call("SET", keys.get(0), "mine");
            w.set(keys.get(1), "theirs");
            assertThat(t.read()).isEqualTo(List.of("invalidate", List.of(keys.get(1))));
            t.call("CLIENT", "TRACKING", "off");
            t.call("CLIENT", "TRACKING", "on", "BCAST", "NOLOOP", "PREFIX", "csc:noloop:");
            t.call("SET", keys.get(2), "mine");
            w.set(keys.get(3), "theirs");
            assertThat(t.read()).isEqualTo(List.of("invalidate", List.of(keys.get(3))));
        }
    }

    @Test
    void optinAndOptoutFollowClientCaching() throws Exception {
        String a = ShardKeys.on(node.node(), 1, "csc:opt:"), b = ShardKeys.on(node.node(), 2, "csc:opt:");
        try (RawClient t = resp3(); Jedis w = node.jedis()) {
            t.call("CLIENT", "TRACKING", "on", "OPTIN");
            t.call("GET", a); // not cached: no CLIENT CACHING yes before it
            assertThat(t.call("CLIENT", "CACHING", "yes")).isEqualTo("OK");
            assertThat(((Map<?, ?>) t.call("CLIENT", "TRACKINGINFO")).get("flags")).isEqualTo(List.of("on", "optin", "caching-yes"));
            t.call("GET", b);
            w.set(a, "1");
            w.set(b, "1");
            assertThat(t.read()).isEqualTo(List.of("invalidate", List.of(b)));
            // In a pipeline the yes applies to the next command only.
            t.command("CLIENT", "CACHING", "yes");
            t.command("GET", a);
            t.command("GET", b);
            assertThat(List.of(t.read(), t.read(), t.read())).isEqualTo(List.of("OK", "1", "1"));
            w.set(b, "2");
            w.set(a, "2");
            assertThat(t.read()).isEqualTo(List.of("invalidate", List.of(a)));

            t.call("CLIENT", "TRACKING", "off");
            t.call("CLIENT", "TRACKING", "on", "OPTOUT");
            t.call("CLIENT", "CACHING", "no");
            t.call("GET", a); // not cached
            t.call("GET", b); // cached
            w.set(a, "3");
            w.set(b, "3");
            assertThat(t.read()).isEqualTo(List.of("invalidate", List.of(b)));
        }
    }

    @Test
    void expiryAndEvictionOfTheTableInvalidate() throws Exception {
        try (RawClient t = resp3(); Jedis w = node.jedis()) {
            String k = ShardKeys.on(node.node(), 2, "csc:ttl:");
            w.psetex(k, 50, "v");
            t.call("CLIENT", "TRACKING", "on");
            t.call("GET", k);
            // Active expiry, with nobody reading the key.
            assertThat(t.read()).isEqualTo(List.of("invalidate", List.of(k)));
        }
    }

    @Test
    void tableLimitDropsExactlyTheExcessOverAllShards() throws Exception {
        try (RawClient sub = node.raw(); RawClient t = node.raw(); Jedis w = node.jedis()) {
            long subId = (Long) sub.call("CLIENT", "ID");
            sub.command("SUBSCRIBE", "__redis__:invalidate");
            sub.read();
            t.call("CLIENT", "TRACKING", "on", "REDIRECT", String.valueOf(subId));
            int n = 40;
            for (int i = 0; i < n; i++) t.call("GET", "csc:limit:" + i);
            await().until(() -> w.info("stats").contains("tracking_total_keys:" + n));
            try {
                w.configSet("tracking-table-max-keys", "3");
                for (int i = 0; i < n - 3; i++) sub.read();
                assertThat(sub.call("PING")).isEqualTo(List.of("pong", ""));
                assertThat(w.info("stats")).contains("tracking_total_keys:3");
            } finally {
                w.configSet("tracking-table-max-keys", "1000000");
            }
        }
    }

    @Test
    void flushesInvalidateEverything() throws Exception {
        try (RawClient t = resp3(); RawClient t2 = node.raw(); RawClient sub = node.raw(); Jedis w = node.jedis()) {
            long subId = (Long) sub.call("CLIENT", "ID");
            sub.command("SUBSCRIBE", "__redis__:invalidate");
            sub.read();
            t.call("CLIENT", "TRACKING", "on");
            t2.call("CLIENT", "TRACKING", "on", "REDIRECT", String.valueOf(subId));
            for (String k : keyPerShard("csc:flush:")) {
                t.call("GET", k);
                t2.call("GET", k);
            }
            w.flushAll();
            assertThat(t.read()).isEqualTo(Arrays.asList("invalidate", null));
            assertThat(sub.read()).isEqualTo(Arrays.asList("message", "__redis__:invalidate", null));
            assertThat(w.info("stats")).contains("tracking_total_keys:0").contains("tracking_total_items:0");
            // FLUSHDB and SWAPDB too; a flush in the client's own transaction comes after EXEC's reply.
            t.call("MULTI");
            t.call("FLUSHDB");
            assertThat(t.call("EXEC")).isEqualTo(List.of("OK"));
            assertThat(t.read()).isEqualTo(Arrays.asList("invalidate", null));
            w.swapDB(0, 1);
            assertThat(t.read()).isEqualTo(Arrays.asList("invalidate", null));
        }
    }

    @Test
    void scriptsTrackTheirDeclaredKeysOnceTheyRead() throws Exception {
        String a = "csc:lua:{s}a", b = "csc:lua:{s}b";
        try (RawClient t = resp3(); Jedis w = node.jedis()) {
            t.call("CLIENT", "TRACKING", "on");
            t.call("EVAL", "redis.call('set', KEYS[1], 'x')", "2", a, b); // writes only: nothing tracked
            w.mset(a, "1", b, "1");
            t.call("EVAL", "return redis.call('get', 'csc:lua:{s}other')", "2", a, b);
            w.mset(b, "2", a, "2");
            assertThat(t.read()).isEqualTo(List.of("invalidate", List.of(b)));
            assertThat(t.read()).isEqualTo(List.of("invalidate", List.of(a)));
        }
    }

    @Test
    void infoAndClientListCountTrackingClients() throws Exception {
        try (Jedis w = node.jedis()) {
            long before = InfoCommandIT.stat(w, "clients", "tracking_clients");
            try (RawClient t = resp3(); RawClient u = node.raw()) {
                t.call("CLIENT", "TRACKING", "on");
                u.call("CLIENT", "TRACKING", "on", "BCAST");
                assertThat(InfoCommandIT.stat(w, "clients", "tracking_clients")).isEqualTo(before + 2);
                t.call("CLIENT", "TRACKING", "off");
                assertThat(InfoCommandIT.stat(w, "clients", "tracking_clients")).isEqualTo(before + 1);
                assertThat(u.call("RESET")).isEqualTo("RESET");
                assertThat(InfoCommandIT.stat(w, "clients", "tracking_clients")).isEqualTo(before);
                u.call("CLIENT", "TRACKING", "on");
            }
            await().until(() -> InfoCommandIT.stat(w, "clients", "tracking_clients") == before);
        }
    }

    @Test
    void lettuceClientSideCacheStaysFresh() throws Exception {
        RedisClient client = RedisClient.create(node.uri());
        try (StatefulRedisConnection<String, String> conn = client.connect(); Jedis w = node.jedis()) {
            Map<String, String> store = new ConcurrentHashMap<>();
            CacheFrontend<String, String> cache = ClientSideCaching.enable(CacheAccessor.forMap(store), conn,
                    TrackingArgs.Builder.enabled());
            List<String> keys = keyPerShard("csc:lettuce:");
            for (String k : keys) w.set(k, "v1");
            for (String k : keys) assertThat(cache.get(k)).isEqualTo("v1");
            assertThat(store).containsOnlyKeys(keys);
            for (String k : keys) w.set(k, "v2");
            await().atMost(Duration.ofSeconds(5)).until(store::isEmpty);
            for (String k : keys) assertThat(cache.get(k)).isEqualTo("v2");
            cache.close();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void errorsAsRedis() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RawClient moon = node.raw(); RawClient ref = new RawClient("127.0.0.1", redis.port())) {
            SideBySide.compare(moon, ref, SideBySide.commands(
                    "CLIENT TRACKING",
                    "CLIENT TRACKING maybe",
                    "CLIENT TRACKING on BOGUS",
                    "CLIENT TRACKING on REDIRECT",
                    "CLIENT TRACKING on REDIRECT notanumber",
                    "CLIENT TRACKING on REDIRECT 999999",
                    "CLIENT TRACKING on PREFIX a",
                    "CLIENT TRACKING on BCAST OPTIN",
                    "CLIENT TRACKING on OPTIN OPTOUT",
                    "CLIENT TRACKING on BCAST PREFIX ab PREFIX a",
                    "CLIENT TRACKING on BCAST PREFIX a PREFIX ab",
                    "CLIENT TRACKINGINFO",
                    "CLIENT GETREDIR",
                    "CLIENT CACHING yes",
                    "CLIENT CACHING",
                    "CLIENT TRACKING on BCAST PREFIX foo PREFIX bar",
                    "CLIENT TRACKING on BCAST PREFIX fo",
                    "CLIENT TRACKING on BCAST PREFIX barb",
                    "CLIENT TRACKING on",
                    "CLIENT TRACKING on BCAST PREFIX baz",
                    "CLIENT TRACKINGINFO",
                    "CLIENT GETREDIR",
                    "CLIENT CACHING yes",
                    "CLIENT TRACKING off",
                    "CLIENT TRACKING on OPTIN",
                    "CLIENT TRACKING on OPTOUT",
                    "CLIENT CACHING no",
                    "CLIENT CACHING maybe",
                    "CLIENT CACHING yes",
                    "CLIENT TRACKINGINFO",
                    "CLIENT TRACKING on OPTIN NOLOOP",
                    "CLIENT TRACKINGINFO",
                    "CLIENT TRACKING off",
                    "CLIENT TRACKINGINFO",
                    "CLIENT GETREDIR",
                    "CLIENT TRACKING off"));
            for (RawClient c : List.of(moon, ref)) {
                String self = String.valueOf(c.call("CLIENT", "ID"));
                assertThat(c.call("CLIENT", "TRACKING", "on", "REDIRECT", self, "REDIRECT", self))
                        .isEqualTo(new Err("ERR A client can only redirect to a single other client"));
                assertThat(c.call("CLIENT", "TRACKING", "on", "REDIRECT", self)).isEqualTo("OK");
                assertThat(c.call("CLIENT", "GETREDIR")).isEqualTo(Long.parseLong(self));
            }
        }
    }
}
