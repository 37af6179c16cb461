package io.moon.node.persist;

import io.moon.node.persist.rdb.RdbFileReader;
import io.moon.node.persist.rdb.RdbKey;
import io.moon.node.persist.rdb.RdbVisitor;
import io.moon.node.util.Progress;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a Redis dump.rdb (versions 1 to 10: every type and encoding Redis 7.0 writes) into a node
 * that has no data of its own, so users can move from Redis to Moon: keys and function libraries.
 * Keys already expired are skipped, as Redis skips them when a primary loads. Logs progress every
 * few seconds.
 */
public final class RdbImport {
    private static final Logger log = LoggerFactory.getLogger(RdbImport.class);

    /** Where each key goes. */
    @FunctionalInterface
    public interface Sink {
        void put(int db, byte[] key, long expireAt, io.moon.node.persist.rdb.RdbValue value);
    }

    private RdbImport() {}

    /** True when the file starts with Redis's RDB magic ("REDIS"). */
    public static boolean isRdb(Path file) {
        if (!Files.isRegularFile(file)) return false;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(5);
            return new String(magic, java.nio.charset.StandardCharsets.US_ASCII).equals("REDIS");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads {@code file}: keys into {@code sink}, function libraries into {@code libraries} (a
     * library that does not load fails the import, naming it); returns the number of keys loaded.
     */
    public static long run(Path file, int databases, Sink sink, LibraryLoader libraries) throws IOException {
        long size = Files.size(file);
        long now = System.currentTimeMillis();
        long t0 = System.nanoTime();
        Progress progress = new Progress(log, "Importing " + file.getFileName(), "bytes", size);
        long[] loaded = {0}, expired = {0}, functions = {0};
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            RdbFileReader.Summary s = new RdbFileReader(in, size).read(new RdbVisitor() {
                @Override
                public void onKey(RdbKey k) throws IOException {
                    if (k.db() < 0 || k.db() >= databases) {
                        throw new IOException(file + ": key in database " + k.db() + " but this node has " + databases
                                + " (start it with --databases " + (k.db() + 1) + " or more)");
                    }
                    if (k.expireAtMs() != RdbKey.NO_EXPIRE && k.expireAtMs() < now) {
                        expired[0]++;
                        return;
                    }
                    try {
                        sink.put((int) k.db(), k.key(), k.expireAtMs(), k.value());
                    } catch (RuntimeException e) {
                        throw new IOException(file + ": cannot load key '" + new String(k.key(), java.nio.charset.StandardCharsets.UTF_8)
                                + "': " + e.getMessage(), e);
                    }
                    loaded[0]++;
                }

                @Override
                public void onFunction(byte[] code) throws IOException {
                    try {
                        libraries.load(code);
                    } catch (RuntimeException e) {
                        throw new IOException(file + ": " + e.getMessage(), e);
                    }
                    functions[0]++;
                }

                @Override
                public void onProgress(long bytesRead, long totalBytes) {
                    progress.at(bytesRead);
                }
            });
            log.info("Imported {}: {} keys loaded, {} already expired skipped, {} empty skipped, {} function librar{},"
                    + " RDB version {}, {} ms", file, loaded[0], expired[0], s.emptyKeysSkipped(), functions[0],
                    functions[0] == 1 ? "y" : "ies", s.version(), (System.nanoTime() - t0) / 1_000_000);
        }
        return loaded[0];
    }
}
