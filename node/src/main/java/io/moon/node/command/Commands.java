package io.moon.node.command;

/** The node's command table: every family adds its rows here. */
public final class Commands {
    private Commands() {}

    public static CommandTable table() {
        CommandTable t = new CommandTable();
        ConnectionCommands.register(t);
        StringCommands.register(t);
        HashCommands.register(t);
        SetCommands.register(t);
        ListCommands.register(t);
        BitCommands.register(t);
        HyperLogLogCommands.register(t);
        KeyCommands.register(t);
        ExpireCommands.register(t);
        ServerCommands.register(t);
        ScriptingCommands.register(t);
        FunctionCommands.register(t);
        TransactionCommands.register(t);
        PubSubCommands.register(t);
        SortedSetCommands.register(t);
        GeoCommands.register(t);
        PersistenceCommands.register(t);
        MemoryCommand.register(t);
        LatencyCommands.register(t);
        LolwutCommand.register(t);
        WaitCommand.register(t);
        StreamCommands.register(t);
        DumpRestoreCommands.register(t);
        SortCommands.register(t);
        MigrateCommand.register(t);
        return t;
    }
}
