package io.moon.node.cluster;

/**
 * Key to hash slot exactly as Redis Cluster (cluster.c keyHashSlot): CRC16-XMODEM of the key, or
 * of the part between the first '{' and the next '}' when that part is not empty, mod 16384.
 */
public final class KeySlot {
    private KeySlot() {}

    public static final int SLOTS = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            TABLE[i] = crc & 0xffff;
        }
    }

    public static int crc16(byte[] b, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ b[i]) & 0xff];
        return crc;
    }

    public static int slot(byte[] key, int off, int len) {
        int end = off + len;
        int open = -1;
        for (int i = off; i < end; i++) {
            if (key[i] == '{') {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            for (int i = open + 1; i < end; i++) {
                if (key[i] == '}') {
                    if (i > open + 1) return crc16(key, open + 1, i - open - 1) & (SLOTS - 1);
                    break;
                }
            }
        }
        return crc16(key, off, len) & (SLOTS - 1);
    }

    public static int slot(byte[] key) { return slot(key, 0, key.length); }
}
