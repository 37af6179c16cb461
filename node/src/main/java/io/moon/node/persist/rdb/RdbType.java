package io.moon.node.persist.rdb;

/**
 * Value type ids, the byte before each key in a file and the first byte of a DUMP payload
 * (rdb.h RDB_TYPE_*). The ids are fixed on disk: a retired id keeps its number and its reader.
 * Redis 7.0 writes only {@link #STRING}, {@link #SET}, {@link #SET_INTSET}, {@link #ZSET_2},
 * {@link #ZSET_LISTPACK}, {@link #HASH}, {@link #HASH_LISTPACK}, {@link #LIST_QUICKLIST_2} and
 * {@link #STREAM_LISTPACKS_2}; the others come from older versions and are read only.
 */
public final class RdbType {
    private RdbType() {}

    public static final int STRING = 0;
    /** Linked list of strings; written before Redis 3.2. */
    public static final int LIST = 1;
    public static final int SET = 2;
    /** Sorted set with scores as text; written before RDB 8 (Redis 4.0). */
    public static final int ZSET = 3;
    public static final int HASH = 4;
    /** Sorted set with scores as binary little-endian doubles. */
    public static final int ZSET_2 = 5;
    /** Module values: not supported, a clear error. */
    public static final int MODULE = 6;
    public static final int MODULE_2 = 7;
    // 8 was never assigned.
    /** Hash as a zipmap; written by Redis 2.4 and before. */
    public static final int HASH_ZIPMAP = 9;
    /** List as one ziplist; written by Redis 2.6 to 3.0. */
    public static final int LIST_ZIPLIST = 10;
    public static final int SET_INTSET = 11;
    /** Sorted set as a ziplist; written before Redis 7.0. */
    public static final int ZSET_ZIPLIST = 12;
    /** Hash as a ziplist; written before Redis 7.0. */
    public static final int HASH_ZIPLIST = 13;
    /** Quicklist of ziplists; written by Redis 3.2 to 6.2. */
    public static final int LIST_QUICKLIST = 14;
    /** Stream without first id, max deleted id, entries added and group entries read; before 7.0. */
    public static final int STREAM_LISTPACKS = 15;
    public static final int HASH_LISTPACK = 16;
    public static final int ZSET_LISTPACK = 17;
    /** Quicklist of listpacks and plain nodes, each node prefixed by its container kind. */
    public static final int LIST_QUICKLIST_2 = 18;
    public static final int STREAM_LISTPACKS_2 = 19;

    /** rdbIsObjectType: ids that may start a value. */
    public static boolean isValueType(int type) {
        return (type >= 0 && type <= 7) || (type >= 9 && type <= 19);
    }

    /** A name for messages. */
    public static String name(int type) {
        return switch (type) {
            case STRING -> "string";
            case LIST -> "list";
            case SET -> "set";
            case ZSET -> "zset";
            case HASH -> "hash";
            case ZSET_2 -> "zset-2";
            case MODULE -> "module";
            case MODULE_2 -> "module-2";
            case HASH_ZIPMAP -> "hash-zipmap";
            case LIST_ZIPLIST -> "list-ziplist";
            case SET_INTSET -> "set-intset";
            case ZSET_ZIPLIST -> "zset-ziplist";
            case HASH_ZIPLIST -> "hash-ziplist";
            case LIST_QUICKLIST -> "list-quicklist";
            case STREAM_LISTPACKS -> "stream-listpacks";
            case HASH_LISTPACK -> "hash-listpack";
            case ZSET_LISTPACK -> "zset-listpack";
            case LIST_QUICKLIST_2 -> "list-quicklist-2";
            case STREAM_LISTPACKS_2 -> "stream-listpacks-2";
            default -> "unknown type " + type;
        };
    }
}
