package io.moon.node.script;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * The stack of one Lua thread (a {@code lua_State*}), driven through luajava's raw natives: the
 * C API calls the scripting code needs, with Lua 5.1's names and indices.
 *
 * <p>Strings cross in both directions as bytes. Reading copies a Lua string out; pushing takes
 * one of two paths, because luajava pushes strings only as Java {@code String}s (encoded as
 * modified UTF-8): bytes that are all in 1..127 are pushed that way, which leaves them unchanged;
 * any other string is pushed by compiling and running a one-line chunk {@code return "..."} whose
 * literal carries the bytes (only NUL, CR, LF, quote and backslash escaped). That keeps every
 * value binary-safe at the cost of a compile for the rare non-ASCII value.
 *
 * <p>Not thread-safe: used only on the script thread, like the Lua state it drives. Never raises
 * a Lua error from Java (that would unwind through JNI frames): Java functions report errors by
 * returning -1 to luajava with the error value on top.
 */
public final class LuaStack {
    public static final int TNONE = -1, TNIL = 0, TBOOLEAN = 1, TLIGHTUSERDATA = 2, TNUMBER = 3, TSTRING = 4,
            TTABLE = 5, TFUNCTION = 6, TUSERDATA = 7, TTHREAD = 8;
    public static final int REGISTRYINDEX = -10000, GLOBALSINDEX = -10002;
    public static final int MULTRET = -1;
    static final int GCCOUNT = 3, GCCOUNTB = 4, GCSTEP = 5, GCCOLLECT = 2;

    final Lua51Natives n;
    final long L;
    /** Reused buffer for chunks (string literals and scripts) handed to lua_load. */
    private final ChunkBuffer chunk;

    LuaStack(Lua51Natives natives, long state, ChunkBuffer chunk) {
        this.n = natives;
        this.L = state;
        this.chunk = chunk;
    }

    /** The direct buffer lua_load reads chunks from, shared by the stacks of one state. */
    static final class ChunkBuffer {
        ByteBuffer buf = ByteBuffer.allocateDirect(4096);

        ByteBuffer clearFor(int bytes) {
            if (buf.capacity() < bytes) buf = ByteBuffer.allocateDirect(Math.max(bytes, buf.capacity() * 2));
            buf.clear();
            return buf;
        }

        /** Lets a large buffer go after an unusually large chunk. */
        void shrink() {
            if (buf.capacity() > (1 << 20)) buf = ByteBuffer.allocateDirect(4096);
        }
    }

    public int top() { return n.lua_gettop(L); }
    public void setTop(int i) { n.lua_settop(L, i); }
    public void pop(int k) { n.lua_settop(L, -k - 1); }
    public int type(int i) { return n.lua_type(L, i); }
    public void pushValue(int i) { n.lua_pushvalue(L, i); }
    public void insert(int i) { n.lua_insert(L, i); }
    public void remove(int i) { n.lua_remove(L, i); }
    public void replace(int i) { n.lua_replace(L, i); }

    /** Grows the stack for {@code extra} more values; false when Lua's limit is reached. */
    public boolean checkStack(int extra) { return n.lua_checkstack(L, extra) != 0; }

    // ---------------------------------------------------------------- reading

    public double number(int i) { return n.lua_tonumber(L, i); }
    public boolean bool(int i) { return n.lua_toboolean(L, i) != 0; }
    public boolean isString(int i) { return n.lua_isstring(L, i) != 0; }
    public boolean isNumber(int i) { return n.lua_isnumber(L, i) != 0; }

    /**
     * The bytes of the string (or number, converted by Lua as lua_tolstring does) at index i;
     * null for other types. Converting a number changes the stack slot, as in C.
     */
    public byte[] bytes(int i) {
        int t = type(i);
        if (t != TSTRING && t != TNUMBER) return null;
        ByteBuffer b = (ByteBuffer) n.luaJ_tobuffer(L, i);
        if (b == null) return new byte[0];
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** The string at index i as text (ISO-8859-1, one char per byte); null when not a string. */
    public String string(int i) {
        byte[] b = bytes(i);
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    public long objLen(int i) { return n.lua_objlen(L, i); }
    public void rawGet(int i) { n.lua_rawget(L, i); }
    public void rawGetI(int i, int k) { n.lua_rawgeti(L, i, k); }
    public void getField(int i, String k) { n.lua_getfield(L, i, k); }
    public void getTable(int i) { n.lua_gettable(L, i); }
    /** lua_next: pops a key, pushes the next key and value; false at the end. */
    public boolean next(int i) { return n.lua_next(L, i) != 0; }
    public long toPointer(int i) { return n.lua_topointer(L, i); }
    public boolean getMetatable(int i) { return n.lua_getmetatable(L, i) != 0; }

    // ---------------------------------------------------------------- pushing

    public void pushNil() { n.lua_pushnil(L); }
    public void pushNumber(double d) { n.lua_pushnumber(L, d); }
    public void pushBool(boolean b) { n.lua_pushboolean(L, b ? 1 : 0); }
    public void pushNull() { n.lua_pushlightuserdata(L, 0); }

    /** Pushes an ASCII text (no NUL, nothing above 127): Redis's own messages and names. */
    public void pushAscii(String s) { n.luaJ_pushstring(L, s); }

    public void pushBytes(byte[] b) { pushBytes(b, 0, b.length); }

    /** Pushes any bytes as a Lua string. */
    public void pushBytes(byte[] b, int off, int len) {
        if (plain(b, off, len)) {
            n.luaJ_pushstring(L, new String(b, off, len, StandardCharsets.ISO_8859_1));
            return;
        }
        ByteBuffer c = chunk.clearFor(len * 4 + 16);
        c.put(RETURN_QUOTE);
        for (int i = off, end = off + len; i < end; i++) {
            byte x = b[i];
            switch (x) {
                case 0 -> c.put((byte) '\\').put((byte) '0').put((byte) '0').put((byte) '0');
                case '\n' -> c.put((byte) '\\').put((byte) 'n');
                case '\r' -> c.put((byte) '\\').put((byte) 'r');
                case '"' -> c.put((byte) '\\').put((byte) '"');
                case '\\' -> c.put((byte) '\\').put((byte) '\\');
                default -> c.put(x);
            }
        }
        c.put((byte) '"');
        c.flip();
        int status = n.luaJ_loadbuffer(L, c, c.limit(), "=string");
        if (status == 0) status = n.lua_pcall(L, 0, 1, 0);
        if (len > (1 << 20)) chunk.shrink();
        if (status != 0) {
            // Only memory exhaustion can fail here; leave a value of the right type behind.
            pop(1);
            n.luaJ_pushstring(L, "");
        }
    }

    private static final byte[] RETURN_QUOTE = "return \"".getBytes(StandardCharsets.US_ASCII);

    /** True when luajava's string push keeps the bytes as they are: every byte in 1..127. */
    static boolean plain(byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            byte x = b[i];
            if (x <= 0) return false;
        }
        return true;
    }

    public void newTable(int narr, int nrec) { n.lua_createtable(L, narr, nrec); }
    public void rawSet(int i) { n.lua_rawset(L, i); }
    public void rawSetI(int i, int k) { n.lua_rawseti(L, i, k); }
    public void setField(int i, String k) { n.lua_setfield(L, i, k); }

    /** Pushes a table {err = message}, Redis's error object (luaPushError after its formatting). */
    public void pushErrorTable(String codeAndMessage) {
        newTable(0, 2);
        pushAsciiOrBytes(codeAndMessage);
        setField(-2, "err");
    }

    /** Pushes a Java text: as is when ASCII, else as its UTF-8 bytes. */
    public void pushAsciiOrBytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        pushBytes(b, 0, b.length);
    }

    // ---------------------------------------------------------------- registry, calls, loading

    /** Pops the top value into the registry; returns its reference. */
    public int ref() { return n.luaL_ref(L, REGISTRYINDEX); }
    public void getRef(int ref) { n.lua_rawgeti(L, REGISTRYINDEX, ref); }
    public void unref(int ref) { n.luaL_unref(L, REGISTRYINDEX, ref); }

    /** lua_pcall: 0 on success, else an error code with the error value on top. */
    public int pcall(int nargs, int nresults, int errfunc) { return n.lua_pcall(L, nargs, nresults, errfunc); }

    /**
     * Compiles {@code code[off, off+len)} as chunk {@code name} ("@user_script"): pushes the
     * function and returns 0, or pushes the error message and returns lua_load's error code.
     */
    public int load(byte[] code, int off, int len, String name) {
        ByteBuffer c = chunk.clearFor(len);
        c.put(code, off, len).flip();
        int status = n.luaJ_loadbuffer(L, c, len, name);
        if (len > (1 << 20)) chunk.shrink();
        return status;
    }

    /** Kilobytes and bytes of memory the Lua state uses (lua_gc LUA_GCCOUNT / COUNTB). */
    public long memory() { return (long) n.lua_gc(L, GCCOUNT, 0) * 1024 + n.lua_gc(L, GCCOUNTB, 0); }

    public void gcStep(int size) { n.lua_gc(L, GCSTEP, size); }
}
