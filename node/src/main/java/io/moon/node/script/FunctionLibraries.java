package io.moon.node.script;

import io.moon.node.command.RedisError;
import io.moon.node.server.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's function libraries (functions.c, function_lua.c): FUNCTION LOAD runs a library's
 * code in the functions engine's Lua state with only the library API visible, collects what it
 * registers, and links the library if nothing collides; DELETE, FLUSH, LIST, DUMP and RESTORE
 * work on the same registry. FCALL finds its functions here.
 *
 * <p>Script thread only, except {@link #libraryCount}, {@link #functionCount} and {@link #codes}
 * (volatile).
 */
public final class FunctionLibraries {
    private static final long LOAD_TIMEOUT_MS = 500;

    private final Scripting scripting;
    private final Node node;
    private final FunctionRegistry registry = new FunctionRegistry();
    /** The library whose code is running (FUNCTION LOAD), and when it started. */
    private FunctionLibrary loading;
    private long loadStartNanos;
    private long loadTimeoutMs;

    FunctionLibraries(Scripting scripting, Node node) {
        this.scripting = scripting;
        this.node = node;
    }

    /** The function of a name, any case; null when none. */
    FunctionLibrary.Function function(String name) { return registry.function(name); }

    /** True while library code runs (the interrupt hook then checks the load timeout). */
    boolean loading() { return loading != null; }

    /** FUNCTION LOAD's 500 ms limit has passed (never for RESTORE, which has none). */
    boolean loadTimedOut() {
        return loadTimeoutMs > 0 && (System.nanoTime() - loadStartNanos) / 1_000_000 > loadTimeoutMs;
    }

    public int libraryCount() { return registry.libraryCount(); }

    public int functionCount() { return registry.functionCount(); }

    /**
     * The code of every library, in load order, as of the last change: a snapshot's cut reads it
     * from a shard loop. Every change runs holding a shard, so the cut, which holds them all,
     * never sees one half made.
     */
    public List<byte[]> codes() { return registry.codes(); }

    /** FUNCTION LOAD [REPLACE] code: answers the library name. {@code timeLimit}: Redis's 500 ms. */
    public String load(byte[] code, boolean replace, boolean timeLimit) {
        scripting.functionVm();
        return createLibrary(registry, code, replace, timeLimit ? LOAD_TIMEOUT_MS : 0);
    }

    /**
     * A library saved with the data (a snapshot, a Redis dump), loaded at start-up as Redis's
     * rdbFunctionLoad does: no time limit, no replacing. Throws IllegalArgumentException naming
     * the library.
     */
    public void loadSaved(byte[] code) {
        scripting.functionVm();
        try {
            createLibrary(registry, code, false, 0);
        } catch (RedisError e) {
            throw new IllegalArgumentException("function library " + describe(code) + " cannot be loaded: " + e.getMessage());
        }
    }

    /** 'name' from the library's first line, or its first line when that cannot be read. */
    private static String describe(byte[] code) {
        try {
            return "'" + LibraryHeader.parse(code).name() + "'";
        } catch (RedisError e) {
            int end = 0;
            while (end < code.length && end < 60 && code[end] != '\n') end++;
            return "starting '" + new String(code, 0, end, java.nio.charset.StandardCharsets.UTF_8) + "'";
        }
    }

    /**
     * functionsCreateWithLibraryCtx: parses the library's metadata, runs its code so it registers
     * its functions, and links it into {@code into} (replacing a library of the same name when
     * allowed). On any error the registry is left as it was.
     */
    private String createLibrary(FunctionRegistry into, byte[] code, boolean replace, long timeoutMs) {
        LibraryHeader header = LibraryHeader.parse(code);
        if (!validName(header.name())) {
            throw new RedisError("ERR Library names can only contain letters, numbers, or underscores(_) and must be at"
                    + " least one character long");
        }
        if (!header.engine().equalsIgnoreCase("lua")) throw new RedisError("ERR Engine '" + header.engine() + "' not found");
        FunctionLibrary old = into.libraries.get(header.name());
        if (old != null && !replace) throw new RedisError("ERR Library '" + header.name() + "' already exists");
        if (old != null) into.unlink(old);
        FunctionLibrary lib = new FunctionLibrary(header.name(), "LUA", code);
        try {
            runLibraryCode(lib, code, header.codeOffset(), timeoutMs);
            if (lib.functions.isEmpty()) throw new RedisError("ERR No functions registered");
            for (FunctionLibrary.Function f : lib.functions.values()) {
                if (into.function(f.name) != null) throw new RedisError("ERR Function " + f.name + " already exists");
            }
        } catch (RedisError e) {
            free(lib);
            if (old != null) into.link(old);
            throw e;
        }
        into.link(lib);
        if (old != null) free(old);
        return header.name();
    }

    /** luaEngineCreate: compiles the code and runs it with only the library API visible. */
    private void runLibraryCode(FunctionLibrary lib, byte[] code, int from, long timeoutMs) {
        LuaVm vm = scripting.functionVm();
        LuaStack s = vm.main;
        int base = s.top();
        if (s.load(code, from, code.length - from, "@user_function") != 0) {
            String err = Scripting.utf8(s, -1);
            s.setTop(base);
            throw new RedisError("ERR Error compiling function: " + err);
        }
        loading = lib;
        loadStartNanos = System.nanoTime();
        loadTimeoutMs = timeoutMs;
        int status;
        try {
            vm.loadMode(true);
            status = s.pcall(0, 0, 0);
        } finally {
            // The hook goes back to counting: after a timeout it fires on every line.
            loading = null;
            vm.arm(Scripting.HOOK_COUNT);
            vm.loadMode(false);
        }
        if (status != 0) {
            String msg = s.type(-1) == LuaStack.TTABLE ? Scripting.rawString(s, "err") : "ERR " + Scripting.utf8(s, -1);
            s.setTop(base);
            throw new RedisError("ERR Error registering functions: " + msg);
        }
        s.setTop(base);
        scripting.functionsVmChanged(vm);
    }

    /** Drops a library's callbacks from the Lua registry. */
    private void free(FunctionLibrary lib) {
        LuaVm vm = scripting.functionVmIfCreated();
        if (vm == null) return;
        for (FunctionLibrary.Function f : lib.functions.values()) vm.main.unref(f.ref);
        lib.functions.clear();
    }

    /** functionsVerifyName: [a-zA-Z0-9_]+. */
    static boolean validName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_')) return false;
        }
        return true;
    }

    /** redis.register_function, while a library loads (luaRegisterFunction). */
    int registerFunction(LuaStack s) {
        FunctionLibrary lib = loading;
        if (lib == null) return RedisApi.raise(s, "ERR redis.register_function can only be called on FUNCTION LOAD command");
        return FunctionRegistration.register(s, lib);
    }

    /** FUNCTION DELETE. */
    public void delete(String name) {
        FunctionLibrary lib = registry.libraries.get(name);
        if (lib == null) throw new RedisError("ERR Library not found");
        registry.unlink(lib);
        free(lib);
    }

    /** FUNCTION FLUSH: every library goes. */
    public void flush() {
        for (FunctionLibrary lib : registry.libraries.values()) free(lib);
        registry.clear();
        LuaVm vm = scripting.functionVmIfCreated();
        if (vm != null) scripting.functionsVmChanged(vm);
    }

    /** A library as FUNCTION LIST shows it. */
    public record LibraryInfo(String name, String engine, byte[] code, List<FunctionInfo> functions) {}

    /** A function as FUNCTION LIST shows it: its flags by name, in Redis's order. */
    public record FunctionInfo(String name, String description, List<String> flags) {}

    /** The loaded libraries (script thread). */
    public List<LibraryInfo> libraries() {
        List<LibraryInfo> out = new ArrayList<>();
        for (FunctionLibrary lib : registry.libraries.values()) {
            List<FunctionInfo> fs = new ArrayList<>();
            for (FunctionLibrary.Function f : lib.functions.values()) {
                fs.add(new FunctionInfo(f.name, f.description, ScriptFlags.names(f.flags)));
            }
            out.add(new LibraryInfo(lib.name, lib.engine, lib.code, fs));
        }
        return out;
    }

    /** FUNCTION DUMP's payload. */
    public byte[] dump() { return FunctionDump.dump(registry, node.config().getBool("rdbcompression")); }

    /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]. */
    public void restore(byte[] payload, FunctionDump.Policy policy) {
        scripting.functionVm();
        FunctionRegistry restored = new FunctionRegistry();
        try {
            for (byte[] code : FunctionDump.libraries(payload)) createLibrary(restored, code, false, 0);
        } catch (RedisError e) {
            for (FunctionLibrary lib : restored.libraries.values()) free(lib);
            throw e;
        }
        if (policy == FunctionDump.Policy.FLUSH) {
            flush();
            for (FunctionLibrary lib : restored.libraries.values()) registry.link(lib);
            return;
        }
        join(restored, policy == FunctionDump.Policy.REPLACE);
    }

    /** libraryJoin: all of {@code from} into the current libraries, or nothing on a collision. */
    private void join(FunctionRegistry from, boolean replace) {
        List<FunctionLibrary> replaced = new ArrayList<>();
        String err = null;
        for (FunctionLibrary lib : from.libraries.values()) {
            FunctionLibrary old = registry.libraries.get(lib.name);
            if (old == null) continue;
            if (!replace) {
                err = "ERR Library " + lib.name + " already exists";
                break;
            }
            registry.unlink(old);
            replaced.add(old);
        }
        if (err == null) {
            for (FunctionLibrary.Function f : from.functions.values()) {
                if (registry.function(f.name) != null) {
                    err = "ERR Function " + f.name + " already exists";
                    break;
                }
            }
        }
        if (err != null) {
            for (FunctionLibrary old : replaced) registry.link(old);
            for (FunctionLibrary lib : from.libraries.values()) free(lib);
            throw new RedisError(err);
        }
        for (FunctionLibrary lib : from.libraries.values()) registry.link(lib);
        for (FunctionLibrary old : replaced) free(old);
    }
}
