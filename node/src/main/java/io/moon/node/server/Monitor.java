package io.moon.node.server;

import io.moon.node.protocol.CommandBuffer;
import java.nio.charset.StandardCharsets;

/**
 * MONITOR output, as Redis's replicationFeedMonitors: "+<sec>.<usec> [<db> <peer>] "arg" ..."
 * with non-printable bytes escaped as in sdscatrepr. Fed once a command has run, from the thread
 * that ran it (lines go out through the monitors' own channels, which is thread-safe).
 */
final class Monitor {
    private Monitor() {}

    /** What a secret argument shows as (Redis's shared.redacted). */
    static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    static void feed(Node node, Connection from, int db, CommandBuffer cmds, int fa, int argc, boolean[] secret) {
        feed(node, from, false, db, cmds, fa, argc, secret);
    }

    /** As above; {@code lua} marks a command a script ran ("[db lua]", as Redis shows its script client). */
    static void feed(Node node, Connection from, boolean lua, int db, CommandBuffer cmds, int fa, int argc,
                     boolean[] secret) {
        long us = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        StringBuilder sb = new StringBuilder(64);
        sb.append('+').append(us / 1_000_000).append('.').append(String.format("%06d", us % 1_000_000));
        sb.append(" [").append(db).append(' ').append(lua ? "lua" : from.peer()).append(']');
        byte[] d = cmds.data();
        for (int a = 0; a < argc; a++) {
            sb.append(' ');
            if (secret != null && secret[a]) repr(sb, REDACTED, 0, REDACTED.length);
            else repr(sb, d, cmds.offset(fa + a), cmds.length(fa + a));
        }
        sb.append("\r\n");
        byte[] line = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        for (Connection m : node.monitors) {
            if (m != from) m.sendAsync(line);
        }
    }

    /** Redis's sdscatrepr. */
    static void repr(StringBuilder sb, byte[] b, int off, int len) {
        sb.append('"');
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '\\', '"' -> sb.append('\\').append((char) c);
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 32 && c < 127) sb.append((char) c);
                    else sb.append(String.format("\\x%02x", c));
                }
            }
        }
        sb.append('"');
    }
}
