package io.moon.node.command;

/** The node's command table: every family adds its rows here. */
public final class Commands {
    private Commands() {}

    public static CommandTable table() {
        CommandTable t = new CommandTable();
        ConnectionCommands.register(t);
        StringCommands.register(t);
        KeyCommands.register(t);
        ExpireCommands.register(t);
        ServerCommands.register(t);
        FunctionCommands.register(t);
        TransactionCommands.register(t);
        PubSubCommands.register(t);
        StreamCommands.register(t);
        return t;
    }
}
