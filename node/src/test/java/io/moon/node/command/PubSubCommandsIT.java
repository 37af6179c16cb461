package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.RawClient.Err;
import io.moon.node.testing.TestNode;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pub/sub and keyspace notifications on a 4-shard node: publishers and subscribers on any loop. */
class PubSubCommandsIT {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start("shards", "4");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void subscribePublishUnsubscribe() throws Exception {
        try (RawClient sub = node.raw(); RawClient pub = node.raw()) {
            sub.command("SUBSCRIBE", "news", "sport");
            assertThat(sub.read()).isEqualTo(List.of("subscribe", "news", 1L));
            assertThat(sub.read()).isEqualTo(List.of("subscribe", "sport", 2L));
            assertThat(pub.call("PUBLISH", "news", "hello")).isEqualTo(1L);
            assertThat(pub.call("PUBLISH", "weather", "rain")).isEqualTo(0L);
            assertThat(sub.read()).isEqualTo(List.of("message", "news", "hello"));
            assertThat(sub.call("PING")).isEqualTo(List.of("pong", ""));
            assertThat(sub.call("GET", "x")).isEqualTo(new Err("ERR Can't execute 'get': only (P|S)SUBSCRIBE / "
                    + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"));
            sub.command("UNSUBSCRIBE");
            assertThat(sub.read()).isEqualTo(List.of("unsubscribe", "news", 1L));
            assertThat(sub.read()).isEqualTo(List.of("unsubscribe", "sport", 0L));
            assertThat(sub.call("GET", "x")).isNull(); // out of subscribed mode
            assertThat(sub.call("UNSUBSCRIBE")).isEqualTo(java.util.Arrays.asList("unsubscribe", null, 0L));
        }
    }

    @Test
    void patternsAndIntrospection() throws Exception {
        try (RawClient sub = node.raw(); RawClient pub = node.raw()) {
            sub.command("PSUBSCRIBE", "ne*", "n?ws");
            sub.read();
            sub.read();
            sub.command("SUBSCRIBE", "news");
            sub.read();
            assertThat(pub.call("PUBLISH", "news", "x")).isEqualTo(3L); // channel + 2 patterns
            assertThat(sub.read()).isEqualTo(List.of("message", "news", "x"));
            assertThat(List.of(sub.read(), sub.read())).containsExactlyInAnyOrder(
                    List.of("pmessage", "ne*", "news", "x"), List.of("pmessage", "n?ws", "news", "x"));
            assertThat(pub.call("PUBSUB", "NUMPAT")).isEqualTo(2L);
            assertThat(pub.call("PUBSUB", "NUMSUB", "news", "none")).isEqualTo(List.of("news", 1L, "none", 0L));
            assertThat(pub.call("PUBSUB", "CHANNELS", "n*")).isEqualTo(List.of("news"));
            sub.command("PUNSUBSCRIBE", "ne*");
            assertThat(sub.read()).isEqualTo(List.of("punsubscribe", "ne*", 2L));
            assertThat(pub.call("PUBSUB", "NUMPAT")).isEqualTo(1L);
            assertThat(pub.call("PUBSUB", "FOO")).isInstanceOf(Err.class);
        }
    }

    @Test
    void resp3SubscriberGetsPushesAndMayRunCommands() throws Exception {
        try (RawClient sub = node.raw(); RawClient pub = node.raw()) {
            sub.call("HELLO", "3");
            sub.command("SUBSCRIBE", "r3");
            assertThat(sub.read()).isEqualTo(List.of("subscribe", "r3", 1L));
            assertThat(sub.call("SET", "r3:k", "v")).isEqualTo("OK");
            pub.call("PUBLISH", "r3", "m");
            assertThat(sub.read()).isEqualTo(List.of("message", "r3", "m"));
        }
    }

    @Test
    void shardChannels() throws Exception {
        try (RawClient sub = node.raw(); RawClient pub = node.raw()) {
            sub.command("SSUBSCRIBE", "orders");
            assertThat(sub.read()).isEqualTo(List.of("ssubscribe", "orders", 1L));
            assertThat(pub.call("PUBLISH", "orders", "x")).isEqualTo(0L); // a separate namespace
            assertThat(pub.call("SPUBLISH", "orders", "y")).isEqualTo(1L);
            assertThat(sub.read()).isEqualTo(List.of("smessage", "orders", "y"));
            assertThat(pub.call("PUBSUB", "SHARDNUMSUB", "orders")).isEqualTo(List.of("orders", 1L));
            assertThat(pub.call("PUBSUB", "SHARDCHANNELS")).isEqualTo(List.of("orders"));
        }
    }

    @Test
    void lettucePubSub() throws Exception {
        RedisClient client = RedisClient.create(node.uri());
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<String, String> c = client.connectPubSub()) {
            c.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + ":" + message);
                }
            });
            c.sync().subscribe("lt");
            try (RawClient pub = node.raw()) {
                for (int i = 0; i < 100; i++) pub.call("PUBLISH", "lt", Integer.toString(i));
            }
            for (int i = 0; i < 100; i++) assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("lt:" + i);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void keyspaceNotificationsFromEveryShard() throws Exception {
        try (RawClient sub = node.raw(); RawClient c = node.raw()) {
            c.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            try {
                sub.command("PSUBSCRIBE", "__key*__:*");
                sub.read();
                c.call("SET", "kn:a", "1");
                assertThat(sub.read()).isEqualTo(List.of("pmessage", "__key*__:*", "__keyspace@0__:kn:a", "set"));
                assertThat(sub.read()).isEqualTo(List.of("pmessage", "__key*__:*", "__keyevent@0__:set", "kn:a"));
                c.call("INCRBY", "kn:b", "2");
                assertThat(((List<?>) sub.read()).get(3)).isEqualTo("incrby");
                sub.read();
                c.call("EXPIRE", "kn:b", "100");
                assertThat(((List<?>) sub.read()).get(3)).isEqualTo("expire");
                sub.read();
                c.call("RENAME", "kn:b", "kn:c");
                assertThat(((List<?>) sub.read()).get(3)).isEqualTo("rename_from");
                sub.read();
                assertThat(((List<?>) sub.read()).get(3)).isEqualTo("rename_to");
                sub.read();
                c.call("DEL", "kn:a", "kn:c");
                for (int i = 0; i < 4; i++) assertThat(((List<?>) sub.read()).get(3)).isIn("del", "kn:a", "kn:c");
                c.call("SET", "kn:gone", "1", "PX", "10");
                sub.read(); // set
                sub.read();
                sub.read(); // expire
                sub.read();
                Thread.sleep(50);
                assertThat(c.call("GET", "kn:gone")).isNull();
                assertThat(((List<?>) sub.read()).get(3)).isEqualTo("expired");
            } finally {
                c.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    @Test
    void subscriberDisconnectLeavesNoTrace() throws Exception {
        RawClient sub = node.raw();
        sub.command("SUBSCRIBE", "gone");
        sub.read();
        sub.close();
        try (RawClient pub = node.raw()) {
            long deadline = System.currentTimeMillis() + 5000;
            while (!pub.call("PUBSUB", "NUMSUB", "gone").equals(List.of("gone", 0L)) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(pub.call("PUBSUB", "NUMSUB", "gone")).isEqualTo(List.of("gone", 0L));
            assertThat(pub.call("PUBLISH", "gone", "x")).isEqualTo(0L);
        }
    }
}
