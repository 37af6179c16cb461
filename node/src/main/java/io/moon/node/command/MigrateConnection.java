package io.moon.node.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One connection MIGRATE talks to a target server on, with Redis's synchronous I/O (syncio.c):
 * connect, write and read a reply line, each step bounded by the command's timeout, blocking the
 * calling thread (the script thread, never a shard loop) meanwhile. Timeouts are
 * {@link SocketTimeoutException}s, so MIGRATE can tell them from other failures (it does not
 * retry after a timeout).
 *
 * <p>Used by one thread at a time (the script thread, where MIGRATE runs): {@link MigrateSockets}
 * hands it out and takes it back.
 */
final class MigrateConnection implements AutoCloseable {
    /** Longest reply line read; a longer one is cut, as Redis reads into a 1 KB buffer. */
    private static final int LINE_LIMIT = 1024;

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    /** Database the target has selected for this connection, or -1 when unknown. */
    long lastDb = -1;
    /** When the connection was last handed out, ms. */
    long lastUse;
    private boolean connected;
    /** Why connecting failed after it started: the first write throws it. */
    private IOException connectFailure;

    private MigrateConnection(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
        in.flip();
    }

    /**
     * Starts connecting and waits up to {@code timeoutMs} for it, as Redis 7.0's
     * connBlockingConnect: only a name that does not resolve, or a connect refused at once, fails
     * here (MIGRATE's "connecting" error). A connection refused later or not made in time is still
     * returned, as Redis returns it, and its first {@link #write} fails instead.
     */
    static MigrateConnection open(String host, int port, long timeoutMs) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) throw new UnknownHostException(host);
        SocketChannel ch = SocketChannel.open();
        Selector sel = null;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            sel = Selector.open();
            MigrateConnection c = new MigrateConnection(ch, sel);
            c.connected = ch.connect(address);
            if (!c.connected) {
                try {
                    c.finishConnect(timeoutMs);
                } catch (IOException late) {
                    c.connectFailure = late;
                }
            }
            return c;
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (sel != null) sel.close();
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    /** Waits up to {@code timeoutMs} for a pending connect to complete. */
    private void finishConnect(long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!channel.finishConnect()) await(SelectionKey.OP_CONNECT, deadline);
        connected = true;
    }

    /** Writes all of {@code data}, each 64 KB chunk within {@code timeoutMs} (connSyncWrite). */
    void write(byte[] data, long timeoutMs) throws IOException {
        if (connectFailure != null) throw connectFailure;
        // Redis's write waits for a connect that timed out, for another timeout.
        if (!connected) finishConnect(timeoutMs);
        int chunk = 64 * 1024;
        for (int pos = 0; pos < data.length; pos += chunk) {
            ByteBuffer b = ByteBuffer.wrap(data, pos, Math.min(chunk, data.length - pos));
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            while (b.hasRemaining()) {
                if (channel.write(b) == 0) await(SelectionKey.OP_WRITE, deadline);
            }
        }
    }

    /** One reply line without its CRLF, read within {@code timeoutMs} (connSyncReadLine). */
    String readLine(long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            while (in.hasRemaining()) {
                byte c = in.get();
                if (c == '\n') {
                    byte[] b = line.toByteArray();
                    int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                    return new String(b, 0, n, StandardCharsets.UTF_8);
                }
                if (line.size() < LINE_LIMIT) line.write(c);
            }
            in.clear();
            int n;
            while ((n = channel.read(in)) == 0) await(SelectionKey.OP_READ, deadline);
            in.flip();
            if (n < 0) throw new IOException("connection closed by the target");
        }
    }

    /** Waits until the channel is ready for {@code ops}, or throws a timeout at {@code deadline}. */
    private void await(int ops, long deadline) throws IOException {
        SelectionKey key = channel.register(selector, ops);
        try {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0 || selector.select(left) == 0 && System.nanoTime() >= deadline) {
                throw new SocketTimeoutException("timed out");
            }
            selector.selectedKeys().clear();
        } finally {
            // A failed connect closes the channel, which cancels the key.
            if (key.isValid()) key.interestOps(0);
        }
    }

    /** The RESP form of a command (what MIGRATE sends). */
    static void appendCommand(ByteArrayOutputStream out, byte[]... args) {
        header(out, '*', args.length);
        for (byte[] a : args) {
            header(out, '$', a.length);
            out.writeBytes(a);
            out.write('\r');
            out.write('\n');
        }
    }

    private static void header(ByteArrayOutputStream out, char type, long n) {
        out.write(type);
        out.writeBytes(Long.toString(n).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to do about a failed close of a connection we drop.
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // As above.
        }
    }
}
