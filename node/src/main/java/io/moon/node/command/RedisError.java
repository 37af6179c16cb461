package io.moon.node.command;

/**
 * A command's error reply, thrown from anywhere in a handler and turned into "-message" by the
 * dispatcher (which also drops any partial reply the handler wrote). The message starts with
 * Redis's error code: "ERR ...", "WRONGTYPE ...", "OOM ...". No stack trace: it is an answer,
 * not a failure.
 */
public final class RedisError extends RuntimeException {
    private final boolean counted;

    public RedisError(String message) {
        this(message, true);
    }

    private RedisError(String message, boolean counted) {
        super(message, null, false, false);
        this.counted = counted;
    }

    /**
     * An error reply that fails the command but is not counted again in the error statistics:
     * a script passing on the error of a command it called, which was counted when that command
     * failed (Redis's ERR_REPLY_FLAG_NO_STATS_UPDATE).
     */
    public static RedisError alreadyCounted(String message) { return new RedisError(message, false); }

    /** False for {@link #alreadyCounted} errors. */
    public boolean counted() { return counted; }

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
