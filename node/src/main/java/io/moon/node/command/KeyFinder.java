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

    /**
     * Keys counted by the argument at {@code countArg} and following it (LMPOP's numkeys,
     * ZUNIONSTORE's, EVAL's...). A count that is not a whole number or runs past the arguments
     * finds no key: the command then runs on the client's shard and its handler answers the error.
     */
    static KeyFinder numkeys(int countArg) {
        return (args, fa, argc, out) -> {
            if (countArg >= argc) return 0;
            long n = Numbers.parseLong(args.data(), args.offset(fa + countArg), args.length(fa + countArg));
            if (n <= 0 || n > argc - countArg - 1) return 0;
            for (int k = 0; k < n && k < out.length; k++) out[k] = countArg + 1 + k;
            return (int) n;
        };
    }
}
