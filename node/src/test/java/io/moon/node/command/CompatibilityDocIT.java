package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.RedisServer;
import io.moon.node.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/compatibility.md lists every command and subcommand of a real redis-server 7.0, each
 * marked as Moon has it or not. When this fails, regenerate the table with {@link CommandCatalog}
 * and write the notes of the rows that changed.
 */
class CompatibilityDocIT {
    @Test
    void theCommandTableListsEveryRedisCommandAndWhatMoonHas() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "compatibility.md"));
        try (TestNode node = TestNode.start("shards", "1");
             RedisServer redis = RedisServer.start();
             RawClient moon = node.raw();
             RawClient real = new RawClient("127.0.0.1", redis.port())) {
            List<CommandCatalog.Row> rows = CommandCatalog.rows(real, moon);
            assertThat(rows).hasSizeGreaterThan(300);
            assertThat(rows).contains(new CommandCatalog.Row("GET", "string", true));
            Map<String, String> notes = CommandCatalog.notes(doc);
            assertThat(CommandCatalog.table(doc))
                    .as("docs/compatibility.md's command table (rerun CommandCatalog)")
                    .isEqualTo(CommandCatalog.render(rows, notes));
        }
    }
}
