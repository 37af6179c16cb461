package io.moon.node.command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One connection MIGRATE talks to a target server on, with Redis's synchronous I/O (syncio.c):
 * connect, write and read a reply line, each step bounded by the command's timeout, blocking the
 * calling thread meanwhile (Redis blocks its whole server the same way). Timeouts are
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

    private MigrateConnection(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
        in.flip();
    }

    /** Connects within {@code timeoutMs} (Redis's connBlockingConnect). */
    static MigrateConnection open(String host, int port, long timeoutMs) throws IOException {
        SocketChannel ch = SocketChannel.open();
        Selector sel = null;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            sel = Selector.open();
            if (!ch.connect(new InetSocketAddress(host, port))) {
                SelectionKey key = ch.register(sel, SelectionKey.OP_CONNECT);
                long deadline = System.nanoTime() + timeoutMs * 1_000_000;
                while (!ch.finishConnect()) {
                    waitFor(sel, deadline);
                }
                key.cancel();
                sel.selectNow();
            }
            return new MigrateConnection(ch, sel);
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (sel != null) sel.close();
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    /** Writes all of {@code data}, each 64 KB chunk within {@code timeoutMs} (connSyncWrite). */
    void write(byte[] data, long timeoutMs) throws IOException {
        int chunk = 64 * 1024;
        for (int pos = 0; pos < data.length; pos += chunk) {
            ByteBuffer b = ByteBuffer.wrap(data, pos, Math.min(chunk, data.length - pos));
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            while (b.hasRemaining()) {
                if (channel.write(b) > 0) continue;
                SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
                try {
                    waitFor(selector, deadline);
                } finally {
                    key.interestOps(0);
                }
            }
        }
    }

    /** One reply line without its CRLF, read within {@code timeoutMs} (connSyncReadLine). */
    String readLine(long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        StringBuilder line = new StringBuilder();
        while (true) {
            while (in.hasRemaining()) {
                byte c = in.get();
                if (c == '\n') {
                    int n = line.length();
                    if (n > 0 && line.charAt(n - 1) == '\r') line.setLength(n - 1);
                    return line.toString();
                }
                if (line.length() < LINE_LIMIT) line.append((char) (c & 0xff));
            }
            in.clear();
            int n;
            while ((n = channel.read(in)) == 0) {
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                try {
                    waitFor(selector, deadline);
                } finally {
                    key.interestOps(0);
                }
            }
            in.flip();
            if (n < 0) throw new IOException("connection closed by the target");
        }
    }

    private static void waitFor(Selector sel, long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || sel.select(left) == 0 && System.nanoTime() >= deadline) {
            throw new SocketTimeoutException("timed out");
        }
        sel.selectedKeys().clear();
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
