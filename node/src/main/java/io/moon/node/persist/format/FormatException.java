package io.moon.node.persist.format;

import java.nio.file.Path;

/** A file that is not what it should be: the message names the file, the offset and the likely cause. */
public class FormatException extends java.io.IOException {
    public FormatException(Path file, long offset, String problem) {
        super(file + " at offset " + offset + ": " + problem);
    }
}
