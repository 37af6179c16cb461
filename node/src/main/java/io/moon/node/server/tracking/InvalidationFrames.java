package io.moon.node.server.tracking;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The wire form of invalidation messages (Redis's sendTrackingMessage): a RESP3 push
 * {@code ["invalidate", keys]}, or for a RESP2 client that invalidations are redirected to, a
 * Pub/Sub message on {@code __redis__:invalidate}. A null key list means "every key" (a flush).
 */
public final class InvalidationFrames {
    private InvalidationFrames() {}

    /** The channel RESP2 clients subscribe to for redirected invalidations. */
    public static final String CHANNEL = "__redis__:invalidate";
    private static final byte[] PUSH_HEAD = ascii(">2\r\n$10\r\ninvalidate\r\n");
    private static final byte[] MESSAGE_HEAD = ascii("*3\r\n$7\r\nmessage\r\n$20\r\n" + CHANNEL + "\r\n");

    /**
     * The frame for a receiver speaking {@code protocol}; null when it cannot receive one (RESP2
     * and not a subscribed redirection target: RESP2 has no pushes on a normal connection).
     */
    public static byte[] invalidate(int protocol, boolean subscribedRedirect, byte[][] keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        if (protocol == 3) out.writeBytes(PUSH_HEAD);
        else if (subscribedRedirect) out.writeBytes(MESSAGE_HEAD);
        else return null;
        if (keys == null) {
            out.writeBytes(ascii(protocol == 3 ? "_\r\n" : "$-1\r\n"));
        } else {
            out.writeBytes(ascii("*" + keys.length + "\r\n"));
            for (byte[] k : keys) {
                out.writeBytes(ascii("$" + k.length + "\r\n"));
                out.writeBytes(k);
                out.writeBytes(ascii("\r\n"));
            }
        }
        return out.toByteArray();
    }

    /** Told to a RESP3 tracking client whose redirection target has gone. */
    public static byte[] redirectBroken(long redirect) {
        return ascii(">2\r\n$21\r\ntracking-redir-broken\r\n:" + redirect + "\r\n");
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }
}
