package io.moon.node.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** The same commands sent to Moon and to a real redis-server, one at a time, with equal replies required. */
public final class SideBySide {
    private SideBySide() {}

    /** One command per line, arguments split on single spaces (an empty argument is two spaces). */
    public static List<String[]> commands(String... lines) {
        List<String[]> out = new ArrayList<>();
        for (String line : lines) out.add(line.split(" ", -1));
        return out;
    }

    /** Sends each command to both and compares the replies; HELLO's are skipped (they name the server). */
    public static void compare(RawClient moon, RawClient redis, List<String[]> commands) throws Exception {
        for (String[] cmd : commands) {
            Object mine = moon.call(cmd), theirs = redis.call(cmd);
            if (cmd[0].equalsIgnoreCase("hello")) continue;
            assertThat(mine).as("%s", String.join(" ", cmd)).isEqualTo(theirs);
        }
    }
}
