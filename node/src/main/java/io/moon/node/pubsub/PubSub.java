package io.moon.node.pubsub;

import io.moon.node.util.ByteKey;
import io.moon.node.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node's publish/subscribe registry (Redis's pubsub.c): channel subscriptions, pattern
 * subscriptions and shard-channel subscriptions, node-wide. PUBLISH from any loop delivers to
 * every subscriber through its own loop.
 *
 * <p>Thread-safe: subscriptions change on the subscriber's loop, publishes come from any loop.
 * A message from one publisher reaches each subscriber in publish order.
 */
public final class PubSub {
    private record PatternSub(byte[] pattern, Subscriber subscriber) {}

    private final Map<ByteKey, Set<Subscriber>> channels = new ConcurrentHashMap<>();
    private final Map<ByteKey, Set<Subscriber>> shardChannels = new ConcurrentHashMap<>();
    private final List<PatternSub> patterns = new CopyOnWriteArrayList<>();

    /** Adds {@code s} to {@code channel}; false when it was already there. */
    public boolean subscribe(Subscriber s, ByteKey channel, boolean shard) {
        return (shard ? shardChannels : channels).computeIfAbsent(channel, k -> ConcurrentHashMap.newKeySet()).add(s);
    }

    public boolean unsubscribe(Subscriber s, ByteKey channel, boolean shard) {
        Map<ByteKey, Set<Subscriber>> map = shard ? shardChannels : channels;
        Set<Subscriber> set = map.get(channel);
        if (set == null || !set.remove(s)) return false;
        if (set.isEmpty()) map.remove(channel, set);
        return true;
    }

    public void psubscribe(Subscriber s, byte[] pattern) {
        patterns.add(new PatternSub(pattern, s));
    }

    public void punsubscribe(Subscriber s, byte[] pattern) {
        patterns.removeIf(p -> p.subscriber() == s && java.util.Arrays.equals(p.pattern(), pattern));
    }

    /** PUBLISH: delivers to channel subscribers and matching patterns; returns how many got it. */
    public int publish(byte[] channel, byte[] message) {
        int n = 0;
        Frames frames = new Frames();
        Set<Subscriber> subs = channels.get(new ByteKey(channel));
        if (subs != null) {
            for (Subscriber s : subs) {
                s.push(frames.message(s.protocol(), "message", null, channel, message));
                n++;
            }
        }
        for (PatternSub p : patterns) {
            if (Glob.matches(p.pattern(), 0, p.pattern().length, channel, 0, channel.length, false)) {
                p.subscriber().push(Frames.encode(p.subscriber().protocol(), "pmessage", p.pattern(), channel, message));
                n++;
            }
        }
        return n;
    }

    /** SPUBLISH: shard-channel subscribers only. */
    public int spublish(byte[] channel, byte[] message) {
        Set<Subscriber> subs = shardChannels.get(new ByteKey(channel));
        if (subs == null) return 0;
        Frames frames = new Frames();
        for (Subscriber s : subs) s.push(frames.message(s.protocol(), "smessage", null, channel, message));
        return subs.size();
    }

    /** PUBSUB CHANNELS / SHARDCHANNELS: active channels matching {@code pattern} (null = all). */
    public List<byte[]> channels(byte[] pattern, boolean shard) {
        List<byte[]> out = new ArrayList<>();
        for (Map.Entry<ByteKey, Set<Subscriber>> e : (shard ? shardChannels : channels).entrySet()) {
            byte[] c = e.getKey().bytes();
            if (e.getValue().isEmpty()) continue;
            if (pattern == null || Glob.matches(pattern, 0, pattern.length, c, 0, c.length, false)) out.add(c);
        }
        return out;
    }

    public int numsub(byte[] channel, boolean shard) {
        Set<Subscriber> s = (shard ? shardChannels : channels).get(new ByteKey(channel));
        return s == null ? 0 : s.size();
    }

    /** PUBSUB NUMPAT: distinct patterns subscribed by any client. */
    public int numpat() {
        return (int) patterns.stream().map(p -> new ByteKey(p.pattern())).distinct().count();
    }

    /** Push frames, encoded once per protocol for one publish. */
    static final class Frames {
        private byte[] resp2, resp3;

        byte[] message(int protocol, String kind, byte[] pattern, byte[] channel, byte[] message) {
            if (protocol == 3) return resp3 != null ? resp3 : (resp3 = encode(3, kind, pattern, channel, message));
            return resp2 != null ? resp2 : (resp2 = encode(2, kind, pattern, channel, message));
        }

        /** ["message", channel, payload] or ["pmessage", pattern, channel, payload] as a push. */
        static byte[] encode(int protocol, String kind, byte[] pattern, byte[] channel, byte[] message) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(32 + channel.length + message.length);
            int n = pattern == null ? 3 : 4;
            write(out, (protocol == 3 ? ">" : "*") + n + "\r\n");
            bulk(out, kind.getBytes(StandardCharsets.US_ASCII));
            if (pattern != null) bulk(out, pattern);
            bulk(out, channel);
            bulk(out, message);
            return out.toByteArray();
        }

        private static void bulk(java.io.ByteArrayOutputStream out, byte[] b) {
            write(out, "$" + b.length + "\r\n");
            out.writeBytes(b);
            write(out, "\r\n");
        }

        private static void write(java.io.ByteArrayOutputStream out, String s) {
            out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
