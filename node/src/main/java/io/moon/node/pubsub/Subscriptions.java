package io.moon.node.pubsub;

import io.moon.node.util.ByteKey;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One client's subscriptions (Redis's c->pubsub_channels, pubsub_patterns, pubsub_shard_channels),
 * in subscription order so that UNSUBSCRIBE without arguments answers in that order.
 * Changed only on the client's own loop.
 */
public final class Subscriptions {
    public final Set<ByteKey> channels = new LinkedHashSet<>();
    public final Set<ByteKey> patterns = new LinkedHashSet<>();
    public final Set<ByteKey> shardChannels = new LinkedHashSet<>();

    /** Redis's clientSubscriptionsCount: channels plus patterns. */
    public int count() { return channels.size() + patterns.size(); }

    public int shardCount() { return shardChannels.size(); }

    /** True while the client is in subscribed mode (any kind of subscription). */
    public boolean active() { return count() + shardCount() > 0; }

    /** Drops every subscription from the registry too (RESET, disconnect). */
    public void clear(PubSub registry, Subscriber self) {
        for (ByteKey c : channels) registry.unsubscribe(self, c, false);
        for (ByteKey c : shardChannels) registry.unsubscribe(self, c, true);
        for (ByteKey p : patterns) registry.punsubscribe(self, p.bytes());
        channels.clear();
        patterns.clear();
        shardChannels.clear();
    }
}
