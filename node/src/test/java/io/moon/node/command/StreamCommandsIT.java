package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.moon.node.testing.RawClient;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamInfo;

/**
 * XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XSETID, XREAD (with BLOCK) and XINFO STREAM on a
 * 4-shard node: normal cases and Redis 7.0.15's error texts, through Jedis, Lettuce and raw RESP,
 * with keys on several shards where a command takes several.
 */
class StreamCommandsIT extends StreamITBase {
    static final String ID_INVALID = "ERR Invalid stream ID specified as stream command argument";
    static final String TOO_SMALL = "ERR The ID specified in XADD is equal or smaller than the target stream top item";

    // ---------------------------------------------------------------- XADD

    @Test
    void xaddGeneratesIncreasingIdsAndAcceptsExplicitOnes() throws Exception {
        String a = (String) call("XADD", "s", "*", "f", "v");
        String b = (String) call("XADD", "s", "*", "f", "v");
        long[] ia = parse(a), ib = parse(b);
        assertThat(ia[0]).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis() + 60_000);
        assertThat(ib[0] > ia[0] || (ib[0] == ia[0] && ib[1] > ia[1])).isTrue();
        call("DEL", "s");
        assertThat(call("XADD", "s", "123-456", "item", "1")).isEqualTo("123-456");
        assertThat(call("XADD", "s", "123-*", "item", "2")).isEqualTo("123-457");
        assertThat(call("XADD", "s", "789-*", "item", "3")).isEqualTo("789-0");
        assertThat(call("XADD", "s", "790", "item", "4")).isEqualTo("790-0");
        assertThat(error("XADD", "s", "42-*", "item", "5")).isEqualTo(TOO_SMALL);
        assertThat(error("XADD", "s", "790-0", "item", "5")).isEqualTo(TOO_SMALL);
        call("DEL", "s");
        assertThat(call("XADD", "s", "0-*", "a", "b")).isEqualTo("0-1");
        // A timestamp in the future: "*" keeps counting from it.
        call("DEL", "s");
        call("XADD", "s", "2577343934890-18446744073709551615", "f", "v");
        assertThat(call("XADD", "s", "*", "f2", "v2")).isEqualTo("2577343934891-0");
    }

    @Test
    void xaddErrors() throws Exception {
        assertThat(error("XADD", "s")).isEqualTo(wrongArgs("xadd"));
        assertThat(error("XADD", "s", "*")).isEqualTo(wrongArgs("xadd"));
        assertThat(error("XADD", "s", "*", "field")).isEqualTo(wrongArgs("xadd"));
        assertThat(error("XADD", "s", "*", "f", "v", "g")).isEqualTo(wrongArgs("xadd"));
        assertThat(error("XADD", "s", "0-0", "k", "v")).isEqualTo("ERR The ID specified in XADD must be greater than 0-0");
        assertThat(call("EXISTS", "s")).isEqualTo(0L);
        assertThat(error("XADD", "s", "abc", "k", "v")).isEqualTo(ID_INVALID);
        assertThat(error("XADD", "s", "-", "k", "v")).isEqualTo(ID_INVALID);
        assertThat(error("XADD", "s", "1-x", "k", "v")).isEqualTo(ID_INVALID);
        assertThat(error("XADD", "s", "18446744073709551616", "k", "v")).isEqualTo(ID_INVALID);
        call("XADD", "s", "18446744073709551615-18446744073709551615", "a", "b");
        assertThat(error("XADD", "s", "*", "c", "d"))
                .isEqualTo("ERR The stream has exhausted the last possible ID, unable to add more items");
        call("DEL", "s");
        call("XADD", "s", "1-18446744073709551615", "a", "b");
        assertThat(error("XADD", "s", "1-*", "c", "d")).isEqualTo(TOO_SMALL);
        call("SET", "str", "x");
        assertThat(error("XADD", "str", "*", "a", "b")).startsWith("WRONGTYPE");
        assertThat(error("XADD", "s", "MAXLEN", "-1", "*", "a", "b")).isEqualTo("ERR The MAXLEN argument must be >= 0.");
        assertThat(error("XADD", "s", "MAXLEN", "x", "*", "a", "b")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("XADD", "s", "MAXLEN", "1", "MINID", "1", "*", "a", "b"))
                .isEqualTo("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        assertThat(error("XADD", "s", "LIMIT", "5", "*", "a", "b"))
                .isEqualTo("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        assertThat(error("XADD", "s", "MAXLEN", "5", "LIMIT", "5", "*", "a", "b"))
                .isEqualTo("ERR syntax error, LIMIT cannot be used without the special ~ option");
        assertThat(error("XADD", "s", "MAXLEN", "~", "5", "LIMIT", "-1", "*", "a", "b"))
                .isEqualTo("ERR The LIMIT argument must be >= 0.");
        assertThat(error("XADD", "s", "MINID", "abc", "*", "a", "b")).isEqualTo(ID_INVALID);
    }

    @Test
    void xaddNomkstreamAndTrimming() throws Exception {
        assertThat(call("XADD", "s", "NOMKSTREAM", "*", "a", "b")).isNull();
        assertThat(call("EXISTS", "s")).isEqualTo(0L);
        for (int i = 1; i <= 10; i++) call("XADD", "s", "MAXLEN", "5", i + "-0", "i", "" + i);
        assertThat(call("XLEN", "s")).isEqualTo(5L);
        assertThat(call("XADD", "s", "NOMKSTREAM", "MINID", "=", "9", "11-0", "i", "11")).isEqualTo("11-0");
        assertThat(j.xrange("s", "-", "+")).extracting(e -> e.getID().toString()).containsExactly("9-0", "10-0", "11-0");
        // MAXLEN 0 leaves an empty stream, which stays (streams are never deleted when emptied).
        call("XADD", "s", "MAXLEN", "0", "*", "a", "b");
        assertThat(call("XLEN", "s")).isEqualTo(0L);
        assertThat(call("TYPE", "s")).isEqualTo("stream");
        assertThat(call("OBJECT", "ENCODING", "s")).isEqualTo("stream");
    }

    @Test
    void approximateTrimmingFollowsNodes() throws Exception {
        call("CONFIG", "SET", "stream-node-max-entries", "10");
        try {
            for (int i = 0; i < 100; i++) call("XADD", "s", "*", "xitem", "v");
            call("XADD", "s", "MAXLEN", "~", "55", "LIMIT", "30", "*", "xitem", "v");
            assertThat(call("XLEN", "s")).isEqualTo(71L);
            call("XADD", "s", "MAXLEN", "~", "55", "LIMIT", "30", "*", "xitem", "v");
            assertThat(call("XLEN", "s")).isEqualTo(62L);
            // As redis-server 7.0 answers the same sequence.
            assertThat(call("XTRIM", "s", "MAXLEN", "~", "35")).isEqualTo(20L);
            assertThat(call("XLEN", "s")).isEqualTo(42L);
            assertThat(call("XTRIM", "s", "MAXLEN", "=", "33")).isEqualTo(9L);
        } finally {
            call("CONFIG", "SET", "stream-node-max-entries", "100");
        }
    }

    @Test
    void xaddThroughClients() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("temp", "20");
        fields.put("unit", "C");
        StreamEntryID id = j.xadd("jedis", XAddParams.xAddParams().id(5, 1).maxLen(10), fields);
        assertThat(id).isEqualTo(new StreamEntryID(5, 1));
        assertThat(j.xrange("jedis", "-", "+")).singleElement()
                .satisfies(e -> assertThat(e.getFields()).isEqualTo(fields));
        String lid = lettuce.xadd("lettuce", new XAddArgs().id("7-0"), fields);
        assertThat(lid).isEqualTo("7-0");
        List<StreamMessage<String, String>> msgs = lettuce.xrange("lettuce", Range.create("-", "+"));
        assertThat(msgs).singleElement().satisfies(m -> {
            assertThat(m.getId()).isEqualTo("7-0");
            assertThat(m.getBody()).isEqualTo(fields);
        });
        assertThatThrownBy(() -> j.xadd("jedis", XAddParams.xAddParams().id(1, 0), fields))
                .isInstanceOf(JedisDataException.class).hasMessage(TOO_SMALL);
    }

    // ---------------------------------------------------------------- XRANGE and XREVRANGE

    @Test
    void rangesWithExclusiveBoundsAndCount() throws Exception {
        String[] ids = {"0-1", "0-18446744073709551615", "1-0", "42-0", "42-42", "18446744073709551615-18446744073709551614",
            "18446744073709551615-18446744073709551615"};
        for (String id : ids) call("XADD", "s", id, "foo", "bar");
        assertThat((List<?>) call("XRANGE", "s", "-", "+")).hasSize(7);
        assertThat((List<?>) call("XRANGE", "s", "(0-1", "+")).hasSize(6);
        assertThat((List<?>) call("XRANGE", "s", "-", "(18446744073709551615-18446744073709551615")).hasSize(6);
        assertThat(call("XRANGE", "s", "(0-1", "(1-0")).isEqualTo(List.of(entry("0-18446744073709551615", "foo", "bar")));
        assertThat((List<?>) call("XRANGE", "s", "(1-0", "(42-42")).hasSize(1);
        assertThat(call("XRANGE", "s", "42", "42")).isEqualTo(List.of(entry("42-0", "foo", "bar"), entry("42-42", "foo", "bar")));
        assertThat(call("XREVRANGE", "s", "+", "-", "COUNT", "2")).isEqualTo(List.of(
                entry("18446744073709551615-18446744073709551615", "foo", "bar"),
                entry("18446744073709551615-18446744073709551614", "foo", "bar")));
        assertThat(call("XRANGE", "s", "-", "+", "COUNT", "0")).isNull();
        assertThat((List<?>) call("XRANGE", "s", "-", "+", "COUNT", "-5")).isNull();
        assertThat(call("XRANGE", "missing", "-", "+")).isEqualTo(List.of());
        assertThat(call("XRANGE", "s", "50", "40")).isEqualTo(List.of());
        assertThat(error("XRANGE", "s", "(-", "+")).isEqualTo(ID_INVALID);
        assertThat(error("XRANGE", "s", "-", "(+")).isEqualTo(ID_INVALID);
        assertThat(error("XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"))
                .isEqualTo("ERR invalid start ID for the interval");
        assertThat(error("XRANGE", "s", "-", "(0-0")).isEqualTo("ERR invalid end ID for the interval");
        assertThat(error("XRANGE", "s", "x", "+")).isEqualTo(ID_INVALID);
        assertThat(error("XRANGE", "s", "-", "+", "COUNT")).isEqualTo(RedisError.SYNTAX);
        assertThat(error("XRANGE", "s", "-", "+", "LIMIT", "1")).isEqualTo(RedisError.SYNTAX);
        assertThat(error("XRANGE", "s", "-", "+", "COUNT", "x")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("XRANGE", "s", "-")).isEqualTo(wrongArgs("xrange"));
        assertThat(error("XREVRANGE", "s", "+")).isEqualTo(wrongArgs("xrevrange"));
        call("SET", "str", "x");
        assertThat(error("XRANGE", "str", "-", "+")).startsWith("WRONGTYPE");
        // Ids are checked before the type.
        assertThat(error("XRANGE", "str", "x", "+")).isEqualTo(ID_INVALID);
    }

    @Test
    void xrevrangeIsTheReverseOfXrangeAcrossNodes() throws Exception {
        for (int i = 0; i < 1000; i++) call("XADD", "s", "*", "item", "" + i, "other", i % 10 == 0 ? "x" : "y");
        List<StreamEntry> forward = j.xrange("s", "-", "+");
        List<StreamEntry> backward = j.xrevrange("s", "+", "-");
        assertThat(forward).hasSize(1000);
        java.util.Collections.reverse(backward);
        assertThat(backward).extracting(StreamEntry::toString).isEqualTo(forward.stream().map(StreamEntry::toString).toList());
        assertThat(forward.get(10).getFields()).isEqualTo(Map.of("item", "10", "other", "x"));
        // Iterating with COUNT and an exclusive start visits everything once.
        int seen = 0;
        String last = "-";
        while (true) {
            List<StreamEntry> page = j.xrange("s", last, "+", 77);
            if (page.isEmpty()) break;
            seen += page.size();
            last = "(" + page.getLast().getID();
        }
        assertThat(seen).isEqualTo(1000);
    }

    // ---------------------------------------------------------------- XLEN, XDEL, XTRIM, XSETID

    @Test
    void xlenAndXdel() throws Exception {
        assertThat(call("XLEN", "s")).isEqualTo(0L);
        call("XADD", "s", "1-0", "a", "1");
        call("XADD", "s", "2-0", "a", "2");
        call("XADD", "s", "3-0", "a", "3");
        assertThat(call("XLEN", "s")).isEqualTo(3L);
        assertThat(call("XDEL", "s", "2-0", "9-0", "2-0")).isEqualTo(1L);
        assertThat(call("XRANGE", "s", "-", "+")).isEqualTo(List.of(entry("1-0", "a", "1"), entry("3-0", "a", "3")));
        assertThat(error("XDEL", "s", "1-0", "bad")).isEqualTo(ID_INVALID);
        assertThat(call("XLEN", "s")).isEqualTo(2L); // nothing deleted when an id is bad
        assertThat(call("XDEL", "missing", "bad")).isEqualTo(0L);
        assertThat(error("XDEL", "s")).isEqualTo(wrongArgs("xdel"));
        assertThat(error("XLEN")).isEqualTo(wrongArgs("xlen"));
        call("SET", "str", "x");
        assertThat(error("XLEN", "str")).startsWith("WRONGTYPE");
        assertThat(error("XDEL", "str", "1")).startsWith("WRONGTYPE");
        assertThat(j.xdel("s", new StreamEntryID(1, 0), new StreamEntryID(3, 0))).isEqualTo(2);
        assertThat(call("EXISTS", "s")).isEqualTo(1L);
        Map<String, Object> info = infoStream("s");
        assertThat(info.get("max-deleted-entry-id")).isEqualTo("3-0");
        assertThat(info.get("recorded-first-entry-id")).isEqualTo("0-0");
    }

    @Test
    void xtrimByLengthAndId() throws Exception {
        for (int i = 1; i <= 5; i++) call("XADD", "s", i + "-0", "f", "v");
        assertThat(call("XTRIM", "s", "MINID", "=", "3-0")).isEqualTo(2L);
        assertThat(call("XRANGE", "s", "-", "+")).isEqualTo(List.of(entry("3-0", "f", "v"), entry("4-0", "f", "v"),
                entry("5-0", "f", "v")));
        assertThat(call("XTRIM", "s", "MAXLEN", "1")).isEqualTo(2L);
        assertThat(call("XTRIM", "s", "MAXLEN", "5")).isEqualTo(0L);
        assertThat(call("XTRIM", "missing", "MAXLEN", "0")).isEqualTo(0L);
        assertThat(infoStream("s").get("recorded-first-entry-id")).isEqualTo("5-0");
        assertThat(error("XTRIM", "s")).isEqualTo(wrongArgs("xtrim"));
        assertThat(error("XTRIM", "s", "FOO", "1")).isEqualTo(RedisError.SYNTAX);
        assertThat(error("XTRIM", "s", "LIMIT", "1"))
                .isEqualTo("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        assertThat(error("XTRIM", "s", "LIMIT", "1", "x")).isEqualTo(RedisError.SYNTAX);
        assertThat(error("XTRIM", "s", "MAXLEN", "1", "LIMIT", "30"))
                .isEqualTo("ERR syntax error, LIMIT cannot be used without the special ~ option");
        assertThat(error("XTRIM", "s", "LIMIT", "0", "NOMKSTREAM"))
                .isEqualTo(RedisError.SYNTAX);
        call("SET", "str", "x");
        assertThat(error("XTRIM", "str", "MAXLEN", "1")).startsWith("WRONGTYPE");
        assertThat(error("XTRIM", "str", "MAXLEN", "-1")).isEqualTo("ERR The MAXLEN argument must be >= 0.");
    }

    @Test
    void xsetid() throws Exception {
        call("XADD", "s", "MAXLEN", "0", "*", "a", "b");
        assertThat(call("XSETID", "s", "200-0")).isEqualTo("OK");
        assertThat(infoStream("s").get("last-generated-id")).isEqualTo("200-0");
        assertThat(error("XADD", "s", "150", "a", "b")).isEqualTo(TOO_SMALL);
        call("XADD", "s", "300-0", "a", "b");
        assertThat(error("XSETID", "s", "1-1")).isEqualTo("ERR The ID specified in XSETID is smaller than the target stream top item");
        assertThat(error("XSETID", "missing", "1-1")).isEqualTo("ERR no such key");
        assertThat(error("XSETID", "s", "1-1", "0")).isEqualTo(RedisError.SYNTAX);
        assertThat(error("XSETID", "s", "1-1", "0-0")).isEqualTo(RedisError.SYNTAX);
        assertThat(error("XSETID", "s", "1-1", "ENTRIESADDED", "-1", "MAXDELETEDID", "0-0"))
                .isEqualTo("ERR entries_added must be positive");
        assertThat(error("XSETID", "s", "400-0", "ENTRIESADDED", "1", "MAXDELETEDID", "500-0"))
                .isEqualTo("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
        assertThat(error("XSETID", "s", "400-0", "ENTRIESADDED", "0", "MAXDELETEDID", "0-0"))
                .isEqualTo("ERR The entries_added specified in XSETID is smaller than the target stream length");
        assertThat(call("XSETID", "s", "400-0", "ENTRIESADDED", "10", "MAXDELETEDID", "350-0")).isEqualTo("OK");
        Map<String, Object> info = infoStream("s");
        assertThat(info.get("entries-added")).isEqualTo(10L);
        assertThat(info.get("max-deleted-entry-id")).isEqualTo("350-0");
        assertThat(error("XSETID", "s", "-")).isEqualTo(ID_INVALID);
        assertThat(error("XSETID", "s")).isEqualTo(wrongArgs("xsetid"));
        call("SET", "str", "x");
        assertThat(error("XSETID", "str", "5")).startsWith("WRONGTYPE");
    }

    // ---------------------------------------------------------------- XREAD

    @Test
    void xreadAcrossShards() throws Exception {
        String[] k = keysOnDistinctShards("stream", 3);
        call("XADD", k[0], "1-0", "a", "1");
        call("XADD", k[0], "2-0", "a", "2");
        call("XADD", k[2], "5-0", "c", "1");
        Object r = call("XREAD", "COUNT", "1", "STREAMS", k[0], k[1], k[2], "0", "0", "0");
        assertThat(r).isEqualTo(List.of(
                List.of(k[0], List.of(entry("1-0", "a", "1"))),
                List.of(k[2], List.of(entry("5-0", "c", "1")))));
        assertThat(call("XREAD", "STREAMS", k[0], k[1], "2-0", "0")).isNull();
        assertThat(call("XREAD", "STREAMS", k[0], "$")).isNull();
        List<Map.Entry<String, List<StreamEntry>>> jr = j.xread(XReadParams.xReadParams(),
                Map.of(k[0], new StreamEntryID(1, 0)));
        assertThat(jr).singleElement().satisfies(e -> assertThat(e.getValue()).extracting(x -> x.getID().toString())
                .containsExactly("2-0"));
        List<StreamMessage<String, String>> lr = lettuce.xread(XReadArgs.StreamOffset.from(k[2], "0"));
        assertThat(lr).extracting(StreamMessage::getId).containsExactly("5-0");
    }

    @Test
    void xreadErrors() throws Exception {
        call("XADD", "s", "1-0", "a", "1");
        assertThat(error("XREAD", "STREAMS", "s")).isEqualTo(wrongArgs("xread"));
        assertThat(error("XREAD", "STREAMS", "s", "0", "x")).isEqualTo(
                "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
        assertThat(error("XREAD", "COUNT", "1", "0", "s")).isEqualTo(RedisError.SYNTAX);
        assertThat(error("XREAD", "COUNT", "x", "STREAMS", "s", "0")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("XREAD", "BLOCK", "x", "STREAMS", "s", "0")).isEqualTo("ERR timeout is not an integer or out of range");
        assertThat(error("XREAD", "BLOCK", "-1", "STREAMS", "s", "0")).isEqualTo("ERR timeout is negative");
        assertThat(error("XREAD", "GROUP", "g", "c", "STREAMS", "s", "0"))
                .isEqualTo("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        assertThat(error("XREAD", "NOACK", "STREAMS", "s", "0"))
                .isEqualTo("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
        assertThat(error("XREAD", "STREAMS", "s", ">")).isEqualTo(
                "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
        assertThat(error("XREAD", "STREAMS", "s", "1-x")).isEqualTo(ID_INVALID);
        assertThat(error("XREAD", "STREAMS", "s", "-")).isEqualTo(ID_INVALID);
        call("SET", "str", "x");
        assertThat(error("XREAD", "STREAMS", "str", "0")).startsWith("WRONGTYPE");
        assertThat(error("XREAD", "STREAMS", "str", "s", "0", "0")).startsWith("WRONGTYPE");
    }

    @Test
    void blockingXreadWakesOnXaddFromAnotherClient() throws Exception {
        call("XADD", "s", "*", "old", "x");
        try (RawClient waiter = node.raw()) {
            waiter.command("XREAD", "BLOCK", "20000", "STREAMS", "s", "$");
            awaitBlocked(1);
            call("XADD", "s", "999999999999999-0", "new", "y");
            assertThat(waiter.read()).isEqualTo(List.of(List.of("s", List.of(entry("999999999999999-0", "new", "y")))));
        }
        assertThat(blockedClients()).isZero();
    }

    @Test
    void blockingXreadOnKeysOfSeveralShardsIsServedByAnyOfThem() throws Exception {
        String[] k = keysOnDistinctShards("multi", 3);
        call("XADD", k[1], "5-0", "old", "x");
        try (RawClient waiter = node.raw()) {
            waiter.command("XREAD", "BLOCK", "0", "STREAMS", k[0], k[1], k[2], "$", "$", "$");
            awaitBlocked(1);
            call("XADD", k[2], "7-0", "f", "v");
            assertThat(waiter.read()).isEqualTo(List.of(List.of(k[2], List.of(entry("7-0", "f", "v")))));
            // $ was resolved when the client blocked: an entry that was there before is not news.
            waiter.command("XREAD", "BLOCK", "0", "STREAMS", k[1], "$");
            awaitBlocked(1);
            call("XADD", k[1], "6-0", "f", "w");
            assertThat(waiter.read()).isEqualTo(List.of(List.of(k[1], List.of(entry("6-0", "f", "w")))));
        }
    }

    @Test
    void blockingXreadTimesOutAndIsNotWokenByDeletion() throws Exception {
        try (RawClient waiter = node.raw()) {
            long t0 = System.nanoTime();
            assertThat(waiter.call("XREAD", "BLOCK", "150", "STREAMS", "s", "$")).isNull();
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(140);
            call("XADD", "s", "666", "f", "v");
            waiter.command("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            awaitBlocked(1);
            call("DEL", "s");
            call("SET", "s", "now a string");
            call("DEL", "s");
            assertThat(blockedClients()).isEqualTo(1);
            // The stream came back: the $ resolved before (666-0) still decides what is new.
            call("XADD", "s", "667", "f", "v");
            assertThat(waiter.read()).isEqualTo(List.of(List.of("s", List.of(entry("667-0", "f", "v")))));
        }
    }

    @Test
    void blockingXreadServesEveryReaderOfTheStream() throws Exception {
        try (RawClient ahead = node.raw(); RawClient a = node.raw(); RawClient b = node.raw()) {
            // The first waiter wants ids no entry will have soon; it must not stop the others.
            ahead.command("XREAD", "BLOCK", "0", "STREAMS", "s", "99999999999999-0");
            a.command("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            b.command("XREAD", "BLOCK", "0", "COUNT", "1", "STREAMS", "s", "0");
            awaitBlocked(3);
            call("XADD", "s", "10-0", "f", "v");
            assertThat(a.read()).isEqualTo(List.of(List.of("s", List.of(entry("10-0", "f", "v")))));
            assertThat(b.read()).isEqualTo(List.of(List.of("s", List.of(entry("10-0", "f", "v")))));
            assertThat(blockedClients()).isEqualTo(1);
        }
    }

    @Test
    void blockingXreadInsideMultiAnswersAtOnce() throws Exception {
        call("MULTI");
        call("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
        call("XADD", "s", "1-0", "a", "b");
        call("XREAD", "BLOCK", "0", "STREAMS", "s", "0");
        assertThat(call("EXEC")).isEqualTo(Arrays.asList(null, "1-0", List.of(List.of("s", List.of(entry("1-0", "a", "b"))))));
    }

    @Test
    void scriptsCannotReadWithBlock() throws Exception {
        call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        assertThat(call("EVAL", "return redis.pcall('xread','STREAMS',KEYS[1],'$')", "1", "s")).isNull();
        assertThat(call("EVAL", "return redis.pcall('xreadgroup','group','g','c','STREAMS',KEYS[1],'>')", "1", "s")).isNull();
        assertThat(error("EVAL", "return redis.pcall('xread','BLOCK',0,'STREAMS',KEYS[1],'$')", "1", "s"))
                .startsWith("ERR xread command is not allowed with BLOCK option from scripts");
        assertThat(error("EVAL", "return redis.pcall('XREADGROUP','group','g','c','BLOCK',0,'STREAMS',KEYS[1],'>')", "1", "s"))
                .startsWith("ERR XREADGROUP command is not allowed with BLOCK option from scripts");
        // Outside scripts BLOCK inside MULTI still answers as a timeout.
        call("MULTI");
        call("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
        assertThat(call("EXEC")).isEqualTo(Arrays.asList((Object) null));
    }

    @Test
    void multipleXaddsInATransactionServeTheWaiterOnce() throws Exception {
        call("XADD", "s", "*", "old", "x");
        try (RawClient waiter = node.raw()) {
            waiter.command("XREAD", "BLOCK", "20000", "STREAMS", "s", "s", "s", "$", "$", "$");
            awaitBlocked(1);
            call("MULTI");
            call("XADD", "s", "99999999999990-0", "field", "one");
            call("XADD", "s", "99999999999991-0", "field", "two");
            call("EXEC");
            @SuppressWarnings("unchecked")
            List<List<Object>> reply = (List<List<Object>>) waiter.read();
            assertThat(reply.getFirst()).isEqualTo(List.of("s", List.of(entry("99999999999990-0", "field", "one"),
                    entry("99999999999991-0", "field", "two"))));
        }
    }

    @Test
    void resp3RepliesAreMaps() throws Exception {
        call("XADD", "s", "1-0", "a", "1");
        try (RawClient r3 = node.raw()) {
            r3.call("HELLO", "3");
            assertThat(r3.call("XREAD", "STREAMS", "s", "0")).isEqualTo(Map.of("s", List.of(entry("1-0", "a", "1"))));
            assertThat(r3.call("XREAD", "STREAMS", "s", "1")).isNull();
            @SuppressWarnings("unchecked")
            Map<Object, Object> info = (Map<Object, Object>) r3.call("XINFO", "STREAM", "s");
            assertThat(info.get("length")).isEqualTo(1L);
            assertThat(info.get("first-entry")).isEqualTo(entry("1-0", "a", "1"));
            assertThat(r3.call("XADD", "nope", "NOMKSTREAM", "*", "a", "b")).isNull();
        }
    }

    // ---------------------------------------------------------------- XINFO STREAM and generic key commands

    @Test
    void xinfoStream() throws Exception {
        call("XADD", "s", "1-0", "a", "1");
        call("XADD", "s", "2-0", "b", "2");
        call("XDEL", "s", "1-0");
        Map<String, Object> info = infoStream("s");
        assertThat(info).containsEntry("length", 1L).containsEntry("radix-tree-keys", 1L).containsEntry("radix-tree-nodes", 2L)
                .containsEntry("last-generated-id", "2-0").containsEntry("max-deleted-entry-id", "1-0")
                .containsEntry("entries-added", 2L).containsEntry("recorded-first-entry-id", "2-0")
                .containsEntry("groups", 0L).containsEntry("first-entry", entry("2-0", "b", "2"))
                .containsEntry("last-entry", entry("2-0", "b", "2"));
        StreamInfo ji = j.xinfoStream("s");
        assertThat(ji.getLength()).isEqualTo(1);
        assertThat(ji.getLastGeneratedId()).isEqualTo(new StreamEntryID(2, 0));
        assertThat(ji.getFirstEntry().getFields()).isEqualTo(Map.of("b", "2"));
        call("XGROUP", "CREATE", "empty", "g", "$", "MKSTREAM");
        Map<String, Object> empty = infoStream("empty");
        assertThat(empty.get("first-entry")).isNull();
        assertThat(empty.get("last-entry")).isNull();
        assertThat(error("XINFO", "STREAM", "missing")).isEqualTo("ERR no such key");
        assertThat(error("XINFO", "STREAM", "s", "FOO"))
                .isEqualTo("ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.");
        assertThat(error("XINFO", "STREAM", "s", "FULL", "COUNT"))
                .isEqualTo("ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.");
        assertThat(error("XINFO", "STREAM", "s", "FULL", "COUNT", "x")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("XINFO", "FOO", "s")).isEqualTo("ERR unknown subcommand 'FOO'. Try XINFO HELP.");
        assertThat(error("XINFO", "HELP", "x")).isEqualTo(wrongArgs("xinfo|help"));
        assertThat((List<?>) call("XINFO", "HELP")).first().isEqualTo("XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        call("SET", "str", "x");
        assertThat(error("XINFO", "STREAM", "str")).startsWith("WRONGTYPE");
    }

    @Test
    void copyRenameAndDeleteTreatStreamsAsValues() throws Exception {
        call("XADD", "s{t}", "1-0", "a", "1");
        call("XGROUP", "CREATE", "s{t}", "g", "0");
        call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s{t}", ">");
        assertThat(call("COPY", "s{t}", "c{t}")).isEqualTo(1L);
        call("XADD", "s{t}", "2-0", "a", "2");
        call("XACK", "s{t}", "g", "1-0");
        assertThat(call("XLEN", "c{t}")).isEqualTo(1L);
        assertThat(((List<?>) call("XPENDING", "c{t}", "g")).getFirst()).isEqualTo(1L);
        assertThat(call("RENAME", "c{t}", "r{t}")).isEqualTo("OK");
        assertThat(call("TYPE", "r{t}")).isEqualTo("stream");
        assertThat(call("DEL", "r{t}", "s{t}")).isEqualTo(2L);
        assertThat(call("EXISTS", "r{t}", "s{t}")).isEqualTo(0L);
    }

    @Test
    void keyspaceNotifications() throws Exception {
        call("CONFIG", "SET", "notify-keyspace-events", "Et");
        try (RawClient sub = node.raw()) {
            sub.call("PSUBSCRIBE", "__keyevent@0__:*");
            call("XADD", "s", "MAXLEN", "1", "1-0", "a", "b");
            call("XADD", "s", "MAXLEN", "1", "2-0", "a", "b");
            call("XDEL", "s", "2-0");
            call("XGROUP", "CREATE", "s", "g", "$");
            call("XGROUP", "CREATECONSUMER", "s", "g", "c");
            call("XGROUP", "SETID", "s", "g", "0");
            call("XGROUP", "DELCONSUMER", "s", "g", "c");
            call("XGROUP", "DESTROY", "s", "g");
            call("XSETID", "s", "5-0");
            call("XTRIM", "s", "MAXLEN", "0");
            List<String> events = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) events.add((String) ((List<?>) sub.read()).get(2));
            assertThat(events).containsExactly("__keyevent@0__:xadd", "__keyevent@0__:xadd", "__keyevent@0__:xtrim",
                    "__keyevent@0__:xdel", "__keyevent@0__:xgroup-create", "__keyevent@0__:xgroup-createconsumer",
                    "__keyevent@0__:xgroup-setid", "__keyevent@0__:xgroup-delconsumer",
                    "__keyevent@0__:xgroup-destroy", "__keyevent@0__:xsetid");
        } finally {
            call("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    // ---------------------------------------------------------------- helpers

    static long[] parse(String id) {
        String[] p = id.split("-");
        return new long[] {Long.parseUnsignedLong(p[0]), Long.parseUnsignedLong(p[1])};
    }

    /** XINFO STREAM as a map. */
    Map<String, Object> infoStream(String key) throws Exception {
        List<?> flat = (List<?>) call("XINFO", "STREAM", key);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < flat.size(); i += 2) m.put((String) flat.get(i), flat.get(i + 1));
        return m;
    }
}
