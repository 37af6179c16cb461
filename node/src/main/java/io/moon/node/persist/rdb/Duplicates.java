package io.moon.node.persist.rdb;

import java.nio.ByteBuffer;
import java.util.HashSet;

/** Finds a repeated member, field or name while a collection is read (Redis's dictAdd checks). */
final class Duplicates {
    private final HashSet<ByteBuffer> seen;

    Duplicates(long expected) {
        // A count read from the input is only a hint: cap it so a lying count cannot size the table.
        seen = new HashSet<>((int) Math.min(Math.max(expected, 16) * 2, 1 << 16));
    }

    /** False when {@code b} was added before. */
    boolean add(byte[] b) {
        return seen.add(ByteBuffer.wrap(b));
    }
}
