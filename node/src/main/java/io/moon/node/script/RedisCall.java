package io.moon.node.script;

import io.moon.node.cluster.KeySlot;
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
import java.util.Locale;

/**
 * redis.call and redis.pcall (script_lua.c luaRedisGenericCommand, script.c scriptCall): the
 * arguments off the Lua stack, Redis's checks before a script may run a command (known, arity,
 * not noscript, no writes from read-only scripts, memory, replicas, and Moon's own: the shards
 * it needs are held), the command through the script thread, its reply back as a Lua value.
 *
 * <p>Script thread only; the argument arena and reply buffer are reused call after call.
 */
final class RedisCall {
    private final Scripting scripting;
    private final Node node;
    private final ScriptThread thread;
    private final CommandBuffer callArgs = new CommandBuffer();
    private ByteBuf callReply = Unpooled.buffer(256);
    private int[] keyPos = new int[16];
    private boolean inCall;

    RedisCall(Scripting scripting, Node node, ScriptThread thread) {
        this.scripting = scripting;
        this.node = node;
        this.thread = thread;
    }

    /** redis.call ({@code raise}) and redis.pcall: luaRedisGenericCommand and scriptCall. */
    int call(LuaStack s, boolean raise) {
        ScriptRun run = scripting.current();
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
            thread.runForScript(conn, run.home, callArgs, fa, argc, spec, run.db, run.resp, callReply, run.held);
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
        if (spec.is(CommandFlags.WRITE) && !run.wroteDirty && !enoughReplicas(node)) return Scripting.NOREPLICAS;
        if (!run.allowOom && !run.wroteDirty && run.oomAtStart && spec.is(CommandFlags.DENYOOM)
                && node.config().maxmemory() > 0) {
            return RedisError.OOM;
        }
        if (!heldShards(run, spec, fa, argc)) return "ERR " + Scripting.NOT_HELD;
        return null;
    }

    /**
     * Redis's checkGoodReplicasStatus: with min-replicas-to-write and min-replicas-max-lag set,
     * writes need that many replicas in sync. Moon has no replicas yet, so none are.
     */
    static boolean enoughReplicas(Node node) {
        return node.config().getLong("min-replicas-to-write") == 0 || node.config().getLong("min-replicas-max-lag") == 0;
    }

    /** True when every shard the command needs is one the script holds. */
    private boolean heldShards(ScriptRun run, CommandSpec spec, int fa, int argc) {
        Shard[] shards = node.shards();
        if (run.held.length == shards.length) return true;
        if (spec.allShards(callArgs, fa, argc)) return false;
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
        if (scripting.current() == null) {
            return RedisApi.raise(s, "ERR redis.acl_check_cmd can only be called inside a script invocation");
        }
        if (!readArgs(s)) return -1;
        CommandSpec spec = lookup(callArgs, callArgs.firstArg(0), callArgs.argc(0));
        if (spec == null) return RedisApi.raise(s, "ERR Invalid command passed to redis.acl_check_cmd()");
        s.pushBool(true);
        return 1;
    }
}
