package io.moon.node.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * LATENCY DOCTOR's report, Redis's createLatencyReport: per event its spikes, then advice chosen
 * by the kinds of events seen and the settings. Moon has no fork: the fork advice never comes.
 */
public final class LatencyReport {
    private LatencyReport() {}

    /** What the advice depends on besides the events. */
    public record Settings(long slowlogSlowerThanUs, int hz, boolean fsyncAlways) {}

    private static final String DISABLED = "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis "
            + "instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we "
            + "weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";

    public static String create(LatencyMonitor monitor, Settings settings) {
        long threshold = monitor.thresholdMs();
        var events = monitor.events();
        if (events.isEmpty() && threshold == 0) return DISABLED;
        StringBuilder r = new StringBuilder();
        boolean slowlogEnabled = false, slowlogTuning = false, slowlogInspect = false, diskContention = false,
                scheduler = false, dataWriteback = false, localDisk = false, ssd = false, writeLoad = false, hz = false,
                largeObjects = false, massEviction = false, relaxFsync = false, thp = false;
        int advices = 0, n = 0;
        long now = System.currentTimeMillis() / 1000;
        for (String event : events) {
            long[] a = monitor.analyze(event, now);
            if (a[0] == 0) continue;
            n++;
            if (n == 1) {
                r.append("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
            }
            r.append(n).append(". ").append(event).append(": ").append(a[0]).append(" latency spikes (average ").append(a[1])
                    .append("ms, mean deviation ").append(a[2]).append("ms, period ")
                    .append(String.format(Locale.ROOT, "%.2f", (double) a[5] / a[0])).append(" sec). Worst all time event ")
                    .append(monitor.max(event)).append("ms.");
            switch (event.toLowerCase(Locale.ROOT)) {
                case "command" -> {
                    if (settings.slowlogSlowerThanUs() < 0) {
                        slowlogEnabled = true;
                        advices++;
                    } else if (settings.slowlogSlowerThanUs() / 1000 > threshold) {
                        slowlogTuning = true;
                        advices++;
                    }
                    slowlogInspect = largeObjects = true;
                    advices += 2;
                }
                case "fast-command" -> {
                    scheduler = true;
                    advices++;
                }
                case "aof-write-pending-fsync" -> {
                    localDisk = diskContention = ssd = dataWriteback = true;
                    advices += 4;
                }
                case "aof-write-alone" -> {
                    localDisk = dataWriteback = ssd = true;
                    advices += 3;
                }
                case "aof-fsync-always" -> {
                    relaxFsync = true;
                    advices++;
                }
                case "aof-fstat", "rdb-unlink-temp-file" -> {
                    diskContention = localDisk = true;
                    advices += 2;
                }
                case "aof-rewrite-diff-write", "aof-rename" -> {
                    writeLoad = dataWriteback = ssd = localDisk = true;
                    advices += 4;
                }
                case "expire-cycle" -> {
                    hz = largeObjects = true;
                    advices += 2;
                }
                case "eviction-del" -> {
                    largeObjects = true;
                    advices++;
                }
                case "eviction-cycle" -> {
                    massEviction = true;
                    advices++;
                }
                default -> { }
            }
            r.append('\n');
        }
        if (anonHugePages()) {
            thp = true;
            advices++;
        }
        if (n == 0 && advices == 0) {
            r.append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. "
                    + "I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n");
            return r.toString();
        }
        if (n > 0 && advices == 0) {
            r.append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis "
                    + "community to get some help, providing this report in your help request.\n");
            return r.toString();
        }
        r.append("\nI have a few advices for you:\n\n");
        if (slowlogEnabled) {
            r.append("- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis "
                    + "feature using the command 'CONFIG SET slowlog-log-slower-than ").append(threshold * 1000)
                    .append("'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n");
        }
        if (slowlogTuning) {
            r.append("- Your current Slow Log configuration only logs events that are slower than your configured latency "
                    + "monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ").append(threshold * 1000).append("'.\n");
        }
        if (slowlogInspect) {
            r.append("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. "
                    + "Please check https://redis.io/commands/slowlog for more information.\n");
        }
        if (scheduler) {
            r.append("- The system is slow to execute Redis code paths not containing system calls. This usually means the "
                    + "system does not provide Redis CPU time to run for long periods. You should try to:\n"
                    + "  1) Lower the system load.\n"
                    + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
                    + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                    + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n"
                    + "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using "
                    + "Jemalloc. However this may create fragmentation problems.\n");
        }
        if (localDisk) {
            r.append("- It is strongly advised to use local disks for persistence, especially if you are using AOF. Remote disks "
                    + "provided by platform-as-a-service providers are known to be slow.\n");
        }
        if (ssd) {
            r.append("- SSD disks are able to reduce fsync latency, and total time needed for snapshotting and AOF log rewriting "
                    + "(resulting in smaller memory usage). With extremely high write load SSD disks can be a good option. "
                    + "However Redis should perform reasonably with high load using normal disks. Use this advice as a last resort.\n");
        }
        if (dataWriteback) {
            r.append("- Mounting ext3/4 filesystems with data=writeback can provide a performance boost compared to data=ordered, "
                    + "however this mode of operation provides less guarantees, and sometimes it can happen that after a hard "
                    + "crash the AOF file will have a half-written command at the end and will require to be repaired before "
                    + "Redis restarts.\n");
        }
        if (diskContention) {
            r.append("- Try to lower the disk contention. This is often caused by other disk intensive processes running in the "
                    + "same computer (including other Redis instances).\n");
        }
        if (relaxFsync && settings.fsyncAlways()) {
            r.append("- Your fsync policy is set to 'always'. It is very hard to get good performances with such a setup, if "
                    + "possible try to relax the fsync policy to 'onesec'.\n");
        }
        if (writeLoad) {
            r.append("- Latency during the AOF atomic rename operation or when the final difference is flushed to the AOF file at "
                    + "the end of the rewrite, sometimes is caused by very high write load, causing the AOF buffer to get very "
                    + "large. If possible try to send less commands to accomplish the same work, or use Lua scripts to group "
                    + "multiple operations into a single EVALSHA call.\n");
        }
        if (hz && settings.hz() < 100) {
            r.append("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration "
                    + "parameter to 100 using 'CONFIG SET hz 100'.\n");
        }
        if (largeObjects) {
            r.append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you "
                    + "have very large objects that are often deleted, expired, or evicted, try to fragment those objects into "
                    + "multiple smaller objects.\n");
        }
        if (massEviction) {
            r.append("- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or "
                    + "sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), "
                    + "may create sudden memory pressure forcing the server to block trying to evict keys. \n");
        }
        if (thp) {
            r.append("- I detected a non zero amount of anonymous huge pages used by your process. This creates very serious "
                    + "latency events in different conditions, especially when Redis is persisting on disk. To disable THP "
                    + "support use the command 'echo never > /sys/kernel/mm/transparent_hugepage/enabled', make sure to also "
                    + "add it into /etc/rc.local so that the command will be executed again after a reboot. Note that even if "
                    + "you have already disabled THP, you still need to restart the Redis process to get rid of the huge pages "
                    + "already created.\n");
        }
        return r.toString();
    }

    /** Redis's THPGetAnonHugePagesSize() > 0: the process uses transparent huge pages. */
    private static boolean anonHugePages() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
                if (line.startsWith("AnonHugePages:")) {
                    String kb = line.substring(14).trim().split("\\s+")[0];
                    return Long.parseLong(kb) > 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
