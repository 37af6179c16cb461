package io.moon.node.persist;

import java.nio.charset.StandardCharsets;

/**
 * The commands that rebuild a stream's consumer-group state on replay, shared by the stream
 * commands' own log forms (Redis's streamPropagateXCLAIM, streamPropagateGroupID and
 * streamPropagateConsumerCreation) and by a stream's end-state form ({@link KeyEffects}, after
 * aof.c's rewriteStreamObject).
 *
 * <p>One addition to Redis's forms: {@code SEENTIME ms} after XCLAIM and XGROUP CREATECONSUMER,
 * the consumer's seen time, which replay would otherwise set to the time of the replay. Handlers
 * accept it only when replaying the log ({@code CommandContext.replaying()}); clients sending it
 * get Redis's errors.
 */
public final class StreamLogForms {
    private StreamLogForms() {}

    public static final String SEENTIME = "seentime";

    private static final byte[] XCLAIM = ascii("XCLAIM"), XGROUP = ascii("XGROUP"), ZERO = ascii("0");
    private static final byte[] TIME = ascii("TIME"), RETRYCOUNT = ascii("RETRYCOUNT"), FORCE = ascii("FORCE");
    private static final byte[] JUSTID = ascii("JUSTID"), LASTID = ascii("LASTID"), SEEN = ascii("SEENTIME");
    private static final byte[] ENTRIESREAD = ascii("ENTRIESREAD");

    /**
     * XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID [LASTID id] [SEENTIME ms]:
     * the pending entry {@code ms-seq} owned by {@code consumer} with that delivery time and
     * count (or, for an entry no longer in the stream, dropped from the group). {@code lastId}
     * (ms, seq) is the group's last id, or null; {@code seenTime} is negative for none.
     */
    public static byte[][] claim(byte[] key, byte[] group, byte[] consumer, long ms, long seq, long deliveryTime,
                                 long deliveryCount, long[] lastId, long seenTime) {
        int n = 12 + (lastId != null ? 2 : 0) + (seenTime >= 0 ? 2 : 0);
        byte[][] argv = new byte[n][];
        int i = 0;
        argv[i++] = XCLAIM;
        argv[i++] = key;
        argv[i++] = group;
        argv[i++] = consumer;
        argv[i++] = ZERO;
        argv[i++] = id(ms, seq);
        argv[i++] = TIME;
        argv[i++] = number(deliveryTime);
        argv[i++] = RETRYCOUNT;
        argv[i++] = number(deliveryCount);
        argv[i++] = FORCE;
        argv[i++] = JUSTID;
        if (lastId != null) {
            argv[i++] = LASTID;
            argv[i++] = id(lastId[0], lastId[1]);
        }
        if (seenTime >= 0) {
            argv[i++] = SEEN;
            argv[i] = number(seenTime);
        }
        return argv;
    }

    /** XGROUP SETID key group id ENTRIESREAD n. */
    public static byte[][] setGroupId(byte[] key, byte[] group, long ms, long seq, long entriesRead) {
        return new byte[][] {XGROUP, ascii("SETID"), key, group, id(ms, seq), ENTRIESREAD, number(entriesRead)};
    }

    /** XGROUP CREATE key group id ENTRIESREAD n. */
    public static byte[][] createGroup(byte[] key, byte[] group, long ms, long seq, long entriesRead) {
        return new byte[][] {XGROUP, ascii("CREATE"), key, group, id(ms, seq), ENTRIESREAD, number(entriesRead)};
    }

    /** XGROUP CREATECONSUMER key group consumer SEENTIME ms: the consumer exists, last seen then. */
    public static byte[][] consumerSeen(byte[] key, byte[] group, byte[] consumer, long seenTime) {
        return new byte[][] {XGROUP, ascii("CREATECONSUMER"), key, group, consumer, SEEN, number(seenTime)};
    }

    public static byte[] id(long ms, long seq) {
        return (Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq)).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] number(long v) { return ascii(Long.toString(v)); }

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }
}
