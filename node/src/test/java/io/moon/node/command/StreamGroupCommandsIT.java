package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.moon.node.testing.RawClient;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamPendingEntry;
import redis.clients.jedis.resps.StreamPendingSummary;

/**
 * Consumer groups on a 4-shard node: XGROUP and its subcommands, XREADGROUP (history, NOACK,
 * BLOCK and what wakes it), XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO GROUPS/CONSUMERS/STREAM
 * FULL, with Redis 7.0.15's replies and errors, through Jedis, Lettuce and raw RESP.
 */
class StreamGroupCommandsIT extends StreamITBase {
    static final String ID_INVALID = StreamCommandsIT.ID_INVALID;
    static final String NEEDS_KEY = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want"
            + " to use the MKSTREAM option to create an empty stream automatically.";

    // ---------------------------------------------------------------- XGROUP

    @Test
    void xgroupCreateAndDuplicates() throws Exception {
        assertThat(error("XGROUP", "CREATE", "s", "g", "$")).isEqualTo(NEEDS_KEY);
        assertThat(call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")).isEqualTo("OK");
        assertThat(call("TYPE", "s")).isEqualTo("stream");
        assertThat(error("XGROUP", "CREATE", "s", "g", "$")).isEqualTo("BUSYGROUP Consumer Group name already exists");
        assertThat(call("XGROUP", "CREATE", "s", "g2", "0", "ENTRIESREAD", "7")).isEqualTo("OK");
        assertThat(error("XGROUP", "CREATE", "s", "g3", "0", "ENTRIESREAD", "-5"))
                .isEqualTo("ERR value for ENTRIESREAD must be positive or -1");
        assertThat(error("XGROUP", "CREATE", "s", "g3", "0", "BOGUS"))
                .isEqualTo("ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.");
        assertThat(error("XGROUP", "CREATE", "s", "g3", "0", "MKSTREAM", "ENTRIESREAD", "1", "MKSTREAM"))
                .isEqualTo("ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.");
        assertThat(error("XGROUP", "CREATE", "s", "g3", "-")).isEqualTo(ID_INVALID);
        assertThat(error("XGROUP", "CREATE", "s")).isEqualTo(wrongArgs("xgroup|create"));
        assertThat(error("XGROUP", "FOO", "s", "g")).isEqualTo("ERR unknown subcommand 'FOO'. Try XGROUP HELP.");
        assertThat(error("XGROUP")).isEqualTo(wrongArgs("xgroup"));
        call("SET", "str", "x");
        assertThat(error("XGROUP", "CREATE", "str", "g", "$", "MKSTREAM")).startsWith("WRONGTYPE");
        assertThat(j.xgroupCreate("j", "jg", StreamEntryID.XGROUP_LAST_ENTRY, true)).isEqualTo("OK");
        assertThat(lettuce.xgroupCreate(XReadArgs.StreamOffset.from("l", "0"), "lg", XGroupCreateArgs.Builder.mkstream()))
                .isEqualTo("OK");
        List<Object> help = list(call("XGROUP", "HELP"));
        assertThat(help.getFirst()).isEqualTo("XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        assertThat(help).contains("SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]");
    }

    @Test
    void xgroupSetidDestroyAndConsumers() throws Exception {
        call("XADD", "s", "1-0", "f", "v");
        call("XADD", "s", "2-0", "f", "v");
        call("XGROUP", "CREATE", "s", "g", "$");
        assertThat(error("XGROUP", "SETID", "s", "nog", "0")).isEqualTo("NOGROUP No such consumer group 'nog' for key name 's'");
        assertThat(error("XGROUP", "SETID", "missing", "g", "0")).isEqualTo(NEEDS_KEY);
        assertThat(error("XGROUP", "SETID", "s", "g", "0", "MKSTREAM"))
                .isEqualTo("ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP.");
        assertThat(call("XGROUP", "SETID", "s", "g", "0")).isEqualTo("OK");
        assertThat(call("XGROUP", "SETID", "s", "g", "-", "ENTRIESREAD", "0")).isEqualTo("OK");
        assertThat(readGroup("g", "c", "s", ">")).isEqualTo(List.of(List.of("s", List.of(entry("1-0", "f", "v"),
                entry("2-0", "f", "v")))));
        assertThat(call("XGROUP", "CREATECONSUMER", "s", "g", "bob")).isEqualTo(1L);
        assertThat(call("XGROUP", "CREATECONSUMER", "s", "g", "bob")).isEqualTo(0L);
        assertThat(error("XGROUP", "CREATECONSUMER", "s", "nog", "bob"))
                .isEqualTo("NOGROUP No such consumer group 'nog' for key name 's'");
        assertThat(call("XGROUP", "DELCONSUMER", "s", "g", "c")).isEqualTo(2L);
        assertThat(call("XGROUP", "DELCONSUMER", "s", "g", "nobody")).isEqualTo(0L);
        assertThat(((List<?>) call("XPENDING", "s", "g")).getFirst()).isEqualTo(0L);
        assertThat(call("XGROUP", "DESTROY", "s", "g")).isEqualTo(1L);
        assertThat(call("XGROUP", "DESTROY", "s", "g")).isEqualTo(0L);
        assertThat(error("XGROUP", "DESTROY", "missing", "g")).isEqualTo(NEEDS_KEY);
        assertThat(error("XGROUP", "DESTROY", "s", "g", "x")).isEqualTo(wrongArgs("xgroup|destroy"));
        call("XGROUP", "CREATE", "s", "g2", "0");
        assertThat(j.xgroupCreateConsumer("s", "g2", "x")).isTrue();
        assertThat(j.xgroupCreateConsumer("s", "g2", "x")).isFalse();
        assertThat(j.xgroupDelConsumer("s", "g2", "x")).isZero();
    }

    // ---------------------------------------------------------------- XREADGROUP

    @Test
    void xreadgroupNewEntriesHistoryAndNoack() throws Exception {
        call("XADD", "s", "1-0", "a", "1");
        call("XGROUP", "CREATE", "s", "g", "$");
        call("XADD", "s", "2-0", "b", "2");
        call("XADD", "s", "3-0", "c", "3");
        assertThat(readGroup("g", "alice", "s", ">")).isEqualTo(List.of(List.of("s", List.of(entry("2-0", "b", "2"),
                entry("3-0", "c", "3")))));
        assertThat(readGroup("g", "alice", "s", ">")).isNull();
        call("XADD", "s", "4-0", "d", "4");
        assertThat(call("XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "s", ">"))
                .isEqualTo(List.of(List.of("s", List.of(entry("4-0", "d", "4")))));
        // History: the consumer's own pending entries after the id; a deleted one shows as nil.
        call("XDEL", "s", "2-0");
        assertThat(call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"))
                .isEqualTo(List.of(List.of("s", Arrays.asList(Arrays.asList("2-0", null), entry("3-0", "c", "3")))));
        assertThat(call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", "2-0"))
                .isEqualTo(List.of(List.of("s", List.of(entry("3-0", "c", "3")))));
        assertThat(call("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0")).isEqualTo(List.of(List.of("s", List.of())));
        assertThat(call("XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", "0"))
                .isEqualTo(List.of(List.of("s", List.of())));
        // Reading history delivers again what is still in the stream.
        List<Object> pending = list(call("XPENDING", "s", "g", "-", "+", "10", "alice"));
        assertThat(pending).extracting(p -> (Object) ((List<?>) p).get(3)).containsExactly(1L, 3L);
        assertThat(j.xreadGroup("g", "carol", XReadGroupParams.xReadGroupParams().count(1),
                Map.of("s", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY))).isNull();
        List<StreamMessage<String, String>> lr = lettuce.xreadgroup(Consumer.from("g", "dave"),
                XReadArgs.StreamOffset.from("s", "0"));
        assertThat(lr).isEmpty();
    }

    @Test
    void xreadgroupAcrossShardsAndErrors() throws Exception {
        String[] k = keysOnDistinctShards("grp", 2);
        for (String key : k) {
            call("XADD", key, "1-0", "f", key);
            call("XGROUP", "CREATE", key, "g", "0");
        }
        assertThat(call("XREADGROUP", "GROUP", "g", "c", "STREAMS", k[0], k[1], ">", ">")).isEqualTo(List.of(
                List.of(k[0], List.of(entry("1-0", "f", k[0]))), List.of(k[1], List.of(entry("1-0", "f", k[1])))));
        assertThat(error("XREADGROUP", "GROUP", "nog", "c", "STREAMS", k[0], ">"))
                .isEqualTo("NOGROUP No such key '" + k[0] + "' or consumer group 'nog' in XREADGROUP with GROUP option");
        assertThat(error("XREADGROUP", "GROUP", "g", "c", "STREAMS", "missing", ">"))
                .isEqualTo("NOGROUP No such key 'missing' or consumer group 'g' in XREADGROUP with GROUP option");
        assertThat(error("XREADGROUP", "GROUP", "g", "c", "STREAMS", k[0], "$")).startsWith("ERR The $ ID is meaningless");
        assertThat(error("XREADGROUP", "COUNT", "1", "NOACK", "STREAMS", k[0], "0")).isEqualTo("ERR Missing GROUP option for XREADGROUP");
        assertThat(error("XREADGROUP", "GROUP", "g", "c", "STREAMS", k[0])).isEqualTo(wrongArgs("xreadgroup"));
        assertThat(error("XREADGROUP", "GROUP", "g", "c", "STREAMS", k[0], "bad")).isEqualTo(ID_INVALID);
        call("SET", "str", "x");
        assertThat(error("XREADGROUP", "GROUP", "g", "c", "STREAMS", "str", ">")).startsWith("WRONGTYPE");
    }

    @Test
    void blockingXreadgroupIsServedByXadd() throws Exception {
        call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        try (RawClient waiter = node.raw()) {
            waiter.command("XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(1);
            // The consumer is created only when something is delivered to it, as in Redis.
            assertThat(call("XINFO", "CONSUMERS", "s", "g")).isEqualTo(List.of());
            call("XADD", "s", "5-0", "f", "v");
            assertThat(waiter.read()).isEqualTo(List.of(List.of("s", List.of(entry("5-0", "f", "v")))));
        }
        assertThat(call("XPENDING", "s", "g", "-", "+", "10", "bob")).asList().hasSize(1);
    }

    @Test
    void blockedGroupReadersShareNewEntriesInOrder() throws Exception {
        call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        try (RawClient a = node.raw(); RawClient b = node.raw()) {
            a.command("XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "COUNT", "1", "STREAMS", "s", ">");
            awaitBlocked(1);
            b.command("XREADGROUP", "GROUP", "g", "b", "BLOCK", "0", "COUNT", "1", "STREAMS", "s", ">");
            awaitBlocked(2);
            call("MULTI");
            call("XADD", "s", "1-0", "n", "1");
            call("XADD", "s", "2-0", "n", "2");
            call("EXEC");
            assertThat(a.read()).isEqualTo(List.of(List.of("s", List.of(entry("1-0", "n", "1")))));
            assertThat(b.read()).isEqualTo(List.of(List.of("s", List.of(entry("2-0", "n", "2")))));
        }
    }

    @Test
    void blockedXreadgroupFailsWhenItsGroupOrKeyGoes() throws Exception {
        call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        try (RawClient waiter = node.raw()) {
            waiter.command("XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(1);
            call("XGROUP", "DESTROY", "s", "g");
            assertThat(waiter.read()).isEqualTo(new RawClient.Err(
                    "NOGROUP the consumer group this client was blocked on no longer exists"));

            call("XGROUP", "CREATE", "s", "g", "$");
            waiter.command("XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(1);
            call("DEL", "s");
            assertThat(waiter.read()).isEqualTo(new RawClient.Err("UNBLOCKED the stream key no longer exists"));

            call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            waiter.command("XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(1);
            call("SET", "s", "a string now");
            assertThat(waiter.read()).isEqualTo(new RawClient.Err("UNBLOCKED the stream key no longer exists"));

            call("DEL", "s");
            call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            waiter.command("XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(1);
            call("FLUSHALL");
            assertThat(waiter.read()).isEqualTo(new RawClient.Err("UNBLOCKED the stream key no longer exists"));
        }
    }

    @Test
    void renameOntoABlockedKeyServesOrFailsAsTheNewValueSays() throws Exception {
        call("XGROUP", "CREATE", "s{t}", "g", "$", "MKSTREAM");
        try (RawClient waiter = node.raw()) {
            waiter.command("XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "STREAMS", "s{t}", ">");
            awaitBlocked(1);
            call("XGROUP", "CREATE", "other{t}", "g", "$", "MKSTREAM");
            call("XADD", "other{t}", "100", "f1", "v1");
            call("RENAME", "other{t}", "s{t}");
            assertThat(waiter.read()).isEqualTo(List.of(List.of("s{t}", List.of(entry("100-0", "f1", "v1")))));

            waiter.command("XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "STREAMS", "s{t}", ">");
            awaitBlocked(1);
            call("XADD", "groupless{t}", "100", "f1", "v1");
            call("RENAME", "groupless{t}", "s{t}");
            assertThat(waiter.read()).isEqualTo(new RawClient.Err(
                    "NOGROUP the consumer group this client was blocked on no longer exists"));
        }
    }

    @Test
    void blockedCallIsCountedOnceInCommandStats() throws Exception {
        call("CONFIG", "RESETSTAT");
        call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        try (RawClient waiter = node.raw()) {
            waiter.command("XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "STREAMS", "s", ">");
            awaitBlocked(1);
            call("XGROUP", "DESTROY", "s", "g");
            assertThat(waiter.read()).isInstanceOf(RawClient.Err.class);
        }
        String stats = j.info("commandstats");
        assertThat(stats).contains("cmdstat_xreadgroup:calls=1,").contains("failed_calls=1");
        assertThat(j.info("errorstats")).contains("errorstat_NOGROUP:count=1");
    }

    // ---------------------------------------------------------------- XACK and XPENDING

    @Test
    void xackAndXpending() throws Exception {
        for (int i = 1; i <= 4; i++) call("XADD", "s", i + "-0", "f", "v" + i);
        call("XGROUP", "CREATE", "s", "g", "0");
        call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">");
        call("XREADGROUP", "GROUP", "g", "bob", "COUNT", "2", "STREAMS", "s", ">");
        assertThat(call("XPENDING", "s", "g")).isEqualTo(List.of(4L, "1-0", "4-0",
                List.of(List.of("alice", "2"), List.of("bob", "2"))));
        List<Object> all = list(call("XPENDING", "s", "g", "-", "+", "10"));
        assertThat(all).extracting(p -> (Object) ((List<?>) p).get(0)).containsExactly("1-0", "2-0", "3-0", "4-0");
        assertThat(all).extracting(p -> (Object) ((List<?>) p).get(1)).containsExactly("alice", "alice", "bob", "bob");
        assertThat((List<?>) call("XPENDING", "s", "g", "(1-0", "(4-0", "10")).hasSize(2);
        assertThat((List<?>) call("XPENDING", "s", "g", "-", "+", "1")).hasSize(1);
        assertThat(call("XPENDING", "s", "g", "-", "+", "10", "nobody")).isEqualTo(List.of());
        assertThat(call("XPENDING", "s", "g", "IDLE", "99999999", "-", "+", "10")).isEqualTo(List.of());
        assertThat((List<?>) call("XPENDING", "s", "g", "IDLE", "0", "-", "+", "10", "bob")).hasSize(2);

        assertThat(error("XACK", "s", "g", "1-0", "bad")).isEqualTo(ID_INVALID);
        assertThat(call("XACK", "s", "g", "1-0", "1-0", "9-9")).isEqualTo(1L);
        assertThat(call("XACK", "s", "g", "1-0")).isEqualTo(0L);
        assertThat(call("XACK", "s", "nog", "bad")).isEqualTo(0L);
        assertThat(call("XACK", "missing", "g", "1-0")).isEqualTo(0L);
        assertThat(j.xack("s", "g", new StreamEntryID(2, 0), new StreamEntryID(3, 0))).isEqualTo(2);
        StreamPendingSummary summary = j.xpending("s", "g");
        assertThat(summary.getTotal()).isEqualTo(1);
        assertThat(summary.getConsumerMessageCount()).isEqualTo(Map.of("bob", 1L));
        List<StreamPendingEntry> jp = j.xpending("s", "g", XPendingParams.xPendingParams().count(5));
        assertThat(jp).singleElement().satisfies(p -> {
            assertThat(p.getID()).isEqualTo(new StreamEntryID(4, 0));
            assertThat(p.getConsumerName()).isEqualTo("bob");
            assertThat(p.getDeliveredTimes()).isEqualTo(1);
        });
        assertThat(call("XACK", "s", "g", "4-0")).isEqualTo(1L);
        assertThat(call("XPENDING", "s", "g")).isEqualTo(Arrays.asList(0L, null, null, null));

        assertThat(error("XPENDING", "s", "g", "-", "+")).isEqualTo(RedisError.SYNTAX);
        assertThat(error("XPENDING", "s", "g", "IDLE", "5", "-", "+")).isEqualTo(RedisError.SYNTAX);
        assertThat(error("XPENDING", "s", "g", "IDLE", "x", "-", "+", "10")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("XPENDING", "s", "g", "-", "+", "x")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("XPENDING", "s", "g", "x", "+", "10")).isEqualTo(ID_INVALID);
        assertThat(error("XPENDING", "s", "nog")).isEqualTo("NOGROUP No such key 's' or consumer group 'nog'");
        assertThat(error("XPENDING", "missing", "g", "-", "+", "10")).isEqualTo("NOGROUP No such key 'missing' or consumer group 'g'");
        assertThat(error("XACK", "s", "g")).isEqualTo(wrongArgs("xack"));
        call("SET", "str", "x");
        assertThat(error("XPENDING", "str", "g")).startsWith("WRONGTYPE");
        assertThat(error("XACK", "str", "g", "1")).startsWith("WRONGTYPE");
    }

    // ---------------------------------------------------------------- XCLAIM and XAUTOCLAIM

    @Test
    void xclaimMovesOwnershipWithItsOptions() throws Exception {
        for (int i = 1; i <= 3; i++) call("XADD", "x", i + "-0", "f", "v");
        call("XGROUP", "CREATE", "x", "grp", "0");
        call("XREADGROUP", "GROUP", "grp", "Alice", "STREAMS", "x", ">");
        call("XDEL", "x", "2-0");
        // A deleted entry leaves the pending list instead of being claimed.
        assertThat(call("XCLAIM", "x", "grp", "Bob", "0", "1-0", "2-0", "3-0"))
                .isEqualTo(List.of(entry("1-0", "f", "v"), entry("3-0", "f", "v")));
        assertThat(call("XPENDING", "x", "grp", "-", "+", "10", "Alice")).isEqualTo(List.of());
        List<Object> bob = list(call("XPENDING", "x", "grp", "-", "+", "10", "Bob"));
        assertThat(bob).extracting(p -> (Object) ((List<?>) p).get(3)).containsExactly(2L, 2L);
        assertThat(call("XCLAIM", "x", "grp", "Carol", "0", "1-0", "JUSTID", "RETRYCOUNT", "9", "IDLE", "5000"))
                .isEqualTo(List.of("1-0"));
        List<?> carol = (List<?>) ((List<?>) call("XPENDING", "x", "grp", "-", "+", "10", "Carol")).getFirst();
        assertThat(carol.get(3)).isEqualTo(9L);
        assertThat((Long) carol.get(2)).isBetween(5000L, 15_000L);
        // Not idle long enough: not claimed.
        assertThat(call("XCLAIM", "x", "grp", "Dave", "3600000", "1-0")).isEqualTo(List.of());
        // FORCE creates a pending entry for an entry nobody had; TIME in the future means now.
        call("XADD", "x", "4-0", "f", "v");
        assertThat(call("XCLAIM", "x", "grp", "Dave", "0", "4-0", "FORCE", "TIME", "99999999999999", "LASTID", "10-0"))
                .isEqualTo(List.of(entry("4-0", "f", "v")));
        assertThat(((List<?>) ((List<?>) call("XPENDING", "x", "grp", "4-0", "4-0", "1")).getFirst()).get(1)).isEqualTo("Dave");
        List<?> groups = (List<?>) call("XINFO", "GROUPS", "x");
        assertThat(((List<?>) groups.getFirst()).get(7)).isEqualTo("10-0");
        assertThat(call("XCLAIM", "x", "grp", "Dave", "0", "7-0", "FORCE")).isEqualTo(List.of());

        assertThat(error("XCLAIM", "x", "grp", "Bob", "x", "1-0")).isEqualTo("ERR Invalid min-idle-time argument for XCLAIM");
        assertThat(error("XCLAIM", "x", "grp", "Bob", "0", "1-0", "IDLE", "x")).isEqualTo("ERR Invalid IDLE option argument for XCLAIM");
        assertThat(error("XCLAIM", "x", "grp", "Bob", "0", "1-0", "TIME", "x")).isEqualTo("ERR Invalid TIME option argument for XCLAIM");
        assertThat(error("XCLAIM", "x", "grp", "Bob", "0", "1-0", "RETRYCOUNT", "x"))
                .isEqualTo("ERR Invalid RETRYCOUNT option argument for XCLAIM");
        assertThat(error("XCLAIM", "x", "grp", "Bob", "0", "1-0", "LASTID", "x")).isEqualTo(ID_INVALID);
        assertThat(error("XCLAIM", "x", "grp", "Bob", "0", "1-0", "WHAT")).isEqualTo("ERR Unrecognized XCLAIM option 'WHAT'");
        // SEENTIME is an option of Moon's own log records only: a client gets Redis's errors.
        assertThat(error("XCLAIM", "x", "grp", "Bob", "0", "1-0", "SEENTIME", "5"))
                .isEqualTo("ERR Unrecognized XCLAIM option 'SEENTIME'");
        assertThat(error("XGROUP", "CREATECONSUMER", "x", "grp", "Bob", "SEENTIME", "5"))
                .isEqualTo(wrongArgs("xgroup|createconsumer"));
        assertThat(error("XCLAIM", "x", "nog", "Bob", "x", "1-0")).isEqualTo("NOGROUP No such key 'x' or consumer group 'nog'");
        assertThat(error("XCLAIM", "x", "grp", "Bob", "0")).isEqualTo(wrongArgs("xclaim"));
        List<StreamEntry> jc = j.xclaim("x", "grp", "Erin", 0, XClaimParams.xClaimParams(), new StreamEntryID(3, 0));
        assertThat(jc).extracting(e -> e.getID().toString()).containsExactly("3-0");
    }

    @Test
    void xautoclaimScansWithACursor() throws Exception {
        for (int i = 1; i <= 5; i++) call("XADD", "s", i + "-0", "f", "v" + i);
        call("XGROUP", "CREATE", "s", "g", "0");
        call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">");
        assertThat(call("XAUTOCLAIM", "s", "g", "c2", "0", "-", "COUNT", "2"))
                .isEqualTo(List.of("3-0", List.of(entry("1-0", "f", "v1"), entry("2-0", "f", "v2")), List.of()));
        call("XDEL", "s", "3-0", "4-0");
        // Deleted entries count toward COUNT and are reported, then dropped from the pending list.
        assertThat(call("XAUTOCLAIM", "s", "g", "c2", "0", "3-0", "COUNT", "2"))
                .isEqualTo(List.of("5-0", List.of(), List.of("3-0", "4-0")));
        assertThat(call("XAUTOCLAIM", "s", "g", "c2", "0", "(4-0", "JUSTID")).isEqualTo(List.of("0-0", List.of("5-0"), List.of()));
        assertThat(call("XAUTOCLAIM", "s", "g", "c3", "3600000", "0")).isEqualTo(List.of("0-0", List.of(), List.of()));
        assertThat(call("XPENDING", "s", "g")).isEqualTo(List.of(3L, "1-0", "5-0", List.of(List.of("c2", "3"))));

        assertThat(error("XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "0")).isEqualTo("ERR COUNT must be > 0");
        assertThat(error("XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "x")).isEqualTo("ERR COUNT must be > 0");
        assertThat(error("XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "8070450532247928833")).isEqualTo("ERR COUNT must be > 0");
        assertThat(error("XAUTOCLAIM", "s", "g", "c", "x", "0")).isEqualTo("ERR Invalid min-idle-time argument for XAUTOCLAIM");
        assertThat(error("XAUTOCLAIM", "s", "g", "c", "0", "x")).isEqualTo(ID_INVALID);
        assertThat(error("XAUTOCLAIM", "s", "g", "c", "0", "(18446744073709551615-18446744073709551615"))
                .isEqualTo("ERR invalid start ID for the interval");
        assertThat(error("XAUTOCLAIM", "s", "g", "c", "0", "0", "FOO")).isEqualTo(RedisError.SYNTAX);
        assertThat(error("XAUTOCLAIM", "s", "nog", "c", "0", "0")).isEqualTo("NOGROUP No such key 's' or consumer group 'nog'");
        assertThat(error("XAUTOCLAIM", "s", "g", "c", "0")).isEqualTo(wrongArgs("xautoclaim"));
        call("SET", "str", "x");
        assertThat(error("XAUTOCLAIM", "str", "g", "c", "0", "0")).startsWith("WRONGTYPE");
        Map.Entry<StreamEntryID, List<StreamEntry>> jr = j.xautoclaim("s", "g", "c9", 0, new StreamEntryID(0, 0),
                XAutoClaimParams.xAutoClaimParams().count(1));
        assertThat(jr.getKey()).isEqualTo(new StreamEntryID(2, 0));
        assertThat(jr.getValue()).extracting(e -> e.getID().toString()).containsExactly("1-0");
    }

    // ---------------------------------------------------------------- XINFO GROUPS, CONSUMERS, STREAM FULL

    @Test
    void xinfoGroupsConsumersAndFullWithLag() throws Exception {
        for (int i = 100; i <= 104; i++) call("XADD", "x", i + "", "f", "" + i);
        call("XGROUP", "CREATE", "x", "g1", "0");
        call("XGROUP", "CREATE", "x", "g2", "0");
        call("XREADGROUP", "GROUP", "g1", "Alice", "COUNT", "1", "STREAMS", "x", ">");
        call("XREADGROUP", "GROUP", "g1", "Bob", "COUNT", "1", "STREAMS", "x", ">");
        call("XREADGROUP", "GROUP", "g2", "Charlie", "COUNT", "4", "STREAMS", "x", ">");
        List<?> groups = (List<?>) call("XINFO", "GROUPS", "x");
        assertThat(groups).hasSize(2);
        assertThat(groups.getFirst()).isEqualTo(List.of("name", "g1", "consumers", 2L, "pending", 2L,
                "last-delivered-id", "101-0", "entries-read", 2L, "lag", 3L));
        call("XDEL", "x", "103");
        // A tombstone after the group's position: the lag cannot be known.
        assertThat(((List<?>) ((List<?>) call("XINFO", "GROUPS", "x")).getFirst()).get(11)).isNull();
        List<StreamGroupInfo> jg = j.xinfoGroups("x");
        assertThat(jg).extracting(StreamGroupInfo::getName).containsExactly("g1", "g2");
        List<Object> consumers = list(call("XINFO", "CONSUMERS", "x", "g1"));
        assertThat(consumers).extracting(c -> (Object) ((List<?>) c).get(1)).containsExactly("Alice", "Bob");
        assertThat(((List<?>) consumers.getFirst()).subList(0, 5)).isEqualTo(List.of("name", "Alice", "pending", 1L, "idle"));
        assertThat(error("XINFO", "CONSUMERS", "x", "nog")).isEqualTo("NOGROUP No such consumer group 'nog' for key name 'x'");
        assertThat(error("XINFO", "CONSUMERS", "missing", "g")).isEqualTo("ERR no such key");
        assertThat(error("XINFO", "GROUPS", "x", "y")).isEqualTo(wrongArgs("xinfo|groups"));

        Map<String, Object> full = map((List<?>) call("XINFO", "STREAM", "x", "FULL"));
        assertThat(full).hasSize(9).containsEntry("length", 4L);
        assertThat((List<?>) full.get("entries")).hasSize(4);
        List<?> fullGroups = (List<?>) full.get("groups");
        Map<String, Object> g1 = map((List<?>) fullGroups.getFirst());
        assertThat(g1).containsEntry("name", "g1").containsEntry("pel-count", 2L).containsEntry("entries-read", 2L);
        assertThat(((List<?>) ((List<?>) g1.get("pending")).getFirst()).subList(0, 2)).isEqualTo(List.of("100-0", "Alice"));
        Map<String, Object> charlie = map((List<?>) ((List<?>) map((List<?>) fullGroups.get(1)).get("consumers")).getFirst());
        assertThat(charlie).containsEntry("name", "Charlie").containsEntry("pel-count", 4L);
        assertThat(list(charlie.get("pending"))).extracting(p -> (Object) ((List<?>) p).getFirst())
                .containsExactly("100-0", "101-0", "102-0", "103-0");
        Map<String, Object> one = map((List<?>) call("XINFO", "STREAM", "x", "FULL", "COUNT", "1"));
        assertThat((List<?>) one.get("entries")).hasSize(1);
        Map<String, Object> c2 = map((List<?>) ((List<?>) map((List<?>) ((List<?>) one.get("groups")).get(1))
                .get("consumers")).getFirst());
        assertThat((List<?>) c2.get("pending")).hasSize(1);
        assertThat(j.xinfoStreamFull("x").getLength()).isEqualTo(4);
    }

    @Test
    void readCounterAndLagAsRedisKeepsThem() throws Exception {
        for (int i = 1; i <= 5; i++) call("XADD", "x", i + "-0", "data", "" + i);
        call("XGROUP", "CREATE", "x", "g1", "0");
        assertThat(groupField("x", "entries-read")).isNull();
        assertThat(groupField("x", "lag")).isEqualTo(5L);
        call("XREADGROUP", "GROUP", "g1", "c11", "COUNT", "1", "STREAMS", "x", ">");
        assertThat(groupField("x", "entries-read")).isEqualTo(1L);
        assertThat(groupField("x", "lag")).isEqualTo(4L);
        call("XREADGROUP", "GROUP", "g1", "c12", "COUNT", "10", "STREAMS", "x", ">");
        assertThat(groupField("x", "entries-read")).isEqualTo(5L);
        assertThat(groupField("x", "lag")).isEqualTo(0L);
        call("XADD", "x", "6-0", "data", "f");
        assertThat(groupField("x", "lag")).isEqualTo(1L);
    }

    @Test
    void groupChangesDoNotTouchWatchersButEntryChangesDo() throws Exception {
        call("XADD", "w", "1-0", "f", "v");
        call("XGROUP", "CREATE", "w", "g", "0");
        // As Redis: only XADD, XDEL (of a live entry), XTRIM and the like signal the key modified.
        List<List<String>> quiet = List.of(List.of("XREADGROUP", "GROUP", "g", "c", "STREAMS", "w", ">"),
                List.of("XACK", "w", "g", "1-0"), List.of("XGROUP", "CREATECONSUMER", "w", "g", "z"),
                List.of("XSETID", "w", "5-0"), List.of("XDEL", "w", "9-9"));
        try (RawClient other = node.raw()) {
            for (List<String> write : quiet) {
                call("WATCH", "w");
                other.call(write.toArray(new String[0]));
                call("MULTI");
                call("PING");
                assertThat(call("EXEC")).as("after %s", write).isEqualTo(List.of("PONG"));
            }
            call("WATCH", "w");
            other.call("XADD", "w", "6-0", "f", "v");
            call("MULTI");
            call("PING");
            assertThat(call("EXEC")).isNull();
        }
    }

    // ---------------------------------------------------------------- helpers

    Object readGroup(String group, String consumer, String key, String id) throws Exception {
        return call("XREADGROUP", "GROUP", group, consumer, "STREAMS", key, id);
    }

    Object groupField(String key, String field) throws Exception {
        return map((List<?>) ((List<?>) call("XINFO", "GROUPS", key)).getFirst()).get(field);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) { return (List<Object>) o; }

    static Map<String, Object> map(List<?> flat) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < flat.size(); i += 2) m.put((String) flat.get(i), flat.get(i + 1));
        return m;
    }
}
