package io.moon.node.persist.rdb;

import java.io.IOException;

/**
 * What {@link RdbFileReader} finds, in file order. Only {@link #onKey} must be implemented; a
 * visitor that throws stops the read with that exception.
 */
public interface RdbVisitor {
    /** After the header, with the file's RDB version. */
    default void onHeader(int version) throws IOException {}

    /** An AUX field (redis-ver, ctime, used-mem, repl-id, aof-base...). */
    default void onAux(byte[] key, byte[] value) throws IOException {}

    /** A function library: its code, starting with "#!engine name=...". */
    default void onFunction(byte[] code) throws IOException {}

    /** SELECTDB: the keys that follow belong to {@code db}. */
    default void onSelectDb(long db) throws IOException {}

    /** RESIZEDB: size hints for the current database. */
    default void onResizeDb(long db, long keys, long keysWithExpiry) throws IOException {}

    /** A key and its value. */
    void onKey(RdbKey key) throws IOException;

    /** A key whose collection was empty: Redis skips these when loading, and so does the reader. */
    default void onEmptyKeySkipped(long db, byte[] key) throws IOException {}

    /** Bytes read so far out of the total (-1 when unknown), every few megabytes and at the end. */
    default void onProgress(long bytesRead, long totalBytes) throws IOException {}
}
