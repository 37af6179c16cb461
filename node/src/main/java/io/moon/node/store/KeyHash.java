package io.moon.node.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 64-bit hash of the keyspace tables: 8 bytes a step through one multiply-xorshift round,
 * then MurmurHash3's fmix64 finalizer. Not cryptographic; {@link #SEED} is random per process so
 * crafted keys cannot aim at one probe chain across restarts.
 */
public final class KeyHash {
    private KeyHash() {}

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long M = 0x9E3779B97F4A7C15L;
    static final long SEED = new java.security.SecureRandom().nextLong();

    public static long hash(byte[] b, int off, int len) {
        long h = SEED ^ (len * M);
        int i = off, end = off + len;
        for (; i + 8 <= end; i += 8) {
            long k = (long) LONG_LE.get(b, i);
            h = (h ^ (k * M)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        if (i < end) {
            long k = 0;
            for (int s = 0; i < end; i++, s += 8) k |= (b[i] & 0xffL) << s;
            h = (h ^ (k * M)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return fmix64(h);
    }

    static long fmix64(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
