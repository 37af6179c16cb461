package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.moon.node.testing.RawClient;
import io.moon.node.testing.RawClient.Err;
import io.moon.node.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT on a 4-shard node (and a 1-shard node where the
 * shard count matters): conversions both ways, Redis's error texts, the sandbox, keys on several
 * shards, atomicity under concurrent writers, busy scripts and SCRIPT KILL.
 */
class ScriptingCommandsIT extends FourShardNode {

    private static String sha1(String body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String key(int shard, String prefix) { return ShardKeys.on(node.node(), shard, prefix); }

    // ---------------------------------------------------------------- Lua to Redis

    @Test
    void luaValuesBecomeRedisReplies() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("EVAL", "return 'hello'", "0")).isEqualTo("hello");
            assertThat(c.call("EVAL", "return 100.5", "0")).isEqualTo(100L);
            assertThat(c.call("EVAL", "return -3.9", "0")).isEqualTo(-3L);
            assertThat(c.call("EVAL", "return true", "0")).isEqualTo(1L);
            assertThat(c.call("EVAL", "return false", "0")).isNull();
            assertThat(c.call("EVAL", "return nil", "0")).isNull();
            assertThat(c.call("EVAL", "return {ok='fine'}", "0")).isEqualTo("fine");
            assertThat(c.call("EVAL", "return {err='MYCODE bad'}", "0")).isEqualTo(new Err("MYCODE bad"));
            assertThat(c.call("EVAL", "return {1,2,3,'ciao',{1,2}}", "0"))
                    .isEqualTo(List.of(1L, 2L, 3L, "ciao", List.of(1L, 2L)));
            assertThat(c.call("EVAL", "return {1,nil,3}", "0")).isEqualTo(List.of(1L));
            assertThat(c.call("EVAL", "return _G", "0")).isEqualTo(List.of());
            assertThat(c.call("EVAL", "return {double=1.5}", "0")).isEqualTo("1.5");
            assertThat(c.call("EVAL", "return {map={a=1}}", "0")).isEqualTo(List.of("a", 1L));
            assertThat(c.call("EVAL", "return redis.status_reply('FINE')", "0")).isEqualTo("FINE");
            assertThat(c.call("EVAL", "return redis.error_reply('MY_ERR x')", "0")).isEqualTo(new Err("MY_ERR x"));
            assertThat(c.call("EVAL", "return redis.error_reply('no code')", "0")).isEqualTo(new Err("no code"));
            assertThat(c.call("EVAL", "return redis.error_reply('nospace')", "0")).isEqualTo(new Err("ERR nospace"));
            assertThat(c.call("EVAL", "return {KEYS[1],KEYS[2],ARGV[1],ARGV[2]}", "2", "a{t}", "b{t}", "c", "d"))
                    .isEqualTo(List.of("a{t}", "b{t}", "c", "d"));
        }
    }

    @Test
    void resp3RepliesFollowTheCallerAndBooleansTheScript() throws Exception {
        try (RawClient c = node.raw()) {
            c.call("HELLO", "3");
            assertThat(c.call("EVAL", "return {map={a=1}}", "0")).isEqualTo(Map.of("a", 1L));
            assertThat(c.call("EVAL", "return {double=1.5}", "0")).isEqualTo(1.5);
            assertThat(c.call("EVAL", "return {set={x=true}}", "0")).isEqualTo(List.of("x"));
            assertThat(c.call("EVAL", "return false", "0")).isNull();
            assertThat(c.call("EVAL", "redis.setresp(3) return false", "0")).isEqualTo(false);
            assertThat(c.call("EVAL", "redis.setresp(3) return true", "0")).isEqualTo(true);
            assertThat(c.call("EVAL", "redis.setresp(3) return {big_number='123456789012345678901234567890'}", "0"))
                    .isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
            c.call("HELLO", "2");
            assertThat(c.call("EVAL", "redis.setresp(3) return true", "0")).isEqualTo(1L);
            assertThat(c.call("EVAL", "redis.setresp(3) return false", "0")).isEqualTo(0L);
            assertThat(c.call("EVAL", "return redis.setresp(4)", "0")).isEqualTo(new Err(
                    "ERR RESP version must be 2 or 3. script: " + sha1("return redis.setresp(4)") + ", on @user_script:1."));
        }
    }

    // ---------------------------------------------------------------- Redis to Lua

    @Test
    void redisRepliesBecomeLuaValues() throws Exception {
        String k = key(0, "conv");
        try (RawClient c = node.raw()) {
            c.call("SET", k, "0");
            assertThat(c.call("EVAL", "local v = redis.pcall('incr', KEYS[1]) return {type(v), v}", "1", k))
                    .isEqualTo(List.of("number", 1L));
            assertThat(c.call("EVAL", "local v = redis.pcall('get', KEYS[1]) return {type(v), v}", "1", k))
                    .isEqualTo(List.of("string", "1"));
            assertThat(c.call("EVAL", "local v = redis.pcall('set', KEYS[1], 'x') return {type(v), v['ok']}", "1", k))
                    .isEqualTo(List.of("table", "OK"));
            assertThat(c.call("EVAL", "local v = redis.pcall('incr', KEYS[1]) return {type(v), v['err']}", "1", k))
                    .isEqualTo(List.of("table", "ERR value is not an integer or out of range"));
            c.call("DEL", k);
            assertThat(c.call("EVAL", "local v = redis.pcall('get', KEYS[1]) return {type(v), v == false}", "1", k))
                    .isEqualTo(List.of("boolean", 1L));
            assertThat(c.call("EVAL", "redis.call('set', KEYS[1], 9007199254740991) return redis.call('get', KEYS[1])",
                    "1", k)).isEqualTo("9007199254740991");
            assertThat(c.call("EVAL", "return redis.call('echo', 0.1)", "0")).isEqualTo("0.10000000000000001");
        }
    }

    @Test
    void binaryStringsCrossUnchanged() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        String bin = new String(all, StandardCharsets.ISO_8859_1);
        String k = key(1, "bin");
        try (RawClient c = node.raw()) {
            assertThat(c.call("EVAL", "return ARGV[1]", "0", bin)).isEqualTo(bin);
            assertThat(c.call("EVAL", "redis.call('set', KEYS[1], ARGV[1]) return redis.call('get', KEYS[1])", "1", k, bin))
                    .isEqualTo(bin);
            assertThat(c.call("EVAL", "return #redis.call('get', KEYS[1])", "1", k)).isEqualTo(256L);
        }
    }

    // ---------------------------------------------------------------- errors

    @Test
    void argumentErrors() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("EVAL", "return 1", "-1")).isEqualTo(new Err("ERR Number of keys can't be negative"));
            assertThat(c.call("EVAL", "return 1", "2", "a"))
                    .isEqualTo(new Err("ERR Number of keys can't be greater than number of args"));
            assertThat(c.call("EVAL", "return 1", "x")).isEqualTo(new Err("ERR value is not an integer or out of range"));
            assertThat(c.call("EVAL", "return 1")).isEqualTo(new Err("ERR wrong number of arguments for 'eval' command"));
            assertThat(c.call("EVALSHA", "abc", "0")).isEqualTo(new Err("NOSCRIPT No matching script. Please use EVAL."));
            assertThat(c.call("EVALSHA", "ffd632c7d33e571e9f24556ebed26c3479a87130", "0"))
                    .isEqualTo(new Err("NOSCRIPT No matching script. Please use EVAL."));
            assertThat(c.call("EVAL", "return 'x' ..", "0")).isEqualTo(new Err(
                    "ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'"));
            assertThat(c.call("EVAL", "#!python\nreturn 1", "0"))
                    .isEqualTo(new Err("ERR Unexpected engine in script shebang: #!python"));
            assertThat(c.call("EVAL", "#!lua flags=bad\nreturn 1", "0"))
                    .isEqualTo(new Err("ERR Unexpected flag in script shebang: bad"));
            assertThat(c.call("EVAL", "#!lua", "0")).isEqualTo(new Err("ERR Invalid script shebang"));
        }
    }

    @Test
    void runtimeErrorsCarryTheScriptAndLine() throws Exception {
        try (RawClient c = node.raw()) {
            String body = "local x = 1\nreturn redis.call('nosuchcommand')";
            assertThat(c.call("EVAL", body, "0")).isEqualTo(new Err(
                    "ERR Unknown Redis command called from script script: " + sha1(body) + ", on @user_script:2."));
            body = "return redis.call('get', 'a', 'b')";
            assertThat(c.call("EVAL", body, "0")).isEqualTo(new Err(
                    "ERR Wrong number of args calling Redis command from script script: " + sha1(body) + ", on @user_script:1."));
            body = "return redis.call('multi')";
            assertThat(c.call("EVAL", body, "0")).isEqualTo(new Err(
                    "ERR This Redis command is not allowed from script script: " + sha1(body) + ", on @user_script:1."));
            body = "return redis.call()";
            assertThat(c.call("EVAL", body, "0")).isEqualTo(new Err("ERR Please specify at least one argument for this"
                    + " redis lib call script: " + sha1(body) + ", on @user_script:1."));
            body = "return redis.call('ping', {})";
            assertThat(c.call("EVAL", body, "0")).isEqualTo(new Err("ERR Lua redis lib command arguments must be strings"
                    + " or integers script: " + sha1(body) + ", on @user_script:1."));
            body = "error('boom')";
            assertThat(c.call("EVAL", body, "0"))
                    .isEqualTo(new Err("ERR user_script:1: boom script: " + sha1(body) + ", on @user_script:1."));
            body = "error({err='CODE msg'})";
            assertThat(c.call("EVAL", body, "0"))
                    .isEqualTo(new Err("CODE msg script: " + sha1(body) + ", on @user_script:1."));
            String k = key(2, "wt");
            c.call("SET", k, "x");
            body = "return redis.call('incr', KEYS[1])";
            assertThat(c.call("EVAL", body, "1", k)).isEqualTo(new Err(
                    "ERR value is not an integer or out of range script: " + sha1(body) + ", on @user_script:1."));
            assertThat(c.call("EVAL", "return redis.pcall('incr', KEYS[1])", "1", k))
                    .isEqualTo(new Err("ERR value is not an integer or out of range"));
        }
    }

    @Test
    void readOnlyScriptsCannotWrite() throws Exception {
        String k = key(3, "ro");
        try (RawClient c = node.raw()) {
            c.call("SET", k, "bar");
            assertThat(c.call("EVAL_RO", "return redis.call('get', KEYS[1])", "1", k)).isEqualTo("bar");
            String body = "return redis.call('del', KEYS[1])";
            assertThat(c.call("EVAL_RO", body, "1", k)).isEqualTo(new Err("ERR Write commands are not allowed from"
                    + " read-only scripts. script: " + sha1(body) + ", on @user_script:1."));
            assertThat(c.call("EVAL_RO", "#!lua\nreturn 1", "0"))
                    .isEqualTo(new Err("ERR Can not execute a script with write flag using *_ro command."));
            body = "#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], 'x')";
            assertThat(c.call("EVAL", body, "1", k)).isEqualTo(new Err("ERR Write commands are not allowed from"
                    + " read-only scripts. script: " + sha1(body) + ", on @user_script:2."));
            assertThat(c.call("GET", k)).isEqualTo("bar");
            String sha = (String) c.call("SCRIPT", "LOAD", "return redis.call('get', KEYS[1])");
            assertThat(c.call("EVALSHA_RO", sha, "1", k)).isEqualTo("bar");
        }
    }

    @Test
    void theSandboxProtectsGlobalsAndLibraries() throws Exception {
        try (RawClient c = node.raw()) {
            String[][] cases = {
                {"return a", "ERR user_script:1: Script attempted to access nonexistent global variable 'a'"},
                {"a = 10", "ERR user_script:1: Attempt to modify a readonly table"},
                {"redis = function() return 1 end", "ERR user_script:1: Attempt to modify a readonly table"},
                {"_G = {}", "ERR user_script:1: Attempt to modify a readonly table"},
                {"setmetatable(_G, {})", "ERR Attempt to modify a readonly table"},
                {"local g = getmetatable(_G) g.__index = {}", "ERR user_script:1: Attempt to modify a readonly table"},
                {"redis.call = function() return 1 end", "ERR user_script:1: Attempt to modify a readonly table"},
                {"cjson.encode = function() return 1 end", "ERR user_script:1: Attempt to modify a readonly table"},
                {"cmsgpack.pack = function() return 1 end", "ERR user_script:1: Attempt to modify a readonly table"},
                {"bit.lshift = function() return 1 end", "ERR user_script:1: Attempt to modify a readonly table"},
                {"rawset(_G, 'x', 1)", "ERR Attempt to modify a readonly table"},
                {"loadfile('x')", "ERR user_script:1: Script attempted to access nonexistent global variable 'loadfile'"},
                {"dofile('x')", "ERR user_script:1: Script attempted to access nonexistent global variable 'dofile'"},
                {"print('x')", "ERR user_script:1: Script attempted to access nonexistent global variable 'print'"},
                {"os.exit()", "ERR user_script:1: Script attempted to access nonexistent global variable 'os'"},
                {"io.open('x')", "ERR user_script:1: Script attempted to access nonexistent global variable 'io'"},
                {"return loadstring(string.dump(function() return 1 end))()", "ERR user_script:1: attempt to call a nil value"},
                {"loadstring('x = 1')()", "ERR [string \"x = 1\"]:1: Attempt to modify a readonly table"},
            };
            for (String[] t : cases) {
                Object r = c.call("EVAL", t[0], "0");
                assertThat(r).as(t[0]).isInstanceOf(Err.class);
                assertThat(((Err) r).message()).as(t[0]).startsWith(t[1]);
            }
            assertThat(c.call("EVAL", "return type(getmetatable('').__index.upper)", "0")).isEqualTo("function");
            assertThat(c.call("EVAL", "return _VERSION", "0")).isEqualTo("Lua 5.1");
        }
    }

    // ---------------------------------------------------------------- SCRIPT

    @Test
    void scriptLoadExistsFlush() throws Exception {
        try (RawClient c = node.raw()) {
            String body = "return 'loaded'";
            assertThat(c.call("SCRIPT", "LOAD", body)).isEqualTo(sha1(body));
            assertThat(c.call("EVALSHA", sha1(body), "0")).isEqualTo("loaded");
            assertThat(c.call("EVALSHA", sha1(body).toUpperCase(), "0")).isEqualTo("loaded");
            assertThat(c.call("SCRIPT", "EXISTS", sha1(body), sha1(body).toUpperCase(), "x"))
                    .isEqualTo(List.of(1L, 1L, 0L));
            assertThat(c.call("SCRIPT", "LOAD", "return 'x")).isInstanceOf(Err.class);
            assertThat(c.call("SCRIPT", "FLUSH", "x")).isEqualTo(new Err("ERR SCRIPT FLUSH only support SYNC|ASYNC option"));
            assertThat(c.call("SCRIPT", "FLUSH", "ASYNC")).isEqualTo("OK");
            assertThat(c.call("SCRIPT", "EXISTS", sha1(body))).isEqualTo(List.of(0L));
            assertThat(c.call("EVALSHA", sha1(body), "0")).isEqualTo(new Err("NOSCRIPT No matching script. Please use EVAL."));
            assertThat(c.call("SCRIPT", "KILL")).isEqualTo(new Err("NOTBUSY No scripts in execution right now."));
            assertThat(c.call("SCRIPT", "FOO")).isEqualTo(new Err("ERR unknown subcommand 'FOO'. Try SCRIPT HELP."));
            assertThat((List<?>) c.call("SCRIPT", "HELP")).hasSize(17);
            assertThat(c.call("SCRIPT", "DEBUG", "maybe")).isEqualTo(new Err("ERR Use SCRIPT DEBUG YES/SYNC/NO"));
            for (int i = 0; i < 10; i++) c.call("SCRIPT", "LOAD", "return " + i);
            assertThat((String) c.call("INFO", "memory")).contains("number_of_cached_scripts:10");
        }
    }

    @Test
    void jedisAndLettuceRunScripts() throws Exception {
        String k = key(1, "client");
        try (Jedis j = node.jedis()) {
            assertThat(j.eval("return redis.call('set', KEYS[1], ARGV[1])", List.of(k), List.of("v"))).isEqualTo("OK");
            String sha = j.scriptLoad("return redis.call('get', KEYS[1])");
            assertThat(j.evalsha(sha, List.of(k), List.of())).isEqualTo("v");
            assertThat(j.scriptExists(sha)).isTrue();
            try {
                j.eval("return redis.call('nosuch')");
                throw new AssertionError("no error");
            } catch (JedisDataException e) {
                assertThat(e.getMessage()).startsWith("ERR Unknown Redis command called from script");
            }
        }
        RedisClient client = RedisClient.create(node.uri());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            Long n = conn.sync().eval("return #KEYS + #ARGV", ScriptOutputType.INTEGER, new String[] {k}, "a", "b");
            assertThat(n).isEqualTo(3L);
            List<Object> multi = conn.sync().eval("return {1, 'two', {3}}", ScriptOutputType.MULTI);
            assertThat(multi).containsExactly(1L, "two", List.of(3L));
        } finally {
            client.shutdown();
        }
    }

    // ---------------------------------------------------------------- the libraries

    @Test
    void cjsonCmsgpackStructBit() throws Exception {
        try (RawClient c = node.raw()) {
            assertThat(c.call("EVAL", "return cjson.encode({a={1,2,'x/y'}, b=cjson.null})", "0"))
                    .isIn("{\"a\":[1,2,\"x\\/y\"],\"b\":null}", "{\"b\":null,\"a\":[1,2,\"x\\/y\"]}");
            assertThat(c.call("EVAL", "return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')", "0"))
                    .isEqualTo("0 -5000 -1 0.0003 1023.2 0");
            assertThat(c.call("EVAL", "return cjson.encode(1/3)", "0")).isEqualTo("0.33333333333333");
            Object bad = c.call("EVAL", "return cjson.decode('[1,2')", "0");
            assertThat(((Err) bad).message()).startsWith(
                    "ERR user_script:1: Expected comma or array end but found T_END at character 5");
            assertThat(c.call("EVAL", hex("cmsgpack.pack(0.1)"), "0")).isEqualTo("cb3fb999999999999a");
            assertThat(c.call("EVAL", hex("cmsgpack.pack(-1099511627776)"), "0")).isEqualTo("d3ffffff0000000000");
            assertThat(c.call("EVAL", hex("cmsgpack.pack({1,2,3}, 'abc', {a=1}, true, nil)"), "0"))
                    .isEqualTo("93010203a361626381a16101c3c0");
            assertThat(c.call("EVAL", "local t = cmsgpack.unpack(cmsgpack.pack({1,{2,'x'}})) return t[2][2]", "0"))
                    .isEqualTo("x");
            assertThat(c.call("EVAL", hex("struct.pack('>iH', -2, 258)"), "0")).isEqualTo("fffffffe0102");
            assertThat(c.call("EVAL", "return {struct.unpack('<h', struct.pack('<h', -2))}", "0")).isEqualTo(List.of(-2L, 3L));
            assertThat(c.call("EVAL", "return struct.size('bhi')", "0")).isEqualTo(7L);
            assertThat(c.call("EVAL", "return struct.size('!8bhi')", "0")).isEqualTo(8L);
            assertThat(c.call("EVAL", "return {bit.tobit(0xffffffff), bit.band(7, 3), bit.bor(1,2,4,8,16,32,64,128),"
                    + " bit.lshift(1, 31), bit.arshift(-256, 4)}", "0")).isEqualTo(List.of(-1L, 3L, 255L, -2147483648L, -16L));
            assertThat(c.call("EVAL", "return bit.tohex(-1, -4)", "0")).isEqualTo("FFFF");
        }
    }

    private static String hex(String expr) {
        return "local e = " + expr + " local h = '' for i = 1, #e do h = h .. string.format('%02x', string.byte(e, i)) end"
                + " return h";
    }

    // ---------------------------------------------------------------- keys, shards, atomicity

    @Test
    void declaredKeysOnEveryShardAndTheRuleForUndeclaredOnes() throws Exception {
        String[] keys = {key(0, "sk"), key(1, "sk"), key(2, "sk"), key(3, "sk")};
        try (RawClient c = node.raw()) {
            Object r = c.call("EVAL", "for i, k in ipairs(KEYS) do redis.call('set', k, ARGV[1] .. i) end"
                    + " return redis.call('mget', unpack(KEYS))", "4", keys[0], keys[1], keys[2], keys[3], "v");
            assertThat(r).isEqualTo(List.of("v1", "v2", "v3", "v4"));
            for (int i = 0; i < 4; i++) assertThat(c.call("GET", keys[i])).isEqualTo("v" + (i + 1));
            // A key that is not declared works when it shares a shard with a declared one...
            String sameShard = key(2, "other");
            assertThat(c.call("EVAL", "return redis.call('set', ARGV[1], 'x')", "1", keys[2], sameShard)).isEqualTo("OK");
            // ...and fails on a shard the script does not hold.
            String body = "return redis.call('get', ARGV[1])";
            Object err = null;
            for (int s = 0; s < 4 && err == null; s++) {
                Object res = c.call("EVAL", body, "1", keys[s], keys[(s + 1) % 4]);
                if (res instanceof Err) err = res;
            }
            assertThat(err).isEqualTo(new Err("ERR Script attempted to access a key that was not declared in KEYS and"
                    + " lives on another shard; pass every key the script uses in KEYS script: " + sha1(body)
                    + ", on @user_script:1."));
            // A script that declares no keys holds every shard, so any key works, as in Redis.
            assertThat(c.call("EVAL", "for i = 1, 4 do redis.call('set', ARGV[i], 'k' .. i) end"
                    + " return redis.call('mget', unpack(ARGV))", "0", keys[0], keys[1], keys[2], keys[3]))
                    .isEqualTo(List.of("k1", "k2", "k3", "k4"));
            assertThat(c.call("EVAL", "return redis.call('dbsize')", "0")).isInstanceOf(Long.class);
            // ...and so does a transaction that queued one.
            assertThat(c.call("MULTI")).isEqualTo("OK");
            assertThat(c.call("EVAL", "return redis.call('get', ARGV[1])", "0", keys[3])).isEqualTo("QUEUED");
            assertThat(c.call("GET", keys[1])).isEqualTo("QUEUED");
            assertThat(c.call("EXEC")).isEqualTo(List.of("k4", "k2"));
        }
        try (TestNode one = TestNode.start("shards", "1"); RawClient c = one.raw()) {
            assertThat(c.call("EVAL", "redis.call('set', 'a', 1) redis.call('set', 'b', 2)"
                    + " return redis.call('mget', 'a', 'b', 'c')", "0")).isEqualTo(java.util.Arrays.asList("1", "2", null));
        }
    }

    @Test
    void scriptsAreAtomicAcrossShardsUnderConcurrentWriters() throws Exception {
        String[] keys = {key(0, "atom"), key(1, "atom"), key(2, "atom"), key(3, "atom")};
        try (RawClient c = node.raw()) {
            c.call("MSET", keys[0], "0", keys[1], "0", keys[2], "0", keys[3], "0");
        }
        String incrAll = "for _, k in ipairs(KEYS) do redis.call('incr', k) end return 1";
        String readAll = "return redis.call('mget', unpack(KEYS))";
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> broken = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> jobs = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            jobs.add(pool.submit(() -> {
                try (RawClient c = node.raw()) {
                    for (int n = 0; !stop.get() && n < 400; n++) {
                        if (writer == 2 && n % 5 == 0) {
                            String v = Integer.toString(100_000 + n);
                            c.call("MSET", keys[0], v, keys[1], v, keys[2], v, keys[3], v);
                        } else {
                            c.call("EVAL", incrAll, "4", keys[0], keys[1], keys[2], keys[3]);
                        }
                    }
                }
                return null;
            }));
        }
        for (int r = 0; r < 3; r++) {
            boolean viaScript = r == 0;
            jobs.add(pool.submit(() -> {
                try (RawClient c = node.raw()) {
                    for (int n = 0; !stop.get() && n < 600; n++) {
                        List<?> vals = (List<?>) (viaScript ? c.call("EVAL", readAll, "4", keys[0], keys[1], keys[2], keys[3])
                                : c.call("MGET", keys[0], keys[1], keys[2], keys[3]));
                        if (vals.stream().distinct().count() != 1) broken.compareAndSet(null, vals.toString());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : jobs) f.get();
        stop.set(true);
        pool.shutdown();
        assertThat(broken.get()).as("a reader saw a script half done").isNull();
    }

    // ---------------------------------------------------------------- WATCH and notifications

    @Test
    void writesOfScriptsTouchWatchedKeysAndNotify() throws Exception {
        String k = key(1, "watched");
        try (RawClient watcher = node.raw(); RawClient other = node.raw(); RawClient sub = node.raw()) {
            watcher.call("WATCH", k);
            other.call("EVAL", "return redis.call('set', KEYS[1], 'changed')", "1", k);
            watcher.call("MULTI");
            watcher.call("GET", k);
            assertThat(watcher.call("EXEC")).isNull();

            other.call("CONFIG", "SET", "notify-keyspace-events", "KA");
            sub.call("SUBSCRIBE", "__keyspace@0__:" + k);
            other.call("EVAL", "return redis.call('set', KEYS[1], 'again')", "1", k);
            assertThat(sub.read()).isEqualTo(List.of("message", "__keyspace@0__:" + k, "set"));
            other.call("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    @Test
    void monitorShowsTheScriptThenItsCommandsAsLua() throws Exception {
        String k = key(2, "mon");
        try (RawClient monitor = node.raw(); RawClient c = node.raw()) {
            assertThat(monitor.call("MONITOR")).isEqualTo("OK");
            c.call("EVAL", "redis.call('set', KEYS[1], ARGV[1])", "1", k, "bar");
            assertThat((String) monitor.read()).endsWith("\"EVAL\" \"redis.call('set', KEYS[1], ARGV[1])\" \"1\" \""
                    + k + "\" \"bar\"");
            assertThat((String) monitor.read()).endsWith("[0 lua] \"set\" \"" + k + "\" \"bar\"");
        }
    }

    @Test
    void selectInsideAScriptDoesNotMoveTheCaller() throws Exception {
        String k = key(0, "db");
        try (RawClient c = node.raw()) {
            c.call("SELECT", "3");
            c.call("SET", k, "db3");
            assertThat(c.call("EVAL", "redis.call('select', 4) redis.call('set', KEYS[1], 'db4')"
                    + " return redis.call('get', KEYS[1])", "1", k)).isEqualTo("db4");
            assertThat(c.call("GET", k)).isEqualTo("db3");
            c.call("SELECT", "4");
            assertThat(c.call("GET", k)).isEqualTo("db4");
            c.call("DEL", k);
            c.call("SELECT", "0");
        }
    }

    // ---------------------------------------------------------------- busy scripts

    @Test
    void scriptKillStopsABusyScriptOnOneShard() throws Exception {
        try (TestNode one = TestNode.start("shards", "1")) {
            killBusyScript(one, null);
        }
    }

    @Test
    void scriptKillStopsABusyScriptOnFourShards() throws Exception {
        killBusyScript(node, key(2, "busykey"));
    }

    /**
     * Runs an endless script (declaring {@code declared}, or nothing) from one client, waits for
     * another client to get BUSY, then SCRIPT KILLs it from a third.
     */
    private static void killBusyScript(TestNode n, String declared) throws Exception {
        try (RawClient admin = n.raw(); RawClient looping = n.raw(); RawClient probe = n.raw()) {
            admin.call("CONFIG", "SET", "busy-reply-threshold", "50");
            String body = "local i = 0 while true do i = i + 1 end";
            if (declared == null) looping.command("EVAL", body, "0");
            else looping.command("EVAL", body, "1", declared);
            String busy = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
            // With one shard every command waits on it; with four, a command on its key does.
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    new Err(busy).equals(declared == null ? probe.call("PING") : probe.call("GET", declared)));
            assertThat(admin.call("FUNCTION", "KILL"))
                    .isEqualTo(new Err("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."));
            assertThat(admin.call("SCRIPT", "KILL")).isEqualTo("OK");
            assertThat(looping.read()).isEqualTo(new Err("ERR Script killed by user with SCRIPT KILL... script: "
                    + sha1(body) + ", on @user_script:1."));
            assertThat(probe.call("PING")).isEqualTo("PONG");
            assertThat(admin.call("SCRIPT", "KILL")).isEqualTo(new Err("NOTBUSY No scripts in execution right now."));
            admin.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    /**
     * A transaction meeting a busy script (keyless: it holds every shard) is never half run: a
     * command queued meanwhile gets BUSY and dooms the EXEC, and an EXEC sent meanwhile ends the
     * transaction with the BUSY reason, as Redis's flagTransaction and execCommandAbort do.
     */
    @Test
    void transactionsMeetingABusyScriptAreRefusedWhole() throws Exception {
        String k = key(1, "txbusy");
        String busy = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
        try (RawClient admin = node.raw(); RawClient looping = node.raw(); RawClient tx = node.raw()) {
            admin.call("SET", k, "1");
            admin.call("CONFIG", "SET", "busy-reply-threshold", "50");
            // Queued before the script, EXEC during it.
            assertThat(tx.call("MULTI")).isEqualTo("OK");
            assertThat(tx.call("INCR", k)).isEqualTo("QUEUED");
            looping.command("EVAL", "while true do end", "0");
            await().atMost(Duration.ofSeconds(10)).until(() -> new Err(busy).equals(admin.call("GET", k)));
            assertThat(tx.call("EXEC")).isEqualTo(new Err("EXECABORT Transaction discarded because of: " + busy));
            // MULTI is let through; a command queued during the script dooms the EXEC after it.
            assertThat(tx.call("MULTI")).isEqualTo("OK");
            assertThat(tx.call("INCR", k)).isEqualTo(new Err(busy));
            assertThat(admin.call("SCRIPT", "KILL")).isEqualTo("OK");
            assertThat(((Err) looping.read()).message()).contains("killed by user");
            assertThat(tx.call("INCR", k)).isEqualTo("QUEUED");
            assertThat(tx.call("EXEC")).isEqualTo(new Err("EXECABORT Transaction discarded because of previous errors."));
            assertThat(tx.call("PING")).as("no longer in MULTI").isEqualTo("PONG");
            assertThat(admin.call("GET", k)).as("no INCR ran").isEqualTo("1");
            admin.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    @Test
    void aBusyScriptThatCatchesErrorsIsStillKilled() throws Exception {
        String k = key(3, "pcallkill");
        try (RawClient admin = node.raw(); RawClient looping = node.raw(); RawClient probe = node.raw()) {
            admin.call("CONFIG", "SET", "busy-reply-threshold", "50");
            looping.command("EVAL", "local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end",
                    "1", k);
            await().atMost(Duration.ofSeconds(10)).until(() -> probe.call("GET", k) instanceof Err);
            assertThat(admin.call("SCRIPT", "KILL")).isEqualTo("OK");
            assertThat(((Err) looping.read()).message()).contains("killed by user");
            assertThat(probe.call("GET", k)).isNull();
            admin.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    @Test
    void aBusyScriptThatWroteIsUnkillable() throws Exception {
        String k = key(0, "unkillable");
        try (RawClient admin = node.raw(); RawClient looping = node.raw(); RawClient probe = node.raw()) {
            admin.call("CONFIG", "SET", "busy-reply-threshold", "50");
            looping.command("EVAL", "redis.call('set', KEYS[1], 'x') local t = redis.call('time')[1] + 1"
                    + " while tonumber(redis.call('time')[1]) <= tonumber(t) do end return 'done'", "1", k);
            await().atMost(Duration.ofSeconds(10)).until(() -> probe.call("GET", k) instanceof Err);
            assertThat(admin.call("SCRIPT", "KILL")).isEqualTo(new Err("UNKILLABLE Sorry the script already executed"
                    + " write commands against the dataset. You can either wait the script termination or kill the server"
                    + " in a hard way using the SHUTDOWN NOSAVE command."));
            assertThat(looping.read()).isEqualTo("done");
            assertThat(probe.call("GET", k)).isEqualTo("x");
            admin.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    @Test
    void commandsThatNeedNoHeldShardAreServedDuringABusyScript() throws Exception {
        String held = key(1, "heldk");
        try (RawClient admin = node.raw(); RawClient looping = node.raw(); RawClient probe = node.raw()) {
            admin.call("CONFIG", "SET", "busy-reply-threshold", "50");
            String[] free = new String[4];
            for (int s = 0; s < 4; s++) {
                free[s] = key(s, "freek");
                probe.call("SET", free[s], "v" + s);
            }
            looping.command("EVAL", "while true do end", "1", held);
            await().atMost(Duration.ofSeconds(10)).until(() -> probe.call("GET", held) instanceof Err);
            // Shards 0, 2 and 3 are held only if one of them is the looping client's own shard.
            int served = 0;
            for (int s = 0; s < 4; s++) {
                Object r = probe.call("GET", free[s]);
                if (r.equals("v" + s)) served++;
                else assertThat(r).isEqualTo(new Err(
                        "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."));
            }
            assertThat(served).isGreaterThanOrEqualTo(2);
            assertThat(probe.call("EVAL", "return 1", "1", held)).isInstanceOf(Err.class);
            assertThat(admin.call("SCRIPT", "KILL")).isEqualTo("OK");
            assertThat(looping.read()).isInstanceOf(Err.class);
            assertThat(probe.call("EVAL", "return 1", "1", held)).isEqualTo(1L);
            admin.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    @Test
    void scriptsInsideMultiExec() throws Exception {
        String a = key(0, "mx"), b = key(3, "mx");
        try (RawClient c = node.raw()) {
            c.call("MULTI");
            c.call("SET", a, "1");
            c.call("EVAL", "return redis.call('incr', KEYS[1]) + redis.call('incr', KEYS[2])", "2", a, b);
            c.call("GET", b);
            assertThat(c.call("EXEC")).isEqualTo(List.of("OK", 3L, "1"));
        }
    }
}
