package io.moon.node.script;

import io.moon.node.protocol.Reply;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The type conversions between Redis replies and Lua values, both ways, as script_lua.c does
 * them.
 *
 * <p>Redis reply to Lua ({@link #push}, Redis's redisProtocolToLuaType): integer to number, bulk
 * to string, nil bulk and nil array to false, array to table, status to {ok=...}, error to
 * {err=...}; and in RESP3 map to {map={...}}, set to {set={member=true...}}, null to nil, boolean
 * to boolean, double to {double=...}, big number to {big_number=...}, verbatim to
 * {verbatim_string={format=...,string=...}}; attributes are skipped.
 *
 * <p>Lua to the reply of the script's caller ({@link #write}, Redis's luaReplyToRedisReply):
 * string to bulk, number to integer (truncated), boolean by the script's RESP (RESP2: true to 1,
 * false to nil), tables by their err/ok/double/big_number/verbatim_string/map/set fields or as
 * an array up to the first nil, anything else to nil.
 */
final class LuaReplies {
    private LuaReplies() {}

    // ---------------------------------------------------------------- Redis reply to Lua

    /** Pushes the reply at {@code b}'s reader index as a Lua value, consuming it. */
    static void push(LuaStack s, ByteBuf b) {
        s.checkStack(4);
        byte type = b.readByte();
        switch (type) {
            case ':' -> s.pushNumber(readLong(b));
            case '$' -> {
                long n = readLong(b);
                if (n < 0) {
                    s.pushBool(false);
                    return;
                }
                pushSlice(s, b, (int) n);
                b.skipBytes(2);
            }
            case '+' -> {
                s.newTable(0, 1);
                pushLine(s, b);
                s.setField(-2, "ok");
            }
            case '-' -> {
                s.pushErrorTable(errorText(readLine(b)));
                s.pushBool(true);
                s.setField(-2, "ignore_error_stats_update");
            }
            case '*', '>' -> {
                long n = readLong(b);
                if (n < 0) {
                    s.pushBool(false);
                    return;
                }
                s.newTable((int) Math.min(n, 1 << 20), 0);
                for (int j = 1; j <= n; j++) {
                    push(s, b);
                    s.rawSetI(-2, j);
                }
            }
            case '%' -> {
                long n = readLong(b);
                s.newTable(0, 1);
                s.newTable(0, (int) Math.min(n, 1 << 20));
                for (long j = 0; j < n; j++) {
                    push(s, b);
                    push(s, b);
                    setPair(s);
                }
                s.setField(-2, "map");
            }
            case '~' -> {
                long n = readLong(b);
                s.newTable(0, 1);
                s.newTable(0, (int) Math.min(n, 1 << 20));
                for (long j = 0; j < n; j++) {
                    push(s, b);
                    s.pushBool(true);
                    setPair(s);
                }
                s.setField(-2, "set");
            }
            case '_' -> {
                b.skipBytes(2);
                s.pushNil();
            }
            case '#' -> {
                boolean v = b.readByte() == 't';
                b.skipBytes(2);
                s.pushBool(v);
            }
            case ',' -> {
                s.newTable(0, 1);
                s.pushNumber(parseDouble(readLine(b)));
                s.setField(-2, "double");
            }
            case '(' -> {
                s.newTable(0, 1);
                pushLine(s, b);
                s.setField(-2, "big_number");
            }
            case '=' -> {
                int n = (int) readLong(b);
                s.newTable(0, 1);
                s.newTable(0, 2);
                pushSlice(s, b, 3);
                s.setField(-2, "format");
                b.skipBytes(1);
                pushSlice(s, b, n - 4);
                s.setField(-2, "string");
                b.skipBytes(2);
                s.setField(-2, "verbatim_string");
            }
            case '|' -> {
                long n = readLong(b);
                for (long j = 0; j < n * 2; j++) skip(b);
                push(s, b);
            }
            default -> throw new IllegalStateException("unexpected reply type " + (char) type);
        }
    }

    /** settable of the key and value on top into the table below them; a nil key is dropped. */
    private static void setPair(LuaStack s) {
        if (s.type(-2) == LuaStack.TNIL) {
            s.pop(2);
            return;
        }
        s.rawSet(-3);
    }

    /** Skips one reply (attributes are not shown to scripts). */
    private static void skip(ByteBuf b) {
        byte type = b.readByte();
        switch (type) {
            case '$', '=' -> {
                long n = readLong(b);
                if (n >= 0) b.skipBytes((int) n + 2);
            }
            case '*', '>', '~' -> {
                long n = readLong(b);
                for (long j = 0; j < n; j++) skip(b);
            }
            case '%', '|' -> {
                long n = readLong(b);
                for (long j = 0; j < n * 2; j++) skip(b);
            }
            default -> readLine(b);
        }
    }

    /**
     * luaPushErrorBuff's text for an error reply line: the code as given (or ERR when there is
     * no space), a blank, the message; CR and LF at the ends trimmed.
     */
    static String errorText(String line) {
        int sp = line.indexOf(' ');
        String code = sp < 0 ? "ERR" : line.substring(0, sp);
        String msg = sp < 0 ? line : line.substring(sp + 1);
        return code + " " + trimCrLf(msg);
    }

    static String trimCrLf(String s) {
        int i = 0, j = s.length();
        while (i < j && (s.charAt(i) == '\r' || s.charAt(i) == '\n')) i++;
        while (j > i && (s.charAt(j - 1) == '\r' || s.charAt(j - 1) == '\n')) j--;
        return s.substring(i, j);
    }

    private static void pushSlice(LuaStack s, ByteBuf b, int n) {
        byte[] bytes = new byte[n];
        b.readBytes(bytes);
        s.pushBytes(bytes);
    }

    private static void pushLine(LuaStack s, ByteBuf b) {
        int end = b.indexOf(b.readerIndex(), b.writerIndex(), (byte) '\r');
        pushSlice(s, b, end - b.readerIndex());
        b.skipBytes(2);
    }

    private static String readLine(ByteBuf b) {
        int end = b.indexOf(b.readerIndex(), b.writerIndex(), (byte) '\r');
        String line = b.toString(b.readerIndex(), end - b.readerIndex(), StandardCharsets.UTF_8);
        b.readerIndex(end + 2);
        return line;
    }

    private static long readLong(ByteBuf b) {
        long v = 0;
        boolean neg = false;
        byte c = b.readByte();
        if (c == '-') neg = true;
        else v = c - '0';
        while ((c = b.readByte()) != '\r') v = v * 10 + (c - '0');
        b.skipBytes(1);
        return neg ? -v : v;
    }

    /** strtod of a RESP3 double, with the inf/nan spellings Redis writes. */
    static double parseDouble(String s) {
        return switch (s) {
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan", "-nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    // ---------------------------------------------------------------- Lua to the caller's reply

    /**
     * Writes the Lua value on top of the stack as the caller's reply and pops it.
     * {@code scriptResp} is the RESP version the script chose (redis.setresp): it decides how
     * booleans are answered, while the caller's own protocol shapes maps, sets and nulls.
     */
    static void write(LuaStack s, Reply r, int scriptResp) {
        ByteBuf out = r.buffer();
        if (!s.checkStack(4)) {
            // As Redis: a structure nested beyond Lua's stack answers an error where it stops.
            r.error("ERR reached lua stack limit");
            s.pop(1);
            return;
        }
        switch (s.type(-1)) {
            case LuaStack.TSTRING -> {
                byte[] b = s.bytes(-1);
                r.bulk(b);
            }
            case LuaStack.TBOOLEAN -> {
                boolean v = s.bool(-1);
                if (scriptResp == 2) {
                    if (v) r.integer(1);
                    else r.nullBulk();
                } else {
                    r.bool(v);
                }
            }
            case LuaStack.TNUMBER -> r.integer(toLong(s.number(-1)));
            case LuaStack.TTABLE -> {
                writeTable(s, r, scriptResp, out);
                return;
            }
            default -> r.nullBulk();
        }
        s.pop(1);
    }

    /** C's (long long) cast of a double, as x86-64 does it: out of range and NaN give LLONG_MIN. */
    static long toLong(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) return Long.MIN_VALUE;
        return (long) d;
    }

    private static void writeTable(LuaStack s, Reply r, int scriptResp, ByteBuf out) {
        // Error, status, double, big number, verbatim, map, set: by a field, read raw.
        if (rawField(s, "err") == LuaStack.TSTRING) {
            String msg = s.string(-1);
            s.pop(2);
            writeError(out, msg);
            return;
        }
        s.pop(1);
        if (rawField(s, "ok") == LuaStack.TSTRING) {
            byte[] b = s.bytes(-1);
            s.pop(2);
            out.writeByte('+');
            writeMapped(out, b);
            out.writeByte('\r').writeByte('\n');
            return;
        }
        s.pop(1);
        if (rawField(s, "double") == LuaStack.TNUMBER) {
            double d = s.number(-1);
            s.pop(2);
            if (Double.isNaN(d)) {
                // %.17g of a NaN keeps its sign ("-nan" for 0/0 on x86), which Reply does not write.
                String nan = CFormat.g(d, 17);
                if (r.resp3()) out.writeByte(',').writeBytes(nan.getBytes(StandardCharsets.US_ASCII)).writeByte('\r').writeByte('\n');
                else r.bulk(nan);
            } else {
                r.doubleValue(d);
            }
            return;
        }
        s.pop(1);
        if (rawField(s, "big_number") == LuaStack.TSTRING) {
            byte[] b = s.bytes(-1);
            s.pop(2);
            if (r.resp3()) {
                out.writeByte('(');
                writeMapped(out, b);
                out.writeByte('\r').writeByte('\n');
            } else {
                byte[] mapped = b.clone();
                for (int i = 0; i < mapped.length; i++) if (mapped[i] == '\r' || mapped[i] == '\n') mapped[i] = ' ';
                r.bulk(mapped);
            }
            return;
        }
        s.pop(1);
        if (rawField(s, "verbatim_string") == LuaStack.TTABLE) {
            if (rawField(s, "format") == LuaStack.TSTRING) {
                byte[] format = s.bytes(-1);
                if (rawFieldAt(s, "string", -2) == LuaStack.TSTRING) {
                    byte[] str = s.bytes(-1);
                    s.pop(4);
                    if (r.resp3()) {
                        out.writeByte('=');
                        out.writeCharSequence(Long.toString(str.length + 4), StandardCharsets.US_ASCII);
                        out.writeByte('\r').writeByte('\n');
                        for (int i = 0; i < 3; i++) out.writeByte(i < format.length ? format[i] : 0);
                        out.writeByte(':');
                        out.writeBytes(str);
                        out.writeByte('\r').writeByte('\n');
                    } else {
                        r.bulk(str);
                    }
                    return;
                }
                s.pop(1);
            }
            s.pop(1);
        }
        s.pop(1);
        if (rawField(s, "map") == LuaStack.TTABLE) {
            int count = 0;
            s.pushNil();
            while (s.next(-2)) {
                s.pop(1);
                count++;
            }
            r.mapHeader(count);
            s.pushNil();
            while (s.next(-2)) {
                s.pushValue(-2);
                write(s, r, scriptResp); // the key
                write(s, r, scriptResp); // the value
            }
            s.pop(2);
            return;
        }
        s.pop(1);
        if (rawField(s, "set") == LuaStack.TTABLE) {
            int count = 0;
            s.pushNil();
            while (s.next(-2)) {
                s.pop(1);
                count++;
            }
            r.setHeader(count);
            s.pushNil();
            while (s.next(-2)) {
                s.pop(1);
                s.pushValue(-1);
                write(s, r, scriptResp);
            }
            s.pop(2);
            return;
        }
        s.pop(1);
        // An array: elements 1, 2, ... up to the first nil.
        int count = 0;
        while (true) {
            s.rawGetI(-1, count + 1);
            boolean nil = s.type(-1) == LuaStack.TNIL;
            s.pop(1);
            if (nil) break;
            count++;
        }
        r.arrayHeader(count);
        for (int j = 1; j <= count; j++) {
            s.rawGetI(-1, j);
            write(s, r, scriptResp);
        }
        s.pop(1);
    }

    /** Pushes t[name] of the table on top, read raw; returns its type. */
    private static int rawField(LuaStack s, String name) { return rawFieldAt(s, name, -1); }

    private static int rawFieldAt(LuaStack s, String name, int table) {
        s.pushAscii(name);
        s.rawGet(table - 1);
        return s.type(-1);
    }

    /** An error reply: "-" then the message with CR and LF turned into blanks. */
    static void writeError(ByteBuf out, String msg) {
        out.writeByte('-');
        byte[] b = msg.getBytes(StandardCharsets.ISO_8859_1);
        int end = b.length;
        while (end > 0 && (b[end - 1] == '\r' || b[end - 1] == '\n')) end--;
        for (int i = 0; i < end; i++) out.writeByte(b[i] == '\r' || b[i] == '\n' ? ' ' : b[i]);
        out.writeByte('\r').writeByte('\n');
    }

    private static void writeMapped(ByteBuf out, byte[] b) {
        for (byte x : b) out.writeByte(x == '\r' || x == '\n' ? ' ' : x);
    }

    /** %.17g of a double as C prints it (Redis's number-to-argument conversion for redis.call). */
    static byte[] numberArg(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            if (d == 0 && 1 / d < 0) return "-0".getBytes(StandardCharsets.US_ASCII);
            return Long.toString((long) d).getBytes(StandardCharsets.US_ASCII);
        }
        return CFormat.g(d, 17).getBytes(StandardCharsets.US_ASCII);
    }
}
