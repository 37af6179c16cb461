package io.moon.node.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Replies encoded once (as Redis's {@code shared} objects and Netty's
 * {@code FixedRedisMessagePool}): written with one copy, never formatted again.
 */
public final class Replies {
    private Replies() {}

    static final int SMALL_INTEGERS = 1024;
    private static final byte[][] INTEGERS = new byte[SMALL_INTEGERS][];

    static {
        for (int i = 0; i < SMALL_INTEGERS; i++) INTEGERS[i] = ascii(":" + i + "\r\n");
    }

    public static final byte[] OK = ascii("+OK\r\n");
    public static final byte[] PONG = ascii("+PONG\r\n");
    public static final byte[] QUEUED = ascii("+QUEUED\r\n");
    public static final byte[] NULL_BULK = ascii("$-1\r\n");
    public static final byte[] NULL_ARRAY = ascii("*-1\r\n");
    public static final byte[] NULL3 = ascii("_\r\n");
    public static final byte[] EMPTY_ARRAY = ascii("*0\r\n");
    public static final byte[] EMPTY_BULK = ascii("$0\r\n\r\n");
    public static final byte[] TRUE3 = ascii("#t\r\n");
    public static final byte[] FALSE3 = ascii("#f\r\n");
    static final byte[] TXT_PREFIX = ascii("txt:");

    static byte[] integer(int i) { return INTEGERS[i]; }

    public static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }
}
