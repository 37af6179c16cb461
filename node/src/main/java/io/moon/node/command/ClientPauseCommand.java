package io.moon.node.command;

import io.moon.node.server.ClientPause;

/**
 * CLIENT PAUSE timeout [WRITE|ALL] and CLIENT UNPAUSE (Redis's networking.c). The pause is the
 * node's ({@link ClientPause}); commands it holds back wait in their connections.
 */
final class ClientPauseCommand {
    private ClientPauseCommand() {}

    static void pause(CommandContext c) {
        if (c.argc() > 4) {
            throw new RedisError("ERR unknown subcommand or wrong number of arguments for '" + c.str(1)
                    + "'. Try CLIENT HELP.");
        }
        int type = ClientPause.ALL;
        if (c.argc() == 4) {
            if (c.is(3, "write")) type = ClientPause.WRITE;
            else if (!c.is(3, "all")) throw new RedisError("ERR CLIENT PAUSE mode must be WRITE or ALL");
        }
        long timeout = c.longArg(2, "ERR timeout is not an integer or out of range");
        if (timeout < 0) throw new RedisError("ERR timeout is negative");
        // As getTimeoutFromObjectOrReply: 0 stays 0 (a pause that is over at once).
        long end = timeout > 0 ? System.currentTimeMillis() + timeout : 0;
        c.node().clientPause().pause(end, type);
        c.reply().ok();
    }

    static void unpause(CommandContext c) {
        c.node().clientPause().unpause();
        c.reply().ok();
    }
}
