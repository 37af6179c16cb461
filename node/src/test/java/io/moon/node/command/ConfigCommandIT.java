package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.moon.node.config.ServerConfig;
import io.moon.node.server.Node;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.TestNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** CONFIG GET/SET/REWRITE/HELP and their errors, with Redis 7.0's texts. RESETSTAT is in {@link InfoCommandIT}. */
@SuppressWarnings("unchecked")
class ConfigCommandIT extends FourShardNode {
    @Test
    void getMatchesNamesAliasesAndPatterns() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("CONFIG", "GET", "maxmemory")).isEqualTo(List.of("maxmemory", "0"));
            // A name without glob characters is answered under the name as given.
            assertThat(c.call("CONFIG", "GET", "MAXMEMORY")).isEqualTo(List.of("MAXMEMORY", "0"));
            assertThat(c.call("CONFIG", "GET", "nosuchsetting")).isEqualTo(List.of());
            List<Object> multi = (List<Object>) c.call("CONFIG", "GET", "maxmemory", "maxmemory*", "bind", "*of");
            Map<Object, Object> m = pairs(multi);
            assertThat(m.size() * 2).as("no name twice").isEqualTo(multi.size());
            assertThat(m).containsKeys("maxmemory", "maxmemory-samples", "maxmemory-policy", "maxmemory-clients", "bind",
                    "replicaof", "slaveof");
            assertThat(pairs((List<Object>) c.call("CONFIG", "GET", "hash-max-ziplist-entries")))
                    .containsEntry("hash-max-ziplist-entries", "512");
        }
    }

    @Test
    void hiddenSettingsOnlyByName() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(pairs((List<Object>) c.call("CONFIG", "GET", "*"))).doesNotContainKey("key-load-delay")
                    .containsKeys("port", "shards", "io", "save", "appendonly");
            assertThat(c.call("CONFIG", "GET", "key-load-delay")).isEqualTo(List.of("key-load-delay", "0"));
        }
    }

    @Test
    void getIsAMapInResp3() throws Exception {
        try (RawClient c = node.raw()) {
            c.call("HELLO", "3");
            assertThat(c.call("CONFIG", "GET", "maxmemory-policy", "hz")).isEqualTo(Map.of("maxmemory-policy", "noeviction", "hz", "10"));
        }
    }

    @Test
    void setManyAtOnceAndReadBack() throws Exception {
        try (Jedis j = node.jedis()) {
            assertThat(j.configSet("maxmemory", "10mb", "maxmemory-policy", "ALLKEYS-LFU", "save", "3000 5", "hz", "20"))
                    .isEqualTo("OK");
            try {
                assertThat(j.configGet("maxmemory")).containsEntry("maxmemory", "10485760");
                assertThat(j.configGet("maxmemory-policy")).containsEntry("maxmemory-policy", "allkeys-lfu");
                assertThat(j.configGet("save")).containsEntry("save", "3000 5");
                assertThat(j.configGet("hz")).containsEntry("hz", "20");
                assertThat(node.node().config().maxmemory()).isEqualTo(10L << 20);
            } finally {
                j.configSet("maxmemory", "0", "maxmemory-policy", "noeviction", "save", "", "hz", "10");
            }
            // Setting every value back to itself works (Moon's own fixed settings included).
            assertThat(j.configSet("shards", "4", "io", node.node().config().get("io"))).isEqualTo("OK");
        }
    }

    @Test
    void setIsAllOrNothing() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("CONFIG", "SET", "maxmemory", "10000002")).isEqualTo("OK");
            assertThat(c.call("CONFIG", "SET", "maxmemory", "10000001", "maxmemory-clients", "200%", "client-query-buffer-limit", "x"))
                    .hasToString("-ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage "
                            + "argument must be less or equal to 100");
            assertThat(c.call("CONFIG", "GET", "maxmemory")).isEqualTo(List.of("maxmemory", "10000002"));
            assertThat(c.call("CONFIG", "SET", "maxmemory-clients", "10%")).isEqualTo("OK");
            assertThat(c.call("CONFIG", "GET", "maxmemory-clients")).isEqualTo(List.of("maxmemory-clients", "10%"));
            c.call("CONFIG", "SET", "maxmemory", "0", "maxmemory-clients", "0");
        }
    }

    @Test
    void setErrorsAsRedis() throws Exception {
        try (RawClient c = node.raw()) {
            String failed = "-ERR CONFIG SET failed (possibly related to argument ";
            assertThat(c.call("CONFIG", "SET", "maxmemory", "1", "hz")).hasToString("-ERR syntax error");
            assertThat(c.call("CONFIG", "SET", "maxmemory")).hasToString("-ERR wrong number of arguments for 'config|set' command");
            assertThat(c.call("CONFIG", "SET", "nosuch", "1")).hasToString("-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
            assertThat(c.call("CONFIG", "SET", "daemonize", "yes")).hasToString(failed + "'daemonize') - can't set immutable config");
            assertThat(c.call("CONFIG", "SET", "shards", "3")).hasToString(failed + "'shards') - can't set immutable config");
            assertThat(c.call("CONFIG", "SET", "hz", "5", "hz", "6")).hasToString(failed + "'hz') - duplicate parameter");
            assertThat(c.call("CONFIG", "SET", "hz", "abc")).hasToString(failed + "'hz') - argument couldn't be parsed into an integer");
            assertThat(c.call("CONFIG", "SET", "hz", "501")).hasToString(failed + "'hz') - argument must be between 0 and 500 inclusive");
            assertThat(c.call("CONFIG", "SET", "protected-mode", "maybe")).hasToString(failed + "'protected-mode') - argument must be 'yes' or 'no'");
            assertThat(c.call("CONFIG", "SET", "appendonly", "no")).hasToString(failed + "'appendonly') - can't set immutable config");
            assertThat(c.call("CONFIG", "SET", "maxmemory", "lots")).hasToString(failed + "'maxmemory') - argument must be a memory value");
            assertThat(c.call("CONFIG", "SET", "maxmemory-policy", "random")).hasToString(failed + "'maxmemory-policy') - argument(s) "
                    + "must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, "
                    + "allkeys-lfu, allkeys-random, noeviction");
            assertThat(c.call("CONFIG", "SET", "shutdown-on-sigterm", "save nosave"))
                    .hasToString(failed + "'shutdown-on-sigterm') - shutdown options SAVE and NOSAVE can't be used simultaneously");
            assertThat(c.call("CONFIG", "GET")).hasToString("-ERR wrong number of arguments for 'config|get' command");
            assertThat(c.call("CONFIG")).hasToString("-ERR wrong number of arguments for 'config' command");
            assertThat(c.call("CONFIG", "BOGUS")).hasToString("-ERR unknown subcommand 'BOGUS'. Try CONFIG HELP.");
            assertThat(c.call("CONFIG", "HELP", "x")).hasToString("-ERR wrong number of arguments for 'config|help' command");
        }
    }

    @Test
    void specialSettingsParseAsRedis() throws Exception {
        try (RawClient c = node.raw()) {
            String failed = "-ERR CONFIG SET failed (possibly related to argument ";
            c.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            assertThat(c.call("CONFIG", "GET", "notify-keyspace-events")).isEqualTo(List.of("notify-keyspace-events", "AKE"));
            c.call("CONFIG", "SET", "notify-keyspace-events", "Ksx$");
            assertThat(c.call("CONFIG", "GET", "notify-keyspace-events")).isEqualTo(List.of("notify-keyspace-events", "$sxK"));
            assertThat(c.call("CONFIG", "SET", "notify-keyspace-events", "Q"))
                    .hasToString(failed + "'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            c.call("CONFIG", "SET", "notify-keyspace-events", "");

            assertThat(c.call("CONFIG", "SET", "client-output-buffer-limit", "replica 1mb 2kb 3")).isEqualTo("OK");
            assertThat(c.call("CONFIG", "GET", "client-output-buffer-limit")).isEqualTo(List.of("client-output-buffer-limit",
                    "normal 0 0 0 slave 1048576 2048 3 pubsub 33554432 8388608 60"));
            assertThat(c.call("CONFIG", "SET", "client-output-buffer-limit", "normal 1 2"))
                    .hasToString(failed + "'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration.");
            assertThat(c.call("CONFIG", "SET", "client-output-buffer-limit", "master 1 2 3"))
                    .hasToString(failed + "'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration.");
            assertThat(c.call("CONFIG", "SET", "client-output-buffer-limit", "normal 1 2 x")).hasToString(
                    failed + "'client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            c.call("CONFIG", "SET", "client-output-buffer-limit", "slave 268435456 67108864 60");

            assertThat(c.call("CONFIG", "SET", "dir", "/tmp")).hasToString(failed + "'dir') - can't set protected config");
            assertThat(c.call("CONFIG", "SET", "maxmemory", "-1")).hasToString(failed + "'maxmemory') - argument must be a memory value");
            // Every name is checked before any value.
            assertThat(c.call("CONFIG", "SET", "hz", "x", "nosuch", "1"))
                    .hasToString("-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
        }
        try (TestNode n = TestNode.start("shards", "1", "enable-protected-configs", "local"); RawClient c = n.raw()) {
            assertThat(c.call("CONFIG", "SET", "dbfilename", "other.rdb")).isEqualTo("OK");
        }
    }

    @Test
    void setTakesEffect() throws Exception {
        try (Jedis j = node.jedis()) {
            j.configSet("slowlog-log-slower-than", "0");
            j.slowlogReset();
            j.ping();
            assertThat(j.slowlogLen()).isGreaterThanOrEqualTo(2);
            // As in Redis, a shorter log is cut at the next entry: here the CONFIG SET itself.
            j.configSet("slowlog-max-len", "1");
            assertThat(j.slowlogLen()).isEqualTo(1);
            j.configSet("slowlog-log-slower-than", "10000", "slowlog-max-len", "128");
        }
    }

    @Test
    void setPortListensOnTheNewPortFirst() throws Exception {
        try (TestNode n = TestNode.start("shards", "2"); ServerSocket taken = new ServerSocket(0)) {
            int oldPort = n.port(), newPort = freePort();
            try (RawClient c = n.raw()) {
                assertThat(c.call("CONFIG", "SET", "port", Integer.toString(taken.getLocalPort()))).hasToString(
                        "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.");
                assertThat(n.port()).isEqualTo(oldPort);
                assertThat(c.call("CONFIG", "SET", "port", Integer.toString(newPort))).isEqualTo("OK");
                // The connection made on the old port stays.
                assertThat(c.call("CONFIG", "GET", "port")).isEqualTo(List.of("port", Integer.toString(newPort)));
            }
            assertThat(n.port()).isEqualTo(newPort);
            try (RawClient fresh = new RawClient("127.0.0.1", newPort)) {
                assertThat(fresh.call("PING")).isEqualTo("PONG");
            }
            assertThatThrownBy(() -> new RawClient("127.0.0.1", oldPort).close()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void rewriteUpdatesTheStartupFile() throws Exception {
        Path dir = Files.createTempDirectory("moon-config");
        Path file = dir.resolve("moon.conf");
        Files.writeString(file, "# test settings\nport 0\nshards 2\ndir " + dir + "\nmaxmemory 1mb\nhz 15\n"
                + "hash-max-ziplist-entries 20\n");
        ServerConfig config = new ServerConfig();
        config.load(file);
        Node n = new Node(config);
        n.start();
        try (RawClient c = new RawClient("127.0.0.1", n.port())) {
            assertThat(c.call("CONFIG", "GET", "hash-max-listpack-entries")).isEqualTo(List.of("hash-max-listpack-entries", "20"));
            assertThat(c.call("CONFIG", "SET", "maxmemory", "2mb", "hz", "10", "slowlog-max-len", "55",
                    "hash-max-listpack-entries", "100", "requirepass", "with space")).isEqualTo("OK");
            assertThat(c.call("CONFIG", "REWRITE")).isEqualTo("OK");
            List<String> lines = Files.readAllLines(file);
            assertThat(lines.get(0)).isEqualTo("# test settings");
            // Lines of the file are updated where they stand (hz too, though back at its default),
            // an alias line under the setting's name; other changes are appended after a signature.
            assertThat(lines.subList(1, 7)).containsExactly("port 0", "shards 2", "dir " + dir, "maxmemory 2097152", "hz 10",
                    "hash-max-listpack-entries 100");
            assertThat(lines.subList(7, lines.size())).containsExactly("# Generated by CONFIG REWRITE",
                    "requirepass \"with space\"", "slowlog-max-len 55");
        } finally {
            n.stop();
        }
        ServerConfig reread = new ServerConfig();
        reread.load(file);
        assertThat(reread.get("maxmemory")).isEqualTo("2097152");
        assertThat(reread.get("slowlog-max-len")).isEqualTo("55");
        assertThat(reread.get("hz")).isEqualTo("10");
        assertThat(reread.get("hash-max-listpack-entries")).isEqualTo("100");
        assertThat(reread.get("requirepass")).isEqualTo("with space");
        assertThat(reread.configFile()).isEqualTo(file.toAbsolutePath());
    }

    @Test
    void rewriteWithoutAFileAndHelp() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("CONFIG", "REWRITE")).hasToString("-ERR The server is running without a config file");
            List<Object> help = (List<Object>) c.call("CONFIG", "HELP");
            assertThat(help).containsExactly("CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                    "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
                    "SET <directive> <value>", "    Set the configuration <directive> to <value>.",
                    "RESETSTAT", "    Reset statistics reported by the INFO command.",
                    "REWRITE", "    Rewrite the configuration file.",
                    "HELP", "    Prints this help.");
        }
    }

    @Test
    void lettuceReadsAndWritesSettings() {
        RedisClient client = RedisClient.create(node.uri());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            assertThat(conn.sync().configGet("maxmemory-samples", "lfu-*")).containsEntry("maxmemory-samples", "5")
                    .containsEntry("lfu-log-factor", "10").containsEntry("lfu-decay-time", "1");
            assertThat(conn.sync().configSet("maxmemory-samples", "7")).isEqualTo("OK");
            assertThat(node.node().config().samples()).isEqualTo(7);
            conn.sync().configSet("maxmemory-samples", "5");
        } finally {
            client.shutdown();
        }
    }

    private static Map<Object, Object> pairs(List<Object> flat) {
        Map<Object, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) m.put(flat.get(i), flat.get(i + 1));
        return m;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
