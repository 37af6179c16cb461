package io.moon.node.persist.rdb;

/**
 * Writes a value in the encoding Redis 7.0 would choose for it under the given
 * {@link RdbWriteOptions}: first {@link #typeFor} (the type byte, which a file writes before the
 * key), then {@link #write} with that type.
 */
public final class RdbValueWriter {
    private RdbValueWriter() {}

    public static int typeFor(RdbValue v, RdbWriteOptions o) {
        return switch (v) {
            case RdbString s -> RdbType.STRING;
            case RdbList l -> ListCodec.typeFor(l, o);
            case RdbSet s -> SetCodec.typeFor(s, o);
            case RdbZset z -> ZsetCodec.typeFor(z, o);
            case RdbHash h -> HashCodec.typeFor(h, o);
            case RdbStream s -> RdbType.STREAM_LISTPACKS_2;
        };
    }

    /** Writes the value body; {@code type} must come from {@link #typeFor} with the same options. */
    public static void write(RdbOutput out, RdbValue v, int type, RdbWriteOptions o) {
        switch (v) {
            case RdbString s -> StringCodec.write(out, s);
            case RdbList l -> ListCodec.write(out, l, o);
            case RdbSet s -> SetCodec.write(out, s, type);
            case RdbZset z -> ZsetCodec.write(out, z, type);
            case RdbHash h -> HashCodec.write(out, h, type);
            case RdbStream s -> StreamCodec.write(out, s, o);
        }
    }
}
