package io.moon.node.persist.rdb;

/**
 * Reads one value of a given {@link RdbType} from an {@link RdbInput}, in any encoding Redis 7.0
 * can load, validating it as Redis's deep sanitization does (sanitize-dump-payload yes). Every
 * failure is an {@link RdbFormatException} that names the type and the offset of the value.
 */
public final class RdbValueReader {
    private RdbValueReader() {}

    public static RdbValue read(int type, RdbInput in) throws RdbFormatException {
        long start = in.position();
        try {
            return switch (type) {
                case RdbType.STRING -> StringCodec.read(in);
                case RdbType.LIST, RdbType.LIST_ZIPLIST, RdbType.LIST_QUICKLIST, RdbType.LIST_QUICKLIST_2 ->
                        ListCodec.read(type, in);
                case RdbType.SET, RdbType.SET_INTSET -> SetCodec.read(type, in);
                case RdbType.ZSET, RdbType.ZSET_2, RdbType.ZSET_ZIPLIST, RdbType.ZSET_LISTPACK -> ZsetCodec.read(type, in);
                case RdbType.HASH, RdbType.HASH_ZIPMAP, RdbType.HASH_ZIPLIST, RdbType.HASH_LISTPACK ->
                        HashCodec.read(type, in);
                case RdbType.STREAM_LISTPACKS, RdbType.STREAM_LISTPACKS_2 -> StreamCodec.read(type, in);
                case RdbType.MODULE, RdbType.MODULE_2 -> throw new RdbFormatException(
                        "Module values are not supported (module type id " + Long.toUnsignedString(in.readLength()) + ")");
                default -> throw new RdbFormatException("Unknown RDB value type " + type);
            };
        } catch (RdbFormatException e) {
            throw e.withContext(RdbType.name(type) + " value").at(start);
        }
    }
}
