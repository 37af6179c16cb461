package io.moon.node.script;

import io.moon.node.command.RedisError;
import io.moon.node.persist.rdb.DumpPayload;
import io.moon.node.persist.rdb.RdbFormat;
import io.moon.node.persist.rdb.RdbFormatException;
import io.moon.node.persist.rdb.RdbInput;
import io.moon.node.persist.rdb.RdbOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * FUNCTION DUMP and RESTORE payloads (functions.c, rdb.c rdbSaveFunctions/rdbFunctionLoad): per
 * library the opcode FUNCTION2 (245) and its code as an RDB string, then the RDB version (2 bytes)
 * and a CRC-64 of everything before, as DUMP payloads of keys. The opcode FUNCTION (246) of 7.0's
 * release candidates (name, engine, optional description, code) is read too.
 */
public final class FunctionDump {
    private FunctionDump() {}

    static final int OPCODE_FUNCTION2 = 245, OPCODE_FUNCTION = 246;

    /** What RESTORE does with the libraries already loaded. */
    public enum Policy { FLUSH, APPEND, REPLACE }

    static byte[] dump(FunctionRegistry registry, boolean compress) {
        RdbOutput out = RdbOutput.inMemory(compress);
        for (FunctionLibrary lib : registry.libraries.values()) {
            out.writeByte(OPCODE_FUNCTION2);
            out.writeString(lib.code);
        }
        out.writeByte(RdbFormat.VERSION_CURRENT & 0xff);
        out.writeByte(RdbFormat.VERSION_CURRENT >>> 8);
        out.writeInt64LE(out.crc());
        return out.toByteArray();
    }

    /** The library codes of a payload, or Redis's error for a bad one. */
    static List<byte[]> libraries(byte[] payload) {
        if (!DumpPayload.verify(payload)) throw new RedisError("ERR DUMP payload version or checksum are wrong");
        List<byte[]> out = new ArrayList<>();
        RdbInput in = RdbInput.of(payload, 0, payload.length - DumpPayload.FOOTER_LENGTH);
        try {
            while (!in.atEnd()) {
                int type = in.readUnsignedByte();
                if (type == OPCODE_FUNCTION2) {
                    out.add(in.readString());
                } else if (type == OPCODE_FUNCTION) {
                    String name = new String(in.readString(), StandardCharsets.UTF_8);
                    String engine = new String(in.readString(), StandardCharsets.UTF_8);
                    if (in.readLength() != 0) in.readString();
                    byte[] blob = in.readString();
                    byte[] head = ("#!" + engine + " name=" + name + "\n").getBytes(StandardCharsets.UTF_8);
                    byte[] code = new byte[head.length + blob.length];
                    System.arraycopy(head, 0, code, 0, head.length);
                    System.arraycopy(blob, 0, code, head.length, blob.length);
                    out.add(code);
                } else {
                    throw new RedisError("ERR given type is not a function");
                }
            }
        } catch (RdbFormatException e) {
            throw new RedisError("ERR Failed loading library payload");
        }
        return out;
    }

}
