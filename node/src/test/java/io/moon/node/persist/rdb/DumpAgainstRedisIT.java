package io.moon.node.persist.rdb;

import static io.moon.node.persist.rdb.RdbValues.b;
import static io.moon.node.persist.rdb.RdbValues.canonical;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moon.node.testing.RedisServer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * DUMP payloads both ways with a real redis-server 7.0: every key of {@link RedisDataset} DUMPed
 * by Redis decodes to what the server answers; the same value encoded by {@link DumpPayload}
 * equals Redis's payload byte for byte where Redis's encoding does not depend on history or hash
 * table order, and RESTOREs into Redis with the same encoding and content.
 */
class DumpAgainstRedisIT {
    static RedisServer redis;
    static List<RedisDataset.Key> keys;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start(RedisDataset.SERVER_ARGS);
        try (Jedis j = redis.jedis()) {
            keys = RedisDataset.fill(j);
        }
    }

    @AfterAll
    static void stop() {
        if (redis != null) redis.close();
    }

    @Test
    void redisPayloadsDecodeAndOursRestoreWithTheSameEncoding() throws Exception {
        try (Jedis j = redis.jedis()) {
            for (RedisDataset.Key k : keys) {
                j.select(k.db());
                byte[] theirs = j.dump(b(k.name()));
                assertThat(DumpPayload.verify(theirs)).as(k.name()).isTrue();
                RdbValue value = DumpPayload.read(theirs);
                RdbValue live = RdbValues.readBack(j, k.name());
                assertThat(canonical(value)).as(k.name()).isEqualTo(canonical(live));

                RdbWriteOptions options = k.name().equals("l:plain")
                        ? new RdbWriteOptions(true, -2, RedisDataset.PLAIN_THRESHOLD, 512, 64, 128, 64, 512, 4096, 100)
                        : RdbWriteOptions.DEFAULTS;
                byte[] ours = DumpPayload.create(value, options);
                if (k.exact()) {
                    assertThat(HexFormat.of().formatHex(ours)).as("payload of %s", k.name())
                            .isEqualTo(HexFormat.of().formatHex(theirs));
                }
                String copy = k.name() + ":copy";
                assertThat(j.restore(b(copy), 0, ours)).isEqualTo("OK");
                assertThat(j.objectEncoding(copy)).as("encoding of %s", copy).isEqualTo(k.encoding());
                assertThat(canonical(RdbValues.readBack(j, copy))).as(copy).isEqualTo(canonical(live));
                j.del(copy);
            }
        }
    }

    @Test
    void damagedPayloadsAreRefusedByBothWithTheSameError() throws Exception {
        try (Jedis j = redis.jedis()) {
            j.select(0);
            byte[] payload = j.dump(b("h:small"));
            for (int at = 0; at < payload.length; at++) {
                byte[] flipped = payload.clone();
                flipped[at] ^= 0x10;
                assertThat(DumpPayload.verify(flipped)).as("flip at %d", at).isFalse();
                assertThatThrownBy(() -> j.restore(b("flipped"), 0, flipped)).isInstanceOf(JedisDataException.class)
                        .hasMessage(DumpPayload.ERR_VERSION_OR_CHECKSUM);
            }
            for (int len = 0; len < payload.length; len++) {
                byte[] cut = java.util.Arrays.copyOf(payload, len);
                assertThat(DumpPayload.verify(cut)).as("cut at %d", len).isFalse();
            }
            byte[] future = payload.clone();
            future[future.length - 10] = 11;
            assertThat(DumpPayload.verify(future)).isFalse();
            assertThatThrownBy(() -> j.restore(b("future"), 0, future)).hasMessage(DumpPayload.ERR_VERSION_OR_CHECKSUM);
        }
    }
}
