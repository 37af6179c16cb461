package io.moon.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeySlotTest {
    private static int slot(String k) { return KeySlot.slot(k.getBytes(StandardCharsets.UTF_8)); }

    @Test
    void matchesRedisClusterSlots() {
        // Values from redis-cli CLUSTER KEYSLOT on Redis 7.0.
        assertThat(slot("foo")).isEqualTo(12182);
        assertThat(slot("bar")).isEqualTo(5061);
        assertThat(slot("key:000000000000")).isEqualTo(KeySlot.crc16("key:000000000000".getBytes(), 0, 16) & 16383);
        assertThat(KeySlot.crc16("123456789".getBytes(), 0, 9)).isEqualTo(0x31C3); // CRC16-XMODEM check value
    }

    @Test
    void hashTagsPickTheSlot() {
        assertThat(slot("{user1000}.following")).isEqualTo(slot("{user1000}.followers")).isEqualTo(slot("user1000"));
        assertThat(slot("foo{}{bar}")).isEqualTo(slot("foo{}{bar}")).isNotEqualTo(slot("bar"));
        assertThat(slot("foo{{bar}}zap")).isEqualTo(slot("{bar"));
        assertThat(slot("foo{bar}{zap}")).isEqualTo(slot("bar"));
        assertThat(slot("")).isZero();
    }
}
