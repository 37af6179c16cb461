package io.moon.node.command;

/** Key expiry (Redis's expire.c): EXPIRE family, TTL family, PERSIST. */
public final class ExpireCommands {
    private ExpireCommands() {}

    static void register(CommandTable t) {
    }
}
