package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.Jedis;

/**
 * Base of the data-type family tests: one 4-shard node per test class, and for each test a fresh
 * Jedis connection (RESP2), the class's Lettuce connection (RESP3) and a raw client, on a
 * flushed keyspace.
 */
abstract class FourShardClients {
    static TestNode node;
    static RedisClient lettuceClient;
    static StatefulRedisConnection<String, String> lettuceConnection;
    Jedis j;
    RawClient raw;
    RedisCommands<String, String> lettuce;

    @BeforeAll
    static void startNode() {
        node = TestNode.start("shards", "4");
        lettuceClient = RedisClient.create(node.uri());
        lettuceConnection = lettuceClient.connect();
    }

    @AfterAll
    static void stopNode() {
        lettuceConnection.close();
        lettuceClient.shutdown();
        node.close();
    }

    @BeforeEach
    void openClients() {
        j = node.jedis();
        j.flushAll();
        raw = node.raw();
        lettuce = lettuceConnection.sync();
    }

    @AfterEach
    void closeClients() throws Exception {
        j.close();
        raw.close();
    }

    /** The error text of a command that must fail. */
    String error(String... args) throws Exception {
        Object r = raw.call(args);
        assertThat(r).as("reply to %s", String.join(" ", args)).isInstanceOf(RawClient.Err.class);
        return ((RawClient.Err) r).message();
    }

    /** The first of prefix0, prefix1, ... on shard {@code shard}. */
    static String keyOn(int shard, String prefix) { return ShardKeys.on(node.node(), shard, prefix); }
}
