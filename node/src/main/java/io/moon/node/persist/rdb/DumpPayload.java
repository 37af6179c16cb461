package io.moon.node.persist.rdb;

/**
 * The serialized value of DUMP and RESTORE (cluster.c createDumpPayload, verifyDumpPayload):
 * <pre>
 * type byte | value ({@link RdbValueReader}) | RDB version uint16 LE | CRC-64 uint64 LE
 * </pre>
 * The CRC covers everything before it, the version included. RESTORE accepts any version up to
 * its own ({@link RdbFormat#VERSION_CURRENT}) and ignores bytes between the value and the
 * version, as Redis does.
 */
public final class DumpPayload {
    private DumpPayload() {}

    public static final int FOOTER_LENGTH = 10;
    /** RESTORE's reply to a payload failing {@link #verify}. */
    public static final String ERR_VERSION_OR_CHECKSUM = "ERR DUMP payload version or checksum are wrong";
    /** RESTORE's reply to a payload that verifies but does not decode. */
    public static final String ERR_BAD_DATA_FORMAT = "ERR Bad data format";

    /** DUMP: the payload of {@code v}, encoded as Redis 7.0 would under {@code options}. */
    public static byte[] create(RdbValue v, RdbWriteOptions options) {
        RdbOutput out = RdbOutput.inMemory(options.compress());
        int type = RdbValueWriter.typeFor(v, options);
        out.writeByte(type);
        RdbValueWriter.write(out, v, type, options);
        out.writeByte(RdbFormat.VERSION_CURRENT & 0xff);
        out.writeByte(RdbFormat.VERSION_CURRENT >>> 8);
        out.writeInt64LE(out.crc());
        return out.toByteArray();
    }

    public static byte[] create(RdbValue v) { return create(v, RdbWriteOptions.DEFAULTS); }

    /** RESTORE's first check: a footer with a version it knows and a matching CRC-64. */
    public static boolean verify(byte[] p) {
        if (p.length < FOOTER_LENGTH) return false;
        int footer = p.length - FOOTER_LENGTH;
        int version = (p[footer] & 0xff) | (p[footer + 1] & 0xff) << 8;
        if (version > RdbFormat.VERSION_CURRENT) return false;
        long crc = Crc64.of(p, 0, p.length - 8);
        for (int i = 0; i < 8; i++) {
            if ((byte) (crc >>> (8 * i)) != p[footer + 2 + i]) return false;
        }
        return true;
    }

    /**
     * The value of a payload that passed {@link #verify}. Fails on anything RESTORE answers "Bad
     * data format" to: an unknown type, a corrupt encoding, an empty collection.
     */
    public static RdbValue read(byte[] p) throws RdbFormatException {
        if (p.length < FOOTER_LENGTH + 1) throw new RdbFormatException("DUMP payload too short");
        RdbInput in = RdbInput.of(p, 0, p.length - FOOTER_LENGTH);
        int type = in.readUnsignedByte();
        if (!RdbType.isValueType(type)) throw new RdbFormatException("Unknown RDB value type " + type, 0);
        RdbValue v = RdbValueReader.read(type, in);
        if (v.isEmptyCollection()) throw new RdbFormatException("Empty " + RdbType.name(type) + " value", 0);
        return v;
    }

    /** The RDB version a payload claims, or -1 when it is too short to have one. */
    public static int version(byte[] p) {
        if (p.length < FOOTER_LENGTH) return -1;
        int footer = p.length - FOOTER_LENGTH;
        return (p[footer] & 0xff) | (p[footer + 1] & 0xff) << 8;
    }
}
