package io.moon.node.store;

import java.util.Arrays;

/**
 * What a keyspace slot holds. A string key is one {@code byte[]} holding header, key and value,
 * so that a key costs one object (see docs/architecture.md, "memory per key"); every other type
 * is an {@link ObjectEntry} that points to its value.
 *
 * <p>Layout of a string entry:
 * <pre>
 *   offset  size     field
 *   0       1        flags: bit 0 HAS_EXPIRE
 *   1       8        expire-at, Unix ms, big-endian (only when HAS_EXPIRE)
 *   k       1..5     key length, unsigned LEB128 varint
 *   k+n     keyLen   key bytes
 *   v       rest     value bytes, to the end of the array
 * </pre>
 * Once in the table the layout stays fixed: a change of expiry or of the value's length builds a
 * new array. Value bytes may be changed in place by a command that keeps the length (SETBIT,
 * BITFIELD, a dense HyperLogLog's PFADD, PFCOUNT's cached cardinality), between a
 * {@link Db#lookupWrite} (a running snapshot copies the key then) and {@link Db#keyModified}:
 * nothing else may keep an entry array expecting its value to stay as it was.
 */
public final class Entries {
    private Entries() {}

    static final int HAS_EXPIRE = 1;
    /** Returned by {@link #expireAt} for a key without expiry. */
    public static final long NO_EXPIRE = -1;

    public static boolean isString(Object e) { return e instanceof byte[]; }

    private static int keyLenOffset(byte[] e) { return (e[0] & HAS_EXPIRE) != 0 ? 9 : 1; }

    /** Offset of the key bytes in a string entry. */
    public static int keyOffset(byte[] e) {
        int p = keyLenOffset(e);
        while (e[p] < 0) p++;
        return p + 1;
    }

    public static int keyLength(byte[] e) {
        int p = keyLenOffset(e);
        int len = 0, shift = 0;
        byte b;
        do {
            b = e[p++];
            len |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return len;
    }

    public static int valueOffset(byte[] e) { return keyOffset(e) + keyLength(e); }
    public static int valueLength(byte[] e) { return e.length - valueOffset(e); }

    public static byte[] value(byte[] e) { return Arrays.copyOfRange(e, valueOffset(e), e.length); }

    /** Builds a string entry. {@code expireAt} is {@link #NO_EXPIRE} or Unix ms. */
    public static byte[] newString(byte[] key, int koff, int klen, byte[] val, int voff, int vlen, long expireAt) {
        byte[] e = newString(key, koff, klen, vlen, expireAt);
        System.arraycopy(val, voff, e, e.length - vlen, vlen);
        return e;
    }

    /**
     * Builds a string entry whose value is {@code vlen} zero bytes at {@link #valueOffset}, for
     * commands that compose a value in place (APPEND, SETRANGE) to fill before storing it.
     */
    public static byte[] newString(byte[] key, int koff, int klen, int vlen, long expireAt) {
        boolean exp = expireAt != NO_EXPIRE;
        int head = exp ? 9 : 1;
        int vl = varintSize(klen);
        byte[] e = new byte[head + vl + klen + vlen];
        int p = 0;
        e[p++] = (byte) (exp ? HAS_EXPIRE : 0);
        if (exp) {
            putLong(e, 1, expireAt);
            p = 9;
        }
        int k = klen;
        while (k >= 0x80) {
            e[p++] = (byte) (k | 0x80);
            k >>>= 7;
        }
        e[p++] = (byte) k;
        System.arraycopy(key, koff, e, p, klen);
        return e;
    }

    /** The same string entry with another expiry (a new array). */
    public static byte[] withExpire(byte[] e, long expireAt) {
        int ko = keyOffset(e), kl = keyLength(e), vo = ko + kl;
        return newString(e, ko, kl, e, vo, e.length - vo, expireAt);
    }

    /**
     * The entry under another key, with the same value and expiry (RENAME, MOVE, COPY). A string
     * gets a new array; another type gets a new {@link ObjectEntry} sharing the value object.
     */
    public static Object withKey(Object e, byte[] key, int off, int len) {
        if (e instanceof byte[] b) {
            int vo = valueOffset(b);
            return newString(key, off, len, b, vo, b.length - vo, expireAt(b));
        }
        ObjectEntry oe = (ObjectEntry) e;
        ObjectEntry moved = new ObjectEntry(Arrays.copyOfRange(key, off, off + len), oe.value);
        moved.expireAt = oe.expireAt;
        return moved;
    }

    /** Unix ms at which the entry expires, or {@link #NO_EXPIRE}. */
    public static long expireAt(Object e) {
        if (e instanceof byte[] b) return (b[0] & HAS_EXPIRE) != 0 ? getLong(b, 1) : NO_EXPIRE;
        return ((ObjectEntry) e).expireAt;
    }

    public static boolean hasExpire(Object e) {
        if (e instanceof byte[] b) return (b[0] & HAS_EXPIRE) != 0;
        return ((ObjectEntry) e).expireAt != NO_EXPIRE;
    }

    /** True when the entry's key equals {@code key[off, off+len)}. */
    public static boolean keyEquals(Object e, byte[] key, int off, int len) {
        if (e instanceof byte[] b) {
            int p = keyLenOffset(b);
            int kl = 0, shift = 0;
            byte c;
            do {
                c = b[p++];
                kl |= (c & 0x7f) << shift;
                shift += 7;
            } while (c < 0);
            return kl == len && Arrays.equals(b, p, p + len, key, off, off + len);
        }
        byte[] k = ((ObjectEntry) e).key;
        return k.length == len && Arrays.equals(k, 0, len, key, off, off + len);
    }

    public static long hashKey(Object e) {
        if (e instanceof byte[] b) return KeyHash.hash(b, keyOffset(b), keyLength(b));
        byte[] k = ((ObjectEntry) e).key;
        return KeyHash.hash(k, 0, k.length);
    }

    /** A copy of the entry's key. */
    public static byte[] key(Object e) {
        if (e instanceof byte[] b) {
            int o = keyOffset(b);
            return Arrays.copyOfRange(b, o, o + keyLength(b));
        }
        return ((ObjectEntry) e).key;
    }

    /**
     * Counts the entry's memory now (when it enters a table) and returns it; an ObjectEntry
     * remembers the figure so that the same amount leaves with it even if its value changed.
     */
    static long account(Object e) {
        if (e instanceof byte[] b) return Jvm.arraySize(b.length);
        ObjectEntry oe = (ObjectEntry) e;
        oe.accounted = oe.memoryUsage();
        return oe.accounted;
    }

    /** What {@link #account} counted for the entry. */
    static long accounted(Object e) {
        return e instanceof byte[] b ? Jvm.arraySize(b.length) : ((ObjectEntry) e).accounted;
    }

    /** Bytes of heap the entry holds, as used_memory counts it. */
    public static long memoryOf(Object e) {
        if (e instanceof byte[] b) return Jvm.arraySize(b.length);
        return ((ObjectEntry) e).memoryUsage();
    }

    static int varintSize(int v) {
        int n = 1;
        while (v >= 0x80) { v >>>= 7; n++; }
        return n;
    }

    static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) { b[at + i] = (byte) v; v >>>= 8; }
    }

    static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[at + i] & 0xff);
        return v;
    }
}
