package io.moon.node.command;

/** Server commands (Redis's server.c, config.c, slowlog.c...): INFO, CONFIG, COMMAND, CLIENT, TIME... */
public final class ServerCommands {
    private ServerCommands() {}

    static void register(CommandTable t) {
    }
}
