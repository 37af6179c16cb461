package io.moon.node.command;

import io.moon.node.config.ServerConfig;
import io.moon.node.protocol.CommandBuffer;

/**
 * Tells which arguments of a command are secrets (passwords, sensitive settings) that SLOWLOG and
 * MONITOR must show as "(redacted)", as Redis's redactClientCommandArgument.
 */
@FunctionalInterface
public interface ArgRedactor {
    /** Per argument position (0 = command name), true for a secret; null when there is none. */
    boolean[] secrets(ServerConfig config, CommandBuffer args, int firstArg, int argc);
}
