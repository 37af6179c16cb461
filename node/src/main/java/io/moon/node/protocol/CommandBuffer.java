package io.moon.node.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An arena of parsed commands: every argument's bytes copied once from the receive buffer into
 * one growing {@code byte[]}, and per argument an offset and a length. Command handlers read
 * arguments in place ({@link #data()}, {@link #offset(int)}, {@link #length(int)}); nothing
 * is allocated per argument.
 *
 * <p>The parser appends complete commands and may leave one partial command at the tail. When
 * every complete command has run, {@link #compact()} moves that partial tail to the front so the
 * arena does not grow without bound.
 *
 * <p>Owned by one connection's event loop. While commands of the current window run on other
 * shards, the arena is read by those shards and must not change: the connection parses further
 * only after the window completes.
 */
public final class CommandBuffer {
    private static final int SHRINK_ABOVE = 1 << 20;

    private byte[] data = new byte[4096];
    private int dataLength;
    private int[] argOffset = new int[64];
    private int[] argLength = new int[64];
    private int argCount;
    /** Index of each complete command's first argument, and its argument count. */
    private int[] commandFirstArg = new int[16];
    private int[] commandArgc = new int[16];
    private int commandCount;
    /** First argument of the command being parsed (== argCount when no command is partial). */
    private int partialFirstArg;

    public byte[] data() { return data; }
    public int offset(int arg) { return argOffset[arg]; }
    public int length(int arg) { return argLength[arg]; }
    public int commandCount() { return commandCount; }
    public int firstArg(int command) { return commandFirstArg[command]; }
    public int argc(int command) { return commandArgc[command]; }
    public int bytesUsed() { return dataLength; }
    /** Arguments of the partial command at the tail (0 when none). */
    public int partialArgs() { return argCount - partialFirstArg; }

    /** Reserves {@code length} bytes for a new argument of the partial command; returns its offset. */
    public int addArg(int length) {
        ensureData(length);
        if (argCount == argOffset.length) {
            argOffset = Arrays.copyOf(argOffset, argCount * 2);
            argLength = Arrays.copyOf(argLength, argCount * 2);
        }
        int off = dataLength;
        argOffset[argCount] = off;
        argLength[argCount] = length;
        argCount++;
        dataLength += length;
        return off;
    }

    /** Adds an argument copied from {@code src}. */
    public void addArg(byte[] src, int off, int len) {
        int at = addArg(len);
        System.arraycopy(src, off, data, at, len);
    }

    /** Marks the arguments added since the last call as one complete command. */
    public void endCommand() {
        if (commandCount == commandFirstArg.length) {
            commandFirstArg = Arrays.copyOf(commandFirstArg, commandCount * 2);
            commandArgc = Arrays.copyOf(commandArgc, commandCount * 2);
        }
        commandFirstArg[commandCount] = partialFirstArg;
        commandArgc[commandCount] = argCount - partialFirstArg;
        commandCount++;
        partialFirstArg = argCount;
    }

    /** Drops the arguments of the partial command (after a protocol error). */
    public void dropPartial() {
        if (partialFirstArg < argCount) {
            dataLength = argOffset[partialFirstArg];
            argCount = partialFirstArg;
        }
    }

    /** Forgets every complete command, keeping a partial command's arguments at the front. */
    public void compact() {
        int keepArgs = argCount - partialFirstArg;
        int keepFrom = keepArgs > 0 ? argOffset[partialFirstArg] : dataLength;
        int keepBytes = dataLength - keepFrom;
        if (keepBytes > 0 && keepFrom > 0) {
            System.arraycopy(data, keepFrom, data, 0, keepBytes);
        }
        for (int i = 0; i < keepArgs; i++) {
            argOffset[i] = argOffset[partialFirstArg + i] - keepFrom;
            argLength[i] = argLength[partialFirstArg + i];
        }
        argCount = keepArgs;
        dataLength = keepBytes;
        partialFirstArg = 0;
        commandCount = 0;
        if (data.length > SHRINK_ABOVE && dataLength < data.length / 8) {
            data = Arrays.copyOf(data, Math.max(4096, dataLength * 2));
        }
    }

    public String argString(int arg) {
        return new String(data, argOffset[arg], argLength[arg], StandardCharsets.UTF_8);
    }

    private void ensureData(int extra) {
        long need = (long) dataLength + extra;
        if (need > data.length) {
            if (need > Integer.MAX_VALUE - 16) {
                throw new ProtocolException("Protocol error: query buffer too large");
            }
            long grown = Math.max(need, Math.min((long) data.length * 2, Integer.MAX_VALUE - 16));
            data = Arrays.copyOf(data, (int) grown);
        }
    }
}
