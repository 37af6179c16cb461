package io.moon.node.protocol;

/**
 * A client sent bytes that are not RESP. The message is Redis's own text (without the "ERR "
 * prefix); the connection answers it and then closes, as Redis does for protocol errors.
 */
public final class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
