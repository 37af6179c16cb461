package io.moon.node.script;

/**
 * redis.register_function's arguments (function_lua.c): either {@code (name, callback)} or one
 * table of named arguments {@code {function_name=, callback=, flags={...}, description=}}. A
 * valid registration stores the callback in the Lua registry and adds the function to the
 * library being loaded; anything else raises Redis's error.
 */
final class FunctionRegistration {
    private FunctionRegistration() {}

    static int register(LuaStack s, FunctionLibrary lib) {
        int argc = s.top();
        if (argc < 1 || argc > 2) return RedisApi.raise(s, "ERR wrong number of arguments to redis.register_function");
        String name = null, description = null;
        int flags = 0;
        int ref;
        if (argc == 2) {
            if (!s.isString(1)) return RedisApi.raise(s, "ERR first argument to redis.register_function must be a string");
            name = Scripting.utf8(s, 1);
            if (s.type(2) != LuaStack.TFUNCTION) {
                return RedisApi.raise(s, "ERR second argument to redis.register_function must be a function");
            }
            s.pushValue(2);
            ref = s.ref();
        } else {
            if (s.type(1) != LuaStack.TTABLE) {
                return RedisApi.raise(s, "ERR calling redis.register_function with a single argument is only applicable"
                        + " to Lua table (representing named arguments).");
            }
            ref = -1;
            String err = null;
            s.pushNil();
            while (s.next(1)) {
                if (!s.isString(-2)) {
                    err = "ERR named argument key given to redis.register_function is not a string";
                    break;
                }
                // A number key must not be converted in place: lua_next needs it as it was.
                s.pushValue(-2);
                String key = Scripting.utf8(s, -1);
                s.pop(1);
                if (key.equalsIgnoreCase("function_name")) {
                    if (!s.isString(-1)) {
                        err = "ERR function_name argument given to redis.register_function must be a string";
                        break;
                    }
                    name = Scripting.utf8(s, -1);
                } else if (key.equalsIgnoreCase("description")) {
                    if (!s.isString(-1)) {
                        err = "ERR description argument given to redis.register_function must be a string";
                        break;
                    }
                    description = Scripting.utf8(s, -1);
                } else if (key.equalsIgnoreCase("callback")) {
                    if (s.type(-1) != LuaStack.TFUNCTION) {
                        err = "ERR callback argument given to redis.register_function must be a function";
                        break;
                    }
                    if (ref != -1) s.unref(ref);
                    ref = s.ref(); // pops the value
                    continue;
                } else if (key.equalsIgnoreCase("flags")) {
                    if (s.type(-1) != LuaStack.TTABLE) {
                        err = "ERR flags argument to redis.register_function must be a table representing function flags";
                        break;
                    }
                    int f = readFlags(s);
                    if (f < 0) {
                        err = "ERR unknown flag given";
                        break;
                    }
                    flags = f;
                } else {
                    err = "ERR unknown argument given to redis.register_function";
                    break;
                }
                s.pop(1);
            }
            if (err == null && name == null) err = "ERR redis.register_function must get a function name argument";
            if (err == null && ref == -1) err = "ERR redis.register_function must get a callback argument";
            if (err != null) {
                if (ref != -1) s.unref(ref);
                return RedisApi.raise(s, err);
            }
        }
        if (!FunctionLibraries.validName(name)) {
            s.unref(ref);
            // Redis's text for a bad function name names libraries (functionLibCreateFunction).
            return RedisApi.raise(s, "ERR Library names can only contain letters, numbers, or underscores(_) and must"
                    + " be at least one character long");
        }
        if (lib.functions.containsKey(name)) {
            s.unref(ref);
            return RedisApi.raise(s, "ERR Function already exists in the library");
        }
        lib.functions.put(name, new FunctionLibrary.Function(name, description, flags, ref, lib));
        return 0;
    }

    /** The flags table on top: its strings 1..n, read raw; -1 on an unknown flag or a non-string. */
    private static int readFlags(LuaStack s) {
        int flags = 0;
        for (int j = 1; ; j++) {
            s.rawGetI(-1, j);
            int t = s.type(-1);
            if (t == LuaStack.TNIL) {
                s.pop(1);
                return flags;
            }
            if (t != LuaStack.TSTRING && t != LuaStack.TNUMBER) {
                s.pop(1);
                return -1;
            }
            int flag = ScriptFlags.byName(Scripting.utf8(s, -1), true);
            s.pop(1);
            if (flag == 0) return -1;
            flags |= flag;
        }
    }
}
