package io.moon.node.script;

import io.moon.node.command.ServerInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java functions behind the {@code redis} table (script_lua.c, eval.c, function_lua.c):
 * call, pcall, log, setresp, sha1hex, set_repl, acl_check_cmd, register_function; the hooks
 * env.lua needs (the interrupt check of the instruction-count hook, Redis's redisLrand48 for
 * math.random); and the cjson, cmsgpack, struct and bit libraries.
 *
 * <p>Every function runs on the script thread, called from Lua. Errors are returned to luajava
 * as -1 with the error value on top, which raises it in Lua; nothing here throws into Lua.
 */
final class RedisApi {
    private static final Logger log = LoggerFactory.getLogger("io.moon.node.script.lua");
    /** REDIS_VERSION_NUM of 7.0.15: 0x00MMmmpp. */
    static final int VERSION_NUM = (7 << 16) | (0 << 8) | 15;

    private final Scripting scripting;
    /** Redis's redisLrand48 state (rand.c): a 48-bit linear congruential generator. */
    private long rand48 = 0x1234ABCD330EL;

    RedisApi(Scripting scripting) { this.scripting = scripting; }

    /** Pushes the table of Java functions env.lua receives as J. */
    void pushJavaFunctions(LuaVm vm, LuaStack s, LuaVm.Kind kind) {
        s.newTable(0, 24);
        LuaLib.function(vm, s, "call", t -> scripting.calls().call(t, true));
        LuaLib.function(vm, s, "pcall", t -> scripting.calls().call(t, false));
        LuaLib.function(vm, s, "log", this::log);
        LuaLib.function(vm, s, "setresp", this::setresp);
        LuaLib.function(vm, s, "sha1hex", this::sha1hex);
        LuaLib.function(vm, s, "set_repl", this::setRepl);
        LuaLib.function(vm, s, "acl_check_cmd", t -> scripting.calls().aclCheckCmd(t));
        LuaLib.function(vm, s, "interrupt", scripting::interrupt);
        LuaLib.function(vm, s, "random", this::random);
        LuaLib.function(vm, s, "randomseed", t -> {
            seedRand((int) LuaLib.checkInteger(t, 1, "randomseed"));
            return 0;
        });
        if (kind == LuaVm.Kind.FUNCTION) LuaLib.function(vm, s, "register_function", t -> scripting.functions().registerFunction(t));
        s.pushAscii(ServerInfo.REDIS_VERSION);
        s.setField(-2, "version");
        s.pushNumber(VERSION_NUM);
        s.setField(-2, "version_num");
        Cjson.push(vm, s);
        s.setField(-2, "cjson");
        Cmsgpack.push(vm, s);
        s.setField(-2, "cmsgpack");
        StructLib.push(vm, s);
        s.setField(-2, "struct");
        BitLib.push(vm, s);
        s.setField(-2, "bit");
    }

    // ---------------------------------------------------------------- redis.log

    private int log(LuaStack s) {
        int argc = s.top();
        if (argc < 2) return raise(s, "ERR redis.log() requires two arguments or more.");
        if (!s.isNumber(1)) return raise(s, "ERR First argument must be a number (log level).");
        int level = (int) s.number(1);
        if (level < 0 || level > 3) return raise(s, "ERR Invalid debug level.");
        if (level < verbosity()) return 0;
        StringBuilder msg = new StringBuilder();
        for (int j = 2; j <= argc; j++) {
            byte[] b = s.bytes(j);
            if (b == null) continue;
            if (j != 2) msg.append(' ');
            msg.append(new String(b, StandardCharsets.UTF_8));
        }
        switch (level) {
            case 0, 1 -> log.debug("{}", msg);
            case 2 -> log.info("{}", msg);
            default -> log.warn("{}", msg);
        }
        return 0;
    }

    private int verbosity() {
        return switch (scripting.node().config().get("loglevel")) {
            case "debug" -> 0;
            case "verbose" -> 1;
            case "notice" -> 2;
            default -> 3;
        };
    }

    // ---------------------------------------------------------------- redis.setresp, set_repl

    private int setresp(LuaStack s) {
        ScriptRun run = scripting.current();
        if (run == null) return raise(s, "ERR redis.setresp can only be called inside a script invocation");
        if (s.top() != 1) return raise(s, "ERR redis.setresp() requires one argument.");
        int resp = (int) LuaReplies.toLong(s.number(-1));
        if (resp != 2 && resp != 3) return raise(s, "ERR RESP version must be 2 or 3.");
        run.resp = resp;
        return 0;
    }

    private int setRepl(LuaStack s) {
        if (scripting.current() == null) return raise(s, "ERR redis.set_repl can only be called inside a script invocation");
        if (s.top() != 1) return raise(s, "ERR redis.set_repl() requires two arguments.");
        long flags = LuaReplies.toLong(s.number(-1));
        if ((flags & ~3L) != 0) {
            return raise(s, "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
        }
        // Moon has no replication or AOF yet: the setting is checked and has nothing to steer.
        return 0;
    }

    // ---------------------------------------------------------------- redis.sha1hex

    private int sha1hex(LuaStack s) {
        if (s.top() != 1) return raise(s, "ERR wrong number of arguments");
        byte[] b = s.bytes(1);
        s.pushAscii(sha1(b == null ? new byte[0] : b));
        return 1;
    }

    static String sha1(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- math.random

    /** Redis's math.random: Lua's own, on redisLrand48 instead of the C library's rand(). */
    private int random(LuaStack s) {
        double r = (double) (nextRand() % Integer.MAX_VALUE) / Integer.MAX_VALUE;
        switch (s.top()) {
            case 0 -> s.pushNumber(r);
            case 1 -> {
                int u = (int) LuaLib.checkInteger(s, 1, "random");
                if (u < 1) throw LuaError.arg(1, "random", "interval is empty");
                s.pushNumber(Math.floor(r * u) + 1);
            }
            case 2 -> {
                int l = (int) LuaLib.checkInteger(s, 1, "random");
                int u = (int) LuaLib.checkInteger(s, 2, "random");
                if (l > u) throw LuaError.arg(2, "random", "interval is empty");
                s.pushNumber(Math.floor(r * ((double) u - l + 1)) + l);
            }
            default -> throw new LuaError("wrong number of arguments");
        }
        return 1;
    }

    /** redisLrand48: the next 31-bit value of the generator. */
    int nextRand() {
        rand48 = (rand48 * 0x5DEECE66DL + 0xBL) & ((1L << 48) - 1);
        return (int) (rand48 >>> 17);
    }

    /** redisSrand48. */
    void seedRand(int seed) {
        rand48 = ((seed & 0xFFFFFFFFL) << 16) | 0x330EL;
    }

    // ---------------------------------------------------------------- errors

    /** Raises {err = message} (luaPushError then luaError). */
    static int raise(LuaStack s, String message) {
        s.setTop(0);
        s.pushErrorTable(message);
        return -1;
    }

    /** Returns {err = message} as the function's result (luaPushError, no raise). */
    static int returnError(LuaStack s, String message) {
        s.setTop(0);
        s.pushErrorTable(message);
        return 1;
    }
}
