package io.moon.node.persist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code <dir>/IMPORTED}: which Redis dump this node's data came from (absolute path, size and
 * modification time, one per line). A pod's arguments stay the same across restarts, so a node
 * started again with the same {@code import-rdb} must come up on its own data rather than refuse;
 * a different dump asked of a node with data is still refused.
 */
public final class ImportMarker {
    private ImportMarker() {}

    public static Path path(Path dir) { return dir.resolve("IMPORTED"); }

    private static String describe(Path dump) throws IOException {
        return dump.toAbsolutePath().normalize() + "\n" + Files.size(dump) + "\n" + Files.getLastModifiedTime(dump).toMillis() + "\n";
    }

    /** Records that {@code dump} was imported and its data is durable in {@code dir}. */
    public static void write(Path dir, Path dump) throws IOException {
        Path tmp = dir.resolve("IMPORTED.tmp");
        Files.writeString(tmp, describe(dump), StandardCharsets.UTF_8);
        Files.move(tmp, path(dir), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** True when {@code dir}'s data came from this very dump (same file, size and time). */
    public static boolean imported(Path dir, Path dump) throws IOException {
        Path marker = path(dir);
        return Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(describe(dump));
    }
}
