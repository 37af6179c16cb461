package io.moon.node.store;

import java.util.Locale;

/** Redis's maxmemory-policy values. */
public enum EvictionPolicy {
    VOLATILE_LRU, VOLATILE_LFU, VOLATILE_RANDOM, VOLATILE_TTL,
    ALLKEYS_LRU, ALLKEYS_LFU, ALLKEYS_RANDOM, NOEVICTION;

    public String configName() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    public static EvictionPolicy parse(String s) {
        for (EvictionPolicy p : values()) if (p.configName().equalsIgnoreCase(s)) return p;
        return null;
    }

    public boolean volatileOnly() { return name().startsWith("VOLATILE"); }
    public boolean lfu() { return this == VOLATILE_LFU || this == ALLKEYS_LFU; }
    public boolean random() { return this == VOLATILE_RANDOM || this == ALLKEYS_RANDOM; }
}
