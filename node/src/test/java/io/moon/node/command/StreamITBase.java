package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.moon.node.cluster.KeySlot;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.Jedis;

/** A 4-shard node and its clients for the stream family's integration tests, with helpers. */
abstract class StreamITBase {
    static TestNode node;
    static RedisClient lettuceClient;
    static StatefulRedisConnection<String, String> lettuceConnection;
    Jedis j;
    RawClient raw;
    RedisCommands<String, String> lettuce;

    @BeforeAll
    static void start() {
        node = TestNode.start("shards", "4");
        lettuceClient = RedisClient.create(node.uri());
        lettuceConnection = lettuceClient.connect();
    }

    @AfterAll
    static void stop() {
        lettuceConnection.close();
        lettuceClient.shutdown();
        node.close();
    }

    @BeforeEach
    void open() {
        j = node.jedis();
        j.flushAll();
        raw = node.raw();
        lettuce = lettuceConnection.sync();
    }

    @AfterEach
    void close() throws Exception {
        j.close();
        raw.close();
    }

    Object call(String... args) throws Exception {
        return raw.call(args);
    }

    /** The error text of a command that must fail. */
    String error(String... args) throws Exception {
        Object r = raw.call(args);
        assertThat(r).as("reply to %s", String.join(" ", args)).isInstanceOf(RawClient.Err.class);
        return ((RawClient.Err) r).message();
    }

    static String wrongArgs(String command) {
        return "ERR wrong number of arguments for '" + command + "' command";
    }

    /** Names with the prefix that fall on n different shards. */
    static String[] keysOnDistinctShards(String prefix, int n) {
        List<String> keys = new ArrayList<>();
        Set<Integer> shards = new HashSet<>();
        for (int i = 0; keys.size() < n; i++) {
            String k = prefix + i;
            if (shards.add(node.node().shardIndexOfSlot(KeySlot.slot(k.getBytes(StandardCharsets.UTF_8))))) keys.add(k);
        }
        return keys.toArray(new String[0]);
    }

    /** INFO's blocked_clients. */
    long blockedClients() {
        for (String line : j.info("clients").split("\r\n")) {
            if (line.startsWith("blocked_clients:")) return Long.parseLong(line.substring(16));
        }
        throw new IllegalStateException("no blocked_clients in INFO");
    }

    void awaitBlocked(long n) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> blockedClients() == n);
    }

    /** A reply's entries as [id, [field, value...]] lists. */
    static List<Object> entry(String id, String... fieldsAndValues) {
        return List.of(id, List.of((Object[]) fieldsAndValues));
    }
}
