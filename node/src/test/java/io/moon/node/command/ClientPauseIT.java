package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.RedisServer;
import io.moon.node.testing.SideBySide;
import io.moon.node.testing.TestNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * CLIENT PAUSE and UNPAUSE on a 4-shard node: held commands wait (never refused) and run once the
 * pause ends, WRITE holds only what may write (scripts by their flags, EXEC by its queue), and
 * nothing expires or is evicted meanwhile.
 */
class ClientPauseIT {
    static TestNode node;
    /** Opened before any pause: a new connection's handshake would wait out a pause of ALL. */
    static Jedis control;

    @BeforeAll
    static void start() {
        node = TestNode.start("shards", "4");
        control = node.jedis();
    }

    @AfterAll
    static void stop() {
        control.close();
        node.close();
    }

    @AfterEach
    void unpause() {
        control.clientUnpause(); // tests pausing ALL let their pause run out first
    }

    @Test
    void writePauseHoldsWritesOnEveryShardAndLetsReadsThrough() throws Exception {
        try (Jedis admin = node.jedis(); RawClient reader = node.raw()) {
            for (int s = 0; s < 4; s++) admin.set(ShardKeys.on(node.node(), s, "pause:r:"), "v");
            assertThat(admin.clientPause(60_000, redis.clients.jedis.args.ClientPauseMode.WRITE)).isEqualTo("OK");
            for (int s = 0; s < 4; s++) assertThat(reader.call("GET", ShardKeys.on(node.node(), s, "pause:r:"))).isEqualTo("v");
            assertThat(reader.call("PING")).isEqualTo("PONG");
            List<RawClient> writers = new java.util.ArrayList<>();
            for (int s = 0; s < 4; s++) {
                RawClient w = node.raw();
                w.command("SET", ShardKeys.on(node.node(), s, "pause:w:"), "x");
                writers.add(w);
            }
            RawClient publisher = node.raw();
            publisher.command("PUBLISH", "ch", "m"); // may replicate: held too
            writers.add(publisher);
            await().until(() -> InfoCommandIT.stat(admin, "clients", "blocked_clients") == 5);
            assertThat((String) admin.clientList()).contains("flags=b ");
            assertThat(writers.get(0).silentFor(200)).isTrue();
            assertThat(admin.get(ShardKeys.on(node.node(), 1, "pause:w:"))).isNull();
            assertThat(admin.clientUnpause()).isEqualTo("OK");
            for (int s = 0; s < 4; s++) assertThat(writers.get(s).read()).isEqualTo("OK");
            assertThat(publisher.read()).isEqualTo(0L);
            for (RawClient w : writers) w.close();
            assertThat(InfoCommandIT.stat(admin, "clients", "blocked_clients")).isZero();
        }
    }

    @Test
    void allPauseHoldsEveryCommandUntilItEnds() throws Exception {
        try (RawClient c = node.raw()) {
            long start = System.nanoTime();
            control.clientPause(400);
            assertThat(c.call("PING")).isEqualTo("PONG");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(350);
        }
    }

    @Test
    void pipelineRepliesBeforeTheHeldCommandGoOut() throws Exception {
        String k = ShardKeys.on(node.node(), 2, "pause:pipe:");
        try (Jedis admin = node.jedis(); RawClient c = node.raw()) {
            admin.set(k, "1");
            admin.clientPause(60_000, redis.clients.jedis.args.ClientPauseMode.WRITE);
            c.command("GET", k);
            c.command("INCR", k);
            c.command("GET", k);
            assertThat(c.read()).isEqualTo("1");
            assertThat(c.silentFor(200)).isTrue();
            admin.clientUnpause();
            assertThat(c.read()).isEqualTo(2L);
            assertThat(c.read()).isEqualTo("2");
        }
    }

    @Test
    void transactionsAndScriptsByWhatTheyMayWrite() throws Exception {
        try (Jedis admin = node.jedis(); RawClient ro = node.raw(); RawClient rw = node.raw(); RawClient lua = node.raw()) {
            admin.functionLoadReplace("#!lua name=pauselib\nredis.register_function{function_name='pausef', "
                    + "callback=function() return 'hi' end, flags={'no-writes'}}");
            rw.call("MULTI");
            rw.call("SET", "pause:tx", "1");
            admin.clientPause(60_000, redis.clients.jedis.args.ClientPauseMode.WRITE);
            // A transaction that only reads runs; one that writes waits at EXEC.
            assertThat(ro.call("MULTI")).isEqualTo("OK");
            assertThat(ro.call("GET", "pause:tx")).isEqualTo("QUEUED");
            assertThat(ro.call("EXEC")).isEqualTo(java.util.Arrays.asList((Object) null));
            rw.command("EXEC");
            assertThat(lua.call("EVAL", "#!lua flags=no-writes\nreturn 1", "0")).isEqualTo(1L);
            assertThat(lua.call("EVAL_RO", "return 2", "0")).isEqualTo(2L);
            assertThat(lua.call("FCALL", "pausef", "0")).isEqualTo("hi");
            lua.command("EVAL", "return 3", "0"); // no flags: taken as writing
            await().until(() -> InfoCommandIT.stat(admin, "clients", "blocked_clients") == 2);
            admin.clientUnpause();
            assertThat(rw.read()).isEqualTo(List.of("OK"));
            assertThat(lua.read()).isEqualTo(3L);
        }
    }

    @Test
    void nothingExpiresWhilePaused() throws Exception {
        try (Jedis admin = node.jedis()) {
            long expiredBefore = InfoCommandIT.stat(admin, "stats", "expired_keys");
            for (int s = 0; s < 4; s++) admin.psetex(ShardKeys.on(node.node(), s, "pause:ttl:"), 20, "v");
            admin.clientPause(60_000, redis.clients.jedis.args.ClientPauseMode.WRITE);
            Thread.sleep(300); // several active expire cycles
            for (int s = 0; s < 4; s++) assertThat(admin.get(ShardKeys.on(node.node(), s, "pause:ttl:"))).isNull();
            assertThat(InfoCommandIT.stat(admin, "stats", "expired_keys")).isEqualTo(expiredBefore);
            admin.clientUnpause();
            for (int s = 0; s < 4; s++) admin.get(ShardKeys.on(node.node(), s, "pause:ttl:"));
            await().until(() -> InfoCommandIT.stat(admin, "stats", "expired_keys") == expiredBefore + 4);
        }
    }

    @Test
    void syntaxErrorsAnswerAtOnce() throws Exception {
        try (RawClient c = node.raw()) {
            control.clientPause(600);
            assertThat(c.call("SET", "x")).isEqualTo(new RawClient.Err("ERR wrong number of arguments for 'set' command"));
            c.command("CLIENT", "UNPAUSE"); // ALL holds even this, until the pause runs out
            assertThat(c.silentFor(200)).isTrue();
            assertThat(c.read()).isEqualTo("OK");
        }
    }

    @Test
    void errorsAsRedis() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RawClient moon = node.raw(); RawClient ref = new RawClient("127.0.0.1", redis.port())) {
            SideBySide.compare(moon, ref, SideBySide.commands(
                    "CLIENT PAUSE",
                    "CLIENT PAUSE -1",
                    "CLIENT PAUSE abc",
                    "CLIENT PAUSE 10 foo",
                    "CLIENT PAUSE 10 WRITE extra",
                    "CLIENT PAUSE 99999999999999999999",
                    "CLIENT UNPAUSE x",
                    "CLIENT PAUSE 0",
                    "CLIENT PAUSE 0 write",
                    "CLIENT UNPAUSE",
                    "CLIENT UNPAUSE"));
        }
    }
}
