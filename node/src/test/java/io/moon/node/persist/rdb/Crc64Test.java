package io.moon.node.persist.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64Test {
    @Test
    void matchesRedisTestVectors() {
        // crc64.c's own test: "123456789", and the lorem ipsum text with its terminating NUL.
        assertThat(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xe9c6d914c4b8d9caL);
        String li = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore "
                + "et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut "
                + "aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum "
                + "dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui "
                + "officia deserunt mollit anim id est laborum.\0";
        assertThat(Crc64.of(li.getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xc7794709e69683b3L);
        assertThat(Crc64.of(new byte[0])).isZero();
    }

    @Test
    void updatingInPiecesEqualsOnePass() {
        byte[] data = new byte[1000];
        new Random(5).nextBytes(data);
        long whole = Crc64.of(data);
        for (int cut = 0; cut <= data.length; cut += 7) {
            long crc = Crc64.update(0, data, 0, cut);
            assertThat(Crc64.update(crc, data, cut, data.length - cut)).isEqualTo(whole);
        }
    }
}
