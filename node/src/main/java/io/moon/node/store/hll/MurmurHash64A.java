package io.moon.node.store.hll;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * MurmurHash2, 64-bit version (Austin Appleby's MurmurHash64A), as Redis's hyperloglog.c uses it:
 * 8-byte blocks read little-endian whatever the machine, so the same element lands in the same
 * register on every server. HyperLogLog values move between Redis and Moon only because this
 * hash is bit-for-bit the same.
 */
public final class MurmurHash64A {
    private MurmurHash64A() {}

    /** The seed Redis's hllPatLen hashes elements with. */
    public static final int HLL_SEED = 0xadc83b19;

    private static final long M = 0xc6a4a7935bd1e995L;
    private static final int R = 47;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The hash of {@code data[off, off+len)}; {@code seed} is C's unsigned int. */
    public static long hash(byte[] data, int off, int len, int seed) {
        long h = (seed & 0xffffffffL) ^ (len * M);
        int end = off + (len & ~7);
        for (int p = off; p < end; p += 8) {
            long k = (long) LONG_LE.get(data, p);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h ^= k;
            h *= M;
        }
        int tail = len & 7;
        if (tail != 0) {
            for (int i = tail - 1; i >= 0; i--) h ^= (long) (data[end + i] & 0xff) << (8 * i);
            h *= M;
        }
        h ^= h >>> R;
        h *= M;
        h ^= h >>> R;
        return h;
    }
}
