package io.moon.node.script;

import io.moon.node.command.CommandContext;
import io.moon.node.command.RedisError;
import io.moon.node.server.Node;
import io.moon.node.server.ScriptThread;
import io.moon.node.server.Shard;
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
    static final String NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";
    /** Instructions between two interrupt checks (Redis's LUA_MASKCOUNT hook count). */
    static final int HOOK_COUNT = 100_000;

    private final Node node;
    private final ScriptThread thread;
    private final RedisApi api = new RedisApi(this);
    private LuaVm evalVm, functionVm;
    /** SHA1 (lower case) to script; SCRIPT EXISTS reads it from any thread. */
    private final ConcurrentHashMap<String, EvalScript> scripts = new ConcurrentHashMap<>();
    private volatile long scriptsBytes;
    private final FunctionLibraries functions;
    private final RedisCall calls;
    private volatile ScriptRun current;
    private volatile long evalMemory, functionMemory;

    /** A cached EVAL script: its body, shebang flags, and the compiled function's registry ref. */
    record EvalScript(byte[] body, int flags, int ref) {}

    public Scripting(Node node, ScriptThread thread) {
        this.node = node;
        this.thread = thread;
        this.functions = new FunctionLibraries(this, node);
        this.calls = new RedisCall(this, node, thread);
    }

    /** The function libraries (FUNCTION commands, FCALL). */
    public FunctionLibraries functions() { return functions; }

    RedisCall calls() { return calls; }

    Node node() { return node; }

    ScriptRun current() { return current; }

    private LuaVm evalVm() {
        if (evalVm == null) {
            evalVm = newVm(LuaVm.Kind.EVAL);
            evalVm.arm(HOOK_COUNT);
            evalMemory = evalVm.memory();
        }
        return evalVm;
    }

    LuaVm functionVm() {
        if (functionVm == null) {
            functionVm = newVm(LuaVm.Kind.FUNCTION);
            functionVm.arm(HOOK_COUNT);
            functionMemory = functionVm.memory();
        }
        return functionVm;
    }

    /**
     * A new Lua state; the Lua natives load with the first. A platform without them (or a
     * temporary directory luajava cannot unpack them into) answers an error, never a crash.
     */
    private LuaVm newVm(LuaVm.Kind kind) {
        try {
            return new LuaVm(kind, api);
        } catch (LinkageError | RuntimeException e) {
            log.error("Cannot start the Lua engine", e);
            throw new RedisError("ERR Lua scripting is not available on this node: " + e.getMessage());
        }
    }

    /** The functions engine's state if a library or FCALL created it, else null. */
    LuaVm functionVmIfCreated() { return functionVm; }

    /** Libraries changed: the memory INFO reports for the functions engine. */
    void functionsVmChanged(LuaVm vm) { functionMemory = vm.memory(); }

    // ================================================================ EVAL and SCRIPT

    /** EVAL, EVALSHA, EVAL_RO, EVALSHA_RO (evalGenericCommand), on the script thread. */
    public void eval(CommandContext c, boolean evalsha, boolean ro) {
        byte[][] command = monitored(c);
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
        ScriptRun run = prepare(c, command, true, sha, script.flags(), ro);
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

    /** The command's arguments (kept for FUNCTION STATS), fed to MONITOR before anything runs. */
    private byte[][] monitored(CommandContext c) {
        byte[][] command = new byte[c.argc()][];
        for (int i = 0; i < command.length; i++) command[i] = c.arg(i);
        thread.monitor(c.conn(), c.dbIndex(), command);
        return command;
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

    /**
     * Whether a script command may write, as processCommand sees it through evalGetCommandFlags
     * and fcallGetCommandFlags (what CLIENT PAUSE WRITE holds back): a script that declares flags
     * writes unless it says no-writes; one without flags, or not known yet, is taken for what its
     * command row says. Any thread.
     */
    public boolean mayWrite(io.moon.node.command.CommandSpec spec, io.moon.node.protocol.CommandBuffer args, int fa,
                            int argc) {
        boolean byRow = spec.is(io.moon.node.command.CommandFlags.WRITE | io.moon.node.command.CommandFlags.MAY_REPLICATE);
        if (!byRow || argc < 2) return byRow;
        byte[] first = java.util.Arrays.copyOfRange(args.data(), args.offset(fa + 1), args.offset(fa + 1) + args.length(fa + 1));
        int flags;
        switch (spec.name) {
            case "eval" -> {
                EvalScript known = scripts.get(RedisApi.sha1(first));
                if (known != null) {
                    flags = known.flags();
                } else {
                    try {
                        flags = ScriptFlags.parse(first).flags();
                    } catch (RedisError e) {
                        return true;
                    }
                }
            }
            case "evalsha" -> {
                EvalScript known = first.length == 40
                        ? scripts.get(new String(first, java.nio.charset.StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT)) : null;
                if (known == null) return true;
                flags = known.flags();
            }
            case "fcall" -> {
                FunctionLibrary.Function f = functions.function(new String(first, java.nio.charset.StandardCharsets.UTF_8));
                if (f == null) return true;
                flags = f.flags;
            }
            default -> {
                return true;
            }
        }
        if ((flags & ScriptFlags.EVAL_COMPAT_MODE) != 0) return true;
        return (flags & ScriptFlags.NO_WRITES) == 0;
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
        byte[][] command = monitored(c);
        FunctionLibrary.Function f = functions.function(c.str(1));
        if (f == null) throw new RedisError("ERR Function not found");
        int numkeys = numkeys(c, c.longArg(2, "ERR Bad number of keys provided"));
        LuaVm vm = functionVm();
        ScriptRun run = prepare(c, command, false, f.name, f.flags, ro);
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
    private ScriptRun prepare(CommandContext c, byte[][] command, boolean eval, String name, int flags, boolean ro) {
        boolean compat = (flags & ScriptFlags.EVAL_COMPAT_MODE) != 0;
        boolean oom = overMaxmemory(c.held());
        if (!compat) {
            // What processCommand does for a command the flags make denyoom.
            if (oom && (flags & (ScriptFlags.ALLOW_OOM | ScriptFlags.NO_WRITES)) == 0) throw new RedisError(RedisError.OOM);
            if ((flags & ScriptFlags.NO_WRITES) == 0 && ro) {
                throw new RedisError("ERR Can not execute a script with write flag using *_ro command.");
            }
            if ((flags & ScriptFlags.NO_WRITES) == 0 && !RedisCall.enoughReplicas(node)) throw new RedisError(NOREPLICAS);
        }
        boolean readOnly = ro || (!compat && (flags & ScriptFlags.NO_WRITES) != 0);
        boolean allowOom = !compat && (flags & ScriptFlags.ALLOW_OOM) != 0;
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
        int status;
        try {
            status = s.pcall(nargs, 1, base + 1);
        } finally {
            // No run first: a killed script's line hook must find nothing to kill when re-armed.
            current = null;
            if (run.killed) vm.arm(HOOK_COUNT);
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
    static String rawString(LuaStack s, String name) {
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
        if (functions.loading()) {
            if (functions.loadTimedOut()) {
                s.pushErrorTable("ERR FUNCTION LOAD timeout");
                return 1;
            }
            return 0;
        }
        ScriptRun run = current;
        if (run == null) return 0;
        long threshold = node.config().getLong("busy-reply-threshold");
        if (!run.timedOut && threshold > 0) {
            long elapsed = run.elapsedMs();
            if (elapsed >= threshold) {
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

    /** True while a script or function runs (on the script thread): Redis's CLIENT_SCRIPT. */
    public boolean inScript() { return current != null; }

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

    public int functionCount() { return functions.functionCount(); }

    public int libraryCount() { return functions.libraryCount(); }
}
