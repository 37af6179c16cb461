/**
 * Redis's RDB format, as Redis 7.0 reads and writes it, independent of Moon's stores.
 *
 * <p>The bridge is {@link io.moon.node.persist.rdb.RdbValue}: each Moon type converts its value
 * to and from one of its records ({@link io.moon.node.persist.rdb.RdbString},
 * {@link io.moon.node.persist.rdb.RdbList}, {@link io.moon.node.persist.rdb.RdbSet},
 * {@link io.moon.node.persist.rdb.RdbZset}, {@link io.moon.node.persist.rdb.RdbHash},
 * {@link io.moon.node.persist.rdb.RdbStream}), and this package does the bytes:
 * <ul>
 *   <li>DUMP: {@code DumpPayload.create(value, options)}; RESTORE: {@code DumpPayload.verify(payload)}
 *       (else {@link io.moon.node.persist.rdb.DumpPayload#ERR_VERSION_OR_CHECKSUM}), then
 *       {@code DumpPayload.read(payload)} (an {@link io.moon.node.persist.rdb.RdbFormatException}
 *       means {@link io.moon.node.persist.rdb.DumpPayload#ERR_BAD_DATA_FORMAT}).</li>
 *   <li>Import of a dump.rdb: {@code new RdbFileReader(stream, size).read(visitor)} hands each
 *       key with its database, expiry and LRU/LFU hints to the visitor as it is decoded, and
 *       reports progress.</li>
 *   <li>Export: {@link io.moon.node.persist.rdb.RdbFileWriter}.</li>
 * </ul>
 * {@link io.moon.node.persist.rdb.RdbWriteOptions} carries the Redis configs that choose an
 * encoding (list-max-listpack-size, hash-max-listpack-entries...): pass the node's values so a
 * DUMP matches what redis-server with the same configuration would produce.
 *
 * <p>Not supported, with a clear error: module values and module auxiliary data, RDB versions
 * above 10 (Redis 7.2 and later).
 */
package io.moon.node.persist.rdb;
