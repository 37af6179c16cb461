package io.moon.node.command;

import io.moon.node.protocol.CommandBuffer;

/**
 * Finds the key arguments of a command whose keys cannot be told by first/last/step alone
 * (Redis's "movablekeys": SORT ... STORE, ZUNIONSTORE numkeys, EVAL numkeys...).
 */
@FunctionalInterface
public interface KeyFinder {
    /**
     * Writes the argument positions (0 = command name) of every key into {@code out} and returns
     * how many; may return more than out.length to ask for a bigger array.
     */
    int find(CommandBuffer args, int firstArg, int argc, int[] out);
}
