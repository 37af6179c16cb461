package io.moon.node.script;

/**
 * A Lua error raised by a Java library function, as luaL_error would raise it: the message gets
 * the position of the calling Lua code in front ("user_script:3: ...") when it reaches Lua. Only
 * thrown inside {@link LuaLib#function} bodies, which turn it into a Lua error.
 */
final class LuaError extends RuntimeException {
    LuaError(String message) {
        super(message, null, false, false);
    }

    /** luaL_argerror's text. */
    static LuaError arg(int arg, String function, String extra) {
        return new LuaError("bad argument #" + arg + " to '" + function + "' (" + extra + ")");
    }
}
