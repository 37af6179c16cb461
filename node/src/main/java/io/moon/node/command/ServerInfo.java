package io.moon.node.command;

/** Versions the node reports: the Redis version it is compatible with, and its own. */
public final class ServerInfo {
    private ServerInfo() {}

    /** The Redis release whose commands and replies Moon follows (INFO redis_version, HELLO). */
    public static final String REDIS_VERSION = "7.0.15";
    public static final String MOON_VERSION = "0.1.0";
}
