package io.moon.node.command;

/** Runs one command: reads arguments from the context, changes data, writes one reply. */
@FunctionalInterface
public interface CommandHandler {
    void handle(CommandContext c);
}
