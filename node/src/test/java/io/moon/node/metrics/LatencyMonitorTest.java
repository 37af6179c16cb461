package io.moon.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.config.ServerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The latency monitor's series and its graph, against what redis-server 7.0.15 printed for the same samples. */
class LatencyMonitorTest {
    private final LatencyMonitor monitor = new LatencyMonitor(new ServerConfig());

    @Test
    void oneSamplePerSecondKeepsTheWorst() {
        monitor.add("command", 20, 1000);
        monitor.add("command", 50, 1000);
        monitor.add("command", 30, 1000);
        monitor.add("command", 10, 1001);
        assertThat(monitor.history("command"))
                .containsExactly(new LatencyMonitor.Sample(1000, 50), new LatencyMonitor.Sample(1001, 10));
        assertThat(monitor.latest()).containsExactly(new LatencyMonitor.Latest("command", 1001, 10, 50));
    }

    @Test
    void seriesKeepsTheLastSamplesOnly() {
        int n = LatencyMonitor.SERIES_LENGTH + 5;
        for (int i = 0; i < n; i++) monitor.add("expire-cycle", i + 1, 2000 + i);
        List<LatencyMonitor.Sample> h = monitor.history("expire-cycle");
        assertThat(h).hasSize(LatencyMonitor.SERIES_LENGTH);
        assertThat(h.getFirst()).isEqualTo(new LatencyMonitor.Sample(2005, 6));
        assertThat(h.getLast()).isEqualTo(new LatencyMonitor.Sample(2000 + n - 1, n));
        assertThat(monitor.max("expire-cycle")).isEqualTo(n);
    }

    @Test
    void resetByNameIgnoresCase() {
        monitor.add("command", 5, 1);
        monitor.add("fast-command", 5, 1);
        assertThat(monitor.reset("COMMAND")).isEqualTo(1);
        assertThat(monitor.events()).containsExactly("fast-command");
        assertThat(monitor.reset(null)).isEqualTo(1);
        assertThat(monitor.latest()).isEmpty();
    }

    @Test
    void thresholdDecidesWhatIsKept() {
        monitor.sampleIfNeeded("command", 1000); // threshold 0: the monitor is off
        assertThat(monitor.events()).isEmpty();
    }

    @Test
    void graphAsRedisDrawsIt() {
        // LATENCY HISTORY command then LATENCY GRAPH command on redis-server, samples 4, 3, 2 and 0 seconds old.
        long now = 1795526764;
        monitor.add("command", 100, 1795526760);
        monitor.add("command", 350, 1795526761);
        monitor.add("command", 200, 1795526762);
        monitor.add("command", 60, 1795526764);
        String expected = "command - high 350 ms, low 60 ms (all time high 350 ms)\n" + "-".repeat(80) + "\n"
                + " #  \n"
                + " |  \n"
                + " |# \n"
                + "o||_\n"
                + "    \n"
                + "4320\n"
                + "ssss\n";
        assertThat(monitor.graph("command", now)).isEqualTo(expected);
        assertThat(monitor.graph("nosuch", now)).isNull();
    }
}
