package io.moon.node.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;

/**
 * A real redis-server process for tests that compare Moon with Redis, on a loopback port picked
 * by the OS, persistence off, data in a fresh temporary directory ({@link #dir()}). Fails (does not
 * skip) when no redis-server binary is installed: CI installs Debian's redis-server. Extra
 * arguments are passed as they are, e.g. {@code RedisServer.start("--hash-max-listpack-entries", "4")}.
 */
public final class RedisServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private RedisServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts a server with {@code extraArgs}; waits until it answers PING. */
    public static RedisServer start(String... extraArgs) throws IOException, InterruptedException {
        return startIn(Files.createTempDirectory("moon-redis"), extraArgs);
    }

    /** Starts a server whose working directory (and dump.rdb location) is {@code dir}. */
    public static RedisServer startIn(Path dir, String... extraArgs) throws IOException, InterruptedException {
        String binary = binary();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no"));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisServer server = new RedisServer(p, port, dir);
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Jedis j = server.jedis()) {
                if ("PONG".equals(j.ping())) return server;
            } catch (Exception e) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    String log = server.log();
                    server.close();
                    throw new IllegalStateException("redis-server did not start: " + log, e);
                }
                Thread.sleep(20);
            }
        }
    }

    /** The redis-server binary: /usr/bin/redis-server or the first on the PATH. */
    public static String binary() {
        if (new File("/usr/bin/redis-server").canExecute()) return "/usr/bin/redis-server";
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(d, "redis-server");
            if (f.canExecute()) return f.getPath();
        }
        throw new IllegalStateException("redis-server is not installed (apt-get install redis-server); these tests need it");
    }

    public int port() { return port; }

    public Path dir() { return dir; }

    /** A raw RESP connection (exact replies); the caller closes it. */
    public RawClient raw() throws IOException { return new RawClient("127.0.0.1", port); }

    /** A new Jedis connection; the caller closes it. */
    public Jedis jedis() { return new Jedis("127.0.0.1", port, 10_000); }

    /** The server's log so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temporary directory is harmless.
        }
    }
}
