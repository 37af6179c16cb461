package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.moon.node.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** CLIENT subcommands between several connections, with Redis 7.0's line format and error texts. */
@SuppressWarnings("unchecked")
class ClientCommandIT extends FourShardNode {
    /** Redis 7.0's CLIENT LIST fields in order, plus 7.2's lib-name and lib-ver. */
    static final String LINE = "id=\\d+ addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:\\d+ fd=-?\\d+ name=\\S* age=\\d+ idle=\\d+ "
            + "flags=[A-Za-z]+ db=\\d+ sub=0 psub=0 ssub=0 multi=-1 qbuf=\\d+ qbuf-free=\\d+ argv-mem=\\d+ multi-mem=0 "
            + "rbs=\\d+ rbp=\\d+ obl=0 oll=0 omem=\\d+ tot-mem=\\d+ events=rw? cmd=\\S+ user=default redir=-1 resp=[23] "
            + "lib-name=\\S* lib-ver=\\S*";

    private static long id(RawClient c) throws Exception {
        return (long) c.call("CLIENT", "ID");
    }

    private static String field(String line, String name) {
        for (String f : line.trim().split(" ")) if (f.startsWith(name + "=")) return f.substring(name.length() + 1);
        throw new AssertionError(name + " not in " + line);
    }

    @Test
    void idNameAndInfo() throws Exception {
        try (RawClient a = node.raw(); RawClient b = node.raw()) {
            long ida = id(a), idb = id(b);
            assertThat(idb).isGreaterThan(ida);
            assertThat(a.call("CLIENT", "GETNAME")).isNull();
            assertThat(a.call("CLIENT", "SETNAME", "alpha")).isEqualTo("OK");
            assertThat(a.call("CLIENT", "GETNAME")).isEqualTo("alpha");
            assertThat(a.call("CLIENT", "SETNAME", "has space")).hasToString(
                    "-ERR Client names cannot contain spaces, newlines or special characters.");
            assertThat(a.call("CLIENT", "SETNAME", "new\nline")).hasToString(
                    "-ERR Client names cannot contain spaces, newlines or special characters.");
            String info = (String) a.call("CLIENT", "INFO");
            assertThat(info).endsWith("\n");
            assertThat(info.trim()).matches(LINE);
            assertThat(field(info, "id")).isEqualTo(Long.toString(ida));
            assertThat(field(info, "name")).isEqualTo("alpha");
            assertThat(field(info, "cmd")).isEqualTo("client|info");
            // The running command is still in the query buffer: *2 $6 client $4 info.
            assertThat(field(info, "qbuf")).isEqualTo("26");
            assertThat(field(info, "flags")).isEqualTo("N");
            assertThat(a.call("CLIENT", "SETNAME", "")).isEqualTo("OK");
            assertThat(a.call("CLIENT", "GETNAME")).isNull();
            assertThat(a.call("CLIENT", "ID", "x")).hasToString("-ERR wrong number of arguments for 'client|id' command");
            assertThat(a.call("CLIENT")).hasToString("-ERR wrong number of arguments for 'client' command");
            assertThat(a.call("CLIENT", "NOSUCH")).hasToString("-ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP.");
        }
    }

    @Test
    void listShowsEveryConnectionAndItsState() throws Exception {
        try (RawClient a = node.raw(); RawClient b = node.raw()) {
            long ida = id(a), idb = id(b);
            b.call("SELECT", "3");
            b.call("CLIENT", "SETNAME", "bee");
            b.call("CLIENT", "NO-EVICT", "on");
            b.call("CLIENT", "NO-TOUCH", "on");
            b.call("CLIENT", "SETINFO", "LIB-NAME", "moon-test");
            b.call("CLIENT", "SETINFO", "lib-ver", "1.2.3");
            b.call("HELLO", "3");
            String list = (String) a.call("CLIENT", "LIST");
            List<String> lines = List.of(list.split("\n"));
            assertThat(lines).allMatch(l -> l.matches(LINE));
            String la = lines.stream().filter(l -> l.startsWith("id=" + ida + " ")).findFirst().orElseThrow();
            String lb = lines.stream().filter(l -> l.startsWith("id=" + idb + " ")).findFirst().orElseThrow();
            assertThat(field(la, "cmd")).isEqualTo("client|list");
            assertThat(field(la, "qbuf")).isEqualTo("26");
            assertThat(field(lb, "name")).isEqualTo("bee");
            assertThat(field(lb, "db")).isEqualTo("3");
            assertThat(field(lb, "flags")).isEqualTo("eT");
            assertThat(field(lb, "resp")).isEqualTo("3");
            assertThat(field(lb, "lib-name")).isEqualTo("moon-test");
            assertThat(field(lb, "lib-ver")).isEqualTo("1.2.3");
            assertThat(field(lb, "cmd")).isEqualTo("hello");
            assertThat(field(lb, "qbuf")).isEqualTo("0");
            assertThat(field(la, "laddr")).isEqualTo("127.0.0.1:" + node.port());
            List<Long> ids = new ArrayList<>();
            for (String l : lines) ids.add(Long.parseLong(field(l, "id")));
            assertThat(ids).isSorted();

            String byId = (String) a.call("CLIENT", "LIST", "ID", Long.toString(idb), "999999", Long.toString(ida));
            assertThat(byId.split("\n")).hasSize(2);
            assertThat(byId).startsWith("id=" + idb + " ");
            assertThat(((String) a.call("CLIENT", "LIST", "TYPE", "normal")).split("\n")).hasSizeGreaterThanOrEqualTo(2);
            assertThat(a.call("CLIENT", "LIST", "TYPE", "pubsub")).isEqualTo("");
            assertThat(a.call("CLIENT", "LIST", "TYPE", "REPLICA")).isEqualTo("");
            assertThat(a.call("CLIENT", "LIST", "TYPE", "bogus")).hasToString("-ERR Unknown client type 'bogus'");
            assertThat(a.call("CLIENT", "LIST", "ID", "abc")).hasToString("-ERR Invalid client ID");
            assertThat(a.call("CLIENT", "LIST", "ID")).hasToString("-ERR syntax error");
            assertThat(a.call("CLIENT", "LIST", "foo", "bar")).hasToString("-ERR syntax error");
        }
    }

    @Test
    void monitorFlag() throws Exception {
        try (RawClient a = node.raw(); RawClient m = node.raw()) {
            long idm = id(m);
            m.call("MONITOR");
            String line = (String) a.call("CLIENT", "LIST", "ID", Long.toString(idm));
            assertThat(field(line, "flags")).isEqualTo("O");
            assertThat(field(line, "cmd")).isEqualTo("monitor");
        }
    }

    @Test
    void killByAddressTheOldWay() throws Exception {
        try (RawClient a = node.raw(); RawClient victim = node.raw()) {
            String addr = field((String) victim.call("CLIENT", "INFO"), "addr");
            assertThat(a.call("CLIENT", "KILL", addr)).isEqualTo("OK");
            assertThat(victim.closedByServer()).isTrue();
            assertThat(a.call("CLIENT", "KILL", addr)).hasToString("-ERR No such client");
            assertThat(a.call("CLIENT", "KILL", "1.2.3.4:5")).hasToString("-ERR No such client");
            // The old form may kill the caller itself, after its reply.
            String self = field((String) a.call("CLIENT", "INFO"), "addr");
            assertThat(a.call("CLIENT", "KILL", self)).isEqualTo("OK");
            assertThat(a.closedByServer()).isTrue();
        }
    }

    @Test
    void killByFilters() throws Exception {
        try (Jedis j = node.jedis(); RawClient a = node.raw(); RawClient b = node.raw(); RawClient c = node.raw()) {
            long idb = id(b);
            assertThat(a.call("CLIENT", "KILL", "ID", Long.toString(idb))).isEqualTo(1L);
            assertThat(b.closedByServer()).isTrue();
            assertThat(a.call("CLIENT", "KILL", "ID", Long.toString(idb))).isEqualTo(0L);
            String cAddr = field((String) c.call("CLIENT", "INFO"), "addr");
            assertThat(a.call("CLIENT", "KILL", "ADDR", cAddr, "TYPE", "pubsub")).isEqualTo(0L);
            assertThat(a.call("CLIENT", "KILL", "ADDR", cAddr, "USER", "default", "TYPE", "normal")).isEqualTo(1L);
            assertThat(c.closedByServer()).isTrue();
            j.ping();
            // Every connection shares the local address; SKIPME (yes by default) spares the caller.
            long killed = (long) a.call("CLIENT", "KILL", "LADDR", "127.0.0.1:" + node.port());
            assertThat(killed).isGreaterThanOrEqualTo(1);
            assertThat(a.call("PING")).isEqualTo("PONG");
            String left = (String) a.call("CLIENT", "LIST");
            assertThat(left.split("\n")).hasSize(1);
            assertThat(field(left, "id")).isEqualTo(Long.toString(id(a)));
            assertThat(InfoCommandIT.fields((String) a.call("INFO", "clients")).get("connected_clients")).isEqualTo("1");
        }
    }

    @Test
    void killSkipmeNoKillsTheCallerAfterItsReply() throws Exception {
        try (RawClient a = node.raw()) {
            long self = id(a);
            assertThat(a.call("CLIENT", "KILL", "ID", Long.toString(self), "SKIPME", "no")).isEqualTo(1L);
            assertThat(a.closedByServer()).isTrue();
        }
        try (RawClient a = node.raw()) {
            assertThat(a.call("CLIENT", "KILL", "ID", Long.toString(id(a)), "SKIPME", "yes")).isEqualTo(0L);
            assertThat(a.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void killErrors() throws Exception {
        try (RawClient a = node.raw()) {
            assertThat(a.call("CLIENT", "KILL")).hasToString("-ERR wrong number of arguments for 'client|kill' command");
            assertThat(a.call("CLIENT", "KILL", "ID", "10", "wrong_arg")).hasToString("-ERR syntax error");
            assertThat(a.call("CLIENT", "KILL", "ID", "str")).hasToString("-ERR client-id should be greater than 0");
            assertThat(a.call("CLIENT", "KILL", "ID", "-1")).hasToString("-ERR client-id should be greater than 0");
            assertThat(a.call("CLIENT", "KILL", "ID", "0")).hasToString("-ERR client-id should be greater than 0");
            assertThat(a.call("CLIENT", "KILL", "TYPE", "wrong_type")).hasToString("-ERR Unknown client type 'wrong_type'");
            assertThat(a.call("CLIENT", "KILL", "USER", "wrong_user")).hasToString("-ERR No such user 'wrong_user'");
            assertThat(a.call("CLIENT", "KILL", "SKIPME", "yes_or_no")).hasToString("-ERR syntax error");
            assertThat(a.call("CLIENT", "KILL", "BOGUS", "x")).hasToString("-ERR syntax error");
        }
    }

    @Test
    void replyOffOnAndSkip() throws Exception {
        try (RawClient c = node.raw()) {
            c.command("CLIENT", "REPLY", "OFF");
            c.command("PING", "silenced1");
            c.command("NOSUCHCOMMAND");
            c.command("SET", "reply:k", "v");
            assertThat(c.call("CLIENT", "REPLY", "ON")).isEqualTo("OK");
            assertThat(c.call("GET", "reply:k")).isEqualTo("v");

            c.command("CLIENT", "REPLY", "SKIP");
            c.command("PING", "skipped");
            assertThat(c.call("PING", "after")).isEqualTo("after");

            c.command("CLIENT", "REPLY", "SKIP");
            assertThat(c.call("CLIENT", "REPLY", "ON")).isEqualTo("OK");
            assertThat(c.call("PING")).isEqualTo("PONG");

            // Pipelined, with keys on other shards in between.
            c.command("CLIENT", "REPLY", "SKIP");
            c.command("MSET", "a1", "1", "b2", "2", "c3", "3");
            c.command("GET", "a1");
            assertThat(c.read()).isEqualTo("1");
            assertThat(c.call("CLIENT", "REPLY", "MAYBE")).hasToString("-ERR syntax error");
        }
    }

    @Test
    void noEvictNoTouchAndSetinfoErrors() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("CLIENT", "NO-EVICT", "on")).isEqualTo("OK");
            assertThat(field((String) c.call("CLIENT", "INFO"), "flags")).isEqualTo("e");
            assertThat(c.call("CLIENT", "NO-EVICT", "off")).isEqualTo("OK");
            assertThat(c.call("CLIENT", "NO-EVICT", "maybe")).hasToString("-ERR syntax error");
            assertThat(c.call("CLIENT", "NO-TOUCH", "ON")).isEqualTo("OK");
            assertThat(field((String) c.call("CLIENT", "INFO"), "flags")).isEqualTo("T");
            assertThat(c.call("CLIENT", "NO-TOUCH", "OFF")).isEqualTo("OK");
            assertThat(c.call("CLIENT", "NO-TOUCH", "x")).hasToString("-ERR syntax error");
            assertThat(field((String) c.call("CLIENT", "INFO"), "flags")).isEqualTo("N");
            assertThat(c.call("CLIENT", "SETINFO", "LIB-NAME", "bad name")).hasToString(
                    "-ERR LIB-NAME cannot contain spaces, newlines or special characters.");
            assertThat(c.call("CLIENT", "SETINFO", "colour", "blue")).hasToString("-ERR Unrecognized option 'colour'");
            assertThat(c.call("CLIENT", "SETINFO", "lib-name")).hasToString("-ERR wrong number of arguments for 'client|setinfo' command");
            List<Object> help = (List<Object>) c.call("CLIENT", "HELP");
            assertThat(help.get(0)).isEqualTo("CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
            assertThat(help).contains("KILL <ip:port>", "REPLY (ON|OFF|SKIP)", "NO-EVICT (ON|OFF)");
        }
    }

    @Test
    void realClientsNameAndListThemselves() {
        RedisClient client = RedisClient.create(node.uri());
        try (StatefulRedisConnection<String, String> conn = client.connect(); Jedis j = node.jedis()) {
            conn.sync().clientSetname("lettuce-conn");
            assertThat(conn.sync().clientGetname()).isEqualTo("lettuce-conn");
            j.clientSetname("jedis-conn");
            assertThat(j.clientList()).contains("name=lettuce-conn", "name=jedis-conn");
            long lettuceId = conn.sync().clientId();
            // Jedis sends CLIENT SETINFO on connect: its library name shows.
            assertThat(j.clientInfo()).contains("lib-name=jedis");
            assertThat(j.clientKill(new redis.clients.jedis.params.ClientKillParams().id(Long.toString(lettuceId)))).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> !j.clientList().contains("name=lettuce-conn"));
        } finally {
            client.shutdown();
        }
    }
}
