package io.moon.node.util;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static ListAppender<ILoggingEvent> appenderOn(Logger log) {
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        return lines;
    }

    private static Logger logger(String name) {
        Logger log = new LoggerContext().getLogger(name);
        log.setAdditive(false);
        return log;
    }

    @Test
    void threadsAddingTogetherCountEverythingAndLogNowAndThen() throws Exception {
        Logger log = logger("progress");
        ListAppender<ILoggingEvent> lines = appenderOn(log);
        Progress p = new Progress(log, "Replaying the log", "records", 40_000, 1_000_000); // a line per ms at most
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1_000; i++) {
                    p.add(10);
                    if (i % 100 == 0) sleep(3);
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(p.done()).isEqualTo(40_000);
        assertThat(lines.list).isNotEmpty();
        // Lines come out in time order with what was done by then: never more than the total.
        long last = -1;
        for (ILoggingEvent e : lines.list) {
            String m = e.getFormattedMessage();
            assertThat(m).matches("Replaying the log: \\d+ records of 40000 records \\(\\d+%\\), \\d+ records/s, about \\d+ s left");
            long done = Long.parseLong(m.substring("Replaying the log: ".length(), m.indexOf(" records of ")));
            assertThat(done).isBetween(1L, 40_000L);
            last = Math.max(last, done);
        }
        assertThat(last).isPositive();
    }

    @Test
    void quietUntilTheIntervalHasPassed() {
        Logger log = logger("quiet");
        ListAppender<ILoggingEvent> lines = appenderOn(log);
        Progress p = new Progress(log, "Snapshot", "keys", 100);
        for (int i = 0; i < 100; i++) p.add(1);
        assertThat(lines.list).as("the default interval is seconds long").isEmpty();
    }

    @Test
    void withoutTotalLogsCountAndRate() {
        Logger log = logger("nototal");
        ListAppender<ILoggingEvent> lines = appenderOn(log);
        Progress p = new Progress(log, "Importing dump.rdb", "keys", 0, 0);
        p.at(5);
        sleep(2);
        p.at(7);
        assertThat(lines.list).isNotEmpty();
        assertThat(lines.list.getLast().getFormattedMessage()).matches("Importing dump.rdb: 7 keys, \\d+ keys/s");
    }

    @Test
    void bytesAreShownInMegabytes() {
        Logger log = logger("bytes");
        ListAppender<ILoggingEvent> lines = appenderOn(log);
        Progress p = new Progress(log, "Loading snapshot", "bytes", 10L << 20, 0);
        sleep(2);
        p.add(3L << 20);
        assertThat(lines.list.getLast().getFormattedMessage()).matches("Loading snapshot: 3 MB of 10 MB \\(30%\\), \\d+ MB/s, about \\d+ s left");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
