package io.moon.node.script;

import java.io.IOException;
import java.io.InputStream;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * One Lua 5.1 state set up as Redis's scripting environment: the libraries Redis loads (base,
 * table, string, math; debug only while the environment is built), cjson, cmsgpack, struct and
 * bit, the {@code redis} table, and the sandbox of env.lua (readonly globals and library tables,
 * an error on reading a missing global). Redis keeps two such states: one for EVAL (reset by
 * SCRIPT FLUSH) and one for functions.
 *
 * <p>Owned by the script thread.
 */
final class LuaVm implements AutoCloseable {
    enum Kind { EVAL, FUNCTION }

    final Kind kind;
    private final Lua51 lua;
    final Lua51Natives natives;
    private final LuaStack.ChunkBuffer chunk = new LuaStack.ChunkBuffer();
    final LuaStack main;
    /** Registry references to env.lua's internals. */
    final int handlerRef, armRef, globalsRef, setLoadModeRef;
    private int calls;

    LuaVm(Kind kind, RedisApi api) {
        this.kind = kind;
        this.lua = new Lua51();
        this.natives = (Lua51Natives) lua.getLuaNatives();
        this.main = new LuaStack(natives, lua.getPointer(), chunk);
        for (String lib : new String[] {"_G", "table", "string", "math", "debug"}) lua.openLibrary(lib);
        LuaStack s = main;
        byte[] env = resource("env.lua");
        if (s.load(env, 0, env.length, "=env") != 0) throw new IllegalStateException("env.lua: " + s.string(-1));
        api.pushJavaFunctions(this, s, kind);
        s.pushAscii(kind == Kind.EVAL ? "eval" : "function");
        if (s.pcall(2, 1, 0) != 0) throw new IllegalStateException("env.lua: " + s.string(-1));
        handlerRef = field(s, "handler");
        armRef = field(s, "arm");
        globalsRef = field(s, "globals");
        setLoadModeRef = field(s, "set_load_mode");
        // From now on the thread's globals are the readonly view: every chunk loaded later
        // (scripts, libraries, loadstring) gets it as its environment.
        s.getField(-1, "env");
        s.replace(LuaStack.GLOBALSINDEX);
        s.pop(1);
    }

    private static int field(LuaStack s, String name) {
        s.getField(-1, name);
        return s.ref();
    }

    private static byte[] resource(String name) {
        try (InputStream in = LuaVm.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stack of the Lua thread a Java function was called on (a coroutine has its own). */
    LuaStack stack(Lua l) {
        return l.getPointer() == main.L ? main : new LuaStack(natives, l.getPointer(), chunk);
    }

    /** Pushes a Java function (a C function, as Lua sees it). */
    void push(JFunction f) { lua.push(f); }

    /** Installs (count > 0) or removes the instruction-count hook that can interrupt scripts. */
    void arm(int count) {
        call(armRef, count);
    }

    /** Calls one of env.lua's internals with one argument, leaving the stack as it was. */
    private void call(int ref, Object arg) {
        int top = main.top();
        main.getRef(ref);
        if (arg instanceof Boolean b) main.pushBool(b);
        else main.pushNumber(((Number) arg).doubleValue());
        main.pcall(1, 0, 0);
        main.setTop(top);
    }

    /** Functions engine: library code sees only the library API while it loads. */
    void loadMode(boolean on) {
        call(setLoadModeRef, on);
    }

    /** Sets a global of the real globals table, behind the readonly view (KEYS, ARGV). */
    void setGlobalRaw(String name) {
        main.getRef(globalsRef);
        main.insert(-2);
        main.pushAscii(name);
        main.insert(-2);
        main.rawSet(-3);
        main.pop(1);
    }

    /** Redis's periodic incremental GC step, every 50 runs (LUA_GC_CYCLE_PERIOD). */
    void afterRun() {
        if (++calls == 50) {
            main.gcStep(50);
            calls = 0;
        }
    }

    long memory() { return main.memory(); }

    @Override
    public void close() { lua.close(); }
}
