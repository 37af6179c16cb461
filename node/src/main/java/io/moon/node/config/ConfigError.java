package io.moon.node.config;

/** A value a setting refuses; the message is Redis's reason text ("argument must be a memory value"). */
public final class ConfigError extends Exception {
    public ConfigError(String message) {
        super(message, null, false, false);
    }
}
