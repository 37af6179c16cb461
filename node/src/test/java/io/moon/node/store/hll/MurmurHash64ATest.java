package io.moon.node.store.hll;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Known answers of Redis's MurmurHash64A with the HyperLogLog seed, computed with hyperloglog.c's
 * function compiled on x86-64: every tail length 0..7, whole blocks, and bytes with the top bit set.
 */
class MurmurHash64ATest {
    private static long hash(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return MurmurHash64A.hash(b, 0, b.length, MurmurHash64A.HLL_SEED);
    }

    @Test
    void matchesRedisOnKnownInputs() {
        assertThat(hash("")).isEqualTo(0xd8dfea6585bc9732L);
        assertThat(hash("a")).isEqualTo(0x53d2470a9b43b1a7L);
        assertThat(hash("ab")).isEqualTo(0x0eaed676437142cfL);
        assertThat(hash("abc")).isEqualTo(0x77ec90aeb374e502L);
        assertThat(hash("abcdefg")).isEqualTo(0x22fe613bb08c9602L);
        assertThat(hash("abcdefgh")).isEqualTo(0xf3a65df559914567L);
        assertThat(hash("abcdefghi")).isEqualTo(0x834fba4d9152daf7L);
        assertThat(hash("hello world, this is moon")).isEqualTo(0x3427f3731588fd7eL);
        assertThat(hash("\u00ff\u00fe\u0080")).isEqualTo(0x864a6f1241989efbL);
    }

    @Test
    void readsOnlyItsSlice() {
        byte[] b = "xxabcdefghixx".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MurmurHash64A.hash(b, 2, 9, MurmurHash64A.HLL_SEED)).isEqualTo(hash("abcdefghi"));
    }
}
