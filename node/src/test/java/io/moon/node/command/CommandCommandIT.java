package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.models.command.CommandDetail;
import io.lettuce.core.models.command.CommandDetailParser;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.TestNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** COMMAND and its subcommands: reply shapes as Redis 7.0's, key extraction, filters, errors. */
@SuppressWarnings("unchecked")
class CommandCommandIT extends FourShardNode {
    private static List<Object> keySpec(List<Object> flags, int index, int lastKey, int step) {
        return List.of("flags", flags, "begin_search", List.of("type", "index", "spec", List.of("index", (long) index)),
                "find_keys", List.of("type", "range", "spec", List.of("lastkey", (long) lastKey, "keystep", (long) step, "limit", 0L)));
    }

    @Test
    void infoOfOneCommand() throws Exception {
        try (RawClient c = node.raw()) {
            List<Object> get = (List<Object>) ((List<Object>) c.call("COMMAND", "INFO", "GET")).get(0);
            assertThat(get).isEqualTo(List.of("get", 2L, List.of("readonly", "fast"), 1L, 1L, 1L,
                    List.of("@read", "@string", "@fast"), List.of(), List.of(keySpec(List.of("RO", "access"), 1, 0, 1)), List.of()));
            List<Object> mset = (List<Object>) ((List<Object>) c.call("COMMAND", "INFO", "mset")).get(0);
            assertThat(mset.subList(0, 6)).isEqualTo(List.of("mset", -3L, List.of("write", "denyoom"), 1L, -1L, 2L));
            assertThat(mset.get(8)).isEqualTo(List.of(keySpec(List.of("OW", "update"), 1, -1, 2)));
            List<Object> set = (List<Object>) ((List<Object>) c.call("COMMAND", "INFO", "set")).get(0);
            assertThat(((List<Object>) ((List<Object>) set.get(8)).get(0)).subList(0, 4))
                    .isEqualTo(List.of("notes", "RW and ACCESS due to the optional `GET` argument", "flags",
                            List.of("RW", "access", "update", "variable_flags")));
        }
    }

    @Test
    void infoOfContainersNestsSubcommands() throws Exception {
        try (RawClient c = node.raw()) {
            List<Object> config = (List<Object>) ((List<Object>) c.call("COMMAND", "INFO", "config")).get(0);
            assertThat(config.subList(0, 8)).isEqualTo(List.of("config", -2L, List.of(), 0L, 0L, 0L, List.of("@slow"), List.of()));
            List<Object> subs = (List<Object>) config.get(9);
            assertThat(subs).extracting(s -> ((List<Object>) s).get(0))
                    .containsExactlyInAnyOrder("config|get", "config|set", "config|resetstat", "config|rewrite", "config|help");
            List<Object> configSet = (List<Object>) ((List<Object>) c.call("COMMAND", "INFO", "config|set")).get(0);
            assertThat(configSet).isEqualTo(List.of("config|set", -4L, List.of("admin", "noscript", "loading", "stale"), 0L, 0L, 0L,
                    List.of("@admin", "@slow", "@dangerous"), List.of("request_policy:all_nodes", "response_policy:all_succeeded"),
                    List.of(), List.of()));
            List<Object> many = (List<Object>) c.call("COMMAND", "INFO", "nosuch", "get|key", "config|get|key", "CLIENT|LIST");
            assertThat(many).hasSize(4);
            assertThat(many.subList(0, 3)).containsOnlyNulls();
            assertThat(((List<Object>) many.get(3)).get(0)).isEqualTo("client|list");
        }
    }

    @Test
    void countAndAllAgree() throws Exception {
        try (RawClient c = node.raw()) {
            long count = (long) c.call("COMMAND", "COUNT");
            List<Object> all = (List<Object>) c.call("COMMAND");
            assertThat(all).hasSize((int) count);
            assertThat((List<Object>) c.call("COMMAND", "INFO")).hasSize((int) count);
            assertThat(all).extracting(s -> ((List<Object>) s).get(0)).contains("get", "info", "command", "client", "time");
            List<Object> list = (List<Object>) c.call("COMMAND", "LIST");
            assertThat(list.stream().filter(n -> !((String) n).contains("|")).count()).isEqualTo(count);
            assertThat(list).contains("set", "client|list", "config|get", "command|getkeys");
        }
    }

    @Test
    void docsGiveSummariesAndSubcommands() throws Exception {
        try (RawClient c = node.raw()) {
            List<Object> docs = (List<Object>) c.call("COMMAND", "DOCS", "time", "nosuch", "slowlog");
            assertThat(docs).hasSize(4);
            assertThat(docs.get(0)).isEqualTo("time");
            assertThat(docs.get(1)).isEqualTo(List.of("summary", "Return the current server time", "since", "2.6.0", "group", "server"));
            assertThat(docs.get(2)).isEqualTo("slowlog");
            List<Object> slowlog = (List<Object>) docs.get(3);
            assertThat(slowlog.subList(0, 8)).isEqualTo(List.of("summary", "A container for slow log commands", "since", "2.2.12",
                    "group", "server", "complexity", "Depends on subcommand."));
            assertThat(slowlog.get(8)).isEqualTo("subcommands");
            assertThat((List<Object>) slowlog.get(9)).contains("slowlog|get", "slowlog|len", "slowlog|reset", "slowlog|help");
            assertThat(c.call("COMMAND", "DOCS", "nosuch")).isEqualTo(List.of());
            long count = (long) c.call("COMMAND", "COUNT");
            assertThat((List<Object>) c.call("COMMAND", "DOCS")).hasSize((int) count * 2);
            c.call("HELLO", "3");
            Map<Object, Object> resp3 = (Map<Object, Object>) c.call("COMMAND", "DOCS", "get");
            assertThat((Map<Object, Object>) resp3.get("get")).containsEntry("group", "string").containsEntry("since", "1.0.0");
        }
    }

    @Test
    void listFilters() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "set")).isEqualTo(List.of("set"));
            assertThat((List<Object>) c.call("COMMAND", "LIST", "FILTERBY", "pattern", "config|*re*"))
                    .containsExactlyInAnyOrder("config|resetstat", "config|rewrite");
            assertThat((List<Object>) c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "CL*HELP")).containsExactly("client|help");
            assertThat(c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "nosuch*")).isEqualTo(List.of());
            List<Object> connection = (List<Object>) c.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "connection");
            assertThat(connection).contains("ping", "client|id", "command|info").doesNotContain("get", "info");
            assertThat((List<Object>) c.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "string")).contains("get", "mset").doesNotContain("del");
            assertThat(c.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuchcategory")).isEqualTo(List.of());
            assertThat(c.call("COMMAND", "LIST", "FILTERBY", "MODULE", "anymodule")).isEqualTo(List.of());
            assertThat(c.call("COMMAND", "LIST", "bad")).hasToString("-ERR syntax error");
            assertThat(c.call("COMMAND", "LIST", "FILTERBY", "bad")).hasToString("-ERR syntax error");
            assertThat(c.call("COMMAND", "LIST", "FILTERBY", "bad", "x")).hasToString("-ERR syntax error");
            assertThat(c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "x", "y")).hasToString("-ERR syntax error");
        }
    }

    @Test
    void getkeysFindsKeysAndTheirFlags() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("COMMAND", "GETKEYS", "GET", "key")).isEqualTo(List.of("key"));
            assertThat(c.call("COMMAND", "GETKEYS", "mset", "a", "1", "b", "2", "c", "3")).isEqualTo(List.of("a", "b", "c"));
            assertThat(c.call("COMMAND", "GETKEYS", "del", "x", "y")).isEqualTo(List.of("x", "y"));
            assertThat(c.call("COMMAND", "GETKEYSANDFLAGS", "set", "k1", "v1"))
                    .isEqualTo(List.of(List.of("k1", List.of("OW", "update"))));
            assertThat(c.call("COMMAND", "GETKEYSANDFLAGS", "set", "k1", "v1", "GET"))
                    .isEqualTo(List.of(List.of("k1", List.of("RW", "access", "update"))));
            assertThat(c.call("COMMAND", "GETKEYSANDFLAGS", "mset", "k1", "v1", "k2", "v2"))
                    .isEqualTo(List.of(List.of("k1", List.of("OW", "update")), List.of("k2", List.of("OW", "update"))));
            assertThat(c.call("COMMAND", "GETKEYSANDFLAGS", "exists", "a"))
                    .isEqualTo(List.of(List.of("a", List.of("RO"))));
            // Keys that only a command's own key finder sees, with the flags Redis's getkeys procs give.
            assertThat(c.call("COMMAND", "GETKEYSANDFLAGS", "sort", "k1", "store", "k2"))
                    .isEqualTo(List.of(List.of("k1", List.of("RO", "access")), List.of("k2", List.of("OW", "update"))));
            assertThat(c.call("COMMAND", "GETKEYSANDFLAGS", "migrate", "h", "1", "", "0", "5", "keys", "a", "b"))
                    .isEqualTo(List.of(List.of("a", List.of("RW", "access", "delete")), List.of("b", List.of("RW", "access", "delete"))));
        }
    }

    @Test
    void getkeysErrors() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("COMMAND", "GETKEYS", "nosuch", "x")).hasToString("-ERR Invalid command specified");
            assertThat(c.call("COMMAND", "GETKEYS", "config", "nosuch")).hasToString("-ERR Invalid command specified");
            assertThat(c.call("COMMAND", "GETKEYS", "ping", "x")).hasToString("-ERR The command has no key arguments");
            assertThat(c.call("COMMAND", "GETKEYS", "config", "get", "x")).hasToString("-ERR The command has no key arguments");
            assertThat(c.call("COMMAND", "GETKEYS", "get", "a", "b")).hasToString("-ERR Invalid number of arguments specified for command");
            assertThat(c.call("COMMAND", "GETKEYS", "mset", "a")).hasToString("-ERR Invalid number of arguments specified for command");
            assertThat(c.call("COMMAND", "GETKEYS", "get")).hasToString("-ERR wrong number of arguments for 'command|getkeys' command");
            assertThat(c.call("COMMAND", "NOSUCH")).hasToString("-ERR unknown subcommand 'NOSUCH'. Try COMMAND HELP.");
            assertThat(c.call("COMMAND", "COUNT", "x")).hasToString("-ERR wrong number of arguments for 'command|count' command");
            List<Object> help = (List<Object>) c.call("COMMAND", "HELP");
            assertThat(help.get(0)).isEqualTo("COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
            assertThat(help).contains("GETKEYSANDFLAGS <full-command>", "HELP");
        }
    }

    @Test
    void lettuceParsesTheCommandTable() {
        RedisClient client = RedisClient.create(node.uri());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            List<CommandDetail> details = CommandDetailParser.parse(conn.sync().commandInfo("get", "mset", "client"));
            assertThat(details).hasSize(3);
            CommandDetail get = details.get(0);
            assertThat(get.getName()).isEqualTo("get");
            assertThat(get.getArity()).isEqualTo(2);
            assertThat(get.getFirstKeyPosition()).isEqualTo(1);
            assertThat(get.getFlags()).contains(CommandDetail.Flag.READONLY, CommandDetail.Flag.FAST);
            assertThat(details.get(1).getKeyStepCount()).isEqualTo(2);
            assertThat(conn.sync().commandCount()).isEqualTo(node.node().commands().commands().size());
        } finally {
            client.shutdown();
        }
    }
}
