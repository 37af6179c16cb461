package io.moon.node.testing;

import io.moon.node.config.ServerConfig;
import io.moon.node.server.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.clients.jedis.Jedis;

/**
 * A real node on a loopback port chosen by the OS, in this JVM, for integration tests. Settings
 * are Redis-style name/value pairs: {@code TestNode.start("shards", "4", "maxmemory", "10mb")}.
 * Data goes to a fresh temporary directory.
 */
public final class TestNode implements AutoCloseable {
    private final Node node;
    private final Path dir;

    private TestNode(Node node, Path dir) {
        this.node = node;
        this.dir = dir;
    }

    public static TestNode start(String... settings) {
        try {
            Path dir = Files.createTempDirectory("moon-test");
            ServerConfig config = new ServerConfig();
            config.setAtStartup("port", "0");
            config.setAtStartup("dir", dir.toString());
            config.setAtStartup("shards", "2");
            for (int i = 0; i + 1 < settings.length; i += 2) config.setAtStartup(settings[i], settings[i + 1]);
            Node node = new Node(config);
            node.start();
            return new TestNode(node, dir);
        } catch (Exception e) {
            throw new IllegalStateException("node did not start: " + e.getMessage(), e);
        }
    }

    public int port() { return node.port(); }
    public Node node() { return node; }
    public Path dir() { return dir; }

    /** A new Jedis connection; the caller closes it. */
    public Jedis jedis() { return new Jedis("127.0.0.1", port(), 10_000); }

    /** A new raw-protocol client; the caller closes it. */
    public RawClient raw() {
        try {
            return new RawClient("127.0.0.1", port());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "redis://127.0.0.1:port" for Lettuce. */
    public String uri() { return "redis://127.0.0.1:" + port(); }

    @Override
    public void close() {
        node.stop();
    }
}
