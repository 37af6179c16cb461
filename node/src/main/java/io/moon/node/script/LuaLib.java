package io.moon.node.script;

import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import party.iroiro.luajava.JFunction;

/**
 * What the Java libraries (cjson, cmsgpack, struct, bit, the redis table) share: registering a
 * Java function into a Lua table, and lauxlib's argument checks with their messages.
 */
final class LuaLib {
    private static final Logger log = LoggerFactory.getLogger(LuaLib.class);

    private LuaLib() {}

    /** A library function: works on the stack of the Lua thread that called it. */
    @FunctionalInterface
    interface Body {
        /** Returns the number of results on top, or -1 with the error value on top. */
        int call(LuaStack s);
    }

    /** Sets {@code table[name]} (the table on top of the stack) to a Java function. */
    static void function(LuaVm vm, LuaStack s, String name, Body body) {
        vm.push(wrap(vm, body));
        s.setField(-2, name);
    }

    /**
     * The function luajava calls: errors thrown as {@link LuaError} become Lua errors with the
     * caller's position (as luaL_error); anything unexpected becomes an error, never a crash.
     */
    static JFunction wrap(LuaVm vm, Body body) {
        return l -> {
            LuaStack s = vm.stack(l);
            try {
                return body.call(s);
            } catch (LuaError e) {
                s.setTop(0);
                s.n.luaL_where(s.L, 1);
                byte[] where = s.bytes(-1);
                byte[] msg = e.getMessage().getBytes(StandardCharsets.UTF_8);
                byte[] all = new byte[where.length + msg.length];
                System.arraycopy(where, 0, all, 0, where.length);
                System.arraycopy(msg, 0, all, where.length, msg.length);
                s.setTop(0);
                s.pushBytes(all);
                return -1;
            } catch (Throwable e) {
                // luajava would record the exception in a global, which the readonly globals
                // refuse: everything is answered here, as a Lua error.
                log.error("Lua library function failed", e);
                s.setTop(0);
                s.pushAscii("internal error: " + e.getClass().getSimpleName());
                return -1;
            }
        };
    }

    static String typeName(LuaStack s, int i) { return s.n.luaL_typename(s.L, i); }

    /** luaL_checknumber: a number or a string convertible to one. */
    static double checkNumber(LuaStack s, int arg, String fn) {
        if (!s.isNumber(arg)) throw LuaError.arg(arg, fn, "number expected, got " + typeName(s, arg));
        return s.number(arg);
    }

    /** luaL_checkinteger: the number truncated toward zero (lua_tointeger). */
    static long checkInteger(LuaStack s, int arg, String fn) {
        return LuaReplies.toLong(checkNumber(s, arg, fn));
    }

    static long optInteger(LuaStack s, int arg, String fn, long def) {
        int t = s.type(arg);
        return t == LuaStack.TNONE || t == LuaStack.TNIL ? def : checkInteger(s, arg, fn);
    }

    /** luaL_checklstring: a string, or a number converted to one. */
    static byte[] checkString(LuaStack s, int arg, String fn) {
        if (!s.isString(arg)) throw LuaError.arg(arg, fn, "string expected, got " + typeName(s, arg));
        return s.bytes(arg);
    }
}
