package io.moon.node.persist.rdb;

/**
 * {@link RdbType#STRING}: one RDB string ({@link RdbFormat}), integer-encoded when the text is a
 * canonical integer of up to 32 bits, LZF-compressed when that applies, plain otherwise.
 */
final class StringCodec {
    private StringCodec() {}

    static RdbString read(RdbInput in) throws RdbFormatException {
        return new RdbString(in.readString());
    }

    static void write(RdbOutput out, RdbString v) {
        out.writeString(v.value());
    }
}
