package io.moon.node.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A data node in its own JVM process, for tests that must crash it for real (SIGKILL) or restart
 * it on the same data directory. Runs io.moon.node.Main from this build's classes and jars.
 */
public final class NodeProcess implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final List<String> settings;
    private Process process;
    private final Path log;

    public NodeProcess(Path dir, String... settings) throws IOException {
        this.dir = dir;
        this.settings = List.of(settings);
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        // Logs outlive the test's temporary directory: target/node-logs/<port>-<unique>.log (a port
        // is reused by later tests: a log of its own keeps their lines out of this one's checks).
        Path logs = Path.of("target", "node-logs");
        Files.createDirectories(logs);
        this.log = Files.createTempFile(logs, port + "-", ".log");
    }

    public int port() { return port; }
    public Path dir() { return dir; }
    public Path log() { return log; }

    /** Starts the node and waits until it answers on its port; returns false if it exited instead. */
    public boolean start() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path target = Path.of("target");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseCompactObjectHeaders", "-Xmx1g",
                "-cp", target.resolve("classes") + ":" + target.resolve("lib") + "/*", "io.moon.node.Main",
                "--port", Integer.toString(port), "--dir", dir.toString()));
        for (int i = 0; i + 1 < settings.size(); i += 2) {
            cmd.add("--" + settings.get(i));
            cmd.add(settings.get(i + 1));
        }
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) return false;
            // A PONG, not just a connect: right after a SIGKILL the old process's listening socket
            // may linger a moment (io_uring tears down asynchronously) and accept connections.
            try (RawClient c = new RawClient("127.0.0.1", port)) {
                // Our node, not another process that happens to own the port: its process id.
                Object info = c.call("INFO", "server");
                if (info instanceof String s && s.contains("process_id:" + process.pid() + "\r\n") && process.isAlive()) return true;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("node did not start within 120 s; log: " + log);
    }

    /** SIGKILL: no shutdown hook, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait for a clean exit. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    public boolean alive() { return process != null && process.isAlive(); }

    public String logText() throws IOException { return Files.exists(log) ? Files.readString(log) : ""; }

    @Override
    public void close() throws InterruptedException {
        if (alive()) kill();
    }
}
