package io.moon.node.util;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Bytes as a map key: equality and hash by content (channels, watched keys). */
public record ByteKey(byte[] bytes) {
    public static ByteKey copyOf(byte[] b, int off, int len) {
        return new ByteKey(Arrays.copyOfRange(b, off, off + len));
    }

    @Override
    public boolean equals(Object o) { return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes); }

    @Override
    public int hashCode() { return Arrays.hashCode(bytes); }

    @Override
    public String toString() { return new String(bytes, StandardCharsets.UTF_8); }
}
