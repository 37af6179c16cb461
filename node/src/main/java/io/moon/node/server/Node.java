package io.moon.node.server;

import io.moon.node.cluster.KeySlot;
import io.moon.node.command.CommandTable;
import io.moon.node.command.Commands;
import io.moon.node.command.MigrateSockets;
import io.moon.node.config.ServerConfig;
import io.moon.node.persist.DataDir;
import io.moon.node.persist.Persistence;
import io.moon.node.persist.wal.FsyncPolicy;
import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.pubsub.PubSub;
import io.moon.node.server.tracking.Tracking;
import io.moon.node.store.Entries;
import io.moon.node.store.Keyspace;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running data node: its settings, command table, shards (one per event loop), listening
 * sockets and the registry of connected clients.
 */
public final class Node {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final ServerConfig config;
    private final CommandTable commands;
    private Shard[] shards;
    /** slot -> shard index; contiguous ranges of slots per shard. */
    private final short[] slotShard = new short[KeySlot.SLOTS];
    private final Map<EventLoop, Shard> shardByLoop = new IdentityHashMap<>();
    private MultiThreadIoEventLoopGroup group;
    /**
     * Accepts connections and owns the listening sockets. Apart from the shard loops so that
     * CONFIG SET port/bind, which runs on a shard loop, can wait for a bind or close to finish.
     */
    private MultiThreadIoEventLoopGroup acceptor;
    private final List<Channel> listeners = new ArrayList<>();
    private Transport transport;
    private int port;

    final Map<Long, Connection> clients = new ConcurrentHashMap<>();
    final List<Connection> monitors = new CopyOnWriteArrayList<>();
    final AtomicLong nextClientId = new AtomicLong(1);
    /** A connection's CLIENT ID, given on the acceptor thread so that ids follow accept order. */
    static final io.netty.util.AttributeKey<Long> CLIENT_ID = io.netty.util.AttributeKey.valueOf("moon.clientId");
    public final LongAdder totalConnections = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    private final SlowLog slowLog = new SlowLog();
    private final PubSub pubsub = new PubSub();
    private final Tracking tracking = new Tracking(clients);
    private final ClientPause clientPause = new ClientPause();
    private final io.moon.node.metrics.LatencyMonitor latencyMonitor;
    private volatile Persistence persistence;
    private final KeyspaceEvents keyspaceEvents;
    private final long startMs = System.currentTimeMillis();
    private final String runId = HexFormat.of().formatHex(new SecureRandom().generateSeed(20));
    /** Replication id (INFO master_replid); a new one per start until replication keeps its own. */
    private final String replicationId = HexFormat.of().formatHex(new SecureRandom().generateSeed(20));
    private final InstantaneousMetrics metrics = new InstantaneousMetrics();
    private final MigrateSockets migrateSockets = new MigrateSockets();
    private volatile long peakMemory;
    /** False after DEBUG SET-ACTIVE-EXPIRE 0: shards stop their active expire cycle. */
    private volatile boolean activeExpire = true;
    private ServerBootstrap bootstrap;
    /** The port and bind list the listeners were opened with (the setting may say port 0). */
    private int listenPort;
    private String listenBind;
    private volatile long statResetMs = startMs;
    private volatile Runnable shutdownHook = () -> {};
    private ScriptThread scriptThread;
    private io.moon.node.script.Scripting scripting;

    public Node(ServerConfig config) {
        this.config = config;
        this.commands = Commands.table();
        this.keyspaceEvents = new KeyspaceEvents(config, pubsub);
        this.latencyMonitor = new io.moon.node.metrics.LatencyMonitor(config);
        io.moon.node.persist.ValueCodec.follow(config);
    }

    public ServerConfig config() { return config; }
    public CommandTable commands() { return commands; }
    public Shard[] shards() { return shards; }
    public Shard shard(int i) { return shards[i]; }
    public SlowLog slowLog() { return slowLog; }
    public PubSub pubsub() { return pubsub; }
    /** Client-side caching (CLIENT TRACKING) for the whole node. */
    public Tracking tracking() { return tracking; }
    /** CLIENT PAUSE state. */
    public ClientPause clientPause() { return clientPause; }
    /** LATENCY's event monitor and the latency-tracking settings. */
    public io.moon.node.metrics.LatencyMonitor latencyMonitor() { return latencyMonitor; }
    public KeyspaceEvents keyspaceEvents() { return keyspaceEvents; }
    public Transport transport() { return transport; }
    public int port() { return port; }
    public long startMs() { return startMs; }
    public String runId() { return runId; }
    public Map<Long, Connection> clients() { return clients; }
    public List<Connection> monitors() { return monitors; }
    public long statResetMs() { return statResetMs; }
    public void statsReset() { statResetMs = System.currentTimeMillis(); }
    public String replicationId() { return replicationId; }
    public InstantaneousMetrics metrics() { return metrics; }
    /** MIGRATE's connections kept for reuse. */
    public MigrateSockets migrateSockets() { return migrateSockets; }
    public boolean activeExpire() { return activeExpire; }
    public void activeExpire(boolean on) { activeExpire = on; }
    /** Command statistics of every thread that runs commands: each shard's, then the script thread's. */
    public List<CommandStats> commandStats() {
        List<CommandStats> all = new ArrayList<>(shards.length + 1);
        for (Shard s : shards) all.add(s.stats);
        if (scriptThread != null) all.add(scriptThread.stats);
        return all;
    }

    /** The thread every Lua script runs on. */
    public ScriptThread scriptThread() { return scriptThread; }
    /** EVAL scripts, function libraries and the Lua states that run them. */
    public io.moon.node.script.Scripting scripting() { return scripting; }

    /**
     * Memory as INFO used_memory reports it: every shard's data plus {@link #BASELINE_MEMORY}.
     * Reads other shards' counters without holding them: exact only when the caller holds every
     * shard (INFO does), a recent value otherwise.
     */
    public long usedMemory() {
        long sum = BASELINE_MEMORY;
        for (Shard s : shards) sum += s.keyspace().usedMemory();
        return sum;
    }

    /**
     * What an empty node reports as used_memory: a fixed stand-in for the node's own structures
     * (command table, per-shard statistics and scratch, empty database tables), so that an empty
     * node shows a figure of the same order as Redis's (about 0.9 MB) rather than 0. Data
     * accounting (maxmemory, eviction) does not include it.
     */
    public static final long BASELINE_MEMORY = 1L << 20;

    /** Highest used_memory seen by the 100 ms sampler or by INFO; CONFIG RESETSTAT restarts it. */
    public long peakMemory() { return peakMemory; }

    public void notePeakMemory(long used) { if (used > peakMemory) peakMemory = used; }

    public void resetPeakMemory() { peakMemory = 0; }

    /** Total commands run, over every shard (a recent value unless every shard is held). */
    public long totalCommands() {
        long n = scriptThread == null ? 0 : scriptThread.stats.totalCommands;
        for (Shard s : shards) n += s.stats.totalCommands;
        return n;
    }

    public int shardIndexOfSlot(int slot) { return slotShard[slot]; }
    public Shard shardOfSlot(int slot) { return shards[slotShard[slot]]; }

    Shard shardOf(EventLoop loop) { return shardByLoop.get(loop); }

    /** What SHUTDOWN and signals call to stop the process. */
    public void onShutdown(Runnable hook) { this.shutdownHook = hook; }
    public void requestShutdown() { shutdownHook.run(); }

    /** Creates the shards and starts listening. Returns once the sockets are bound. */
    public void start() throws InterruptedException, IOException {
        Path dir = Path.of(config.get("dir"));
        Files.createDirectories(dir);
        int n = config.getInt("shards");
        transport = Transport.choose(config.get("io"));
        group = new MultiThreadIoEventLoopGroup(n, new ShardThreadFactory(), transport.handlerFactory());
        acceptor = new MultiThreadIoEventLoopGroup(1, (java.util.concurrent.ThreadFactory) r -> new Thread(r, "moon-accept"), transport.handlerFactory());
        shards = new Shard[n];
        int i = 0;
        for (var executor : group) {
            EventLoop loop = (EventLoop) executor;
            Keyspace ks = new Keyspace(i, config.getInt("databases"), config);
            ks.expiryListener((db, e) -> keyspaceEvents.publish(KeyspaceEvents.EXPIRED, "expired", db.index, Entries.key(e)));
            ks.notifier(keyspaceEvents);
            ks.frozen(clientPause::active);
            ks.evictionListener((db, e) -> keyspaceEvents.publish(KeyspaceEvents.EVICTED, "evicted", db.index, Entries.key(e)));
            shards[i] = new Shard(i, loop, ks, commands.allWithSubcommands().size(), tracking);
            ks.readyKeys(shards[i].blocking);
            shardByLoop.put(loop, shards[i]);
            i++;
        }
        for (int s = 0; s < KeySlot.SLOTS; s++) slotShard[s] = (short) ((long) s * n / KeySlot.SLOTS);
        scriptThread = new ScriptThread(this, commands.allWithSubcommands().size());
        scripting = new io.moon.node.script.Scripting(this, scriptThread);
        for (Shard s : shards) s.scripts = scriptThread;
        startType = Files.exists(DataDir.cleanShutdownMarker(dir)) ? "clean" : "crash";
        if (config.getBool("appendonly")) openPersistence(dir);
        else openSnapshotsOnly(dir);
        if (!hasData()) startType = "new";
        Files.deleteIfExists(DataDir.cleanShutdownMarker(dir));
        importRedisDump(dir);
        // Background work on the data starts once recovery and any import are done.
        if (snapshots != null) shards[0].loop().scheduleAtFixedRate(this::applySaveRules, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        for (Shard s : shards) s.startCron(this);
        // Shard 0's loop samples the totals; other shards' counters are read racily, which only
        // makes a rate lag by one sample.
        shards[0].loop().scheduleAtFixedRate(() -> {
            metrics.sample(System.currentTimeMillis(), totalCommands(), netInputBytes.sum(), netOutputBytes.sum());
            notePeakMemory(usedMemory());
        }, InstantaneousMetrics.PERIOD_MS, InstantaneousMetrics.PERIOD_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        shards[0].loop().scheduleAtFixedRate(this::closeIdleClients, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        shards[0].loop().scheduleAtFixedRate(migrateSockets::closeIdle, 1, 1, java.util.concurrent.TimeUnit.SECONDS);

        ServerBootstrap b = new ServerBootstrap()
                .group(acceptor, group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, config.getInt("tcp-backlog"))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, config.getInt("tcp-keepalive") > 0)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(4 << 20, 16 << 20))
                .handler(new ClientIds())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Connection(Node.this, ch));
                    }
                });
        bootstrap = b;
        port = listenPort = config.getInt("port");
        listenBind = config.get("bind");
        listeners.addAll(listen(listenBind, port));
        if (port == 0 && !listeners.isEmpty()) port = ((InetSocketAddress) listeners.get(0).localAddress()).getPort();
        // CONFIG SET port/bind: listen on the new addresses first, then close the old listeners;
        // a failure leaves the old ones serving and rolls the setting back.
        config.onChange("port", v -> relisten(config.get("bind"), Integer.parseInt(v), "Unable to listen on this port. Check server logs."));
        config.onChange("bind", v -> relisten(v, config.getInt("port"), "Failed to bind to specified addresses."));
        log.info("Moon node ready: port {}, {} shard(s), {} transport, {} database(s), data in {}",
                port, n, transport.configName, config.getInt("databases"), dir.toAbsolutePath());
    }

    /** Binds every address of a bind list on {@code p}; entries starting with '-' may fail. */
    /**
     * Binds, retrying for a few seconds while the address is in use: right after a process on
     * this port was killed, the kernel may still be tearing down its io_uring and its socket.
     */
    private Channel bindRetrying(InetSocketAddress address) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        while (true) {
            try {
                return bootstrap.bind(address).sync().channel();
            } catch (Exception e) {
                boolean inUse = e instanceof java.net.BindException || String.valueOf(e.getMessage()).contains("in use");
                if (!inUse || address.getPort() == 0 || System.currentTimeMillis() > deadline) throw e;
                Thread.sleep(100);
            }
        }
    }

    private List<Channel> listen(String bindList, int p) throws IOException {
        List<Channel> bound = new ArrayList<>();
        for (String addr : bindList.split("\\s+")) {
            boolean optional = addr.startsWith("-");
            String host = optional ? addr.substring(1) : addr;
            if (host.equals("*")) host = "0.0.0.0";
            try {
                bound.add(bindRetrying(new InetSocketAddress(host, p)));
            } catch (Exception e) {
                if (!optional) {
                    for (Channel ch : bound) ch.close().syncUninterruptibly();
                    throw new IOException("could not listen on " + host + ":" + p + ": " + e.getMessage(), e);
                }
                log.warn("Could not listen on {}:{} ({}), skipped as its bind entry starts with '-'", host, p, e.getMessage());
            }
        }
        return bound;
    }

    private synchronized void relisten(String bindList, int newPort, String failure) {
        if (newPort == listenPort && bindList.equals(listenBind)) return;
        List<Channel> fresh;
        try {
            fresh = listen(bindList, newPort);
        } catch (IOException e) {
            log.warn("{} ({})", failure, e.getMessage());
            throw new IllegalStateException(failure);
        }
        for (Channel ch : listeners) ch.close().syncUninterruptibly();
        listeners.clear();
        listeners.addAll(fresh);
        listenPort = newPort;
        listenBind = bindList;
        port = newPort != 0 || fresh.isEmpty() ? newPort : ((InetSocketAddress) fresh.get(0).localAddress()).getPort();
        log.info("Now listening on port {} ({})", port, bindList);
    }

    /** Redis's clientsCronHandleTimeout: closes clients idle longer than `timeout` seconds. */
    private void closeIdleClients() {
        long timeout = config.getLong("timeout");
        if (timeout <= 0) return;
        long now = System.currentTimeMillis();
        for (Connection c : clients.values()) {
            // Blocked clients wait as long as their own timeout says, as in Redis.
            if (!c.isMonitor() && !c.isBlocked() && now - c.lastInteractionMs() > timeout * 1000) {
                log.debug("Closing idle client {}", c.peer());
                c.close();
            }
        }
    }

    /** Closes the listeners and client connections and stops the loops. */
    public void stop() {
        for (Channel ch : listeners) ch.close().syncUninterruptibly();
        for (Connection c : clients.values()) c.close();
        finalSnapshot();
        cleanStopMarker = snapshots != null && saveOnStop && snapshots.lastOk();
        if (acceptor != null) acceptor.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        if (group != null) group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        // After the loops: nothing appends any more; every record is written and forced.
        if (persistence != null) persistence.close();
        if (cleanStopMarker) {
            try {
                Files.writeString(DataDir.cleanShutdownMarker(Path.of(config.get("dir"))), "clean\n");
            } catch (IOException e) {
                log.warn("Could not mark the clean stop: {}", e.toString());
            }
        }
        if (scriptThread != null) scriptThread.stop();
        migrateSockets.closeAll();
    }

    /**
     * Recovers every shard from its write-ahead log (before the node listens), then opens the
     * logs for new writes. A log damaged in the middle stops start-up unless wal-salvage is on.
     */
    private void openPersistence(Path dir) throws IOException {
        Persistence p = new Persistence(dir, shards.length);
        Replayer replayer = new Replayer(this);
        long now = System.currentTimeMillis();
        p.open(FsyncPolicy.parse(config.get("appendfsync")), config.getBool("wal-salvage"), (shard, db, key, expireAt, value) -> {
            // Keys whose time passed while the node was down are not loaded (as Redis's rdbLoad on a master).
            if (expireAt != io.moon.node.store.Entries.NO_EXPIRE && expireAt < now) return;
            shards[shard].keyspace().db(db).set(io.moon.node.persist.ValueCodec.toEntry(key, value, expireAt));
        }, this::loadSavedLibrary, replayer);
        if (replayer.failures.sum() > 0) log.warn("{} logged command(s) failed to replay; see the errors above", replayer.failures.sum());
        for (Shard s : shards) s.propagator(p.propagator(s.id()));
        config.onChange("appendfsync", v -> p.policy(FsyncPolicy.parse(v)));
        config.onChange("wal-segment-size", v -> p.segmentBytes(Long.parseLong(v)));
        this.persistence = p;
        this.snapshots = new Snapshots(this, p, dir, p.manifest() == null ? startMs : p.manifest().snapshotId());
    }

    /** A function library saved in a snapshot or a Redis dump: loaded on the script thread. */
    private void loadSavedLibrary(byte[] code) {
        scriptThread.runAndWait(() -> scripting.functions().loadSaved(code));
    }

    /** Data changes counted over every shard (read racily; for rates and save rules). */
    public long totalDirty() {
        long d = 0;
        for (Shard s : shards) d += s.keyspace().dirty;
        return d;
    }

    private volatile Snapshots snapshots;

    /** Snapshots (SAVE, BGSAVE...), or null when appendonly is off. */
    public Snapshots snapshots() { return snapshots; }

    /**
     * Moves a Redis user's data in: the file named by import-rdb, or a Redis dump.rdb in the data
     * directory, is loaded when this node has no data of its own, then saved as a snapshot so it is
     * durable. A node that has data ignores a found dump and refuses an asked-for one.
     */
    private void importRedisDump(Path dir) throws IOException {
        String asked = config.get("import-rdb");
        Path file = asked.isEmpty() ? dir.resolve(config.get("dbfilename")) : Path.of(asked);
        if (asked.isEmpty() && !io.moon.node.persist.RdbImport.isRdb(file)) return;
        if (!asked.isEmpty() && !java.nio.file.Files.isRegularFile(file)) throw new IOException("--import-rdb " + file + ": no such file");
        if (hasData()) {
            if (!asked.isEmpty() && io.moon.node.persist.ImportMarker.imported(dir, file)) {
                log.info("{} was imported at an earlier start; starting on this node's own data", file);
                return;
            }
            if (!asked.isEmpty()) throw new IOException("--import-rdb " + file + ": this node already has data in " + dir + "; import into an empty node");
            log.info("{} found but not loaded: this node already has data of its own", file);
            return;
        }
        try {
            io.moon.node.persist.RdbImport.run(file, config.getInt("databases"), (db, key, expireAt, value) ->
                    shardOfSlot(KeySlot.slot(key)).keyspace().db(db).set(io.moon.node.persist.ValueCodec.toEntry(key, value, expireAt)),
                    this::loadSavedLibrary);
        } catch (IOException | RuntimeException e) {
            // What was loaded before the failure must not become this node's data through the
            // final snapshot of the stop that follows: the next start may import again.
            saveOnStop = false;
            throw e;
        }
        if (snapshots != null) {
            java.util.concurrent.CompletableFuture<Boolean> done = new java.util.concurrent.CompletableFuture<>();
            snapshots.start(done::complete);
            try {
                if (!done.get(1, java.util.concurrent.TimeUnit.HOURS)) throw new IOException("the snapshot after the import failed; see the log");
            } catch (InterruptedException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("the snapshot after the import did not finish: " + e);
            }
            if (!asked.isEmpty()) io.moon.node.persist.ImportMarker.write(dir, file);
        }
    }

    private volatile String startType = "new";
    private volatile DataDir.Loaded loadedSnapshot = new DataDir.Loaded(null, 0);

    /** True when start-up found data of this node's own (a snapshot or log records). */
    private boolean hasData() {
        Persistence p = persistence;
        if (p == null) return loadedSnapshot.manifest() != null;
        return p.manifest() != null || java.util.Arrays.stream(p.recovery().records()).sum() > 0;
    }

    /** The snapshot loaded at start without logs (appendonly no); with logs, see the persistence. */
    public DataDir.Loaded loadedSnapshot() { return loadedSnapshot; }

    /** "new" (no data found), "clean" (after a graceful stop) or "crash" (anything else). */
    public String startType() { return startType; }

    /**
     * appendonly no: no logs; snapshots only, as Redis's RDB-only setup. The current snapshot (if
     * any) is loaded; a crash loses the writes since the last snapshot.
     */
    private void openSnapshotsOnly(Path dir) throws IOException {
        DataDir.check(dir, shards.length);
        long now = System.currentTimeMillis();
        DataDir.Loaded loaded = DataDir.loadSnapshots(dir, shards.length, (shard, db, key, expireAt, value) -> {
            if (expireAt != io.moon.node.store.Entries.NO_EXPIRE && expireAt < now) return;
            shards[shard].keyspace().db(db).set(io.moon.node.persist.ValueCodec.toEntry(key, value, expireAt));
        }, this::loadSavedLibrary);
        this.loadedSnapshot = loaded;
        var m = loaded.manifest();
        this.snapshots = new Snapshots(this, null, dir, m == null ? startMs : m.snapshotId());
        // Without logs a graceful stop saves only when save rules are set, as Redis.
        if (config.get("save").isBlank()) saveOnStop = false;
    }

    /** Redis's save rules ("save 900 1 300 10"): snapshot when enough changed for long enough. */
    private void applySaveRules() {
        Snapshots snap = snapshots;
        String rules = config.get("save");
        if (snap == null || rules.isBlank() || snap.running()) return;
        String[] r = rules.trim().split("\\s+");
        long sinceSec = (System.currentTimeMillis() - snap.lastSaveMs()) / 1000;
        long changes = snap.changesSinceSave();
        for (int i = 0; i + 1 < r.length; i += 2) {
            if (sinceSec >= Long.parseLong(r[i]) && changes >= Long.parseLong(r[i + 1])) {
                log.info("{} changes in {} seconds. Saving...", r[i + 1], r[i]);
                snap.start(null);
                return;
            }
        }
    }

    /** Whether stop() takes a final snapshot (SHUTDOWN NOSAVE turns it off). */
    private volatile boolean saveOnStop = true;
    private volatile boolean cleanStopMarker;

    public void saveOnStop(boolean save) { this.saveOnStop = save; }

    /**
     * Graceful stop's snapshot: with it the next start loads the snapshot and replays nothing.
     * Waits up to ten minutes; a failure leaves the logs, which recover anyway.
     */
    private void finalSnapshot() {
        Snapshots snap = snapshots;
        if (snap == null || !saveOnStop) return;
        java.util.concurrent.CompletableFuture<Boolean> done = new java.util.concurrent.CompletableFuture<>();
        log.info("Saving the final snapshot before exit...");
        snap.start(done::complete);
        try {
            if (!done.get(10, java.util.concurrent.TimeUnit.MINUTES)) log.warn("Final snapshot failed; the next start replays the logs");
        } catch (Exception e) {
            log.warn("Final snapshot did not finish: {}", e.toString());
        }
    }

    /** The write-ahead logs, or null when appendonly is off. */
    public Persistence persistence() { return persistence; }

    /** On the listening channels: numbers each accepted connection before a shard loop takes it. */
    @io.netty.channel.ChannelHandler.Sharable
    private final class ClientIds extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            ((Channel) msg).attr(CLIENT_ID).set(nextClientId.getAndIncrement());
            ctx.fireChannelRead(msg);
        }
    }

    /** Names loop threads "moon-shard-N" so stack dumps and profiles read well. */
    private static final class ShardThreadFactory implements java.util.concurrent.ThreadFactory {
        private int next;

        @Override
        public synchronized Thread newThread(Runnable r) {
            Thread t = new io.netty.util.concurrent.FastThreadLocalThread(r, "moon-shard-" + next++);
            t.setDaemon(false);
            return t;
        }
    }
}
