package io.moon.node.command;

/**
 * WAIT numreplicas timeout (Redis's waitCommand). Moon has no replicas yet, so no write is ever
 * acknowledged by one: WAIT answers 0 at once when it asks for none (or runs inside MULTI), and
 * otherwise, as Redis with no replica, blocks the client until the timeout (0: for ever, or until
 * CLIENT UNBLOCK) and then answers 0.
 */
final class WaitCommand {
    private WaitCommand() {}

    private static final byte[] NONE_ACKNOWLEDGED = {':', '0', '\r', '\n'};

    static void register(CommandTable t) {
        t.add(new CommandSpec("wait", 3, "noscript connection", 0, 0, 0, "@connection", WaitCommand::waitCommand)
                .doc("generic", "3.0.0",
                        "Wait for the synchronous replication of all the write commands sent in the context of the current connection")
                .complexity("O(1)").tips("request_policy:all_shards", "response_policy:agg_min"));
    }

    static void waitCommand(CommandContext c) {
        long numreplicas = c.longArg(1);
        long timeout = c.longArg(2, "ERR timeout is not an integer or out of range");
        if (timeout < 0) throw new RedisError("ERR timeout is negative");
        long acknowledged = 0;
        if (acknowledged >= numreplicas || c.inExec()) {
            c.reply().integer(acknowledged);
            return;
        }
        c.conn().waitWithoutKeys(c, timeout, NONE_ACKNOWLEDGED);
    }
}
