package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.moon.node.testing.RawClient;
import io.moon.node.testing.RawClient.Err;
import io.moon.node.testing.TestNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.FunctionRestorePolicy;

/**
 * FUNCTION LOAD/DELETE/FLUSH/LIST/DUMP/RESTORE/KILL/STATS/HELP, FCALL and FCALL_RO on a 4-shard
 * node: libraries and their errors, flags, keys on several shards, busy functions.
 */
class FunctionCommandsIT extends FourShardNode {

    @BeforeEach
    void flush() throws Exception {
        try (RawClient c = node.raw()) {
            c.call("FUNCTION", "FLUSH");
        }
    }

    private static String lib(String name, String body) {
        return "#!lua name=" + name + "\n" + body;
    }

    private static String fn(String lib, String function, String body) {
        return lib(lib, "redis.register_function('" + function + "', function(KEYS, ARGV)\n " + body + " \nend)");
    }

    @Test
    void loadCallListDelete() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("FUNCTION", "LOAD", fn("test", "test", "return 'hello'"))).isEqualTo("test");
            assertThat(c.call("FCALL", "test", "0")).isEqualTo("hello");
            assertThat(c.call("FCALL", "TEST", "0")).isEqualTo("hello");
            assertThat(c.call("FUNCTION", "LOAD", fn("test", "test", "return 'again'")))
                    .isEqualTo(new Err("ERR Library 'test' already exists"));
            assertThat(c.call("FUNCTION", "LOAD", "REPLACE", fn("test", "test", "return 'again'"))).isEqualTo("test");
            assertThat(c.call("FCALL", "test", "0")).isEqualTo("again");
            assertThat(c.call("FUNCTION", "LOAD", "REPLACE", fn("test", "test", "bad code")))
                    .isInstanceOf(Err.class);
            assertThat(c.call("FCALL", "test", "0")).isEqualTo("again");
            assertThat(c.call("FUNCTION", "LIST")).isEqualTo(List.of(List.of("library_name", "test", "engine", "LUA",
                    "functions", List.of(Arrays.asList("name", "test", "description", null, "flags", List.of())))));
            assertThat(c.call("FUNCTION", "DELETE", "test")).isEqualTo("OK");
            assertThat(c.call("FCALL", "test", "0")).isEqualTo(new Err("ERR Function not found"));
            assertThat(c.call("FUNCTION", "DELETE", "test")).isEqualTo(new Err("ERR Library not found"));
        }
    }

    @Test
    void namedArgumentsFlagsDescriptionsAndListOptions() throws Exception {
        try (RawClient c = node.raw()) {
            c.call("FUNCTION", "LOAD", lib("lib1", "redis.register_function{function_name='f1', callback=function()"
                    + " return 1 end, flags={'no-writes', 'allow-oom'}, description='the first'}"));
            c.call("FUNCTION", "LOAD", fn("lib2", "f2", "return 2"));
            Object one = c.call("FUNCTION", "LIST", "LIBRARYNAME", "lib1", "WITHCODE");
            assertThat(one).isEqualTo(List.of(List.of("library_name", "lib1", "engine", "LUA", "functions",
                    List.of(List.of("name", "f1", "description", "the first", "flags", List.of("no-writes", "allow-oom"))),
                    "library_code", lib("lib1", "redis.register_function{function_name='f1', callback=function()"
                            + " return 1 end, flags={'no-writes', 'allow-oom'}, description='the first'}"))));
            assertThat((List<?>) c.call("FUNCTION", "LIST", "LIBRARYNAME", "lib*")).hasSize(2);
            assertThat(c.call("FUNCTION", "LIST", "LIBRARYNAME")).isEqualTo(new Err("ERR library name argument was not given"));
            assertThat(c.call("FUNCTION", "LIST", "foo")).isEqualTo(new Err("ERR Unknown argument foo"));
            c.call("HELLO", "3");
            @SuppressWarnings("unchecked") Map<Object, Object> resp3 =
                    (Map<Object, Object>) ((List<?>) c.call("FUNCTION", "LIST", "LIBRARYNAME", "lib2")).get(0);
            assertThat(resp3).containsEntry("library_name", "lib2").containsEntry("engine", "LUA");
            @SuppressWarnings("unchecked") Map<Object, Object> f2 = (Map<Object, Object>) ((List<?>) resp3.get("functions")).get(0);
            assertThat(f2).containsEntry("name", "f2").containsEntry("flags", List.of());
            assertThat(f2.get("description")).isNull();
            c.call("HELLO", "2");
        }
    }

    @Test
    void loadErrors() throws Exception {
        try (RawClient c = node.raw()) {
            String[][] cases = {
                {"redis.register_function('f', function() end)", "ERR Missing library metadata"},
                {"#!lua name=x", "ERR Invalid library metadata"},
                {"#!lua\nx", "ERR Library name was not given"},
                {"#!lua name=a name=b\nx", "ERR Invalid metadata value, name argument was given multiple times"},
                {"#!lua name=x foo=bar\nx", "ERR Invalid metadata value given: foo=bar"},
                {"#!lua name=bad-name\nx", "ERR Library names can only contain letters, numbers, or underscores(_) and"
                        + " must be at least one character long"},
                {"#!bad_engine name=x\nx", "ERR Engine 'bad_engine' not found"},
                {"#!lua name=x\nlocal a = 1", "ERR No functions registered"},
                {"#!lua name=x\nbad script", "ERR Error compiling function: user_function:2: '=' expected near 'script'"},
                {"#!lua name=x\nlocal a = pairs", "ERR Error registering functions: ERR user_function:2: Script attempted"
                        + " to access nonexistent global variable 'pairs'"},
                {"#!lua name=x\nredis.call('ping')", "ERR Error registering functions: ERR user_function:2: Script"
                        + " attempted to access nonexistent global variable 'call'"},
                {"#!lua name=x\nredis.register_function()", "ERR Error registering functions: ERR wrong number of"
                        + " arguments to redis.register_function"},
                {"#!lua name=x\nredis.register_function('f', 1)", "ERR Error registering functions: ERR second argument"
                        + " to redis.register_function must be a function"},
                {"#!lua name=x\nredis.register_function{function_name='f'}", "ERR Error registering functions: ERR"
                        + " redis.register_function must get a callback argument"},
                {"#!lua name=x\nredis.register_function{callback=function() end, flags={'bad'}, function_name='f'}",
                    "ERR Error registering functions: ERR unknown flag given"},
                {"#!lua name=x\nredis.register_function('f', function() end)"
                        + " redis.register_function('f', function() end)",
                    "ERR Error registering functions: ERR Function already exists in the library"},
            };
            for (String[] t : cases) assertThat(c.call("FUNCTION", "LOAD", t[0])).as(t[0]).isEqualTo(new Err(t[1]));
            assertThat(c.call("FUNCTION", "LOAD", "foo", "#!lua name=x\nx")).isEqualTo(new Err("ERR Unknown option given: foo"));
            c.call("FUNCTION", "LOAD", fn("owner", "shared", "return 1"));
            assertThat(c.call("FUNCTION", "LOAD", fn("other", "SHARED", "return 2")))
                    .isEqualTo(new Err("ERR Function SHARED already exists"));
            assertThat(c.call("FUNCTION", "LOAD", lib("slow", "while true do end")))
                    .isEqualTo(new Err("ERR Error registering functions: ERR FUNCTION LOAD timeout"));
        }
    }

    @Test
    void fcallArgumentsKeysAndReadOnly() throws Exception {
        String[] keys = {ShardKeys.on(node.node(), 0, "fk"), ShardKeys.on(node.node(), 3, "fk")};
        try (RawClient c = node.raw()) {
            c.call("FUNCTION", "LOAD", lib("kv", "redis.register_function('setboth', function(KEYS, ARGV)"
                    + " redis.call('set', KEYS[1], ARGV[1]) redis.call('set', KEYS[2], ARGV[1])"
                    + " return redis.call('mget', KEYS[1], KEYS[2]) end)"
                    + " redis.register_function{function_name='getone', callback=function(KEYS) return"
                    + " redis.call('get', KEYS[1]) end, flags={'no-writes'}}"));
            assertThat(c.call("FCALL", "setboth", "2", keys[0], keys[1], "v")).isEqualTo(List.of("v", "v"));
            assertThat(c.call("FCALL_RO", "getone", "1", keys[1])).isEqualTo("v");
            assertThat(c.call("FCALL_RO", "setboth", "2", keys[0], keys[1], "w"))
                    .isEqualTo(new Err("ERR Can not execute a script with write flag using *_ro command."));
            assertThat(c.call("FCALL", "setboth", "x")).isEqualTo(new Err("ERR Bad number of keys provided"));
            assertThat(c.call("FCALL", "setboth", "-1")).isEqualTo(new Err("ERR Number of keys can't be negative"));
            assertThat(c.call("FCALL", "setboth", "3", "a"))
                    .isEqualTo(new Err("ERR Number of keys can't be greater than number of args"));
            c.call("FUNCTION", "LOAD", fn("w", "writer", "return redis.call('set', KEYS[1], 'x')"));
            c.call("FUNCTION", "LOAD", lib("ro", "redis.register_function{function_name='ro_writer',"
                    + " callback=function(KEYS) return redis.call('set', KEYS[1], 'x') end, flags={'no-writes'}}"));
            assertThat(c.call("FCALL", "ro_writer", "1", keys[0])).isEqualTo(new Err("ERR Write commands are not allowed"
                    + " from read-only scripts. script: ro_writer, on @user_function:2."));
            assertThat(c.call("COMMAND", "GETKEYS", "FCALL", "writer", "1", "x", "y")).isEqualTo(List.of("x"));
        }
    }

    @Test
    void dumpAndRestoreWithEveryPolicy() throws Exception {
        try (Jedis j = node.jedis(); RawClient c = node.raw()) {
            j.functionLoad(fn("one", "one", "return 'one'"));
            byte[] dump = j.functionDump();
            j.functionFlush();
            assertThat(j.functionList()).isEmpty();
            assertThat(j.functionRestore(dump)).isEqualTo("OK");
            assertThat(j.fcall("one", List.of(), List.of())).isEqualTo("one");
            assertThat(c.call("FUNCTION", "RESTORE", new String(dump, java.nio.charset.StandardCharsets.ISO_8859_1)))
                    .isEqualTo(new Err("ERR Library one already exists"));
            j.functionLoad(fn("two", "two", "return 'two'"));
            assertThat(j.functionRestore(dump, FunctionRestorePolicy.FLUSH)).isEqualTo("OK");
            assertThat(j.functionList()).hasSize(1);
            j.functionLoad(fn("one_b", "one_b", "return 1"));
            j.functionDelete("one");
            j.functionLoad(fn("one", "one", "return 'new'"));
            assertThat(j.functionRestore(dump, FunctionRestorePolicy.REPLACE)).isEqualTo("OK");
            assertThat(j.fcall("one", List.of(), List.of())).isEqualTo("one");
            assertThat(c.call("FUNCTION", "RESTORE", "bad_payload"))
                    .isEqualTo(new Err("ERR DUMP payload version or checksum are wrong"));
            assertThat(c.call("FUNCTION", "RESTORE", "a", "b"))
                    .isEqualTo(new Err("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."));
            assertThat(c.call("FUNCTION", "RESTORE", "a", "b", "c"))
                    .isEqualTo(new Err("ERR unknown subcommand or wrong number of arguments for 'RESTORE'. Try FUNCTION HELP."));
            assertThat(c.call("FCALL", "one_b", "0")).isEqualTo(1L);
        }
    }

    @Test
    void flushKillStatsHelp() throws Exception {
        try (RawClient c = node.raw()) {
            c.call("FUNCTION", "LOAD", fn("f", "f", "return 1"));
            assertThat(c.call("FUNCTION", "FLUSH", "bad")).isEqualTo(new Err("ERR FUNCTION FLUSH only supports SYNC|ASYNC option"));
            assertThat(c.call("FUNCTION", "flush", "sync", "extra")).isEqualTo(new Err(
                    "ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP."));
            assertThat(c.call("FUNCTION", "FLUSH", "ASYNC")).isEqualTo("OK");
            assertThat(c.call("FUNCTION", "LIST")).isEqualTo(List.of());
            assertThat(c.call("FUNCTION", "KILL")).isEqualTo(new Err("NOTBUSY No scripts in execution right now."));
            c.call("FUNCTION", "LOAD", fn("f", "f", "return 1"));
            assertThat(c.call("FUNCTION", "STATS")).isEqualTo(Arrays.asList("running_script", null, "engines",
                    List.of("LUA", List.of("libraries_count", 1L, "functions_count", 1L))));
            assertThat((List<?>) c.call("FUNCTION", "HELP")).hasSize(40);
            assertThat(c.call("FUNCTION", "BAD")).isEqualTo(new Err("ERR unknown subcommand 'BAD'. Try FUNCTION HELP."));
            assertThat((String) c.call("INFO", "memory")).contains("number_of_functions:1").contains("number_of_libraries:1");
        }
    }

    @Test
    void functionKillAndStatsOfABusyFunction() throws Exception {
        String k = ShardKeys.on(node.node(), 1, "busyf");
        try (RawClient admin = node.raw(); RawClient looping = node.raw(); RawClient probe = node.raw()) {
            admin.call("CONFIG", "SET", "busy-reply-threshold", "50");
            admin.call("FUNCTION", "LOAD", fn("busy", "spin", "local a = 1 while true do a = a + 1 end"));
            looping.command("FCALL", "spin", "1", k);
            String busy = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
            await().atMost(Duration.ofSeconds(10)).until(() -> new Err(busy).equals(probe.call("GET", k)));
            @SuppressWarnings("unchecked") List<Object> stats = (List<Object>) admin.call("FUNCTION", "STATS");
            @SuppressWarnings("unchecked") List<Object> running = (List<Object>) stats.get(1);
            assertThat(running.subList(0, 4)).isEqualTo(List.of("name", "spin", "command", List.of("FCALL", "spin", "1", k)));
            assertThat((Long) running.get(5)).isGreaterThanOrEqualTo(50L);
            assertThat(admin.call("SCRIPT", "KILL")).isEqualTo(new Err(busy));
            assertThat(admin.call("FUNCTION", "KILL")).isEqualTo("OK");
            assertThat(looping.read()).isEqualTo(new Err("ERR Script killed by user with SCRIPT KILL... script: spin,"
                    + " on @user_function:3."));
            assertThat(probe.call("GET", k)).isNull();
            admin.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }
}
