package io.moon.node.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the operating system says about this process, for INFO: resident memory
 * (/proc/self/statm), CPU time split into user and system (/proc/self/stat, as Redis's getrusage),
 * total system memory, and uname-like facts. Off Linux the /proc figures read as 0.
 */
public final class ProcessStats {
    private ProcessStats() {}

    /** Linux's USER_HZ: /proc reports times in 1/100 s on every architecture the kernel exports it for. */
    private static final int USER_HZ = 100;
    private static final long PAGE_SIZE = 4096;

    /** Resident set size in bytes (INFO used_memory_rss). */
    public static long residentBytes() {
        String statm = read("/proc/self/statm");
        if (statm == null) return 0;
        String[] f = statm.trim().split("\\s+");
        return f.length > 1 ? Long.parseLong(f[1]) * PAGE_SIZE : 0;
    }

    /** CPU seconds used: {user, system, children's user, children's system} (INFO used_cpu_*). */
    public static double[] cpuSeconds() {
        String stat = read("/proc/self/stat");
        if (stat == null) return new double[4];
        // Fields after the command name, which is in parentheses and may contain blanks.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
        // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
        double[] out = new double[4];
        for (int i = 0; i < 4; i++) out[i] = Long.parseLong(f[11 + i]) / (double) USER_HZ;
        return out;
    }

    /** Total memory of the machine in bytes (INFO total_system_memory). */
    public static long totalSystemMemory() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 0;
    }

    /** "Linux 6.1.0 x86_64", as Redis prints uname's sysname, release and machine. */
    public static String os() {
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64")) arch = "x86_64";
        else if (arch.equals("aarch64")) arch = "aarch64";
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + arch;
    }

    public static long pid() { return ProcessHandle.current().pid(); }

    /** The program running this node (the java launcher), as INFO executable. */
    public static String executable() {
        return ProcessHandle.current().info().command().orElse("");
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
