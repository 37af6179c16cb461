package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.RawClient.Err;
import io.moon.node.testing.RedisServer;
import io.moon.node.testing.SideBySide;
import io.moon.node.testing.TestNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.UnblockType;
import redis.clients.jedis.params.LolwutParams;

/**
 * WAIT on a node without replicas (answers 0, at once or after its timeout, as Redis with no
 * replica) and LOLWUT, side by side with redis-server where the output does not depend on chance.
 */
class WaitAndLolwutIT {
    static TestNode node;
    static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start("shards", "4");
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
        redis.close();
    }

    @Test
    void waitWithNothingToWaitForAnswersAtOnce() throws Exception {
        try (Jedis j = node.jedis(); RawClient c = node.raw()) {
            for (int s = 0; s < 4; s++) j.set(ShardKeys.on(node.node(), s, "wait:"), "v");
            assertThat(j.waitReplicas(0, 0)).isZero();
            assertThat(c.call("WAIT", "-3", "1000")).isEqualTo(0L);
            assertThat(c.call("MULTI")).isEqualTo("OK");
            assertThat(c.call("WAIT", "5", "0")).isEqualTo("QUEUED");
            assertThat(c.call("EXEC")).isEqualTo(List.of(0L));
        }
    }

    @Test
    void waitForReplicasTimesOutWithZero() throws Exception {
        try (RawClient c = node.raw()) {
            long start = System.nanoTime();
            c.command("WAIT", "1", "300");
            c.command("PING"); // waits behind WAIT, as in Redis
            assertThat(c.read()).isEqualTo(0L);
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(290);
            assertThat(c.read()).isEqualTo("PONG");
        }
    }

    @Test
    void waitForeverEndsWithClientUnblock() throws Exception {
        try (Jedis admin = node.jedis(); RawClient c = node.raw()) {
            long id = (Long) c.call("CLIENT", "ID");
            long blockedBefore = InfoCommandIT.stat(admin, "clients", "blocked_clients");
            c.command("WAIT", "2", "0");
            await().until(() -> InfoCommandIT.stat(admin, "clients", "blocked_clients") == blockedBefore + 1);
            assertThat(c.silentFor(100)).isTrue();
            assertThat(admin.clientUnblock(id)).isEqualTo(1);
            assertThat(c.read()).isEqualTo(0L);
            c.command("WAIT", "2", "0");
            await().until(() -> InfoCommandIT.stat(admin, "clients", "blocked_clients") == blockedBefore + 1);
            assertThat(admin.clientUnblock(id, UnblockType.ERROR)).isEqualTo(1);
            assertThat(c.read()).isEqualTo(new Err("UNBLOCKED client unblocked via CLIENT UNBLOCK"));
            assertThat(admin.clientUnblock(id)).isZero();
            assertThat(InfoCommandIT.stat(admin, "clients", "blocked_clients")).isEqualTo(blockedBefore);
        }
    }

    @Test
    void waitErrorsAsRedis() throws Exception {
        try (RawClient moon = node.raw(); RawClient ref = new RawClient("127.0.0.1", redis.port())) {
            SideBySide.compare(moon, ref, SideBySide.commands(
                    "WAIT",
                    "WAIT 1",
                    "WAIT x 1",
                    "WAIT 1 x",
                    "WAIT 1 -1",
                    "WAIT 99999999999999999999 1",
                    "WAIT 0 0",
                    "WAIT 1 10"));
        }
    }

    @Test
    void lolwutAsRedisWhereNoChanceIsInvolved() throws Exception {
        try (RawClient moon = node.raw(); RawClient ref = new RawClient("127.0.0.1", redis.port())) {
            // Schotter's first two rows of squares are never moved: with at most two rows it is deterministic.
            SideBySide.compare(moon, ref, SideBySide.commands(
                    "LOLWUT",
                    "LOLWUT foo bar",
                    "LOLWUT VERSION",
                    "LOLWUT VERSION abc",
                    "LOLWUT VERSION -1",
                    "LOLWUT VERSION 7 1 2",
                    "LOLWUT VERSION 5 x",
                    "LOLWUT VERSION 5 66 8 2",
                    "LOLWUT VERSION 5 1 1 1",
                    "LOLWUT VERSION 5 1000 200 2",
                    "LOLWUT VERSION 5 -5 0 -1",
                    "LOLWUT VERSION 5 33 5 1",
                    "LOLWUT VERSION 6 x",
                    "LOLWUT VERSION 6 10 1 extra",
                    "HELLO 3",
                    "LOLWUT VERSION 5 20 3 2"));
        }
    }

    @Test
    void randomArtHasItsShape() throws Exception {
        try (Jedis j = node.jedis()) {
            String schotter = j.lolwut(new LolwutParams().version(5));
            assertThat(schotter).endsWith("\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n");
            // 66 columns of Braille, 12 rows of squares of (132 - 4) / 8 pixels, 4 pixel rows per text line.
            String[] lines = schotter.split("\n");
            assertThat(lines[0]).hasSize(66);
            assertThat(lines[0].chars()).allMatch(ch -> ch >= 0x2800 && ch <= 0x28ff);
            String skyline = j.lolwut(new LolwutParams().version(6).optionalArguments("30", "8"));
            String[] rows = skyline.split("\n");
            assertThat(rows).hasSize(8 + 2);
            for (int r = 0; r < 8; r++) assertThat(rows[r].split("\033\\[0m", -1)).hasSize(30 + 1);
            assertThat(rows[8]).isEqualTo("Dedicated to the 8 bit game developers of past and present.");
            assertThat(rows[9]).isEqualTo("Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15");
        }
    }
}
