package io.moon.node.server;

import io.moon.node.cluster.KeySlot;
import io.moon.node.command.CommandTable;
import io.moon.node.command.Commands;
import io.moon.node.config.ServerConfig;
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
    private final List<Channel> listeners = new ArrayList<>();
    private Transport transport;
    private int port;

    final Map<Long, Connection> clients = new ConcurrentHashMap<>();
    final List<Connection> monitors = new CopyOnWriteArrayList<>();
    final AtomicLong nextClientId = new AtomicLong(1);
    public final LongAdder totalConnections = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    private final SlowLog slowLog = new SlowLog();
    private final long startMs = System.currentTimeMillis();
    private final String runId = HexFormat.of().formatHex(new SecureRandom().generateSeed(20));
    private volatile long statResetMs = startMs;
    private volatile Runnable shutdownHook = () -> {};

    public Node(ServerConfig config) {
        this.config = config;
        this.commands = Commands.table();
    }

    public ServerConfig config() { return config; }
    public CommandTable commands() { return commands; }
    public Shard[] shards() { return shards; }
    public Shard shard(int i) { return shards[i]; }
    public SlowLog slowLog() { return slowLog; }
    public Transport transport() { return transport; }
    public int port() { return port; }
    public long startMs() { return startMs; }
    public String runId() { return runId; }
    public Map<Long, Connection> clients() { return clients; }
    public List<Connection> monitors() { return monitors; }
    public long statResetMs() { return statResetMs; }
    public void statsReset() { statResetMs = System.currentTimeMillis(); }

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
        shards = new Shard[n];
        int i = 0;
        for (var executor : group) {
            EventLoop loop = (EventLoop) executor;
            Keyspace ks = new Keyspace(i, config.getInt("databases"), config);
            shards[i] = new Shard(i, loop, ks, commands.allWithSubcommands().size());
            shardByLoop.put(loop, shards[i]);
            i++;
        }
        for (int s = 0; s < KeySlot.SLOTS; s++) slotShard[s] = (short) ((long) s * n / KeySlot.SLOTS);
        for (Shard s : shards) s.startCron(this);
        shards[0].loop().scheduleAtFixedRate(this::closeIdleClients, 1, 1, java.util.concurrent.TimeUnit.SECONDS);

        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, config.getInt("tcp-backlog"))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, config.getInt("tcp-keepalive") > 0)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(4 << 20, 16 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Connection(Node.this, ch));
                    }
                });
        port = config.getInt("port");
        for (String addr : config.get("bind").split("\\s+")) {
            boolean optional = addr.startsWith("-");
            String host = optional ? addr.substring(1) : addr;
            if (host.equals("*")) host = "0.0.0.0";
            try {
                Channel ch = b.bind(new InetSocketAddress(host, port)).sync().channel();
                listeners.add(ch);
                if (port == 0) port = ((InetSocketAddress) ch.localAddress()).getPort();
            } catch (Exception e) {
                if (!optional) throw new IOException("could not listen on " + host + ":" + port + ": " + e.getMessage(), e);
                log.warn("Could not listen on {}:{} ({}), skipped as its bind entry starts with '-'", host, port, e.getMessage());
            }
        }
        log.info("Moon node ready: port {}, {} shard(s), {} transport, {} database(s), data in {}",
                port, n, transport.configName, config.getInt("databases"), dir.toAbsolutePath());
    }

    /** Redis's clientsCronHandleTimeout: closes clients idle longer than `timeout` seconds. */
    private void closeIdleClients() {
        long timeout = config.getLong("timeout");
        if (timeout <= 0) return;
        long now = System.currentTimeMillis();
        for (Connection c : clients.values()) {
            if (!c.isMonitor() && now - c.lastInteractionMs() > timeout * 1000) {
                log.debug("Closing idle client {}", c.peer());
                c.close();
            }
        }
    }

    /** Closes the listeners and client connections and stops the loops. */
    public void stop() {
        for (Channel ch : listeners) ch.close().syncUninterruptibly();
        for (Connection c : clients.values()) c.close();
        if (group != null) group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
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
