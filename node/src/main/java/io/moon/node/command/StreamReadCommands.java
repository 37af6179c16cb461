package io.moon.node.command;

import io.moon.node.persist.StreamLogForms;
import io.moon.node.protocol.CommandBuffer;
import io.moon.node.protocol.Reply;
import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.ObjectEntry;
import io.moon.node.store.stream.Consumer;
import io.moon.node.store.stream.ConsumerGroup;
import io.moon.node.store.stream.PendingEntry;
import io.moon.node.store.stream.StreamCursor;
import io.moon.node.store.stream.StreamIds;
import io.moon.node.store.stream.StreamValue;
import java.util.Arrays;

/**
 * XREAD and XREADGROUP (t_stream.c xreadCommand), with BLOCK.
 *
 * <p>Blocking follows the node's model: a command that finds nothing blocks on its keys and runs
 * again from the start when one is signalled ready (XADD, a key deleted or replaced, XGROUP
 * DESTROY, a flush). What Redis keeps in the blocked client is kept here through
 * {@link CommandContext#blockReader}: XREAD's ids with "$" resolved when it first ran. A run that
 * serves a blocked client (its kept state is non-null) behaves as Redis's
 * serveClientsBlockedOnStreamKey: 1000 entries at most unless COUNT says otherwise; a key that is
 * gone or no longer a stream keeps XREAD waiting and fails XREADGROUP ("UNBLOCKED"), as does a
 * group that is gone ("NOGROUP").
 */
final class StreamReadCommands {
    private StreamReadCommands() {}

    /** Redis's XREAD_BLOCKED_DEFAULT_COUNT. */
    private static final long BLOCKED_DEFAULT_COUNT = 1000;

    static void register(CommandTable t) {
        t.add(new CommandSpec("xread", -4, "readonly blocking movablekeys", 0, 0, 0, StreamCommands.STREAM,
                c -> xread(c, false))
                .keys(StreamReadCommands::findKeys)
                .keySpecs(KeySpec.keywordRange("RO access", "STREAMS", 1, -1, 1, 2))
                .doc("stream", "5.0.0", "Return never seen elements in multiple streams, with IDs greater than the ones"
                        + " reported by the caller for each stream. Can block.")
                .complexity("For each stream mentioned: O(N) with N being the number of elements being returned, it"
                        + " means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used,"
                        + " XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new"
                        + " data."));
        t.add(new CommandSpec("xreadgroup", -7, "write blocking movablekeys", 0, 0, 0, StreamCommands.STREAM,
                c -> xread(c, true))
                .keys(StreamReadCommands::findKeys)
                .keySpecs(KeySpec.keywordRange("RO access", "STREAMS", 4, -1, 1, 2))
                .doc("stream", "5.0.0", "Return new entries from a stream using a consumer group, or access the history"
                        + " of the pending entries for a given consumer. Can block.")
                .complexity("For each stream mentioned: O(M) with M being the number of elements returned. If M is"
                        + " constant (e.g. always asking for the first 10 elements with COUNT), you can consider it"
                        + " O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to"
                        + " serve the N clients blocked on the stream getting new data."));
    }

    /** Redis's xreadGetKeys: the keys are the first half of what follows the STREAMS option. */
    static int findKeys(CommandBuffer args, int fa, int argc, int[] out) {
        int streams = -1;
        for (int i = 1; i < argc; i++) {
            int a = fa + i;
            if (word(args, a, "block") || word(args, a, "count")) {
                i++;
            } else if (word(args, a, "group")) {
                i += 2;
            } else if (word(args, a, "noack")) {
                continue;
            } else if (word(args, a, "streams")) {
                streams = i;
                break;
            } else {
                break;
            }
        }
        if (streams < 0) return 0;
        int num = argc - streams - 1;
        if (num == 0 || num % 2 != 0) return 0;
        num /= 2;
        for (int k = 0; k < num; k++) if (k < out.length) out[k] = streams + 1 + k;
        return num;
    }

    /** Case-insensitive compare of argument i with a lower-case ASCII word, without allocating. */
    private static boolean word(CommandBuffer args, int i, String lower) {
        int len = args.length(i);
        if (len != lower.length()) return false;
        byte[] b = args.data();
        int o = args.offset(i);
        for (int k = 0; k < len; k++) {
            int c = b[o + k];
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != lower.charAt(k)) return false;
        }
        return true;
    }

    /** What one XREAD/XREADGROUP asks for. */
    private static final class Request {
        long timeout = -1;
        long count;
        int streamsArg, streams;
        boolean noack;
        int groupArg = -1;
    }

    static void xread(CommandContext c, boolean xreadgroup) {
        Request q = parse(c, xreadgroup);
        long[] kept = (long[]) c.blockedState();
        boolean rerun = kept != null;
        int n = q.streams;
        StreamValue[] values = new StreamValue[n];
        ConsumerGroup[] groups = xreadgroup ? new ConsumerGroup[n] : null;
        byte[] groupName = xreadgroup ? c.arg(q.groupArg) : null;
        long[] ids = rerun ? kept.clone() : new long[2 * n];
        long[] id = new long[2];
        for (int i = 0; i < n; i++) {
            int keyArg = q.streamsArg + i, idArg = q.streamsArg + n + i;
            // Served on another key's shard: this key is not gone, only not here; it is not served.
            if (rerun && !c.keyHeld(keyArg)) continue;
            values[i] = lookup(c, keyArg, xreadgroup, rerun);
            if (xreadgroup) {
                groups[i] = values[i] == null ? null : values[i].group(groupName);
                if (groups[i] == null) {
                    if (rerun) throw new RedisError("NOGROUP the consumer group this client was blocked on no longer exists");
                    throw new RedisError("NOGROUP No such key '" + c.str(keyArg) + "' or consumer group '" + c.str(q.groupArg)
                            + "' in XREADGROUP with GROUP option");
                }
            }
            if (rerun) continue;
            if (c.len(idArg) == 1 && c.buf()[c.off(idArg)] == '$') {
                if (xreadgroup) throw new RedisError(DOLLAR_IN_GROUP);
                if (values[i] != null) {
                    ids[2 * i] = values[i].lastMs();
                    ids[2 * i + 1] = values[i].lastSeq();
                }
                continue;
            }
            if (c.len(idArg) == 1 && c.buf()[c.off(idArg)] == '>') {
                if (!xreadgroup) throw new RedisError(GREATER_IN_XREAD);
                ids[2 * i] = ids[2 * i + 1] = StreamIds.MAX;
                continue;
            }
            StreamIdArgs.parseOrError(c, idArg, 0, true, id);
            ids[2 * i] = id[0];
            ids[2 * i + 1] = id[1];
        }

        // Which streams can be served now: their "greater than" id, and whether it is history.
        long[] gt = ids.clone();
        boolean[] serve = new boolean[n], history = new boolean[n];
        int served = 0;
        long[] top = new long[2];
        for (int i = 0; i < n; i++) {
            StreamValue s = values[i];
            if (s == null) continue;
            if (xreadgroup) {
                if (gt[2 * i] != StreamIds.MAX || gt[2 * i + 1] != StreamIds.MAX) {
                    serve[i] = history[i] = true;
                } else if (s.length() > 0) {
                    s.lastLiveId(top);
                    ConsumerGroup g = groups[i];
                    if (StreamIds.compare(top[0], top[1], g.lastMs(), g.lastSeq()) > 0) {
                        serve[i] = true;
                        gt[2 * i] = g.lastMs();
                        gt[2 * i + 1] = g.lastSeq();
                    }
                }
            } else if (s.length() > 0) {
                s.lastLiveId(top);
                serve[i] = StreamIds.compare(top[0], top[1], gt[2 * i], gt[2 * i + 1]) > 0;
            }
            if (serve[i]) served++;
        }

        if (served > 0) {
            long count = rerun && q.count == 0 ? BLOCKED_DEFAULT_COUNT : q.count;
            Reply r = c.reply();
            if (r.resp3()) r.mapHeader(served);
            else r.arrayHeader(served);
            byte[] consumerName = xreadgroup ? c.arg(q.groupArg + 1) : null;
            for (int i = 0; i < n; i++) {
                if (!serve[i]) continue;
                int keyArg = q.streamsArg + i;
                if (!r.resp3()) r.arrayHeader(2);
                r.bulk(c.buf(), c.off(keyArg), c.len(keyArg));
                long[] start = {gt[2 * i], gt[2 * i + 1]};
                StreamIds.increment(start);
                if (!xreadgroup) {
                    writeRange(c, values[i].cursor(start[0], start[1], StreamIds.MAX, StreamIds.MAX, false), count);
                    continue;
                }
                ConsumerGroup g = groups[i];
                c.lookupWrite(keyArg); // its groups change: a snapshot being written keeps it as it was
                Consumer consumer = g.consumer(consumerName, true, c.now());
                if (consumer == null) {
                    consumer = g.createConsumer(consumerName, c.now());
                    c.notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", keyArg);
                }
                Log log = new Log(c.arg(keyArg), groupName, consumerName, c.now());
                if (history[i]) {
                    writeHistory(c, values[i], consumer, start, count, log);
                } else {
                    writeNew(c, values[i], g, consumer, start, count, q.noack, log);
                }
                // The consumer was seen now even when no XCLAIM says so (NOACK, an empty history).
                if (!log.claimed) c.propagateAs(StreamLogForms.consumerSeen(log.key, groupName, consumerName, log.now));
                c.valueResized(keyArg);
            }
            return;
        }

        if (q.timeout != -1) {
            // Inside MULTI (or a script) the client cannot block: Redis answers as a timeout.
            if (!c.mayBlock()) {
                c.reply().nullArray();
                return;
            }
            c.blockReader(q.timeout, CommandContext.TimeoutReply.NULL_ARRAY, ids, distinctKeys(c, q));
            return;
        }
        c.reply().nullArray();
    }

    private static final String DOLLAR_IN_GROUP = "ERR The $ ID is meaningless in the context of XREADGROUP: you want to"
            + " read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $"
            + " ID would just return an empty result set.";
    private static final String GREATER_IN_XREAD = "ERR The > ID can be specified only when calling XREADGROUP using the"
            + " GROUP <group> <consumer> option.";

    private static Request parse(CommandContext c, boolean xreadgroup) {
        Request q = new Request();
        int argc = c.argc();
        for (int i = 1; i < argc; i++) {
            int more = argc - i - 1;
            if (c.is(i, "block") && more > 0) {
                // As Redis: a script gets this error rather than a reply as if it had timed out.
                if (c.fromScript()) throw new RedisError("ERR " + c.str(0) + " command is not allowed with BLOCK option from scripts");
                i++;
                q.timeout = c.longArg(i, "ERR timeout is not an integer or out of range");
                if (q.timeout < 0) throw new RedisError("ERR timeout is negative");
            } else if (c.is(i, "count") && more > 0) {
                i++;
                q.count = Math.max(0, c.longArg(i));
            } else if (c.is(i, "streams") && more > 0) {
                q.streamsArg = i + 1;
                int rest = argc - q.streamsArg;
                if (rest % 2 != 0) {
                    throw new RedisError("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be"
                            + " specified.");
                }
                q.streams = rest / 2;
                break;
            } else if (c.is(i, "group") && more >= 2) {
                if (!xreadgroup) {
                    throw new RedisError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                q.groupArg = i + 1;
                i += 2;
            } else if (c.is(i, "noack")) {
                if (!xreadgroup) {
                    throw new RedisError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                q.noack = true;
            } else {
                throw RedisError.syntax();
            }
        }
        if (q.streamsArg == 0) throw RedisError.syntax();
        if (xreadgroup && q.groupArg < 0) throw new RedisError("ERR Missing GROUP option for XREADGROUP");
        return q;
    }

    /**
     * The stream at a key argument, or null when the key is missing. On a first run another type
     * is WRONGTYPE; when serving a blocked client, XREAD waits on (treats as missing) a key that is
     * not a stream, and XREADGROUP fails as Redis's unblockDeletedStreamReadgroupClients.
     */
    private static StreamValue lookup(CommandContext c, int keyArg, boolean xreadgroup, boolean rerun) {
        if (!rerun) return StreamCommands.read(c, keyArg);
        Object e = c.lookupRead(keyArg);
        if (e instanceof ObjectEntry oe && oe.value instanceof StreamValue s) return s;
        if (xreadgroup) throw new RedisError("UNBLOCKED the stream key no longer exists");
        return null;
    }

    private static int[] distinctKeys(CommandContext c, Request q) {
        int[] keys = new int[q.streams];
        int k = 0;
        outer:
        for (int i = 0; i < q.streams; i++) {
            int a = q.streamsArg + i;
            for (int j = 0; j < k; j++) {
                int b = keys[j];
                if (Arrays.equals(c.buf(), c.off(a), c.off(a) + c.len(a), c.buf(), c.off(b), c.off(b) + c.len(b))) {
                    continue outer;
                }
            }
            keys[k++] = a;
        }
        return Arrays.copyOf(keys, k);
    }

    private static void writeRange(CommandContext c, StreamCursor cur, long count) {
        try (StreamReplies.Deferred d = new StreamReplies.Deferred(c)) {
            d.finishArray(c.reply(), StreamReplies.entries(d.reply(), cur, count));
        }
    }

    /**
     * New entries for a group (streamReplyWithRange with a group): each moves the group's last id
     * and, without NOACK, becomes pending for the consumer.
     */
    private static void writeNew(CommandContext c, StreamValue s, ConsumerGroup g, Consumer consumer, long[] start,
                                 long count, boolean noack, Log log) {
        StreamCursor cur = s.cursor(start[0], start[1], StreamIds.MAX, StreamIds.MAX, false);
        long now = c.now();
        long[] last = new long[2];
        try (StreamReplies.Deferred d = new StreamReplies.Deferred(c)) {
            long n = 0;
            while ((count == 0 || n < count) && cur.next()) {
                long ms = cur.entry().ms(), seq = cur.entry().seq();
                s.groupRead(g, ms, seq);
                StreamReplies.entry(d.reply(), cur);
                if (!noack) {
                    g.delivered(consumer, ms, seq, now);
                    last[0] = g.lastMs();
                    last[1] = g.lastSeq();
                    log.claim(c, g.pending(ms, seq), ms, seq, last);
                }
                n++;
            }
            d.finishArray(c.reply(), n);
            // As Redis 7.0.15: the group's last id and entries read, whether or not NOACK.
            if (n > 0) c.propagateAs(StreamLogForms.setGroupId(log.key, log.group, g.lastMs(), g.lastSeq(), g.entriesRead()));
        }
    }

    /**
     * What XREADGROUP logs for one stream (Redis propagates it as XCLAIMs, streamPropagateXCLAIM,
     * and XGROUP SETID): every entry it delivered or delivered again, as XCLAIM ... FORCE JUSTID
     * with its delivery time and count, and the consumer's seen time. Unlike Redis, deliveries
     * from the consumer's history are logged too, so replay rebuilds their times and counts.
     */
    private static final class Log {
        final byte[] key, group, consumer;
        final long now;
        boolean claimed;

        Log(byte[] key, byte[] group, byte[] consumer, long now) {
            this.key = key;
            this.group = group;
            this.consumer = consumer;
            this.now = now;
        }

        void claim(CommandContext c, PendingEntry pe, long ms, long seq, long[] lastId) {
            c.propagateAs(StreamLogForms.claim(key, group, consumer, ms, seq, pe.deliveryTime(), pe.deliveryCount(), lastId,
                    now));
            claimed = true;
        }
    }

    /**
     * The consumer's own pending entries from {@code start} (streamReplyWithRangeFromConsumerPEL):
     * each is delivered again; one deleted from the stream since shows as [id, nil].
     */
    private static void writeHistory(CommandContext c, StreamValue s, Consumer consumer, long[] start, long count,
                                     Log log) {
        long now = c.now();
        long[] id = {start[0], start[1]};
        try (StreamReplies.Deferred d = new StreamReplies.Deferred(c)) {
            Reply r = d.reply();
            long n = 0;
            boolean more = true;
            for (PendingEntry pe = consumer.nextPending(id[0], id[1], id); more && pe != null && (count == 0 || n < count);
                 pe = more ? consumer.nextPending(id[0], id[1], id) : null) {
                StreamCursor cur = s.cursor(id[0], id[1], id[0], id[1], false);
                if (cur.next()) {
                    StreamReplies.entry(r, cur);
                    ConsumerGroup.setDelivery(pe, now, pe.deliveryCount() + 1);
                    log.claim(c, pe, id[0], id[1], null);
                } else {
                    r.arrayHeader(2);
                    StreamReplies.id(r, id[0], id[1]);
                    r.nullArray();
                }
                n++;
                more = StreamIds.increment(id);
            }
            d.finishArray(c.reply(), n);
        }
    }
}
