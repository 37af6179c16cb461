package io.moon.node.pubsub;

import io.moon.node.config.ServerConfig;
import java.nio.charset.StandardCharsets;

/**
 * Keyspace notifications (Redis's notify.c): when notify-keyspace-events enables an event's
 * class, a change publishes the event name to {@code __keyspace@<db>__:<key>} (class K) and the
 * key to {@code __keyevent@<db>__:<event>} (class E). Published from the shard that changed the
 * key, in the order of its changes.
 */
public final class KeyspaceEvents implements io.moon.node.store.KeyNotifier {
    public static final int KEYSPACE = 1, KEYEVENT = 1 << 1, GENERIC = 1 << 2, STRING = 1 << 3, LIST = 1 << 4,
            SET = 1 << 5, HASH = 1 << 6, ZSET = 1 << 7, EXPIRED = 1 << 8, EVICTED = 1 << 9, STREAM = 1 << 10,
            KEY_MISS = 1 << 11, MODULE = 1 << 13, NEW = 1 << 14;
    private static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    private final PubSub pubsub;
    private volatile int flags;

    public KeyspaceEvents(ServerConfig config, PubSub pubsub) {
        this.pubsub = pubsub;
        config.onChange("notify-keyspace-events", v -> flags = parse(v));
    }

    /** Redis's keyspaceEventsStringToFlags over the canonical text the setting keeps. */
    static int parse(String v) {
        int f = 0;
        for (char ch : v.toCharArray()) {
            f |= switch (ch) {
                case 'A' -> ALL;
                case 'g' -> GENERIC;
                case '$' -> STRING;
                case 'l' -> LIST;
                case 's' -> SET;
                case 'h' -> HASH;
                case 'z' -> ZSET;
                case 'x' -> EXPIRED;
                case 'e' -> EVICTED;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 't' -> STREAM;
                case 'm' -> KEY_MISS;
                case 'd' -> MODULE;
                case 'n' -> NEW;
                default -> 0;
            };
        }
        return f;
    }

    /** True when events of {@code type} are published (the class and K or E are on). */
    @Override
    public boolean enabled(int type) {
        int f = flags;
        return (f & type) != 0 && (f & (KEYSPACE | KEYEVENT)) != 0;
    }

    @Override
    public void publish(int type, String event, int db, byte[] key) {
        int f = flags;
        if ((f & type) == 0) return;
        byte[] ev = event.getBytes(StandardCharsets.US_ASCII);
        if ((f & KEYSPACE) != 0) {
            pubsub.publish(concat(("__keyspace@" + db + "__:").getBytes(StandardCharsets.US_ASCII), key), ev);
        }
        if ((f & KEYEVENT) != 0) {
            pubsub.publish(concat(("__keyevent@" + db + "__:").getBytes(StandardCharsets.US_ASCII), ev), key);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
