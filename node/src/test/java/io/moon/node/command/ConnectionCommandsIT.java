package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.RawClient.Err;
import io.moon.node.testing.TestNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class ConnectionCommandsIT {
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
    void pingAndEcho() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("PING")).isEqualTo("PONG");
            assertThat(c.call("PING", "hi")).isEqualTo("hi");
            assertThat(c.call("PING", "a", "b")).isEqualTo(new Err("ERR wrong number of arguments for 'ping' command"));
            assertThat(c.call("ECHO", "x\r\ny")).isEqualTo("x\r\ny");
            assertThat(c.call("ECHO")).isEqualTo(new Err("ERR wrong number of arguments for 'echo' command"));
        }
    }

    @Test
    void selectSwitchesDatabasesOnEveryShard() throws Exception {
        try (RawClient c = node.raw()) {
            for (int k = 0; k < 20; k++) assertThat(c.call("SET", "sel:" + k, "db0")).isEqualTo("OK");
            assertThat(c.call("SELECT", "5")).isEqualTo("OK");
            for (int k = 0; k < 20; k++) assertThat(c.call("GET", "sel:" + k)).isNull();
            assertThat(c.call("SET", "sel:0", "db5")).isEqualTo("OK");
            assertThat(c.call("SELECT", "0")).isEqualTo("OK");
            assertThat(c.call("GET", "sel:0")).isEqualTo("db0");
            assertThat(c.call("SELECT", "16")).isEqualTo(new Err("ERR DB index is out of range"));
            assertThat(c.call("SELECT", "-1")).isEqualTo(new Err("ERR DB index is out of range"));
            assertThat(c.call("SELECT", "x")).isEqualTo(new Err("ERR value is not an integer or out of range"));
        }
    }

    @Test
    void selectAppliesInOrderWithinAPipeline() throws Exception {
        try (RawClient c = node.raw()) {
            StringBuilder wire = new StringBuilder();
            for (int k = 0; k < 30; k++) {
                wire.append(RawClient.encode("SELECT", Integer.toString(k % 3)));
                wire.append(RawClient.encode("SET", "pipesel:" + k, "v" + (k % 3)));
            }
            for (int k = 0; k < 30; k++) {
                wire.append(RawClient.encode("SELECT", Integer.toString(k % 3)));
                wire.append(RawClient.encode("GET", "pipesel:" + k));
            }
            c.send(wire.toString());
            for (int k = 0; k < 60; k++) assertThat(c.read()).isEqualTo("OK");
            for (int k = 0; k < 30; k++) {
                assertThat(c.read()).isEqualTo("OK");
                assertThat(c.read()).isEqualTo("v" + (k % 3));
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void helloSwitchesToResp3() throws Exception {
        try (RawClient c = node.raw()) {
            Map<Object, Object> hello = (Map<Object, Object>) c.call("HELLO", "3", "SETNAME", "me");
            assertThat(hello).containsEntry("proto", 3L).containsEntry("version", ServerInfo.REDIS_VERSION)
                    .containsEntry("mode", "standalone").containsEntry("role", "master").containsKey("id");
            assertThat(c.call("GET", "resp3:none")).isNull();
            assertThat(c.call("HELLO", "4")).isEqualTo(new Err("NOPROTO unsupported protocol version"));
            assertThat(c.call("HELLO", "x")).isEqualTo(new Err("ERR Protocol version is not an integer or out of range"));
            assertThat(c.call("HELLO", "3", "FOO")).isEqualTo(new Err("ERR Syntax error in HELLO option 'FOO'"));
            assertThat(c.call("HELLO", "3", "SETNAME", "a b"))
                    .isEqualTo(new Err("ERR Client names cannot contain spaces, newlines or special characters."));
            List<Object> two = (List<Object>) c.call("HELLO", "2");
            assertThat(two).contains("proto", 2L);
        }
    }

    @Test
    void lettuceSpeaksResp3() {
        RedisClient client = RedisClient.create(RedisURI.create(node.uri()));
        client.setOptions(io.lettuce.core.ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(c.sync().set("lt3:k", "v")).isEqualTo("OK");
            assertThat(c.sync().get("lt3:k")).isEqualTo("v");
            assertThat(c.sync().get("lt3:missing")).isNull();
            assertThat(c.sync().mget("lt3:k", "lt3:missing")).hasSize(2);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void authWithoutPasswordConfigured() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("AUTH", "x")).isEqualTo(new Err("ERR AUTH <password> called without any password "
                    + "configured for the default user. Are you sure your configuration is correct?"));
            assertThat(c.call("AUTH", "default", "x")).isEqualTo("OK");
            assertThat(c.call("AUTH", "bob", "x")).isEqualTo(new Err("WRONGPASS invalid username-password pair or user is disabled."));
        }
    }

    @Test
    void requirepassGuardsEveryCommandButAuth() throws Exception {
        try (TestNode secured = TestNode.start("requirepass", "s3cret"); RawClient c = secured.raw()) {
            assertThat(c.call("GET", "k")).isEqualTo(new Err("NOAUTH Authentication required."));
            assertThat(c.call("AUTH", "wrong")).isEqualTo(new Err("WRONGPASS invalid username-password pair or user is disabled."));
            assertThat(c.call("HELLO", "3")).isInstanceOf(Err.class);
            assertThat(c.call("AUTH", "s3cret")).isEqualTo("OK");
            assertThat(c.call("SET", "k", "v")).isEqualTo("OK");
            assertThat(c.call("RESET")).isEqualTo("RESET");
            assertThat(c.call("GET", "k")).isEqualTo(new Err("NOAUTH Authentication required."));
            try (Jedis j = secured.jedis()) {
                j.auth("s3cret");
                assertThat(j.get("k")).isEqualTo("v");
            }
            try (RawClient h = secured.raw()) {
                Object r = h.call("HELLO", "3", "AUTH", "default", "s3cret");
                assertThat(r).isInstanceOf(Map.class);
                assertThat(h.call("GET", "k")).isEqualTo("v");
            }
        }
    }

    @Test
    void resetRestoresDefaults() throws Exception {
        try (RawClient c = node.raw()) {
            c.call("HELLO", "3");
            c.call("SELECT", "3");
            assertThat(c.call("RESET")).isEqualTo("RESET");
            assertThat(c.call("SET", "reset:k", "0")).isEqualTo("OK");
            assertThat(c.call("SELECT", "0")).isEqualTo("OK");
            assertThat(c.call("GET", "reset:k")).isEqualTo("0"); // RESET went back to db 0
            assertThat(c.call("GET", "reset:missing")).isNull();
        }
    }

    @Test
    void quitRepliesThenCloses() throws Exception {
        try (RawClient c = node.raw()) {
            c.send(RawClient.encode("SET", "quit:k", "1") + RawClient.encode("QUIT") + RawClient.encode("SET", "quit:k", "2"));
            assertThat(c.read()).isEqualTo("OK");
            assertThat(c.read()).isEqualTo("OK");
            assertThat(c.closedByServer()).isTrue();
        }
        try (Jedis j = node.jedis()) {
            assertThat(j.get("quit:k")).isEqualTo("1"); // nothing after QUIT ran
        }
    }
}
