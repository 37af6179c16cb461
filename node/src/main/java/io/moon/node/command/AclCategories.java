package io.moon.node.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Redis's ACL categories (acl.c ACLCommandCategories), in Redis's order. */
public final class AclCategories {
    private AclCategories() {}

    public static final String[] NAMES = {"keyspace", "read", "write", "set", "sortedset", "list",
        "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
        "blocking", "dangerous", "connection", "transaction", "scripting"};

    public static long parse(String cats) {
        long f = 0;
        for (String s : cats.trim().split("\\s+")) {
            if (s.isEmpty()) continue;
            String n = s.startsWith("@") ? s.substring(1) : s;
            int i = List.of(NAMES).indexOf(n.toLowerCase(Locale.ROOT));
            if (i < 0) throw new IllegalArgumentException("unknown ACL category: " + s);
            f |= 1L << i;
        }
        return f;
    }

    public static List<String> names(long cats) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) if ((cats & (1L << i)) != 0) out.add("@" + NAMES[i]);
        return out;
    }
}
