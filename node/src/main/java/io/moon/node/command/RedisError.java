package io.moon.node.command;

/**
 * A command's error reply, thrown from anywhere in a handler and turned into "-message" by the
 * dispatcher (which also drops any partial reply the handler wrote). The message starts with
 * Redis's error code: "ERR ...", "WRONGTYPE ...", "OOM ...". No stack trace: it is an answer,
 * not a failure.
 */
public final class RedisError extends RuntimeException {
    public RedisError(String message) {
        super(message, null, false, false);
    }

    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
    public static final String OUT_OF_RANGE = "ERR index out of range";
    public static final String DB_INDEX = "ERR DB index is out of range";

    public static RedisError wrongType() { return new RedisError(WRONGTYPE); }
    public static RedisError syntax() { return new RedisError(SYNTAX); }
    public static RedisError notInteger() { return new RedisError(NOT_INTEGER); }

    public static RedisError arity(String command) {
        return new RedisError("ERR wrong number of arguments for '" + command + "' command");
    }
}
