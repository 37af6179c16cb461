package io.moon.node.persist.wal;

import io.moon.node.persist.format.FormatException;
import io.moon.node.persist.format.FormatHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A segment of one shard's write-ahead log: a file named by its base LSN (the LSN of its first
 * record), zero-padded to 20 digits, with ".wal" (as Kafka's LogFileUtils), holding a
 * {@link FormatHeader} ("WAL", version 1) and then {@link WalRecord}s.
 *
 * <p>{@link #recover} works as Kafka's {@code LogSegment.recover()}: it checks record after
 * record and stops at the first that is not whole and valid. If nothing valid follows, that is a
 * torn tail (a crash mid-write): the file is cut there and the bytes cut are reported. If a valid
 * record follows (found by scanning for the next marker whose record checks out), the damage is
 * in the middle: recovery stops with the file and offset, unless salvage is asked for.
 */
public final class WalSegment {
    public static final String FORMAT = "WAL";
    public static final int VERSION_CURRENT = 1;
    public static final String SUFFIX = ".wal";

    private WalSegment() {}

    public static Path path(Path dir, long baseLsn) {
        return dir.resolve(String.format("%020d", baseLsn) + SUFFIX);
    }

    public static long baseLsn(Path p) {
        String n = p.getFileName().toString();
        return Long.parseLong(n.substring(0, n.length() - SUFFIX.length()));
    }

    /** The segments in {@code dir}, oldest first. */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(p -> p.getFileName().toString().matches("\\d{20}\\.wal")).sorted().toList());
        }
    }

    /** Creates a new, empty segment (header only, synced) and returns its open channel. */
    static FileChannel create(Path dir, int shard, long baseLsn) throws IOException {
        Path p = path(dir, baseLsn);
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer h = new FormatHeader(FORMAT, VERSION_CURRENT, shard, baseLsn, System.currentTimeMillis()).encode();
        while (h.hasRemaining()) ch.write(h);
        ch.force(true);
        syncDirectory(dir);
        return ch;
    }

    /** fsync of a directory, so a created or renamed file's name is durable too. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** What {@link #recover} found. */
    public record Recovered(long firstLsn, long lastLsn, int records, long validBytes, long bytesTruncated) {}

    /**
     * Reads every valid record of the segment, in order, into {@code sink}, and repairs a torn
     * tail as described on the class. {@code lastSegment} says whether a torn tail is possible
     * here: in an older segment, any damage is damage in the middle.
     *
     * @throws FormatException on damage in the middle (unless {@code salvage}), naming the offset
     */
    public static Recovered recover(Path file, int shard, boolean lastSegment, boolean salvage, Consumer<WalRecord.Read> sink)
            throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        FormatHeader.read(file, b, FORMAT, 1, VERSION_CURRENT, shard);
        int at = FormatHeader.LENGTH;
        long first = -1, last = -1, expected = -1;
        int count = 0;
        while (at < all.length) {
            WalRecord.Read r = WalRecord.decode(b, at);
            if (r != null && expected >= 0 && r.lsn() != expected) {
                throw new FormatException(file, at, "LSN " + r.lsn() + " where " + expected + " was expected (records out of order)");
            }
            if (r == null) {
                if (zerosFrom(b, at)) {
                    // The log's preallocated reserve (zeros) after the last record: not damage.
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(at);
                        ch.force(true);
                    }
                    return new Recovered(first, last, count, at, 0);
                }
                int next = findNextValid(b, at + 1);
                if (next < 0 && lastSegment) {
                    long cut = all.length - at;
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(at);
                        ch.force(true);
                    }
                    return new Recovered(first, last, count, at, cut);
                }
                if (!salvage) {
                    throw new FormatException(file, at, next < 0
                            ? "damaged record in a segment that is not the last (the log continues after it)"
                            : "damaged record followed by valid records at offset " + next + " (damage in the middle of the log)");
                }
                if (next < 0) return new Recovered(first, last, count, at, 0);
                at = next;
                expected = -1;
                continue;
            }
            if (first < 0) first = r.lsn();
            last = r.lsn();
            expected = last + 1;
            count++;
            sink.accept(r);
            at += b.getInt(at + WalRecord.LENGTH_OFFSET);
        }
        return new Recovered(first, last, count, at, 0);
    }

    private static boolean zerosFrom(ByteBuffer b, int from) {
        for (int i = from; i < b.limit(); i++) if (b.get(i) != 0) return false;
        return true;
    }

    /** The offset of the next whole valid record at or after {@code from}, or -1. */
    private static int findNextValid(ByteBuffer b, int from) {
        for (int i = from; i + WalRecord.OVERHEAD <= b.limit(); i++) {
            if (b.get(i) == WalRecord.MARKER && WalRecord.decode(b, i) != null) return i;
        }
        return -1;
    }
}
