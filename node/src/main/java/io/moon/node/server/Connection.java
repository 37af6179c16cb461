package io.moon.node.server;

import io.moon.node.cluster.KeySlot;
import io.moon.node.command.CommandContext;
import io.moon.node.command.CommandContext.TimeoutReply;
import io.moon.node.command.CommandFlags;
import io.moon.node.command.CommandSpec;
import io.moon.node.command.RedisError;
import io.moon.node.protocol.CommandBuffer;
import io.moon.node.protocol.ProtocolException;
import io.moon.node.protocol.Replies;
import io.moon.node.protocol.Reply;
import io.moon.node.protocol.RespParser;
import io.moon.node.server.tracking.ClientTracking;
import io.moon.node.server.tracking.InvalidationFrames;
import io.moon.node.server.tx.MultiShardTx;
import io.moon.node.store.Db;
import io.moon.node.store.Watcher;
import io.moon.node.pubsub.Subscriber;
import io.moon.node.pubsub.Subscriptions;
import io.netty.buffer.Unpooled;
import java.util.Set;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: parses its requests, routes each command to the shard that owns its
 * keys, and writes the replies back in request order.
 *
 * <h2>The window</h2>
 * Requests are parsed a window at a time (every complete command the input holds, up to
 * {@link #MAX_WINDOW}). Each command in the window is routed:
 * <ul>
 *   <li>keys on this connection's own shard, or no keys: run inline, reply written at once;</li>
 *   <li>keys on one other shard: appended to that shard's batch; each batch runs as one task on
 *       its shard's loop, in request order (so one connection's commands on one shard keep their
 *       order, as in Redis);</li>
 *   <li>keys on several shards, or a command over all shards: a barrier. Batches so far are sent,
 *       then the command runs as a {@link MultiShardTx}; nothing after it in the window starts
 *       until it is done.</li>
 * </ul>
 * Once a command of the window went to another loop, later replies are kept as slices (own
 * buffer, batch buffer or transaction buffer) and copied out in request order when the pending
 * work is done. A window with no remote work writes straight to the outbound buffer.
 *
 * <p>Thread rules: everything here runs on the connection's loop ({@link #home}), except
 * {@link #execute}, which a batch or transaction runs on another shard's loop; it touches only
 * the window's per-command slots of the commands it was given, and the home loop does not touch
 * those slots until the completion task it posts back has run. The argument arena does not change
 * while anything is pending.
 */
public final class Connection extends ChannelInboundHandlerAdapter implements Watcher, Subscriber {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    static final int MAX_WINDOW = 512;
    private static final int OUT_CHUNK = 64 * 1024;

    private final Node node;
    private final SocketChannel channel;
    private ChannelHandlerContext chctx;
    Shard home;

    // --- identity and client state (volatile where CLIENT LIST reads it from other loops) ---
    public final long id;
    private final long createdMs = System.currentTimeMillis();
    private volatile long lastInteractionMs = createdMs;
    private volatile String name = "";
    private volatile String libName = "", libVersion = "";
    private volatile int db;
    private volatile int protocol = 2;
    private volatile boolean authenticated;
    private volatile String lastCommand = "NULL";
    private volatile boolean noEvict, noTouch;
    private volatile boolean monitor;
    // CLIENT REPLY: home loop only (networking.c CLIENT_REPLY_OFF, _SKIP, _SKIP_NEXT).
    private boolean replyOff, replySkip, replySkipNext;
    private final String peer, local;

    // --- pub/sub ---
    private final Subscriptions subscriptions = new Subscriptions();
    /** Commands a RESP2 client in subscribed mode may still send (Redis's processCommand). */
    private static final Set<String> SUBSCRIBED_MODE = Set.of("ping", "subscribe", "ssubscribe", "unsubscribe",
            "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset");

    // --- client-side caching ---
    private final ClientTracking tracking = new ClientTracking();
    /** Pushes (invalidations) that must wait for replies the window still holds back. Home loop. */
    private final List<HeldPush> heldPushes = new ArrayList<>(0);
    /** Whether the reads of a command run outside the window (EXEC's queued ones, a script's) are remembered. */
    private boolean trackOutsideWindow;
    /** While process() runs: pushes wait for its end. Home loop. */
    private boolean processing;
    /** Pushes handed over by other threads, sent on the home loop in the order they came. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> incomingPushes = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean pushDrainScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    /** See {@link #capturePushes}: the thread and buffer of a command's eviction, else null. */
    private volatile Thread captureThread;
    private ByteBuf captureTarget;

    private record HeldPush(byte[] frame, boolean afterOwnCommand) {}

    // --- CLIENT PAUSE ---
    /** The window slot of the command waiting for CLIENT UNPAUSE, or -1. Home loop. */
    private int pausedAt = -1;
    private boolean pausedQuiet, resumeFromPause;
    /** A command waits for the pause to end (CLIENT LIST and INFO count it as blocked). */
    private volatile boolean paused;

    // --- WAIT (a wait on no key) ---
    /** The reply of a waiting WAIT, taken once by whoever ends the wait (timeout, CLIENT UNBLOCK). */
    private final java.util.concurrent.atomic.AtomicReference<KeylessWait> keylessWait = new java.util.concurrent.atomic.AtomicReference<>();

    private record KeylessWait(java.util.function.Consumer<byte[]> reply, byte[] onTimeout) {}

    // --- blocking ---
    /** The window's command blocked on keys, until served or timed out. */
    private volatile BlockedClient blocked;
    /** When the input holding the latest command was read (System.nanoTime). Home loop. */
    private long lastReadNanos;
    /** Read time of the blocking command in flight: its place among a key's waiters. */
    private long blockingArrival;

    // --- MULTI and WATCH ---
    private MultiState multi;
    /** WATCH epoch << 1 | dirty bit: shards set the bit for the current epoch; UNWATCH starts a new one. */
    private final AtomicLong watchState = new AtomicLong();
    private final List<WatchedKey> watchedKeys = new ArrayList<>();

    private record WatchedKey(Shard shard, int db, byte[] key, boolean expiredAtWatch) {}

    // --- input ---
    private final RespParser parser = new RespParser();
    private final CommandBuffer cmds = new CommandBuffer();
    private ByteBuf in;
    private ProtocolException protocolError;

    // --- output ---
    private ByteBuf out;
    private boolean closeAfterReply;
    private boolean closed;

    // --- the window: per command index ---
    private int next;
    private int pending;
    private int firstBuffered = -1;
    private CommandSpec[] wSpec = new CommandSpec[16];
    private int[] wDb = new int[16];
    private int[] wProto = new int[16];
    /** The reply of this command is dropped (CLIENT REPLY OFF/SKIP when it was dispatched). */
    private boolean[] wQuiet = new boolean[16];
    /** The reads of this command are remembered for client-side caching (decided at dispatch). */
    private boolean[] wTrack = new boolean[16];
    private ByteBuf[] wBuf = new ByteBuf[16];
    private int[] wStart = new int[16];
    private int[] wEnd = new int[16];
    private ByteBuf localBuf;
    private ShardBatch[] batches;
    private final List<ByteBuf> asyncBufs = new ArrayList<>();
    private int[] keyPos = new int[16];
    private final Runnable asyncDone = this::onAsyncDone;

    Connection(Node node, SocketChannel channel) {
        this.node = node;
        this.channel = channel;
        Long accepted = channel.attr(Node.CLIENT_ID).get();
        this.id = accepted != null ? accepted : node.nextClientId.getAndIncrement();
        this.peer = address(channel.remoteAddress());
        this.local = address(channel.localAddress());
    }

    private static String address(InetSocketAddress a) {
        if (a == null) return "?:0";
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return host + ":" + a.getPort();
    }

    // ------------------------------------------------------------------ accessors for commands

    public Node node() { return node; }
    public String peer() { return peer; }
    public String local() { return local; }
    public long createdMs() { return createdMs; }
    public long lastInteractionMs() { return lastInteractionMs; }
    public String name() { return name; }
    public void name(String n) { this.name = n; }
    public String libName() { return libName; }
    public String libVersion() { return libVersion; }
    public void libName(String v) { this.libName = v; }
    public void libVersion(String v) { this.libVersion = v; }
    public int db() { return db; }
    public void db(int d) { this.db = d; }
    public int protocol() { return protocol; }
    public void protocol(int p) { this.protocol = p; }
    public boolean authenticated() { return authenticated; }
    public void authenticated(boolean a) { this.authenticated = a; }
    public String lastCommand() { return lastCommand; }
    public boolean noEvict() { return noEvict; }
    public void noEvict(boolean v) { this.noEvict = v; }
    public boolean noTouch() { return noTouch; }
    public void noTouch(boolean v) { this.noTouch = v; }
    public boolean isMonitor() { return monitor; }
    public Shard home() { return home; }

    /** Bytes waiting in the query buffer (CLIENT LIST qbuf). */
    public int queryBufferBytes() { ByteBuf b = in; return b == null ? 0 : b.readableBytes(); }

    /** The socket's file descriptor (CLIENT LIST fd); -1 on a transport without one. */
    public int fd() {
        return channel instanceof io.netty.channel.unix.UnixChannel u ? u.fd().intValue() : -1;
    }

    /** Bytes the argument arena holds (CLIENT LIST tot-mem); read from any thread, approximate. */
    public int argumentArenaBytes() { return cmds.data().length; }

    /** CLIENT REPLY ON|OFF|SKIP: on the home loop, by the CLIENT REPLY command itself. */
    public void replyMode(String mode) {
        switch (mode) {
            case "on" -> replyOff = replySkip = replySkipNext = false;
            case "off" -> replyOff = true;
            case "skip" -> { if (!replyOff) replySkipNext = true; }
            default -> throw new IllegalArgumentException(mode);
        }
    }

    /** Bytes of replies not yet handed to the socket (CLIENT LIST omem). */
    public long outputBytes() {
        // Read once: another thread may see the buffer go away as the channel closes.
        var pending = channel.unsafe().outboundBuffer();
        return pending == null ? 0 : pending.totalPendingWriteBytes();
    }

    /** Replies to this command, then closes (QUIT). */
    public void closeAfterReply() { this.closeAfterReply = true; }

    /** Makes this connection a MONITOR: it receives every command the node runs. */
    public void startMonitor() {
        if (!monitor) {
            monitor = true;
            node.monitors.add(this);
        }
    }

    /**
     * Closes the connection from any thread (CLIENT KILL, shutdown). It leaves the client
     * registry at once, so a CLIENT LIST or INFO that follows no longer counts it.
     */
    public void close() {
        node.clients.remove(id);
        abandonBlocked(); // at once: the channel closes later, on its own loop
        channel.close();
    }

    /** Sends bytes to this client from any thread (MONITOR lines). */
    void sendAsync(byte[] bytes) {
        if (channel.isActive()) channel.writeAndFlush(channel.alloc().buffer(bytes.length).writeBytes(bytes));
    }

    // ------------------------------------------------------------------ Netty events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.chctx = ctx;
        this.home = node.shardOf(ctx.channel().eventLoop());
        node.totalConnections.increment();
        if (node.clients.size() >= node.config().maxclients()) {
            node.rejectedConnections.increment();
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes("-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII)))
                    .addListener(f -> ctx.close());
            return;
        }
        if (node.config().protectedMode() && node.config().requirepass().isEmpty() && !isLoopback()) {
            node.rejectedConnections.increment();
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(ProtectedMode.DENIED)).addListener(f -> ctx.close());
            return;
        }
        authenticated = node.config().requirepass().isEmpty();
        node.clients.put(id, this);
    }

    /** True for a client connected from a loopback address (protected mode, enable-*-command local). */
    public boolean isLoopback() {
        InetSocketAddress a = channel.remoteAddress();
        return a != null && a.getAddress() != null && a.getAddress().isLoopbackAddress();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        node.clients.remove(id);
        abandonBlocked();
        subscriptions.clear(node.pubsub(), this);
        node.tracking().disable(this);
        heldPushes.clear();
        keylessWait.set(null);
        if (paused) {
            node.clientPause().done(this);
            paused = false;
        }
        // An EXEC in flight on another loop still uses the watch list; it is dropped when it is done.
        if (pending == 0) unwatchAll();
        if (monitor) node.monitors.remove(this);
        if (in != null) {
            in.release();
            in = null;
        }
        if (pending == 0) releaseWindow();
        if (out != null) {
            out.release();
            out = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        if (closed || closeAfterReply) {
            data.release();
            return;
        }
        node.netInputBytes.add(data.readableBytes());
        if (!incomingPushes.isEmpty()) drainPushes();
        in = in == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), in, data);
        lastInteractionMs = System.currentTimeMillis();
        lastReadNanos = System.nanoTime();
        long limit = node.config().queryBufferLimit();
        if (in.readableBytes() + (long) (parser.midCommand() ? cmds.bytesUsed() : 0) > limit) {
            log.warn("Closing client {} that reached max query buffer length ({} bytes)", peer, limit);
            ctx.close();
            return;
        }
        // Commands after a blocked one wait for its answer, as in Redis.
        if (pending == 0 && blocked == null && pausedAt < 0) process();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Stop reading while the client does not read its replies: TCP pushes back on it.
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Connection {} error: {}", peer, cause.toString());
        ctx.close();
    }

    // ------------------------------------------------------------------ processing

    /** Runs windows until the input is used up or work is pending on other shards. */
    private void process() {
        processing = true;
        try {
            runWindows();
        } finally {
            processing = false;
        }
        // Pushes that came while replies were being written follow them (the caller flushes),
        // unless replies are still held back.
        if (!closed && !heldPushes.isEmpty() && firstBuffered < 0 && pending == 0 && blocked == null) {
            releaseHeldPushes(reply());
        }
    }

    private void runWindows() {
        home.keyspace().updateClock();
        while (!closed) {
            if (next == cmds.commandCount()) {
                cmds.compact();
                next = 0;
                if (protocolError == null && in != null && in.isReadable() && !closeAfterReply) {
                    parser.maxBulkLength(node.config().protoMaxBulkLen());
                    try {
                        parser.parse(in, cmds, MAX_WINDOW);
                    } catch (ProtocolException e) {
                        protocolError = e;
                    }
                }
                if (cmds.commandCount() == 0) break;
                ensureWindow(cmds.commandCount());
            }
            if (!runWindow()) return; // resumes in onAsyncDone
        }
        if (protocolError != null && pending == 0 && next == cmds.commandCount()) {
            home.ctx.bind(node, cmds, 0, 0, null, home, null, db, this, reply(), protocol)
                    .reply().error("ERR " + protocolError.getMessage());
            protocolError = null;
            closeAfterReply = true;
        }
        if (in != null && !in.isReadable()) {
            in.release();
            in = null;
        } else if (in != null) {
            in.discardSomeReadBytes();
        }
        if (closeAfterReply) {
            // Gone for other clients from now (a redirection to it is broken), as its last reply goes out.
            node.clients.remove(id);
            flush();
            chctx.close();
        }
    }

    /**
     * Routes and runs commands from {@link #next}. Returns true when the window is complete,
     * false when it waits for other shards.
     */
    private boolean runWindow() {
        int count = cmds.commandCount();
        while (next < count) {
            if (closeAfterReply) {
                next = count;
                break;
            }
            int i = next++;
            if (!dispatch(i)) break; // a barrier: wait for it before going on
        }
        sendBatches();
        if (pausedAt >= 0) {
            if (pending == 0) sendRepliesBefore(pausedAt);
            return false;
        }
        if (pending > 0 || blocked != null) return false;
        // Replies kept back for appendfsync always whose writes turned out durable already.
        if (firstBuffered >= 0) mergeBuffered();
        return true;
    }

    /** Routes one command; returns false when it is a barrier now in flight. */
    private boolean dispatch(int i) {
        if (resumeFromPause) {
            // The command that waited out a CLIENT PAUSE: dispatched again with its reply mode.
            resumeFromPause = false;
            return dispatch(i, pausedQuiet);
        }
        // Redis's resetClient after the previous command: a SKIP lasts one command, and CLIENT
        // REPLY SKIP arms it for the command after itself.
        replySkip = false;
        if (replySkipNext) {
            replySkip = true;
            replySkipNext = false;
        }
        return dispatch(i, replyOff || replySkip);
    }

    private boolean dispatch(int i, boolean quiet) {
        int fa = cmds.firstArg(i), argc = cmds.argc(i);
        byte[] data = cmds.data();
        CommandSpec spec = node.commands().lookup(data, cmds.offset(fa), cmds.length(fa));
        String rejection = null;
        if (spec == null) {
            rejection = unknownCommand(fa, argc);
        } else if (!spec.subcommands.isEmpty() && argc >= 2) {
            CommandSpec sub = spec.subcommands.get(cmds.argString(fa + 1).toLowerCase(Locale.ROOT));
            if (sub != null) spec = sub;
            else if (spec.handler == null) {
                rejection = "ERR unknown subcommand '" + clip(cmds.argString(fa + 1)) + "'. Try "
                        + spec.name.toUpperCase(Locale.ROOT) + " HELP.";
            }
        }
        if (rejection == null) {
            if (!spec.arityOk(argc) || (spec.handler == null && !spec.subcommands.isEmpty())) {
                rejection = "ERR wrong number of arguments for '" + spec.fullName() + "' command";
            } else if (!authenticated && !spec.is(CommandFlags.NO_AUTH)) {
                rejection = "NOAUTH Authentication required.";
            } else if (protocol == 2 && subscriptions.active() && !SUBSCRIBED_MODE.contains(spec.fullName())) {
                rejection = "ERR Can't execute '" + spec.fullName() + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";
            }
        }
        if (rejection == null && multi != null && spec != null && spec.is(CommandFlags.EXEC)) {
            // EXEC is not let through a busy script (Redis: no allow-busy flag): it ends the
            // transaction with the BUSY reason instead of waiting for the script.
            rejection = home.busyReply();
        }
        if (rejection != null && multi != null) {
            // Redis's flagTransaction: a refused command makes the EXEC fail; a refused EXEC
            // itself ends the transaction (execCommandAbort).
            if (spec != null && spec.is(CommandFlags.EXEC)) {
                rejection = "EXECABORT Transaction discarded because of: " + rejection;
                discardMulti();
                unwatchAll();
            } else {
                multi.aborted = true;
            }
        }
        if (rejection != null) {
            if (spec != null) home.stats.rejected[spec.id]++;
            home.stats.error(rejection);
            ByteBuf target = homeTarget(i);
            int start = target.writerIndex();
            home.ctx.bind(node, cmds, fa, argc, spec, home, null, db, this, target, protocol).reply().error(rejection);
            if (quiet) target.writerIndex(start);
            recordHome(i, target, start);
            return true;
        }
        if (pausedNow(spec, fa, argc)) {
            waitForUnpause(i, quiet);
            return false;
        }
        if (multi != null && !spec.is(CommandFlags.NOT_QUEUED)) {
            queueInMulti(i, spec, fa, argc, quiet);
            return true;
        }
        wSpec[i] = spec;
        wDb[i] = db;
        wProto[i] = protocol;
        wQuiet[i] = quiet;
        lastCommand = spec.fullName();
        trackReads(i, spec);

        if (spec.is(CommandFlags.CONNECTION) && !spec.is(CommandFlags.ALLOW_BUSY) && home.held()) {
            // The client's own shard is held by a busy script: as in Redis, only the commands
            // allowed during a busy script (SCRIPT KILL...) get through.
            String busy = home.busyReply();
            if (busy != null) {
                ByteBuf target = homeTarget(i);
                refuseBusy(home, i, target, busy);
                return true;
            }
        }
        if (spec.is(CommandFlags.CONNECTION)) {
            // A connection command may change the reply mode itself (CLIENT REPLY ON answers OK
            // after an OFF): its reply follows the mode it leaves behind, as in Redis.
            wQuiet[i] = false;
            runHome(i, true);
            return true;
        }
        if (spec.is(CommandFlags.SCRIPT)) {
            scriptBarrier(i, scriptShards(fa, argc, spec, cmds), home);
            return false;
        }
        if (spec.is(CommandFlags.OFF_LOOP)) {
            // Only its keys' shards are held (it runs on the first): the client's own shard
            // keeps serving while it waits.
            Shard[] keys = shardsOfCommand(fa, argc, spec);
            scriptBarrier(i, keys, keys[0]);
            return false;
        }
        if (spec.allShards(cmds, fa, argc)) {
            barrier(i, node.shards());
            return false;
        }
        if (spec.is(CommandFlags.BLOCKING)) {
            blockingArrival = lastReadNanos;
            Shard[] parts = shardsOfCommand(fa, argc, spec);
            if (parts.length == 1 && parts[0] == home && !home.held() && pending == 0 && firstBuffered < 0) {
                // Its keys are ours and nothing of the window is in flight: run it now, as Redis
                // would, before commands other clients sent after it. If it blocks, the window
                // waits for its answer.
                runHome(i);
                if (blocked == null) return true;
                if (firstBuffered < 0) firstBuffered = i;
                return false;
            }
            // As in Redis, nothing after a blocking command runs until it has answered.
            barrier(i, parts);
            return false;
        }
        if (spec.is(CommandFlags.EXEC) && multi != null) {
            Shard[] parts = execParticipants();
            if (multi.hasScript()) {
                // A queued script must run on the script thread: so does the whole transaction.
                scriptBarrier(i, multi.hasKeylessScript() ? node.shards() : withHome(parts), home);
                return false;
            }
            if (parts.length == 1 && parts[0] == home && !home.held()) {
                runHome(i);
                return true;
            }
            barrier(i, parts);
            return false;
        }
        int target;
        if (spec.router != null) {
            target = spec.router.shard(cmds, fa, argc, node.shards().length);
        } else {
            int n = spec.keyPositions(cmds, fa, argc, keyPos);
            if (n > keyPos.length) {
                keyPos = new int[Integer.highestOneBit(n) * 2];
                n = spec.keyPositions(cmds, fa, argc, keyPos);
            }
            target = -1;
            boolean many = false;
            for (int k = 0; k < n; k++) {
                int a = fa + keyPos[k];
                int s = node.shardIndexOfSlot(KeySlot.slot(data, cmds.offset(a), cmds.length(a)));
                if (target < 0) target = s;
                else if (s != target) many = true;
            }
            if (many) {
                barrier(i, shardsOfKeys(fa, n));
                return false;
            }
        }
        if ((target < 0 || target == home.id()) && !home.held()) {
            runHome(i);
        } else {
            // Another shard's key, or our own shard is held by a transaction: run it as a batch
            // on that loop, which defers it until the shard is free.
            if (target < 0) target = home.id();
            if (firstBuffered < 0) firstBuffered = i;
            if (batches == null) batches = new ShardBatch[node.shards().length];
            ShardBatch b = batches[target];
            if (b == null) b = batches[target] = new ShardBatch(node.shard(target));
            b.add(i);
        }
        return true;
    }

    // ------------------------------------------------------------------ blocking

    /** The shards of a command's keys (its own shard when it has none). */
    private Shard[] shardsOfCommand(int fa, int argc, CommandSpec spec) {
        int n = spec.keyPositions(cmds, fa, argc, keyPos);
        if (n > keyPos.length) {
            keyPos = new int[Integer.highestOneBit(n) * 2];
            n = spec.keyPositions(cmds, fa, argc, keyPos);
        }
        return n == 0 ? new Shard[] {home} : shardsOfKeys(fa, n);
    }

    /**
     * Blocks the running command (see {@link CommandContext#block}). Runs on the thread holding
     * the keys' shards; registers the client on each key there. When the command was re-run to
     * serve the client and found nothing after all, it simply stays blocked where it was.
     */
    public void block(CommandContext c, long timeoutMs, TimeoutReply onTimeout, int[] keyArgs, Object kept,
                      boolean reader) {
        c.markBlocked();
        if (c.serving() != null) return;
        List<BlockedClient.Key> keys = new ArrayList<>(keyArgs.length);
        for (int k : keyArgs) keys.add(new BlockedClient.Key(shardOfArg(k, c), c.dbIndex(), c.arg(k)));
        // The command's other keys (BLMOVE's destination) decide where it can be served.
        int fa = cmds.firstArg(c.slot()), argc = cmds.argc(c.slot());
        int[] positions = new int[Math.max(4, argc)];
        int n = c.spec().keyPositions(cmds, fa, argc, positions);
        List<Shard> all = new ArrayList<>(), others = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            Shard s = shardOfArg(positions[j], c);
            if (!all.contains(s)) all.add(s);
            boolean waited = false;
            for (int k : keyArgs) waited |= k == positions[j];
            if (!waited) others.add(s);
        }
        if (all.isEmpty()) all.add(home);
        long deadline = timeoutMs > 0 ? System.currentTimeMillis() + timeoutMs : 0;
        BlockedClient b = new BlockedClient(this, c.slot(), c.spec(), cmds, fa, argc, c.dbIndex(),
                c.reply().protocol(), deadline, onTimeout, keys, all.toArray(new Shard[0]), others, blockingArrival,
                kept, reader);
        for (BlockedClient.Key k : keys) k.shard().blocking.register(k.db(), k.key(), b);
        blocked = b;
        if (deadline > 0) scheduleTimeout(b, timeoutMs);
    }

    private Shard shardOfArg(int i, CommandContext c) {
        return node.shardOfSlot(KeySlot.slot(c.buf(), c.off(i), c.len(i)));
    }

    private void scheduleTimeout(BlockedClient b, long delayMs) {
        home.loop().schedule(() -> timeoutBlocked(b), Math.max(0, delayMs), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** On the key's shard: re-runs the blocked command to serve it; true when it stays blocked. */
    boolean serve(BlockedClient b, Shard shard, ByteBuf out) {
        b.logPosition(shard.propagator());
        return CommandRunner.run(this, shard, b.args, b.fa, b.argc, b.spec, b.db, b.protocol, out, null, false, false,
                b.slot, b);
    }

    /**
     * On a ready key's shard, for a client that cannot be served there alone (BLMOVE to a key of
     * another shard): serves it with every shard of its command held. Its place in the queues is
     * kept meanwhile (state SERVING); when it is done the keys' next waiters get their turn.
     */
    void serveOnShards(BlockedClient b) {
        MultiShardTx.schedule(b.commandShards, executing -> {
            ByteBuf out = Unpooled.buffer(64);
            b.logPosition(executing.propagator());
            boolean stillBlocked = CommandRunner.run(this, executing, b.args, b.fa, b.argc, b.spec, b.db, b.protocol,
                    out, b.commandShards, false, false, b.slot, b);
            if (stillBlocked) {
                out.release();
                stayBlocked(b);
                Blocking.resumePassedOver(b, null);
                return;
            }
            b.state.set(BlockedClient.DONE);
            served(b, out);
            for (BlockedClient.Key k : b.keys) {
                Shard s = k.shard();
                s.loop().execute(() -> s.runOrDefer(() -> s.blocking.resume(k.db(), k.key())));
            }
        });
    }

    /** After a serve that found nothing: waiting again (unless the client went away meanwhile). */
    void stayBlocked(BlockedClient b) {
        b.state.set(BlockedClient.WAITING);
        if (b.gone && b.state.compareAndSet(BlockedClient.WAITING, BlockedClient.DONE)) unregisterAll(b);
    }

    /**
     * A serve answered the client ({@code b} is DONE): off every key, and the reply goes out (once
     * what the serve wrote is durable, under appendfsync always).
     */
    void served(BlockedClient b, ByteBuf reply) {
        unregisterAll(b);
        whenWritesDurable(b.propagator, b.epochBefore, () -> unblocked(b, reply, null));
    }

    /**
     * From any thread: the blocked command answered. {@code error} is null when it was served (its
     * statistics were counted where it ran), else the error or "" for a timeout reply, counted
     * here as Redis's updateStatsOnUnblock does.
     */
    private void unblocked(BlockedClient b, ByteBuf reply, String error) {
        home.loop().execute(() -> {
            if (error != null) {
                home.stats.calls[b.spec.id]++;
                home.stats.totalCommands++;
                // Redis counts the time the command ran, not the wait: too short to measure here.
                if (node.latencyMonitor().tracking()) home.stats.recordLatency(b.spec.id, 0);
                if (!error.isEmpty()) {
                    home.stats.failed[b.spec.id]++;
                    home.stats.error(error);
                }
            }
            if (closed || blocked != b) {
                reply.release();
                return;
            }
            asyncBufs.add(reply);
            wBuf[b.slot] = reply;
            wStart[b.slot] = 0;
            wEnd[b.slot] = wQuiet[b.slot] ? 0 : reply.writerIndex(); // CLIENT REPLY OFF when it was sent
            blocked = null;
            completeWindowIfDone();
        });
    }

    /** On the home loop: the deadline passed before anything served the client. */
    private void timeoutBlocked(BlockedClient b) {
        while (!b.state.compareAndSet(BlockedClient.WAITING, BlockedClient.DONE)) {
            int s = b.state.get();
            if (s == BlockedClient.DONE) return;
            if (s == BlockedClient.SERVING) {
                // A shard is running it right now: look again once that is over.
                scheduleTimeout(b, 1);
                return;
            }
        }
        unregisterAll(b);
        unblocked(b, timeoutReply(b), "");
    }

    private static ByteBuf timeoutReply(BlockedClient b) {
        byte[] nil = b.protocol == 3 ? Replies.NULL3 : b.onTimeout == TimeoutReply.NULL_BULK ? Replies.NULL_BULK : Replies.NULL_ARRAY;
        return Unpooled.buffer(nil.length).writeBytes(nil);
    }

    private static final String UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

    /**
     * CLIENT UNBLOCK, from any thread: ends the wait at once with the timeout reply, or with
     * {@code error} the UNBLOCKED error. False when the client is not blocked (or a shard is
     * serving it right now, which answers it anyway).
     */
    public boolean unblock(boolean error) {
        KeylessWait w = keylessWait.get();
        if (w != null && keylessWait.compareAndSet(w, null)) {
            w.reply().accept(error ? ("-" + UNBLOCKED + "\r\n").getBytes(StandardCharsets.US_ASCII) : w.onTimeout());
            return true;
        }
        BlockedClient b = blocked;
        if (b == null || !b.state.compareAndSet(BlockedClient.WAITING, BlockedClient.DONE)) return false;
        unregisterAll(b);
        ByteBuf r = error ? Unpooled.copiedBuffer("-" + UNBLOCKED + "\r\n", StandardCharsets.US_ASCII) : timeoutReply(b);
        unblocked(b, r, error ? UNBLOCKED : "");
        return true;
    }

    /** The client went away (disconnect, CLIENT KILL): no shard may serve it any more. */
    private void abandonBlocked() {
        BlockedClient b = blocked;
        if (b == null) return;
        b.gone = true;
        if (b.state.compareAndSet(BlockedClient.WAITING, BlockedClient.DONE)) unregisterAll(b);
    }

    /** Removes b from every key's waiters, each on its own shard's loop. */
    private static void unregisterAll(BlockedClient b) {
        for (BlockedClient.Key k : b.keys) {
            Shard s = k.shard();
            s.loop().execute(() -> s.runOrDefer(() -> s.blocking.unregister(k.db(), k.key(), b)));
        }
    }

    /** Blocked clients counted for INFO and CLIENT LIST (this connection: 0 or 1). */
    public boolean isBlocked() { return blocked != null || paused || keylessWait.get() != null; }

    /**
     * For a command of this connection's own loop (a {@code connection} row) whose answer comes
     * later (SAVE): the window waits for it, keeping later replies in order. The returned
     * function takes the encoded reply, from any thread, exactly once.
     */
    public java.util.function.Consumer<byte[]> deferReply(CommandContext c) {
        assert home.inLoop();
        int slot = c.slot();
        pending++;
        if (firstBuffered < 0 || firstBuffered > slot) firstBuffered = slot;
        return bytes -> home.loop().execute(() -> {
            if (closed) {
                pending--;
                return;
            }
            ByteBuf b = Unpooled.wrappedBuffer(bytes);
            asyncBufs.add(b);
            wBuf[slot] = b;
            wStart[slot] = 0;
            wEnd[slot] = bytes.length;
            pending--;
            completeWindowIfDone();
        });
    }

    /**
     * Blocks the running {@code connection} command on nothing but time (WAIT with no replica to
     * wait for): the client's later commands wait; after {@code timeoutMs} (0: never) or CLIENT
     * UNBLOCK ... TIMEOUT it answers {@code onTimeout}, with CLIENT UNBLOCK ... ERROR the
     * UNBLOCKED error. On the home loop.
     */
    public void waitWithoutKeys(CommandContext c, long timeoutMs, byte[] onTimeout) {
        KeylessWait w = new KeylessWait(deferReply(c), onTimeout);
        keylessWait.set(w);
        if (timeoutMs > 0) {
            home.loop().schedule(() -> {
                if (keylessWait.compareAndSet(w, null)) w.reply().accept(w.onTimeout());
            }, timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    // ------------------------------------------------------------------ pub/sub

    public Subscriptions subscriptions() { return subscriptions; }

    /**
     * Sends a pub/sub push from any thread. It goes through this connection's loop as a task, so
     * it never overtakes replies that loop has written but not yet flushed.
     */
    @Override
    public void push(byte[] frame) {
        channel.eventLoop().execute(() -> {
            if (channel.isActive()) {
                node.netOutputBytes.add(frame.length);
                channel.writeAndFlush(Unpooled.wrappedBuffer(frame));
            }
        });
    }

    // ------------------------------------------------------------------ CLIENT PAUSE

    /** Whether command {@code spec} must wait for CLIENT UNPAUSE now (Redis's processCommand check). */
    private boolean pausedNow(CommandSpec spec, int fa, int argc) {
        ClientPause pause = node.clientPause();
        if (!pause.active()) return false;
        boolean execWrites = false, scriptWrites = false;
        if (spec.is(CommandFlags.EXEC) && multi != null) {
            CommandBuffer q = multi.args;
            for (int j = 0; j < multi.count() && !execWrites; j++) {
                CommandSpec s = multi.specs.get(j);
                execWrites = s.is(CommandFlags.SCRIPT) ? node.scripting().mayWrite(s, q, q.firstArg(j), q.argc(j))
                        : s.is(CommandFlags.WRITE | CommandFlags.MAY_REPLICATE);
            }
        } else if (spec.is(CommandFlags.SCRIPT)) {
            scriptWrites = node.scripting().mayWrite(spec, cmds, fa, argc);
        }
        return pause.holds(spec, execWrites, scriptWrites);
    }

    /**
     * Command i waits (Redis's BLOCKED_POSTPONE): the window stops before it, replies of the
     * commands before it go out, and it is dispatched again once the pause ends.
     */
    private void waitForUnpause(int i, boolean quiet) {
        pausedAt = i;
        pausedQuiet = quiet;
        next = i;
        paused = true;
        ClientPause pause = node.clientPause();
        pause.await(this);
        long delay = Math.max(0, pause.endMs() - System.currentTimeMillis()) + 1;
        home.loop().schedule(this::resumeAfterPause, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** From any thread: the pause ended (CLIENT UNPAUSE). */
    void wakeFromPause() { home.loop().execute(this::resumeAfterPause); }

    /** On the home loop: the waiting command is dispatched again (and may wait again). */
    private void resumeAfterPause() {
        if (pausedAt < 0 || closed) return;
        pausedAt = -1;
        paused = false;
        node.clientPause().done(this);
        resumeFromPause = true;
        if (pending > 0) return; // the window goes on when the work before the command is done
        if (firstBuffered >= 0) mergeBuffered();
        process();
        flush();
    }

    // ------------------------------------------------------------------ client-side caching

    public ClientTracking tracking() { return tracking; }

    /**
     * At dispatch: whether command i's reads are remembered (the OPTIN/OPTOUT rule reads CLIENT
     * CACHING, which applies to one command, or to the whole of a MULTI ... EXEC, as Redis's
     * resetClient keeps it for CLIENT itself and inside a transaction).
     */
    private void trackReads(int i, CommandSpec spec) {
        boolean remember = tracking.remembersNextRead();
        wTrack[i] = remember;
        trackOutsideWindow = remember;
        if (tracking.caching()) {
            boolean client = spec.parent != null && spec.parent.name.equals("client");
            if (!client && !spec.name.equals("multi")) tracking.caching(false);
        }
    }

    /**
     * Whether the reads of the running command are remembered: window command {@code slot}, or
     * (slot -1) a command run inside the one being dispatched (EXEC's queue, a script's calls),
     * for which nothing else of the window runs meanwhile.
     */
    public boolean tracksReads(int slot) { return slot >= 0 && slot < wTrack.length ? wTrack[slot] : trackOutsideWindow; }

    /**
     * From any thread: keys this client may cache changed ({@code keys} null: all of them). The
     * message is built on this client's loop, where its protocol and subscriptions are known: a
     * RESP3 push, or, when this client receives another's invalidations ({@code redirected}) and
     * is subscribed, a RESP2 message on __redis__:invalidate; nothing for a plain RESP2 client.
     */
    public void invalidate(byte[][] keys, boolean redirected, boolean afterOwnCommand) {
        if (captureThread == Thread.currentThread()) {
            byte[] frame = InvalidationFrames.invalidate(protocol, redirected && subscriptions.active(), keys);
            if (frame != null) captureTarget.writeBytes(frame);
            return;
        }
        Runnable send = () -> {
            byte[] frame = InvalidationFrames.invalidate(protocol, redirected && subscriptions.active(), keys);
            if (frame != null) sendPush(frame, afterOwnCommand);
        };
        // Another client's change made on this loop goes out at once, as Redis writes it into the
        // output buffer at once: a later request of this client then reads it first.
        if (home.inLoop() && !afterOwnCommand) send.run();
        else queuePush(send);
    }

    /** From any thread: the client invalidations were redirected to has gone (RESP3 clients are told). */
    public void trackingRedirectBroken(long redirect, boolean afterOwnCommand) {
        if (captureThread == Thread.currentThread()) {
            if (protocol == 3) captureTarget.writeBytes(InvalidationFrames.redirectBroken(redirect));
            return;
        }
        Runnable send = () -> {
            if (protocol == 3) sendPush(InvalidationFrames.redirectBroken(redirect), afterOwnCommand);
        };
        if (home.inLoop() && !afterOwnCommand) send.run();
        else queuePush(send);
    }

    /**
     * From another thread: a push for this client. It goes out from the home loop's task queue,
     * or, if a request of this client is read first, before that request runs: the loop may read
     * input before it runs its tasks, and a request sent after the change must see it first.
     */
    private void queuePush(Runnable send) {
        incomingPushes.add(send);
        if (pushDrainScheduled.compareAndSet(false, true)) home.loop().execute(this::drainPushes);
    }

    private void drainPushes() {
        pushDrainScheduled.set(false);
        for (Runnable r; (r = incomingPushes.poll()) != null; ) r.run();
    }

    /**
     * Around the eviction that runs before this client's command (on the thread running it): its
     * invalidations for this client go into {@code target} ahead of the command's reply, as Redis
     * sends them before the reply (null ends it).
     */
    public void capturePushes(ByteBuf target) {
        captureTarget = target;
        captureThread = target == null ? null : Thread.currentThread();
    }

    /**
     * On the home loop: sends a push now, or after the replies of the window it must not overtake:
     * any reply still held back (the push may be about a key a pending read returned), and for a
     * push caused by this client's own command, that command's reply (Redis's
     * tracking_pending_keys), even while it is blocked.
     */
    private void sendPush(byte[] frame, boolean afterOwnCommand) {
        if (closed || chctx == null) return;
        BlockedClient b = blocked;
        boolean held = firstBuffered >= 0 && (afterOwnCommand || b == null || firstBuffered < b.slot);
        // Inside process() a reply may be half written into the outbound buffer: after it, then.
        if (held || processing || !heldPushes.isEmpty()) {
            heldPushes.add(new HeldPush(frame, afterOwnCommand));
            return;
        }
        reply().writeBytes(frame);
        flush();
    }

    /** After the held replies went out: the pushes that waited for them follow. */
    private void releaseHeldPushes(ByteBuf o) {
        if (heldPushes.isEmpty()) return;
        for (HeldPush p : heldPushes) o.writeBytes(p.frame());
        heldPushes.clear();
    }

    // ------------------------------------------------------------------ MULTI / EXEC / WATCH

    public boolean inMulti() { return multi != null; }

    public void startMulti() { multi = new MultiState(); }

    public void discardMulti() { multi = null; }

    /** Queues a command between MULTI and EXEC, or refuses it (and so dooms the EXEC). */
    private void queueInMulti(int i, CommandSpec spec, int fa, int argc, boolean quiet) {
        ByteBuf target = homeTarget(i);
        int start = target.writerIndex();
        // During a busy script holding this client's shard, Redis refuses what it would refuse
        // outside MULTI (BUSY) and so dooms the EXEC: half a transaction never runs.
        String busy = spec.is(CommandFlags.ALLOW_BUSY) ? null : home.busyReply();
        if (spec.is(CommandFlags.NO_MULTI) || busy != null) {
            multi.aborted = true;
            home.stats.rejected[spec.id]++;
            home.ctx.bind(node, cmds, fa, argc, spec, home, null, db, this, target, protocol)
                    .reply().error(busy != null ? busy : "ERR Command not allowed inside a transaction");
        } else {
            multi.queue(cmds, fa, argc, spec);
            target.writeBytes(Replies.QUEUED);
        }
        if (quiet) target.writerIndex(start);
        recordHome(i, target, start);
    }

    /**
     * The shards EXEC must hold: those of every queued command's keys and of every watched key,
     * all of them when a queued command reads every shard, and at least the client's own.
     */
    private Shard[] execParticipants() {
        boolean[] use = new boolean[node.shards().length];
        for (WatchedKey w : watchedKeys) use[w.shard().id()] = true;
        CommandBuffer q = multi.args;
        for (int j = 0; j < multi.count(); j++) {
            CommandSpec spec = multi.specs.get(j);
            int fa = q.firstArg(j), argc = q.argc(j);
            if (spec.allShards(q, fa, argc)) return node.shards();
            if (spec.router != null) {
                int s = spec.router.shard(q, fa, argc, use.length);
                if (s >= 0) use[s] = true;
                continue;
            }
            int n = spec.keyPositions(q, fa, argc, keyPos);
            if (n > keyPos.length) {
                keyPos = new int[Integer.highestOneBit(n) * 2];
                n = spec.keyPositions(q, fa, argc, keyPos);
            }
            for (int k = 0; k < n; k++) {
                int a = fa + keyPos[k];
                use[node.shardIndexOfSlot(KeySlot.slot(q.data(), q.offset(a), q.length(a)))] = true;
            }
        }
        int count = 0;
        for (boolean u : use) if (u) count++;
        if (count == 0) return new Shard[] {home};
        Shard[] out = new Shard[count];
        for (int s = 0, j = 0; s < use.length; s++) if (use[s]) out[j++] = node.shard(s);
        return out;
    }

    /**
     * EXEC's body, run by its handler with every participant held (see {@link #execParticipants}):
     * EXECABORT if a command was refused while queued, a nil array if a watched key changed or
     * expired, otherwise every queued command's reply in an array. Ends the transaction and the
     * watches either way.
     */
    public void runExec(CommandContext c) {
        MultiState m = multi;
        try {
            if (m.aborted) throw new RedisError("EXECABORT Transaction discarded because of previous errors.");
            Reply r = c.reply();
            if (watchDirty() || watchedKeyExpired()) {
                r.nullArray();
                return;
            }
            r.arrayHeader(m.count());
            for (int j = 0; j < m.count(); j++) {
                // SELECT or HELLO inside the transaction change what later commands see, as in Redis.
                if (node.scriptThread().inThread()) {
                    node.scriptThread().run(this, c.shard(), m.args, m.args.firstArg(j), m.args.argc(j), m.specs.get(j),
                            db, protocol, r.buffer(), c.held(), false, true, true);
                } else {
                    CommandRunner.run(this, c.shard(), m.args, m.args.firstArg(j), m.args.argc(j), m.specs.get(j), db,
                            protocol, r.buffer(), c.held(), false, true);
                }
            }
        } finally {
            multi = null;
            unwatchAll();
        }
    }

    /** WATCH of one key, on the thread that owns {@code d}'s shard. */
    public void watch(Db d, byte[] key) {
        long epoch = watchState.get() >>> 1;
        d.watch(key, this, epoch);
        watchedKeys.add(new WatchedKey(node.shard(d.shard()), d.index, key, d.expiredButPresent(key)));
    }

    /** True when a watched key changed since WATCH (EXEC will fail). */
    public boolean watchDirty() { return (watchState.get() & 1) != 0; }

    @Override
    public void watchedKeyTouched(long epoch) {
        long s;
        do {
            s = watchState.get();
            if (s >>> 1 != epoch || (s & 1) != 0) return; // an older epoch, or already dirty
        } while (!watchState.compareAndSet(s, s | 1));
    }

    /** Redis's isWatchedKeyExpired: a key live at WATCH whose expiry has passed since. */
    private boolean watchedKeyExpired() {
        for (WatchedKey w : watchedKeys) {
            if (!w.expiredAtWatch() && w.shard().keyspace().db(w.db()).expiredButPresent(w.key())) return true;
        }
        return false;
    }

    /**
     * Forgets every watch: a new epoch (clearing the dirty bit) makes shards ignore the old
     * registrations at once; each shard then drops them on its own loop.
     */
    public void unwatchAll() {
        long ended = watchState.get() >>> 1;
        watchState.set((ended + 1) << 1);
        for (WatchedKey w : watchedKeys) {
            Shard s = w.shard();
            s.loop().execute(() -> s.runOrDefer(() -> s.keyspace().db(w.db()).unwatch(w.key(), this, ended)));
        }
        watchedKeys.clear();
    }

    private Shard[] shardsOfKeys(int fa, int n) {
        boolean[] seen = new boolean[node.shards().length];
        int count = 0;
        for (int k = 0; k < n; k++) {
            int a = fa + keyPos[k];
            int s = node.shardIndexOfSlot(KeySlot.slot(cmds.data(), cmds.offset(a), cmds.length(a)));
            if (!seen[s]) {
                seen[s] = true;
                count++;
            }
        }
        Shard[] out = new Shard[count];
        for (int s = 0, j = 0; s < seen.length; s++) if (seen[s]) out[j++] = node.shard(s);
        return out;
    }

    private String unknownCommand(int fa, int argc) {
        StringBuilder args = new StringBuilder();
        for (int a = 1; a < argc && args.length() < 128; a++) {
            String s = cmds.argString(fa + a);
            int room = 128 - args.length();
            args.append('\'').append(s, 0, Math.min(s.length(), room)).append("' ");
        }
        return "ERR unknown command '" + clip(cmds.argString(fa)) + "', with args beginning with: " + args;
    }

    private static String clip(String s) { return s.length() > 128 ? s.substring(0, 128) : s; }

    /** Where a reply produced on the home loop goes: straight out, or kept for ordering. */
    private ByteBuf homeTarget(int i) {
        if (firstBuffered < 0) return reply();
        if (localBuf == null) localBuf = chctx.alloc().heapBuffer(256);
        return localBuf;
    }

    private void recordHome(int i, ByteBuf target, int start) {
        wBuf[i] = target;
        wStart[i] = start;
        wEnd[i] = target.writerIndex();
        if (target == out && out.readableBytes() > OUT_CHUNK) {
            chctx.write(out);
            out = null;
        }
    }

    private void runHome(int i) { runHome(i, false); }

    private void runHome(int i, boolean connectionCommand) {
        boolean gate = !connectionCommand && repliesWaitForDisk(); // writes and EXEC; reads pass at once
        if (gate && firstBuffered < 0) firstBuffered = i; // keep the reply back until it is durable
        ByteBuf target = homeTarget(i);
        io.moon.node.persist.Propagator prop = home.propagator();
        long epoch = prop == null ? 0 : prop.epoch();
        execute(home, i, target, null);
        if (gate && prop.epoch() != epoch) {
            pending++;
            whenWritesDurable(prop, epoch, () -> home.loop().execute(asyncDone));
        }
        if (connectionCommand && (replyOff || replySkip) && !wSpec[i].is(CommandFlags.PUSH_REPLY)) {
            target.writerIndex(wStart[i]);
            wEnd[i] = wStart[i];
        }
        if (target == out && out.readableBytes() > OUT_CHUNK) {
            chctx.write(out);
            out = null;
        }
    }

    /** The start of every barrier: batches so far go out, and command i gets its own reply buffer. */
    private ByteBuf barrierBuffer(int i) {
        if (firstBuffered < 0) firstBuffered = i;
        sendBatches();
        pending++;
        ByteBuf buf = chctx.alloc().heapBuffer(64);
        asyncBufs.add(buf);
        return buf;
    }

    private void barrier(int i, Shard[] participants) {
        ByteBuf buf = barrierBuffer(i);
        Shard homeShard = home;
        MultiShardTx.Body body = executing -> {
            io.moon.node.persist.Propagator prop = executing.propagator();
            long epoch = prop == null ? 0 : prop.epoch();
            try {
                execute(executing, i, buf, participants);
            } finally {
                whenWritesDurable(prop, epoch, () -> homeShard.loop().execute(asyncDone));
            }
        };
        if (wSpec[i].is(CommandFlags.EXEC | CommandFlags.ALLOW_BUSY)) {
            MultiShardTx.schedule(participants, body);
        } else {
            MultiShardTx.schedule(participants, body, (executing, busy) -> {
                try {
                    refuseBusy(executing, i, buf, busy);
                } finally {
                    homeShard.loop().execute(asyncDone);
                }
            });
        }
    }

    /**
     * Runs command {@code i} (EVAL, FCALL, FUNCTION LOAD..., an EXEC that queued one, MIGRATE) on
     * the node's script thread once its shards are held (see {@link ScriptThread}), as if on
     * {@code exec}, one of them.
     */
    private void scriptBarrier(int i, Shard[] participants, Shard exec) {
        ByteBuf buf = barrierBuffer(i);
        Shard homeShard = home;
        ScriptThread scripts = node.scriptThread();
        MultiShardTx.scheduleAsync(participants, (executing, release) -> scripts.submit(() -> {
            // The script's writes are logged through the script thread's own propagator.
            io.moon.node.persist.Propagator prop = node.persistence() == null ? null
                    : Propagation.propagator(node, exec);
            long epoch = prop == null ? 0 : prop.epoch();
            try {
                int start = buf.writerIndex();
                scripts.run(this, exec, cmds, cmds.firstArg(i), cmds.argc(i), wSpec[i], wDb[i], wProto[i], buf,
                        participants, wQuiet[i], false, true);
                wBuf[i] = buf;
                wStart[i] = start;
                wEnd[i] = buf.writerIndex();
            } finally {
                // Each shard serves clients blocked on keys the script made ready as it is released.
                release.run();
                whenWritesDurable(prop, epoch, () -> homeShard.loop().execute(asyncDone));
            }
        }), (executing, busy) -> {
            try {
                refuseBusy(executing, i, buf, busy);
            } finally {
                homeShard.loop().execute(asyncDone);
            }
        });
    }

    /** The shards plus the client's own (a script may run keyless commands there). */
    /**
     * The shards a script command holds: those of its declared keys and the client's own; every
     * shard when it runs a script that declares no keys (EVAL ... 0), so that such a script may
     * touch any key as in Redis, at the price of stopping the whole node while it runs.
     */
    private Shard[] scriptShards(int fa, int argc, CommandSpec spec, CommandBuffer args) {
        if (MultiState.runsKeylessScript(spec, args, fa, argc)) return node.shards();
        return withHome(shardsOfCommand(fa, argc, spec));
    }

    private Shard[] withHome(Shard[] shards) {
        for (Shard s : shards) if (s == home) return shards;
        Shard[] out = Arrays.copyOf(shards, shards.length + 1);
        out[shards.length] = home;
        return out;
    }

    /**
     * Answers command {@code i} with the BUSY error instead of running it (a busy script holds a
     * shard it needs), on the thread of {@code executing}, whose statistics count the refusal.
     */
    void refuseBusy(Shard executing, int i, ByteBuf target, String busy) {
        int start = target.writerIndex();
        if (!wQuiet[i]) {
            target.writeByte('-');
            target.writeCharSequence(busy, StandardCharsets.US_ASCII);
            target.writeByte('\r').writeByte('\n');
        }
        executing.stats.rejected[wSpec[i].id]++;
        executing.stats.error(busy);
        wBuf[i] = target;
        wStart[i] = start;
        wEnd[i] = target.writerIndex();
    }

    private void sendBatches() {
        if (batches == null) return;
        for (ShardBatch b : batches) {
            if (b != null && b.count > 0 && !b.sent) {
                pending++;
                b.send();
            }
        }
    }

    /**
     * Runs command {@code i} of the window on the calling thread, which owns {@code exec} (and,
     * for a multi-shard command, holds every shard of {@code held}; null for one shard). Writes
     * its reply into {@code target} and records the reply's slice.
     */
    void execute(Shard exec, int i, ByteBuf target, Shard[] held) {
        int start = target.writerIndex();
        boolean blockedNow = CommandRunner.run(this, exec, cmds, cmds.firstArg(i), cmds.argc(i), wSpec[i], wDb[i],
                wProto[i], target, held, wQuiet[i], false, i, null);
        // A blocked command's reply comes later (unblocked); it may even have come already.
        if (blockedNow) return;
        wBuf[i] = target;
        wStart[i] = start;
        wEnd[i] = target.writerIndex();
    }

    /** On the home loop: one batch or transaction finished. */
    private void onAsyncDone() {
        pending--;
        completeWindowIfDone();
    }

    /** When nothing of the window is pending any more: replies out in order, then go on. */
    private void completeWindowIfDone() {
        if (pending > 0) return;
        BlockedClient b = blocked;
        if (b != null) {
            if (!closed) sendRepliesBefore(b.slot);
            return;
        }
        if (pausedAt >= 0) {
            if (!closed) sendRepliesBefore(pausedAt);
            return;
        }
        if (closed) {
            releaseWindow();
            unwatchAll();
            return;
        }
        mergeBuffered();
        process();
        flush();
    }

    /** While a command is blocked: the replies of the commands before it go out now, as Redis sends them. */
    private void sendRepliesBefore(int slot) {
        if (firstBuffered < 0 || firstBuffered >= slot) return;
        ByteBuf o = reply();
        for (int j = firstBuffered; j < slot; j++) {
            if (wBuf[j] != null) o.writeBytes(wBuf[j], wStart[j], wEnd[j] - wStart[j]);
            wBuf[j] = null;
        }
        firstBuffered = slot;
        releaseHeldPushes(o);
        flush();
    }

    /** Copies the kept replies of the window out in request order and frees their buffers. */
    private void mergeBuffered() {
        ByteBuf o = reply();
        for (int j = firstBuffered; j < next; j++) {
            if (wBuf[j] != null) o.writeBytes(wBuf[j], wStart[j], wEnd[j] - wStart[j]);
        }
        releaseWindow();
        releaseHeldPushes(o);
    }

    // ------------------------------------------------------------------ appendfsync always

    /** True when writes must be durable before their replies go out. */
    private boolean repliesWaitForDisk() {
        var p = node.persistence();
        return p != null && p.wal(0).policy() == io.moon.node.persist.wal.FsyncPolicy.ALWAYS;
    }

    /**
     * Runs {@code then} once everything {@code prop} wrote since {@code epochBefore} is durable
     * (at once when it wrote nothing, or the policy does not wait). Callable on any thread;
     * {@code then} runs on a log writer thread or the caller's.
     */
    private void whenWritesDurable(io.moon.node.persist.Propagator prop, long epochBefore, Runnable then) {
        if (prop == null || prop.epoch() == epochBefore || !repliesWaitForDisk()) {
            then.run();
            return;
        }
        var p = node.persistence();
        int n = p.shards();
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(n);
        for (int s = 0; s < n; s++) {
            p.wal(s).whenDurable(prop.lastLsn(s), () -> {
                if (left.decrementAndGet() == 0) then.run();
            });
        }
    }

    /** Frees the buffers the window kept for ordering. */
    private void releaseWindow() {
        for (ByteBuf b : asyncBufs) b.release();
        asyncBufs.clear();
        if (batches != null) for (ShardBatch b : batches) if (b != null) b.reset();
        if (localBuf != null) {
            localBuf.release();
            localBuf = null;
        }
        Arrays.fill(wBuf, null);
        firstBuffered = -1;
    }

    private void ensureWindow(int n) {
        if (wSpec.length >= n) return;
        int size = Integer.highestOneBit(n - 1) * 2;
        wSpec = new CommandSpec[size];
        wDb = new int[size];
        wProto = new int[size];
        wQuiet = new boolean[size];
        wTrack = new boolean[size];
        wBuf = new ByteBuf[size];
        wStart = new int[size];
        wEnd = new int[size];
    }

    /** The outbound buffer of the current flush. */
    private ByteBuf reply() {
        if (out == null) out = chctx.alloc().ioBuffer(1024);
        return out;
    }

    private void flush() {
        if (out != null && chctx != null) {
            if (out.isReadable()) {
                node.netOutputBytes.add(out.readableBytes());
                chctx.writeAndFlush(out);
            } else {
                out.release();
            }
            out = null;
        } else if (chctx != null) {
            chctx.flush();
        }
    }

    /** Commands of one window bound for one other shard, run there as one task. */
    private final class ShardBatch implements Runnable {
        private final Shard target;
        private int[] items = new int[8];
        private int count;
        private ByteBuf buf;
        /** Sent and not yet reset: a barrier sends batches early, the window's end must not resend. */
        private boolean sent;

        ShardBatch(Shard target) { this.target = target; }

        void add(int i) {
            if (count == items.length) items = Arrays.copyOf(items, count * 2);
            items[count++] = i;
        }

        void send() {
            sent = true;
            buf = chctx.alloc().heapBuffer(256);
            asyncBufs.add(buf);
            target.loop().execute(this);
        }

        @Override
        public void run() {
            Runnable work = () -> {
                target.keyspace().updateClock();
                io.moon.node.persist.Propagator prop = target.propagator();
                long epoch = prop == null ? 0 : prop.epoch();
                try {
                    for (int k = 0; k < count; k++) execute(target, items[k], buf, null);
                } finally {
                    whenWritesDurable(prop, epoch, () -> home.loop().execute(asyncDone));
                }
            };
            boolean allowBusy = false;
            for (int k = 0; k < count; k++) allowBusy |= wSpec[items[k]].is(CommandFlags.ALLOW_BUSY);
            if (allowBusy) {
                // A command Redis runs during a busy script (WATCH...) still needs the data here.
                target.runOrDefer(work);
                return;
            }
            target.runOrRefuse(work, busy -> {
                try {
                    for (int k = 0; k < count; k++) refuseBusy(target, items[k], buf, busy);
                } finally {
                    home.loop().execute(asyncDone);
                }
            });
        }

        void reset() {
            count = 0;
            sent = false;
            buf = null;
        }
    }
}
