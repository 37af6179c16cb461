package io.moon.node.persist.wal;

/** Redis's appendfsync: when the log is forced to disk. */
public enum FsyncPolicy {
    /** After every write, before the command's reply is sent (group commit batches them). */
    ALWAYS,
    /** About once a second; a crash may lose the last second of acknowledged writes. */
    EVERYSEC,
    /** Never explicitly: the OS flushes when it likes. */
    NO;

    public static FsyncPolicy parse(String s) {
        return switch (s) {
            case "always" -> ALWAYS;
            case "no" -> NO;
            default -> EVERYSEC;
        };
    }
}
