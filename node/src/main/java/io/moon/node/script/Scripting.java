package io.moon.node.script;

import io.moon.node.cluster.KeySlot;
import io.moon.node.command.CommandContext;
import io.moon.node.command.CommandFlags;
import io.moon.node.command.CommandSpec;
import io.moon.node.command.RedisError;
import io.moon.node.protocol.CommandBuffer;
import io.moon.node.server.Connection;
import io.moon.node.server.Node;
import io.moon.node.server.ScriptThread;
import io.moon.node.server.Shard;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lua scripting of one node: EVAL scripts and their SHA1 cache (eval.c), function libraries
 * (functions.c, function_lua.c), running them (script.c, script_lua.c), and what redis.call does
 * inside them.
 *
 * <h2>Where things run</h2>
 * Everything that touches a Lua state runs on the node's script thread ({@link ScriptThread}):
 * the command handlers of EVAL*, FCALL*, SCRIPT LOAD/FLUSH and FUNCTION LOAD/DELETE/FLUSH/LIST/
 * DUMP/RESTORE are routed there by their rows' {@code script} flag, holding the shards of the
 * keys they declare plus the caller's own. SCRIPT KILL, FUNCTION KILL, FUNCTION STATS and SCRIPT
 * EXISTS run on any loop and only read the volatile state kept here.
 *
 * <h2>Keys and shards</h2>
 * A script may touch the keys it declares and any other key on the shards those keys (and its
 * caller) live on; redis.call on a key of another shard fails with {@link #NOT_HELD}, the rule
 * Redis Cluster applies to scripts. With one shard every key qualifies.
 */
public final class Scripting {
    private static final Logger log = LoggerFactory.getLogger(Scripting.class);

    public static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";
    public static final String BUSY_EVAL =
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    public static final String BUSY_FUNCTION =
            "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    /** redis.call on a key outside the shards the script holds (see docs/compatibility.md). */
    static final String NOT_HELD = "Script attempted to access a key that was not declared in KEYS and lives on"
            + " another shard; pass every key the script uses in KEYS";
    private static final String KILLED = "ERR Script killed by user with SCRIPT KILL...";
    private static final String NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";
    private static final long LOAD_TIMEOUT_MS = 500;
    /** Instructions between two interrupt checks (Redis's LUA_MASKCOUNT hook count). */
    private static final int HOOK_COUNT = 100_000;

    private final Node node;
    private final ScriptThread thread;
    private final RedisApi api = new RedisApi(this);
    private LuaVm evalVm, functionVm;
    /** SHA1 (lower case) to script; SCRIPT EXISTS reads it from any thread. */
    private final ConcurrentHashMap<String, EvalScript> scripts = new ConcurrentHashMap<>();
    private volatile long scriptsBytes;
    private final FunctionRegistry registry = new FunctionRegistry();
    private volatile ScriptRun current;
    /** The library FUNCTION LOAD is running the code of, and when it started. */
    private FunctionLibrary loading;
    private long loadStartNanos;
    private long loadTimeoutMs;
    private volatile long evalMemory, functionMemory;

    // redis.call's scratch, reused call after call.
    private final CommandBuffer callArgs = new CommandBuffer();
    private ByteBuf callReply = Unpooled.buffer(256);
    private int[] keyPos = new int[16];
    private boolean inCall;

    /** A cached EVAL script: its body, shebang flags, and the compiled function's registry ref. */
    record EvalScript(byte[] body, int flags, int ref) {}

    public Scripting(Node node, ScriptThread thread) {
        this.node = node;
        this.thread = thread;
    }

    Node node() { return node; }

    ScriptRun current() { return current; }

    private LuaVm evalVm() {
        if (evalVm == null) {
            evalVm = new LuaVm(LuaVm.Kind.EVAL, api);
            evalMemory = evalVm.memory();
        }
        return evalVm;
    }

    private LuaVm functionVm() {
        if (functionVm == null) {
            functionVm = new LuaVm(LuaVm.Kind.FUNCTION, api);
            functionMemory = functionVm.memory();
        }
        return functionVm;
    }

    // ================================================================ EVAL and SCRIPT

    /** EVAL, EVALSHA, EVAL_RO, EVALSHA_RO (evalGenericCommand), on the script thread. */
    public void eval(CommandContext c, boolean evalsha, boolean ro) {
        if (evalsha && c.len(1) != 40) throw new RedisError(NOSCRIPT);
        int numkeys = numkeys(c, c.longArg(2));
        LuaVm vm = evalVm();
        EvalScript script;
        String sha;
        if (evalsha) {
            sha = c.str(1).toLowerCase(Locale.ROOT);
            script = scripts.get(sha);
            if (script == null) throw new RedisError(NOSCRIPT);
        } else {
            byte[] body = c.arg(1);
            sha = RedisApi.sha1(body);
            script = create(vm, sha, body);
        }
        ScriptRun run = prepare(c, true, sha, script.flags(), ro);
        LuaStack s = vm.main;
        int base = s.top();
        s.getRef(vm.handlerRef);
        s.getRef(script.ref());
        pushArgs(s, c, 3, numkeys);
        vm.setGlobalRaw("KEYS");
        pushArgs(s, c, 3 + numkeys, c.argc() - 3 - numkeys);
        vm.setGlobalRaw("ARGV");
        runAndReply(vm, s, base, 0, run, c);
        evalMemory = vm.memory();
    }

    private static int numkeys(CommandContext c, long numkeys) {
        if (numkeys > c.argc() - 3) throw new RedisError("ERR Number of keys can't be greater than number of args");
        if (numkeys < 0) throw new RedisError("ERR Number of keys can't be negative");
        return (int) numkeys;
    }

    /** SCRIPT LOAD: compiles and caches, answers the SHA1. */
    public void scriptLoad(CommandContext c) {
        byte[] body = c.arg(2);
        String sha = RedisApi.sha1(body);
        create(evalVm(), sha, body);
        c.reply().bulk(sha);
    }

    /** SCRIPT EXISTS: any thread. */
    public boolean scriptExists(String sha) { return scripts.containsKey(sha.toLowerCase(Locale.ROOT)); }

    /** SCRIPT FLUSH: drops the cache and starts a fresh Lua state (scriptingReset). */
    public void scriptFlush() {
        scripts.clear();
        scriptsBytes = 0;
        if (evalVm != null) {
            evalVm.close();
            evalVm = null;
        }
        evalMemory = evalVm().memory();
    }

    /** luaCreateFunction: the cached script of a body, compiling it the first time. */
    private EvalScript create(LuaVm vm, String sha, byte[] body) {
        EvalScript e = scripts.get(sha);
        if (e != null) return e;
        ScriptFlags.Shebang shebang = ScriptFlags.parse(body);
        LuaStack s = vm.main;
        // The shebang line is skipped but its line feed kept, so line numbers stay right.
        if (s.load(body, shebang.length(), body.length - shebang.length(), "@user_script") != 0) {
            String err = utf8(s, -1);
            s.pop(1);
            throw new RedisError("ERR Error compiling script (new function): " + err);
        }
        e = new EvalScript(body, shebang.flags(), s.ref());
        scripts.put(sha, e);
        scriptsBytes += body.length + 40;
        return e;
    }

    // ================================================================ FCALL

    /** FCALL, FCALL_RO (fcallCommandGeneric), on the script thread. */
    public void fcall(CommandContext c, boolean ro) {
        FunctionLibrary.Function f = registry.function(c.str(1));
        if (f == null) throw new RedisError("ERR Function not found");
        int numkeys = numkeys(c, c.longArg(2, "ERR Bad number of keys provided"));
        LuaVm vm = functionVm();
        ScriptRun run = prepare(c, false, f.name, f.flags, ro);
        LuaStack s = vm.main;
        int base = s.top();
        s.getRef(vm.handlerRef);
        s.getRef(f.ref);
        pushArgs(s, c, 3, numkeys);
        pushArgs(s, c, 3 + numkeys, c.argc() - 3 - numkeys);
        runAndReply(vm, s, base, 2, run, c);
        functionMemory = vm.memory();
    }

    // ================================================================ running a script

    /**
     * scriptPrepareForRun: the checks of the script's flags, then the run context. Scripts
     * without a shebang (EVAL's compatibility mode) skip the flag checks.
     */
    private ScriptRun prepare(CommandContext c, boolean eval, String name, int flags, boolean ro) {
        boolean compat = (flags & ScriptFlags.EVAL_COMPAT_MODE) != 0;
        boolean oom = overMaxmemory(c.held());
        if (!compat) {
            // What processCommand does for a command the flags make denyoom.
            if (oom && (flags & (ScriptFlags.ALLOW_OOM | ScriptFlags.NO_WRITES)) == 0) throw new RedisError(RedisError.OOM);
            if ((flags & ScriptFlags.NO_WRITES) == 0 && ro) {
                throw new RedisError("ERR Can not execute a script with write flag using *_ro command.");
            }
            if ((flags & ScriptFlags.NO_WRITES) == 0 && !enoughReplicas()) throw new RedisError(NOREPLICAS);
        }
        boolean readOnly = ro || (!compat && (flags & ScriptFlags.NO_WRITES) != 0);
        boolean allowOom = !compat && (flags & ScriptFlags.ALLOW_OOM) != 0;
        byte[][] command = new byte[c.argc()][];
        for (int i = 0; i < command.length; i++) command[i] = c.arg(i);
        return new ScriptRun(c.conn(), c.shard(), c.held(), eval, name, command, c.dbIndex(), readOnly, allowOom, oom);
    }

    /** Redis's pre-command OOM state over the shards the script holds (evicting what it can). */
    private boolean overMaxmemory(Shard[] held) {
        if (node.config().maxmemory() <= 0) return false;
        boolean ok = true;
        for (Shard s : held) ok &= s.keyspace().evictIfNeeded();
        return !ok;
    }

    private static void pushArgs(LuaStack s, CommandContext c, int from, int n) {
        s.newTable(n, 0);
        for (int i = 0; i < n; i++) {
            s.pushBytes(c.buf(), c.off(from + i), c.len(from + i));
            s.rawSetI(-2, i + 1);
        }
    }

    /**
     * luaCallFunction: runs the function at {@code base + 2} (its {@code nargs} arguments above
     * it, the error handler at {@code base + 1}) and answers the caller.
     */
    private void runAndReply(LuaVm vm, LuaStack s, int base, int nargs, ScriptRun run, CommandContext c) {
        current = run;
        boolean hook = node.config().getLong("busy-reply-threshold") > 0;
        int status;
        try {
            if (hook) vm.arm(HOOK_COUNT);
            status = s.pcall(nargs, 1, base + 1);
        } finally {
            // No run first: a killed script's line hook must find nothing to kill in arm(0).
            current = null;
            if (hook) vm.arm(0);
            if (run.timedOut) thread.busy(null);
        }
        try {
            if (status != 0) throw runError(s, run);
            RedisError returned = returnedError(s);
            if (returned != null) throw returned;
            LuaReplies.write(s, c.reply(), run.resp);
        } finally {
            s.setTop(base);
            vm.afterRun();
        }
    }

    /** The reply to a script that raised an error: its message and where it was raised. */
    private static RedisError runError(LuaStack s, ScriptRun run) {
        if (s.type(-1) != LuaStack.TTABLE) {
            String msg = s.type(-1) == LuaStack.TSTRING ? utf8(s, -1) : "execution failure";
            if (msg.length() > 100) msg = msg.substring(0, 100);
            return new RedisError("ERR Error running script " + run.name + ", " + msg);
        }
        String msg = rawString(s, "err");
        String source = rawString(s, "source");
        String line = rawString(s, "line");
        boolean counted = !rawBool(s, "ignore_error_stats_update");
        String text = msg == null ? "ERR" : msg;
        if (source != null && line != null) text += " script: " + run.name + ", on " + source + ":" + line + ".";
        return counted ? new RedisError(text) : RedisError.alreadyCounted(text);
    }

    /** A script that returned an error table ({err=...}) answers that error. */
    private static RedisError returnedError(LuaStack s) {
        if (s.type(-1) != LuaStack.TTABLE) return null;
        s.pushAscii("err");
        s.rawGet(-2);
        boolean isError = s.type(-1) == LuaStack.TSTRING;
        s.pop(1);
        if (!isError) return null;
        String msg = rawString(s, "err");
        return rawBool(s, "ignore_error_stats_update") ? RedisError.alreadyCounted(msg) : new RedisError(msg);
    }

    /** t[name] of the table on top, read raw (never a metamethod: a Lua error here would abort). */
    private static String rawString(LuaStack s, String name) {
        s.pushAscii(name);
        s.rawGet(-2);
        String v = s.isString(-1) ? utf8(s, -1) : null;
        s.pop(1);
        return v;
    }

    private static boolean rawBool(LuaStack s, String name) {
        s.pushAscii(name);
        s.rawGet(-2);
        boolean v = s.type(-1) == LuaStack.TBOOLEAN && s.bool(-1);
        s.pop(1);
        return v;
    }

    static String utf8(LuaStack s, int i) {
        byte[] b = s.bytes(i);
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }

    /**
     * The instruction-count hook's check (scriptInterrupt, luaEngineLoadHook): returns an error
     * table to raise, or nothing. Past busy-reply-threshold the script turns busy: other clients
     * needing its shards get BUSY, and what already waits on those shards is answered so.
     */
    int interrupt(LuaStack s) {
        if (loading != null) {
            if (loadTimeoutMs > 0 && (System.nanoTime() - loadStartNanos) / 1_000_000 > loadTimeoutMs) {
                s.pushErrorTable("ERR FUNCTION LOAD timeout");
                return 1;
            }
            return 0;
        }
        ScriptRun run = current;
        if (run == null) return 0;
        if (!run.timedOut) {
            long elapsed = run.elapsedMs();
            if (elapsed >= node.config().getLong("busy-reply-threshold")) {
                log.warn("Slow script detected: still in execution after {} milliseconds. You can try killing the"
                        + " script using the {} command. Script name is: {}.", elapsed,
                        run.eval ? "SCRIPT KILL" : "FUNCTION KILL", run.name);
                run.timedOut = true;
                thread.busy(run.eval ? BUSY_EVAL : BUSY_FUNCTION);
                for (Shard sh : run.held) sh.loop().execute(sh::refuseDeferred);
            }
        }
        if (run.killed) {
            log.warn("Lua script killed by user with SCRIPT KILL.");
            s.pushErrorTable(KILLED);
            return 1;
        }
        return 0;
    }

    /**
     * SCRIPT KILL ({@code eval}) or FUNCTION KILL (scriptKill), from any loop: answers OK or
     * throws Redis's refusal.
     */
    public void kill(boolean eval) {
        ScriptRun run = current;
        if (run == null) throw new RedisError("NOTBUSY No scripts in execution right now.");
        if (run.wroteDirty) {
            throw new RedisError("UNKILLABLE Sorry the script already executed write commands against the dataset."
                    + " You can either wait the script termination or kill the server in a hard way using the"
                    + " SHUTDOWN NOSAVE command.");
        }
        if (eval && !run.eval) throw new RedisError(BUSY_FUNCTION);
        if (!eval && run.eval) throw new RedisError(BUSY_EVAL);
        run.killed = true;
    }

    // ================================================================ redis.call

    /** redis.call ({@code raise}) and redis.pcall: luaRedisGenericCommand and scriptCall. */
    int call(LuaStack s, boolean raise) {
        ScriptRun run = current;
        if (run == null) return RedisApi.raise(s, "ERR redis.call/pcall can only be called inside a script invocation");
        if (!readArgs(s)) return raise ? -1 : 1;
        if (inCall) {
            return RedisApi.returnError(s, "ERR luaRedisGenericCommand() recursive call detected. Are you doing funny"
                    + " stuff with Lua debug hooks?");
        }
        int fa = callArgs.firstArg(0), argc = callArgs.argc(0);
        CommandSpec spec = lookup(callArgs, fa, argc);
        String err = check(run, spec, fa, argc);
        if (err != null) {
            thread.rejected(spec, err);
            s.pushErrorTable(err);
            s.pushBool(true);
            s.setField(-2, "ignore_error_stats_update");
            return raise ? -1 : 1;
        }
        if (spec.is(CommandFlags.WRITE)) run.wroteDirty = true;
        inCall = true;
        try {
            callReply.clear();
            Connection conn = run.caller;
            boolean select = spec.name.equals("select");
            int callerDb = conn.db();
            thread.run(conn, run.home, callArgs, fa, argc, spec, run.db, run.resp, callReply, run.held, false, true, false);
            if (select) {
                // SELECT changes the database of the client that runs it: in Redis that is the
                // script's own client, so the script's database follows and the caller's stays.
                run.db = conn.db();
                conn.db(callerDb);
            }
        } finally {
            inCall = false;
        }
        boolean error = callReply.getByte(0) == '-';
        LuaReplies.push(s, callReply);
        if (callReply.capacity() > (1 << 20)) callReply = Unpooled.buffer(256);
        return error && raise ? -1 : 1;
    }

    /**
     * luaArgsToRedisArgv: the arguments on the stack into {@link #callArgs} (numbers as %.17g),
     * popping them. On a bad argument pushes the error table and returns false.
     */
    private boolean readArgs(LuaStack s) {
        int argc = s.top();
        if (argc == 0) {
            s.pushErrorTable("ERR Please specify at least one argument for this redis lib call");
            return false;
        }
        callArgs.compact();
        for (int i = 1; i <= argc; i++) {
            int t = s.type(i);
            byte[] b;
            if (t == LuaStack.TNUMBER) b = LuaReplies.numberArg(s.number(i));
            else if (t == LuaStack.TSTRING) b = s.bytes(i);
            else {
                s.setTop(0);
                callArgs.dropPartial();
                s.pushErrorTable("ERR Lua redis lib command arguments must be strings or integers");
                return false;
            }
            callArgs.addArg(b, 0, b.length);
        }
        callArgs.endCommand();
        s.setTop(0);
        return true;
    }

    /** lookupCommand: the command or subcommand row; null when unknown. */
    private CommandSpec lookup(CommandBuffer a, int fa, int argc) {
        CommandSpec spec = node.commands().lookup(a.data(), a.offset(fa), a.length(fa));
        if (spec == null || spec.subcommands.isEmpty() || argc < 2) return spec;
        CommandSpec sub = spec.subcommands.get(a.argString(fa + 1).toLowerCase(Locale.ROOT));
        if (sub != null) return sub;
        return spec.handler == null ? null : spec;
    }

    /** scriptCall's checks before running a command; the error (without its code's dash) or null. */
    private String check(ScriptRun run, CommandSpec spec, int fa, int argc) {
        if (spec == null) return "ERR Unknown Redis command called from script";
        if (!spec.arityOk(argc) || (spec.handler == null && !spec.subcommands.isEmpty())) {
            return "ERR Wrong number of args calling Redis command from script";
        }
        if (spec.is(CommandFlags.NOSCRIPT)) return "ERR This Redis command is not allowed from script";
        if (run.readOnly && spec.is(CommandFlags.WRITE | CommandFlags.MAY_REPLICATE)) {
            return "ERR Write commands are not allowed from read-only scripts.";
        }
        if (spec.is(CommandFlags.WRITE) && !run.wroteDirty && !enoughReplicas()) return NOREPLICAS;
        if (!run.allowOom && !run.wroteDirty && run.oomAtStart && spec.is(CommandFlags.DENYOOM)
                && node.config().maxmemory() > 0) {
            return RedisError.OOM;
        }
        if (!heldShards(run, spec, fa, argc)) return "ERR " + NOT_HELD;
        return null;
    }

    /**
     * Redis's checkGoodReplicasStatus: with min-replicas-to-write and min-replicas-max-lag set,
     * writes need that many replicas in sync. Moon has no replicas yet, so none are.
     */
    private boolean enoughReplicas() {
        return node.config().getLong("min-replicas-to-write") == 0 || node.config().getLong("min-replicas-max-lag") == 0;
    }

    /** True when every shard the command needs is one the script holds. */
    private boolean heldShards(ScriptRun run, CommandSpec spec, int fa, int argc) {
        Shard[] shards = node.shards();
        if (run.held.length == shards.length) return true;
        if (spec.is(CommandFlags.ALL_SHARDS)) return false;
        if (spec.router != null) {
            int target = spec.router.shard(callArgs, fa, argc, shards.length);
            return target < 0 || holds(run, target);
        }
        int n = spec.keyPositions(callArgs, fa, argc, keyPos);
        if (n > keyPos.length) {
            keyPos = new int[Integer.highestOneBit(n) * 2];
            n = spec.keyPositions(callArgs, fa, argc, keyPos);
        }
        for (int k = 0; k < n; k++) {
            int a = fa + keyPos[k];
            int shard = node.shardIndexOfSlot(KeySlot.slot(callArgs.data(), callArgs.offset(a), callArgs.length(a)));
            if (!holds(run, shard)) return false;
        }
        return true;
    }

    private static boolean holds(ScriptRun run, int shard) {
        for (Shard s : run.held) if (s.id() == shard) return true;
        return false;
    }

    /** redis.acl_check_cmd: Moon has no ACL users yet, so every known command is allowed. */
    int aclCheckCmd(LuaStack s) {
        if (current == null) return RedisApi.raise(s, "ERR redis.acl_check_cmd can only be called inside a script invocation");
        if (!readArgs(s)) return -1;
        CommandSpec spec = lookup(callArgs, callArgs.firstArg(0), callArgs.argc(0));
        if (spec == null) return RedisApi.raise(s, "ERR Invalid command passed to redis.acl_check_cmd()");
        s.pushBool(true);
        return 1;
    }

    // ================================================================ functions

    /** FUNCTION LOAD [REPLACE] code: answers the library name. */
    public String functionLoad(byte[] code, boolean replace) {
        functionVm();
        return createLibrary(registry, code, replace, LOAD_TIMEOUT_MS);
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
        LuaVm vm = functionVm();
        LuaStack s = vm.main;
        int base = s.top();
        if (s.load(code, from, code.length - from, "@user_function") != 0) {
            String err = utf8(s, -1);
            s.setTop(base);
            throw new RedisError("ERR Error compiling function: " + err);
        }
        loading = lib;
        loadStartNanos = System.nanoTime();
        loadTimeoutMs = timeoutMs;
        int status;
        try {
            vm.loadMode(true);
            vm.arm(HOOK_COUNT);
            status = s.pcall(0, 0, 0);
        } finally {
            loading = null;
            vm.arm(0);
            vm.loadMode(false);
        }
        if (status != 0) {
            String msg = s.type(-1) == LuaStack.TTABLE ? rawString(s, "err") : "ERR " + utf8(s, -1);
            s.setTop(base);
            throw new RedisError("ERR Error registering functions: " + msg);
        }
        s.setTop(base);
        functionMemory = vm.memory();
    }

    /** Drops a library's callbacks from the Lua registry. */
    private void free(FunctionLibrary lib) {
        if (functionVm == null) return;
        for (FunctionLibrary.Function f : lib.functions.values()) functionVm.main.unref(f.ref);
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
    public void functionDelete(String name) {
        FunctionLibrary lib = registry.libraries.get(name);
        if (lib == null) throw new RedisError("ERR Library not found");
        registry.unlink(lib);
        free(lib);
    }

    /** FUNCTION FLUSH: every library goes. */
    public void functionFlush() {
        for (FunctionLibrary lib : registry.libraries.values()) free(lib);
        registry.clear();
        if (functionVm != null) functionMemory = functionVm.memory();
    }

    FunctionRegistry registry() { return registry; }

    /** A library as FUNCTION LIST shows it. */
    public record LibraryInfo(String name, String engine, byte[] code, java.util.List<FunctionInfo> functions) {}

    /** A function as FUNCTION LIST shows it: its flags by name, in Redis's order. */
    public record FunctionInfo(String name, String description, java.util.List<String> flags) {}

    /** The loaded libraries (script thread). */
    public java.util.List<LibraryInfo> libraries() {
        java.util.List<LibraryInfo> out = new java.util.ArrayList<>();
        for (FunctionLibrary lib : registry.libraries.values()) {
            java.util.List<FunctionInfo> fs = new java.util.ArrayList<>();
            for (FunctionLibrary.Function f : lib.functions.values()) {
                fs.add(new FunctionInfo(f.name, f.description, ScriptFlags.names(f.flags)));
            }
            out.add(new LibraryInfo(lib.name, lib.engine, lib.code, fs));
        }
        return out;
    }

    /** FUNCTION DUMP's payload. */
    public byte[] functionDump() { return FunctionDump.dump(registry, node.config().getBool("rdbcompression")); }

    /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]. */
    public void functionRestore(byte[] payload, FunctionDump.Policy policy) {
        functionVm();
        FunctionRegistry restored = new FunctionRegistry();
        try {
            for (byte[] code : FunctionDump.libraries(payload)) createLibrary(restored, code, false, 0);
        } catch (RedisError e) {
            for (FunctionLibrary lib : restored.libraries.values()) free(lib);
            throw e;
        }
        if (policy == FunctionDump.Policy.FLUSH) {
            functionFlush();
            for (FunctionLibrary lib : restored.libraries.values()) registry.link(lib);
            return;
        }
        join(restored, policy == FunctionDump.Policy.REPLACE);
    }

    /** libraryJoin: all of {@code from} into the current libraries, or nothing on a collision. */
    private void join(FunctionRegistry from, boolean replace) {
        java.util.List<FunctionLibrary> replaced = new java.util.ArrayList<>();
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

    /** What FUNCTION STATS shows of the running script, or null; throws BUSY while an EVAL runs. */
    public RunningScript running() {
        ScriptRun run = current;
        if (run == null) return null;
        if (run.eval) throw new RedisError(BUSY_EVAL);
        return new RunningScript(run.name, run.command, run.elapsedMs());
    }

    /** The running function as FUNCTION STATS reports it. */
    public record RunningScript(String name, byte[][] command, long durationMs) {}

    // ================================================================ INFO

    public int cachedScripts() { return scripts.size(); }

    public long scriptsMemory() { return scriptsBytes; }

    public long evalVmMemory() { return evalMemory; }

    public long functionsVmMemory() { return functionMemory; }

    public int functionCount() { return registry.functionCount(); }

    public int libraryCount() { return registry.libraryCount(); }
}
