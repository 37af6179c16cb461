package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.RawClient.Err;
import io.moon.node.testing.RedisServer;
import io.moon.node.testing.SideBySide;
import io.moon.node.testing.TestNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The latency monitor (LATENCY LATEST/HISTORY/GRAPH/DOCTOR/RESET), per-command latency histograms
 * merged over 4 shards (LATENCY HISTOGRAM, INFO latencystats) and their settings.
 */
class LatencyIT {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start("shards", "4", "enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** LATENCY HISTOGRAM's reply for the given commands, in RESP3 (maps). */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> histogram(RawClient c, String... commands) throws Exception {
        String[] args = new String[commands.length + 2];
        args[0] = "LATENCY";
        args[1] = "HISTOGRAM";
        System.arraycopy(commands, 0, args, 2, commands.length);
        return (Map<String, Map<String, Object>>) c.call(args);
    }

    @Test
    void histogramsAddUpCallsFromEveryShard() throws Exception {
        try (RawClient c = node.raw()) {
            c.call("HELLO", "3");
            c.call("CONFIG", "RESETSTAT");
            assertThat(histogram(c).keySet()).containsExactly("config|resetstat");
            for (int s = 0; s < 4; s++) c.call("SET", ShardKeys.on(node.node(), s, "lat:"), "v");
            c.call("GET", ShardKeys.on(node.node(), 1, "lat:"));
            c.call("CLIENT", "ID");
            c.call("CLIENT", "GETNAME");
            Map<String, Map<String, Object>> h = histogram(c, "set", "nosuchcommand", "client", "get");
            assertThat(h.keySet()).containsExactlyInAnyOrder("set", "client|id", "client|getname", "get");
            assertThat(h.get("set").get("calls")).isEqualTo(4L);
            @SuppressWarnings("unchecked")
            Map<Object, Object> buckets = (Map<Object, Object>) h.get("set").get("histogram_usec");
            // Cumulative: the last bucket holds every call, and counts never fall.
            long previous = 0;
            for (Object count : buckets.values()) {
                assertThat((Long) count).isGreaterThan(previous);
                previous = (Long) count;
            }
            assertThat(previous).isEqualTo(4L);
            assertThat(histogram(c, "CLIENT|ID").keySet()).containsExactly("client|id");
            assertThat(histogram(c, "nosuchcommand", "client|nosuch")).isEmpty();
        }
    }

    @Test
    void infoLatencystatsFollowsItsSettings() throws Exception {
        try (Jedis j = node.jedis()) {
            j.configResetStat();
            j.set("lat:info", "1");
            String line = statsLine(j, "set");
            assertThat(line).matches("latency_percentiles_usec_set:p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}");
            j.configSet("latency-tracking-info-percentiles", "0.0 50.0 100.0");
            assertThat(j.configGet("latency-tracking-info-percentiles")).containsEntry("latency-tracking-info-percentiles", "0 50 100");
            assertThat(statsLine(j, "set")).startsWith("latency_percentiles_usec_set:p0=").contains(",p50=").contains(",p100=");
            j.configSet("latency-tracking", "no");
            assertThat(j.info("latencystats")).isEqualTo("# Latencystats\r\n");
            j.set("lat:info", "2"); // not recorded
            j.configSet("latency-tracking", "yes");
            j.configSet("latency-tracking-info-percentiles", "50 99 99.9");
            assertThat(statsLine(j, "set")).isNotNull();
            try (RawClient c = node.raw()) {
                c.call("HELLO", "3");
                assertThat(histogram(c, "set").get("set").get("calls")).isEqualTo(1L);
            }
        }
    }

    private static String statsLine(Jedis j, String command) {
        for (String line : j.info("latencystats").split("\r\n")) {
            if (line.startsWith("latency_percentiles_usec_" + command + ":")) return line;
        }
        return null;
    }

    @Test
    void monitorKeepsSpikesOverTheThreshold() throws Exception {
        try (Jedis j = node.jedis(); RawClient c = node.raw()) {
            j.latencyReset();
            j.configSet("latency-monitor-threshold", "50");
            try {
                c.call("DEBUG", "SLEEP", "0.1");
                c.call("PING");
                List<?> latest = (List<?>) c.call("LATENCY", "LATEST");
                assertThat(latest).hasSize(1);
                List<?> row = (List<?>) latest.getFirst();
                assertThat(row.get(0)).isEqualTo("command");
                long now = System.currentTimeMillis() / 1000;
                assertThat((Long) row.get(1)).isBetween(now - 5, now);
                assertThat((Long) row.get(2)).isBetween(100L, 2000L);
                assertThat(row.get(3)).isEqualTo(row.get(2));
                Object history = c.call("LATENCY", "HISTORY", "command");
                assertThat(history).isEqualTo(List.of(List.of(row.get(1), row.get(2))));
                String graph = (String) c.call("LATENCY", "GRAPH", "command");
                // One sample: the lowest level, labelled with its age in seconds, as redis-server draws it.
                String head = "command - high " + row.get(2) + " ms, low " + row.get(2) + " ms (all time high " + row.get(2)
                        + " ms)\n" + "-".repeat(80) + "\n";
                assertThat(graph).startsWith(head);
                assertThat(graph.substring(head.length())).matches(" \n \n \n_\n \n\\d\ns\n");
                String doctor = (String) c.call("LATENCY", "DOCTOR");
                assertThat(doctor).startsWith("Dave, I have observed latency spikes in this Redis instance.")
                        .contains("1. command: 1 latency spikes (average " + row.get(2) + "ms, mean deviation 0ms");
                assertThat(c.call("LATENCY", "RESET", "nosuch", "COMMAND")).isEqualTo(1L);
                assertThat(c.call("LATENCY", "LATEST")).isEqualTo(List.of());
            } finally {
                j.configSet("latency-monitor-threshold", "0");
            }
        }
    }

    @Test
    void repliesAndErrorsAsRedis() throws Exception {
        try (RedisServer redis = RedisServer.start();
             RawClient moon = node.raw(); RawClient ref = new RawClient("127.0.0.1", redis.port())) {
            moon.call("LATENCY", "RESET");
            SideBySide.compare(moon, ref, SideBySide.commands(
                    "LATENCY",
                    "LATENCY foo",
                    "LATENCY HELP",
                    "LATENCY HELP x",
                    "LATENCY LATEST x",
                    "LATENCY HISTORY",
                    "LATENCY HISTORY nosuch",
                    "LATENCY GRAPH nosuch",
                    "LATENCY GRAPH",
                    "LATENCY RESET nosuch",
                    "LATENCY RESET",
                    "LATENCY LATEST",
                    "LATENCY DOCTOR",
                    "LATENCY HISTOGRAM nosuch",
                    "CONFIG SET latency-tracking-info-percentiles 10.0 50.0 a",
                    "CONFIG SET latency-tracking-info-percentiles 10.0 50.0 101.0",
                    "CONFIG GET latency-tracking-info-percentiles",
                    "CONFIG SET latency-monitor-threshold -1",
                    "CONFIG GET latency-monitor-threshold"));
            assertThat(moon.call("LATENCY", "GRAPH", "nosuch")).isEqualTo(new Err("ERR No samples available for event 'nosuch'"));
        }
    }
}
