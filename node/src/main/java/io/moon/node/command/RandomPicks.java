package io.moon.node.command;

import io.moon.node.store.ElementHandles;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Random elements for HRANDFIELD, SRANDMEMBER and SPOP, following t_hash.c/t_set.c: with
 * repetition for a negative count (each pick independent and uniform), or a uniform sample of
 * distinct elements for a positive one. Small collections are sampled from the array of all
 * handles; large ones by random handles, rejecting repeats while few are asked for (Redis's
 * CASE 4), else by a partial shuffle of all handles (its CASE 3: "count" close to the size).
 */
final class RandomPicks {
    private RandomPicks() {}

    /** Up to this size a pick indexes the array of all handles rather than asking the value. */
    private static final int SMALL = 1024;
    /** Redis's *_SUB_STRATEGY_MUL: above count * 3 elements, distinct picks are drawn one by one. */
    private static final int SUB_STRATEGY_MUL = 3;
    /**
     * A reply of repeated picks past this many bytes is refused. Redis streams such replies into
     * the client's buffer without bound (a huge negative count grows it until the client-output-
     * buffer limit closes the client); Moon answers an error instead of growing a buffer that could
     * take the node's memory.
     */
    static final long MAX_REPLY_BYTES = 512L << 20;
    static final String REPLY_TOO_LARGE = "ERR reply too large: ask for fewer random elements";

    static RandomGenerator rnd() { return ThreadLocalRandom.current(); }

    /** Picks with repetition: one uniform handle per call of {@link #next}. */
    static final class Repeating {
        private final ElementHandles value;
        private final int[] all;
        private final RandomGenerator rnd = rnd();

        Repeating(ElementHandles value) {
            this.value = value;
            this.all = value.size() <= SMALL ? value.handles() : null;
        }

        int next() { return all != null ? all[rnd.nextInt(all.length)] : value.random(rnd); }
    }

    /** {@code count} distinct handles (count below the size), in random order. */
    static int[] distinct(ElementHandles value, int count) {
        int size = value.size();
        RandomGenerator rnd = rnd();
        if ((long) count * SUB_STRATEGY_MUL > size || size <= SMALL) {
            int[] all = value.handles();
            for (int i = 0; i < count; i++) {
                int j = i + rnd.nextInt(size - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
            return java.util.Arrays.copyOf(all, count);
        }
        Set<Integer> seen = new HashSet<>(count * 2);
        int[] out = new int[count];
        int n = 0;
        while (n < count) {
            int h = value.random(rnd);
            if (seen.add(h)) out[n++] = h;
        }
        return out;
    }

    /** Throws {@link #REPLY_TOO_LARGE} once the reply has grown past the limit since {@code start}. */
    static void checkReplySize(CommandContext c, int start) {
        if (c.reply().buffer().writerIndex() - (long) start > MAX_REPLY_BYTES) throw new RedisError(REPLY_TOO_LARGE);
    }
}
