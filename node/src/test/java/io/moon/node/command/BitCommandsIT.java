package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.BitFieldArgs;
import io.moon.node.store.Entries;
import io.moon.node.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.BitCountOption;
import redis.clients.jedis.args.BitOP;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.BitPosParams;

/**
 * The bitmap family on a 4-shard node through Jedis, Lettuce and raw RESP: every command's normal
 * cases and bad input with Redis 7.0.15's replies and error texts, BITOP over keys on different
 * shards, events, WATCH and the dirty counter for changes made in place.
 */
class BitCommandsIT extends StringFamilyClients {

    private static String bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private long expireAtOf(String key) {
        return onShardOf(key, db -> {
            Object e = db.peek(key.getBytes(StandardCharsets.UTF_8));
            return e == null ? -2L : Entries.expireAt(e);
        });
    }

    // ---------------------------------------------------------------- SETBIT / GETBIT

    @Test
    void setbitCreatesPadsAndAnswersTheOldBit() throws Exception {
        assertThat(j.setbit("b", 7, true)).isFalse();
        assertThat(call("GET", "b")).isEqualTo(bytes(0x01));
        assertThat(j.setbit("b", 7, true)).isTrue();
        assertThat(j.setbit("b", 0, true)).isFalse();
        assertThat(call("GET", "b")).isEqualTo(bytes(0x81));
        assertThat(lettuce.setbit("b", 23, 1)).isZero();
        assertThat(call("GET", "b")).isEqualTo(bytes(0x81, 0, 0x01));
        assertThat(lettuce.setbit("b", 0, 0)).isEqualTo(1);
        assertThat(call("GET", "b")).isEqualTo(bytes(0x01, 0, 0x01));
        assertThat(j.getbit("b", 7)).isTrue();
        assertThat(j.getbit("b", 6)).isFalse();
        assertThat(lettuce.getbit("b", 23)).isEqualTo(1);
        assertThat(j.getbit("b", 1_000_000)).isFalse();
        assertThat(j.getbit("missing", 3)).isFalse();
        assertThat(call("SETBIT", "zero", "100", "0")).isEqualTo(0L);
        assertThat(j.strlen("zero")).isEqualTo(13);
    }

    @Test
    void setbitWorksOnValuesWrittenByStringCommands() throws Exception {
        j.set("s", "`");
        assertThat(call("SETBIT", "s", "1", "0")).isEqualTo(1L);
        assertThat(call("SETBIT", "s", "2", "1")).isEqualTo(1L);
        assertThat(j.get("s")).isEqualTo(" ");
        j.set("n", "1"); // "1" is 0x31
        assertThat(j.getbit("n", 2)).isTrue();
        assertThat(j.getbit("n", 7)).isTrue();
        j.append("n", "2");
        assertThat(call("SETBIT", "n", "15", "1")).isEqualTo(0L);
        assertThat(j.get("n")).isEqualTo("13");
    }

    @Test
    void setbitKeepsTheExpiryWhetherTheStringGrowsOrNot() throws Exception {
        j.set("t", "a");
        j.pexpire("t", 100_000);
        long at = expireAtOf("t");
        j.setbit("t", 2, true);
        assertThat(expireAtOf("t")).isEqualTo(at);
        j.setbit("t", 800, true);
        assertThat(expireAtOf("t")).isEqualTo(at);
        assertThat(j.strlen("t")).isEqualTo(101);
    }

    @Test
    void setbitAndGetbitRefuseBadArguments() throws Exception {
        String offset = "ERR bit offset is not an integer or out of range";
        String bit = "ERR bit is not an integer or out of range";
        for (String o : new String[] {"-1", "abc", "1.5", "", " 1", "+1", "4294967296", "9223372036854775808"}) {
            assertThat(error("SETBIT", "k", o, "1")).as(o).isEqualTo(offset);
            assertThat(error("GETBIT", "k", o)).as(o).isEqualTo(offset);
        }
        assertThat(error("SETBIT", "k", "#1", "1")).isEqualTo(offset); // "#" is BITFIELD's alone
        for (String v : new String[] {"2", "-1", "a", "", "10", "9223372036854775808"}) {
            assertThat(error("SETBIT", "k", "0", v)).as(v).isEqualTo(bit);
        }
        // The offset is checked before the value, and both before the key's type.
        plantNonString("l");
        assertThat(error("SETBIT", "l", "x", "y")).isEqualTo(offset);
        assertThat(error("SETBIT", "l", "0", "y")).isEqualTo(bit);
        assertThat(error("SETBIT", "l", "0", "1")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("GETBIT", "l", "0")).isEqualTo(RedisError.WRONGTYPE);
        assertThatThrownBy(() -> j.setbit("l", 0, true)).isInstanceOf(JedisDataException.class).hasMessage(RedisError.WRONGTYPE);
        assertThat(error("SETBIT", "k", "0")).isEqualTo(wrongArgs("setbit"));
        assertThat(error("GETBIT", "k")).isEqualTo(wrongArgs("getbit"));
        assertThat(error("GETBIT", "k", "0", "1")).isEqualTo(wrongArgs("getbit"));
        assertThat(j.exists("k")).isFalse();
    }

    @Test
    void theOffsetLimitFollowsProtoMaxBulkLen() throws Exception {
        j.configSet("proto-max-bulk-len", "1mb");
        try {
            assertThat(error("SETBIT", "big", String.valueOf(8L << 20), "1"))
                    .isEqualTo("ERR bit offset is not an integer or out of range");
            assertThat(call("SETBIT", "big", String.valueOf((8L << 20) - 1), "1")).isEqualTo(0L);
            assertThat(j.strlen("big")).isEqualTo(1 << 20);
            assertThat(call("BITPOS", "big", "1")).isEqualTo((8L << 20) - 1);
        } finally {
            j.configSet("proto-max-bulk-len", "512mb");
        }
        assertThat(call("GETBIT", "big", "4294967295")).isEqualTo(0L);
    }

    // ---------------------------------------------------------------- BITCOUNT

    @Test
    void bitcountOverBytesAndBits() throws Exception {
        j.set("m", "foobar");
        assertThat(j.bitcount("m")).isEqualTo(26);
        assertThat(j.bitcount("m", 0, 0)).isEqualTo(4);
        assertThat(j.bitcount("m", 1, 1)).isEqualTo(6);
        assertThat(j.bitcount("m", 1, 1, BitCountOption.BYTE)).isEqualTo(6);
        assertThat(j.bitcount("m", 5, 30, BitCountOption.BIT)).isEqualTo(17);
        assertThat(lettuce.bitcount("m", -2, -1)).isEqualTo(7);
        assertThat(call("BITCOUNT", "m", "-100", "100")).isEqualTo(26L);
        assertThat(call("BITCOUNT", "m", "3", "1")).isEqualTo(0L);
        assertThat(call("BITCOUNT", "m", "-1", "-2")).isEqualTo(0L);
        assertThat(call("BITCOUNT", "m", "0", "-1", "bit")).isEqualTo(26L);
        assertThat(call("BITCOUNT", "m", "-8", "-1", "BIT")).isEqualTo(4L); // 'r' = 0x72
        assertThat(call("BITCOUNT", "m", "100", "200")).isEqualTo(0L);
        assertThat(call("BITCOUNT", "missing")).isEqualTo(0L);
        j.set("empty", "");
        assertThat(call("BITCOUNT", "empty")).isEqualTo(0L);
        assertThat(call("BITCOUNT", "empty", "0", "-1")).isEqualTo(0L);
    }

    @Test
    void bitcountCountsLargeStrings() throws Exception {
        byte[] big = new byte[3_000_003];
        new java.util.Random(1).nextBytes(big);
        long expected = 0;
        for (byte b : big) expected += Integer.bitCount(b & 0xff);
        j.set("big".getBytes(), big);
        assertThat(j.bitcount("big")).isEqualTo(expected);
        long part = 0;
        for (int i = 5; i <= 2_000_000; i++) part += Integer.bitCount(big[i] & 0xff);
        assertThat(j.bitcount("big", 5, 2_000_000)).isEqualTo(part);
    }

    @Test
    void bitcountRefusesBadArgumentsOnlyForAnExistingString() throws Exception {
        assertThat(call("BITCOUNT", "missing", "0")).isEqualTo(0L); // a missing key answers first
        assertThat(call("BITCOUNT", "missing", "a", "b", "c", "d")).isEqualTo(0L);
        j.set("s", "abc");
        assertThat(error("BITCOUNT", "s", "0")).isEqualTo("ERR syntax error");
        assertThat(error("BITCOUNT", "s", "0", "1", "bit", "x")).isEqualTo("ERR syntax error");
        assertThat(error("BITCOUNT", "s", "0", "1", "bits")).isEqualTo("ERR syntax error");
        assertThat(error("BITCOUNT", "s", "a", "1")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("BITCOUNT", "s", "0", "1.0")).isEqualTo(RedisError.NOT_INTEGER);
        // Both negative with start > end answers 0 before the unit is read.
        assertThat(call("BITCOUNT", "s", "-1", "-2", "nonsense")).isEqualTo(0L);
        plantNonString("l");
        assertThat(error("BITCOUNT", "l")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("BITCOUNT")).isEqualTo(wrongArgs("bitcount"));
    }

    // ---------------------------------------------------------------- BITPOS

    @Test
    void bitposFindsTheFirstSetOrClearBit() throws Exception {
        call("SET", "p", bytes(0xff, 0xf0, 0x00));
        assertThat(j.bitpos("p", false)).isEqualTo(12);
        assertThat(j.bitpos("p", true)).isEqualTo(0);
        assertThat(j.bitpos("p", true, new BitPosParams(1))).isEqualTo(8);
        assertThat(j.bitpos("p", true, new BitPosParams(2))).isEqualTo(-1);
        assertThat(j.bitpos("p", true, new BitPosParams(2, -1).modifier(BitCountOption.BYTE))).isEqualTo(-1);
        assertThat(j.bitpos("p", true, new BitPosParams(7, 15).modifier(BitCountOption.BIT))).isEqualTo(7);
        assertThat(j.bitpos("p", false, new BitPosParams(7, 11).modifier(BitCountOption.BIT))).isEqualTo(-1);
        assertThat(lettuce.bitpos("p", false, 0, 0)).isEqualTo(-1);
        assertThat(lettuce.bitpos("p", true, 1, 2)).isEqualTo(8);
        call("SET", "ones", bytes(0xff, 0xff, 0xff));
        // Without an end the string counts as followed by zeros; with one it does not.
        assertThat(call("BITPOS", "ones", "0")).isEqualTo(24L);
        assertThat(call("BITPOS", "ones", "0", "1")).isEqualTo(24L);
        assertThat(call("BITPOS", "ones", "0", "0", "-1")).isEqualTo(-1L);
        assertThat(call("BITPOS", "ones", "0", "0", "-1", "bit")).isEqualTo(-1L);
        assertThat(call("BITPOS", "ones", "1", "5", "1")).isEqualTo(-1L);
        assertThat(call("BITPOS", "missing", "0")).isEqualTo(0L);
        assertThat(call("BITPOS", "missing", "1")).isEqualTo(-1L);
        j.set("empty", "");
        assertThat(call("BITPOS", "empty", "0")).isEqualTo(-1L);
        assertThat(call("BITPOS", "empty", "1")).isEqualTo(-1L);
    }

    @Test
    void bitposRefusesBadArguments() throws Exception {
        assertThat(error("BITPOS", "k", "2")).isEqualTo("ERR The bit argument must be 1 or 0.");
        assertThat(error("BITPOS", "k", "-1")).isEqualTo("ERR The bit argument must be 1 or 0.");
        assertThat(error("BITPOS", "k", "x")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(call("BITPOS", "missing", "1", "x", "y", "z", "w")).isEqualTo(-1L); // missing answers first
        j.set("s", "abc");
        assertThat(error("BITPOS", "s", "1", "0", "1", "bits")).isEqualTo("ERR syntax error");
        // The unit is read before the end.
        assertThat(error("BITPOS", "s", "1", "0", "x", "bits")).isEqualTo("ERR syntax error");
        assertThat(error("BITPOS", "s", "1", "0", "x", "bit")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("BITPOS", "s", "1", "y")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("BITPOS", "s", "1", "0", "1", "bit", "x")).isEqualTo("ERR syntax error");
        plantNonString("l");
        assertThat(error("BITPOS", "l", "1")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("BITPOS", "l")).isEqualTo(wrongArgs("bitpos"));
    }

    // ---------------------------------------------------------------- BITOP

    @Test
    void bitopCombinesKeysOnEveryShard() throws Exception {
        String[] k = keysOnDistinctShards("op", 4);
        call("SET", k[1], bytes(0xf0, 0x0f, 0xff));
        call("SET", k[2], bytes(0x3c));
        call("SET", k[3], bytes(0xaa, 0x55));
        assertThat(j.bitop(BitOP.AND, k[0], k[1], k[2], k[3])).isEqualTo(3);
        assertThat(call("GET", k[0])).isEqualTo(bytes(0x20, 0, 0));
        assertThat(j.bitop(BitOP.OR, k[0], k[1], k[2], k[3])).isEqualTo(3);
        assertThat(call("GET", k[0])).isEqualTo(bytes(0xfe, 0x5f, 0xff));
        assertThat(lettuce.bitopXor(k[0], k[1], k[2], k[3])).isEqualTo(3);
        assertThat(call("GET", k[0])).isEqualTo(bytes(0x66, 0x5a, 0xff));
        assertThat(lettuce.bitopNot(k[0], k[3])).isEqualTo(2);
        assertThat(call("GET", k[0])).isEqualTo(bytes(0x55, 0xaa));
        // The destination may be a source, and a missing source is all zeros.
        assertThat(call("BITOP", "or", k[1], k[1], "missing{" + k[2] + "}")).isEqualTo(3L);
        assertThat(call("GET", k[1])).isEqualTo(bytes(0xf0, 0x0f, 0xff));
        assertThat(call("BITOP", "AND", k[0], k[1], "missing")).isEqualTo(3L);
        assertThat(call("GET", k[0])).isEqualTo(bytes(0, 0, 0));
    }

    @Test
    void bitopOverLongStringsMatchesByteByByte() throws Exception {
        java.util.Random r = new java.util.Random(9);
        String[] k = keysOnDistinctShards("long", 3);
        byte[] a = new byte[1003], b = new byte[517];
        r.nextBytes(a);
        r.nextBytes(b);
        j.set(k[1].getBytes(), a);
        j.set(k[2].getBytes(), b);
        for (BitOP op : new BitOP[] {BitOP.AND, BitOP.OR, BitOP.XOR}) {
            j.bitop(op, k[0], k[1], k[2]);
            byte[] got = j.get(k[0].getBytes());
            assertThat(got).hasSize(a.length);
            for (int i = 0; i < a.length; i++) {
                int x = a[i], y = i < b.length ? b[i] : 0;
                int e = op == BitOP.AND ? x & y : op == BitOP.OR ? x | y : x ^ y;
                assertThat(got[i]).as("%s byte %d", op, i).isEqualTo((byte) e);
            }
        }
    }

    @Test
    void bitopWithAnEmptyResultDeletesTheDestinationAndDropsItsExpiry() throws Exception {
        String[] k = keysOnDistinctShards("dst", 2);
        j.set(k[0], "old");
        j.expire(k[0], 100);
        j.set(k[1], "x");
        assertThat(j.bitop(BitOP.OR, k[0], k[1])).isEqualTo(1);
        assertThat(j.ttl(k[0])).isEqualTo(-1);
        j.set("empty", "");
        assertThat(call("BITOP", "AND", k[0], "empty", "missing")).isEqualTo(0L);
        assertThat(j.exists(k[0])).isFalse();
        assertThat(call("BITOP", "NOT", k[0], "missing")).isEqualTo(0L);
        assertThat(j.exists(k[0])).isFalse();
    }

    @Test
    void bitopRefusesBadArguments() throws Exception {
        String[] k = keysOnDistinctShards("bad", 3);
        j.set(k[1], "a");
        assertThat(error("BITOP", "NAND", k[0], k[1])).isEqualTo("ERR syntax error");
        assertThat(error("BITOP", "NOT", k[0], k[1], k[2])).isEqualTo("ERR BITOP NOT must be called with a single source key.");
        plantNonString(k[2]);
        assertThat(error("BITOP", "AND", k[0], k[1], k[2])).isEqualTo(RedisError.WRONGTYPE);
        // A destination of another type is replaced.
        plantNonString(k[0]);
        assertThat(call("BITOP", "NOT", k[0], k[1])).isEqualTo(1L);
        assertThat(call("GET", k[0])).isEqualTo(bytes(0x9e));
        assertThat(error("BITOP", "AND", k[0])).isEqualTo(wrongArgs("bitop"));
    }

    // ---------------------------------------------------------------- BITFIELD

    @Test
    void bitfieldGetSetIncrbyWithJedisAndLettuce() throws Exception {
        assertThat(j.bitfield("f", "SET", "i8", "0", "-100", "GET", "i8", "0", "GET", "u8", "0"))
                .containsExactly(0L, -100L, 156L);
        assertThat(j.bitfield("f", "INCRBY", "u4", "#1", "20", "GET", "u4", "4")).containsExactly(0L, 0L);
        assertThat(j.bitfieldReadonly("f", "GET", "u16", "0")).containsExactly(0x9000L);
        List<Long> r = lettuce.bitfield("g", BitFieldArgs.Builder.set(BitFieldArgs.unsigned(8), 0, 255)
                .incrBy(BitFieldArgs.unsigned(8), 0, 10).overflow(BitFieldArgs.OverflowType.FAIL)
                .incrBy(BitFieldArgs.unsigned(8), 0, 300).get(BitFieldArgs.signed(4), 4));
        assertThat(r).containsExactly(0L, 9L, null, -7L);
        assertThat(call("BITFIELD", "h", "SET", "i64", "0", "-9223372036854775808", "GET", "i64", "0", "GET", "u63", "1"))
                .isEqualTo(List.of(0L, Long.MIN_VALUE, 0L));
        assertThat(call("BITFIELD", "h")).isEqualTo(List.of());
        assertThat(call("BITFIELD", "missing", "GET", "u8", "100")).isEqualTo(List.of(0L));
        assertThat(j.exists("missing")).isFalse();
    }

    @Test
    void bitfieldOverflowModes() throws Exception {
        assertThat(call("BITFIELD", "o", "SET", "u8", "0", "250", "INCRBY", "u8", "0", "10")).isEqualTo(List.of(0L, 4L));
        assertThat(call("BITFIELD", "o", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "300", "INCRBY", "u8", "0", "-1000"))
                .isEqualTo(List.of(255L, 0L));
        assertThat(call("BITFIELD", "o", "OVERFLOW", "fail", "INCRBY", "u8", "0", "-1", "GET", "u8", "0"))
                .isEqualTo(Arrays.asList(null, 0L));
        assertThat(call("BITFIELD", "s", "SET", "i8", "0", "127", "INCRBY", "i8", "0", "1")).isEqualTo(List.of(0L, -128L));
        assertThat(call("BITFIELD", "s", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "-1", "SET", "i8", "0", "1000", "GET", "i8", "0"))
                .isEqualTo(List.of(-128L, -128L, 127L));
        assertThat(call("BITFIELD", "s", "OVERFLOW", "FAIL", "SET", "i8", "0", "128", "SET", "i8", "0", "-128"))
                .isEqualTo(Arrays.asList(null, 127L));
        // The overflow mode applies to the operations after it, until the next OVERFLOW.
        assertThat(call("BITFIELD", "w", "SET", "u2", "0", "7", "OVERFLOW", "SAT", "SET", "u2", "2", "7", "OVERFLOW", "WRAP",
                "SET", "u2", "4", "7", "GET", "u8", "0")).isEqualTo(List.of(0L, 0L, 0L, 0xfcL));
        try (RawClient resp3 = node.raw()) {
            resp3.call("HELLO", "3");
            assertThat(resp3.call("BITFIELD", "o", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "-1")).isEqualTo(Arrays.asList((Object) null));
        }
    }

    @Test
    void bitfieldGrowsOnceToTheFarthestWriteAndKeepsTheExpiry() throws Exception {
        j.set("e", "ab");
        j.pexpire("e", 100_000);
        long at = expireAtOf("e");
        assertThat(call("BITFIELD", "e", "GET", "u8", "80", "SET", "u8", "#9", "1", "SET", "u4", "0", "6"))
                .isEqualTo(List.of(0L, 0L, 6L));
        assertThat(call("GET", "e")).isEqualTo(bytes(0x61, 'b', 0, 0, 0, 0, 0, 0, 0, 1));
        assertThat(expireAtOf("e")).isEqualTo(at);
        // A write that OVERFLOW FAIL refuses still creates the zero-padded key, as in Redis.
        assertThat(call("BITFIELD", "fresh", "OVERFLOW", "FAIL", "SET", "u2", "8", "9")).isEqualTo(Arrays.asList((Object) null));
        assertThat(call("GET", "fresh")).isEqualTo(bytes(0, 0));
    }

    @Test
    void bitfieldRefusesBadArgumentsBeforeChangingAnything() throws Exception {
        String type = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
        for (String t : new String[] {"u64", "i65", "i0", "u0", "x8", "I8", "U8", "i", "", "i-1", "i08", "u8a"}) {
            assertThat(error("BITFIELD", "k", "GET", t, "0")).as(t).isEqualTo(type);
        }
        String offset = "ERR bit offset is not an integer or out of range";
        for (String o : new String[] {"-1", "a", "#", "#-1", "4294967296", "#536870912", "#a"}) {
            assertThat(error("BITFIELD", "k", "GET", "u8", o)).as(o).isEqualTo(offset);
        }
        assertThat(error("BITFIELD", "k", "SET", "u8", "0")).isEqualTo("ERR syntax error");
        assertThat(error("BITFIELD", "k", "GET", "u8")).isEqualTo("ERR syntax error");
        assertThat(error("BITFIELD", "k", "FOO", "u8", "0")).isEqualTo("ERR syntax error");
        assertThat(error("BITFIELD", "k", "OVERFLOW")).isEqualTo("ERR syntax error");
        assertThat(error("BITFIELD", "k", "OVERFLOW", "SATURATE")).isEqualTo("ERR Invalid OVERFLOW type specified");
        assertThat(error("BITFIELD", "k", "SET", "u8", "0", "x")).isEqualTo(RedisError.NOT_INTEGER);
        assertThat(error("BITFIELD", "k", "INCRBY", "i8", "0", "9223372036854775808")).isEqualTo(RedisError.NOT_INTEGER);
        // Every operation is parsed first: a bad one at the end leaves the key untouched.
        assertThat(error("BITFIELD", "k", "SET", "u8", "0", "1", "GET", "u65", "0")).isEqualTo(type);
        assertThat(j.exists("k")).isFalse();
        plantNonString("l");
        assertThat(error("BITFIELD", "l", "GET", "u8", "0")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("BITFIELD", "l", "SET", "u8", "0", "1")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("BITFIELD_RO", "l", "GET", "u8", "0")).isEqualTo(RedisError.WRONGTYPE);
        assertThat(error("BITFIELD")).isEqualTo(wrongArgs("bitfield"));
        assertThat(error("BITFIELD_RO")).isEqualTo(wrongArgs("bitfield_ro"));
    }

    @Test
    void bitfieldRoAnswersGetsOnly() throws Exception {
        call("SET", "r", bytes(0x12, 0x34));
        assertThat(call("BITFIELD_RO", "r", "GET", "u8", "4", "GET", "i4", "#3")).isEqualTo(List.of(0x23L, 4L));
        assertThat(call("BITFIELD_RO", "r")).isEqualTo(List.of());
        assertThat(error("BITFIELD_RO", "r", "GET", "u8", "0", "SET", "u8", "0", "1"))
                .isEqualTo("ERR BITFIELD_RO only supports the GET subcommand");
        assertThat(error("BITFIELD_RO", "r", "INCRBY", "u8", "0", "1")).isEqualTo("ERR BITFIELD_RO only supports the GET subcommand");
        // OVERFLOW alone is not a write.
        assertThat(call("BITFIELD_RO", "r", "OVERFLOW", "SAT", "GET", "u4", "0")).isEqualTo(List.of(1L));
        assertThat(error("BITFIELD_RO", "r", "GET", "u64", "0")).startsWith("ERR Invalid bitfield type");
        assertThat(call("GET", "r")).isEqualTo(bytes(0x12, 0x34));
    }

    @Test
    void bitfieldKeyFlagsDependOnTheOperations() throws Exception {
        assertThat(call("COMMAND", "GETKEYSANDFLAGS", "BITFIELD", "k", "GET", "u8", "0", "OVERFLOW", "SAT"))
                .isEqualTo(List.of(List.of("k", List.of("RO", "access"))));
        assertThat(call("COMMAND", "GETKEYSANDFLAGS", "BITFIELD", "k", "GET", "u8", "0", "SET", "u8", "0", "1"))
                .isEqualTo(List.of(List.of("k", List.of("RW", "access", "update"))));
        assertThat(call("COMMAND", "GETKEYS", "BITOP", "AND", "d", "a", "b")).isEqualTo(List.of("d", "a", "b"));
    }

    // ---------------------------------------------------------------- side effects

    @Test
    void changesSendRedisEvents() throws Exception {
        String[] k = keysOnDistinctShards("ev", 2);
        withKeyspaceEvents(sub -> {
            j.setbit(k[0], 3, true);
            assertThat(event(sub)).isEqualTo(List.of(k[0], "setbit"));
            j.setbit(k[0], 3, true); // no change, no event
            j.bitfield(k[0], "SET", "u4", "0", "2", "INCRBY", "u4", "0", "0");
            assertThat(event(sub)).isEqualTo(List.of(k[0], "setbit"));
            j.bitop(BitOP.NOT, k[1], k[0]);
            assertThat(event(sub)).isEqualTo(List.of(k[1], "set"));
            j.bitop(BitOP.AND, k[1], "missing");
            assertThat(event(sub)).isEqualTo(List.of(k[1], "del"));
            j.bitfield(k[0], "GET", "u4", "0", "SET", "u4", "0", "2"); // no change, no event
            j.setbit(k[0], 100, false); // grows: a change though the bit stays 0
            assertThat(event(sub)).isEqualTo(List.of(k[0], "setbit"));
        });
    }

    @Test
    void aChangeInPlaceTellsWatchers() throws Exception {
        j.setbit("w", 5, true);
        try (redis.clients.jedis.Jedis other = node.jedis()) {
            j.watch("w");
            other.setbit("w", 5, true); // no change: the transaction still runs
            Transaction t = j.multi();
            t.get("w");
            assertThat(t.exec()).isNotNull();
            j.watch("w");
            other.setbit("w", 5, false);
            t = j.multi();
            t.get("w");
            assertThat(t.exec()).isNull();
            j.watch("w");
            other.bitfield("w", "INCRBY", "u2", "0", "1");
            t = j.multi();
            t.get("w");
            assertThat(t.exec()).isNull();
        }
    }

    @Test
    void theDirtyCounterCountsRealChangesOnly() throws Exception {
        long d0 = dirty();
        j.setbit("d1", 0, false);
        j.bitfield("d2", "SET", "i5", "0", "0");
        assertThat(dirty()).isEqualTo(d0 + 2);
        j.setbit("d1", 0, false);
        j.bitfield("d2", "SET", "i5", "0", "0");
        assertThat(dirty()).isEqualTo(d0 + 2);
        j.bitfield("d2", "SET", "i5", "0", "1", "SET", "i5", "0", "1");
        assertThat(dirty()).isEqualTo(d0 + 3);
        // In a new or longer string every write counts.
        j.bitfield("d3", "SET", "u1", "0", "0", "SET", "u1", "1", "0");
        assertThat(dirty()).isEqualTo(d0 + 5);
        j.bitfield("d3", "SET", "u1", "0", "0", "SET", "u1", "9", "0", "GET", "u1", "0");
        assertThat(dirty()).isEqualTo(d0 + 7);
    }

    @Test
    void manyClientsSettingBitsOnManyKeysLoseNothing() throws Exception {
        String[] keys = keysOnDistinctShards("par", 4);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 8; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try (redis.clients.jedis.Jedis c = node.jedis()) {
                    for (int i = 0; i < 500; i++) c.setbit(keys[i % 4], id * 500L + i, true);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(failures).isEmpty();
        long total = 0;
        for (String k : keys) total += j.bitcount(k);
        assertThat(total).isEqualTo(4000);
    }
}
