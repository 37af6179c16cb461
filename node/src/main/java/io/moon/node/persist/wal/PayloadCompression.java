package io.moon.node.persist.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

/**
 * LZ4 for large record payloads ({@link WalRecord#FLAG_LZ4}): a payload of at least
 * {@link #MIN_BYTES} is stored as {@code [original length: u32 LE][LZ4 block]} when that saves at
 * least an eighth of it; otherwise as it is. Big values (JSON documents, serialized objects,
 * repeated text) then cost less disk and less fsync time; small records, the common case, never
 * pay for an attempt. The pure-Java codec: no native library to load, no Unsafe.
 */
final class PayloadCompression {
    private PayloadCompression() {}

    /** Payloads below this are written as they are. */
    static final int MIN_BYTES = 4096;

    private static final LZ4Factory LZ4 = LZ4Factory.safeInstance();
    private static final LZ4Compressor COMPRESSOR = LZ4.fastCompressor();
    private static final LZ4FastDecompressor DECOMPRESSOR = LZ4.fastDecompressor();

    /** The stored form of {@code payload[0, length)}, or null when compression does not pay. */
    static byte[] compress(byte[] payload, int length) {
        if (length < MIN_BYTES) return null;
        byte[] out = new byte[4 + COMPRESSOR.maxCompressedLength(length)];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(length);
        int n = COMPRESSOR.compress(payload, 0, length, out, 4, out.length - 4);
        if (4 + n > length - length / 8) return null;
        return java.util.Arrays.copyOf(out, 4 + n);
    }

    /** The original payload of a compressed one, or null when it does not decode. */
    static ByteBuffer decompress(ByteBuffer stored) {
        if (stored.remaining() < 4) return null;
        int length = stored.order(ByteOrder.LITTLE_ENDIAN).getInt(stored.position());
        if (length < 0 || length > WalRecord.MAX_LENGTH) return null;
        byte[] in = new byte[stored.remaining() - 4];
        stored.get(stored.position() + 4, in);
        byte[] out = new byte[length];
        try {
            if (DECOMPRESSOR.decompress(in, 0, out, 0, length) != in.length) return null;
        } catch (LZ4Exception e) {
            return null;
        }
        return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    }
}
