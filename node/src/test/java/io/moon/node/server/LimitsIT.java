package io.moon.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Limits on what one client, or too many clients, may do. */
class LimitsIT {
    @Test
    void maxclientsRefusesTheExtraClientWithRedisText() throws Exception {
        try (TestNode node = TestNode.start("maxclients", "3")) {
            List<RawClient> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RawClient c = node.raw();
                assertThat(c.call("PING")).isEqualTo("PONG");
                held.add(c);
            }
            try (RawClient extra = node.raw()) {
                assertThat(extra.read()).isEqualTo(new RawClient.Err("ERR max number of clients reached"));
                assertThat(extra.closedByServer()).isTrue();
            }
            for (RawClient c : held) c.close();
        }
    }

    @Test
    void bulkOverProtoMaxBulkLenIsRefused() throws Exception {
        try (TestNode node = TestNode.start("proto-max-bulk-len", "1mb"); RawClient c = node.raw()) {
            c.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + ((1 << 20) + 1) + "\r\n");
            assertThat(c.read()).isEqualTo(new RawClient.Err("ERR Protocol error: invalid bulk length"));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void queryBufferLimitClosesTheClient() throws Exception {
        try (TestNode node = TestNode.start("client-query-buffer-limit", "1mb"); RawClient c = node.raw()) {
            // A bulk of 2 MB announced and sent in part: the unprocessed input passes the limit.
            c.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + (2 << 20) + "\r\n");
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 24; i++) c.send(chunk);
            } catch (java.io.IOException closedMidWay) {
                // expected once the node closed the connection
            }
            assertThat(c.closedByServer()).isTrue();
            try (RawClient other = node.raw()) {
                assertThat(other.call("PING")).isEqualTo("PONG");
            }
        }
    }

    @Test
    void idleClientsAreClosedAfterTimeout() throws Exception {
        try (TestNode node = TestNode.start("timeout", "1"); RawClient idle = node.raw(); RawClient busy = node.raw()) {
            assertThat(idle.call("PING")).isEqualTo("PONG");
            long start = System.currentTimeMillis();
            while (System.currentTimeMillis() - start < 3500) {
                assertThat(busy.call("PING")).isEqualTo("PONG");
                Thread.sleep(200);
            }
            assertThat(idle.closedByServer()).isTrue();
            assertThat(busy.call("PING")).isEqualTo("PONG");
        }
    }
}
