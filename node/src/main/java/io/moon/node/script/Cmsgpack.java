package io.moon.node.script;

import java.io.ByteArrayOutputStream;

/**
 * The {@code cmsgpack} library Redis ships (lua_cmsgpack.c, lua-cmsgpack 0.4.0): MessagePack
 * pack and unpack of Lua values. Numbers that are whole 64-bit integers pack as integers, others
 * as float 32 when exact, else float 64; a table whose keys are exactly 1..n packs as an array,
 * any other as a map; tables nested deeper than 16 pack as nil (so cycles terminate).
 */
final class Cmsgpack {
    private Cmsgpack() {}

    private static final int MAX_NESTING = 16;

    static void push(LuaVm vm, LuaStack s) {
        s.newTable(0, 8);
        LuaLib.function(vm, s, "pack", Cmsgpack::pack);
        LuaLib.function(vm, s, "unpack", t -> unpackFull(t, 0, 0));
        LuaLib.function(vm, s, "unpack_one", t -> {
            long offset = LuaLib.optInteger(t, 2, "unpack_one", 0);
            t.setTop(1);
            return unpackFull(t, 1, offset);
        });
        LuaLib.function(vm, s, "unpack_limit", t -> {
            long limit = LuaLib.checkInteger(t, 2, "unpack_limit");
            long offset = LuaLib.optInteger(t, 3, "unpack_limit", 0);
            t.setTop(1);
            return unpackFull(t, limit, offset);
        });
        s.pushAscii("cmsgpack");
        s.setField(-2, "_NAME");
        s.pushAscii("lua-cmsgpack 0.4.0");
        s.setField(-2, "_VERSION");
        s.pushAscii("Copyright (C) 2012, Salvatore Sanfilippo");
        s.setField(-2, "_COPYRIGHT");
        s.pushAscii("MessagePack C implementation for Lua");
        s.setField(-2, "_DESCRIPTION");
    }

    // ---------------------------------------------------------------- pack

    private static int pack(LuaStack s) {
        int nargs = s.top();
        if (nargs == 0) throw LuaError.arg(0, "pack", "MessagePack pack needs input.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= nargs; i++) {
            s.pushValue(i);
            encode(s, out, 0);
        }
        s.pushBytes(out.toByteArray());
        return 1;
    }

    /** Encodes the value on top and pops it. */
    private static void encode(LuaStack s, ByteArrayOutputStream out, int level) {
        int t = s.type(-1);
        if (t == LuaStack.TTABLE && level == MAX_NESTING) t = LuaStack.TNIL;
        switch (t) {
            case LuaStack.TSTRING -> bytes(out, s.bytes(-1));
            case LuaStack.TBOOLEAN -> out.write(s.bool(-1) ? 0xc3 : 0xc2);
            case LuaStack.TNUMBER -> number(out, s.number(-1));
            case LuaStack.TTABLE -> table(s, out, level);
            default -> out.write(0xc0);
        }
        s.pop(1);
    }

    private static void bytes(ByteArrayOutputStream out, byte[] b) {
        int len = b.length;
        if (len < 32) out.write(0xa0 | len);
        else if (len <= 0xff) {
            out.write(0xd9);
            out.write(len);
        } else if (len <= 0xffff) {
            out.write(0xda);
            be(out, len, 2);
        } else {
            out.write(0xdb);
            be(out, len, 4);
        }
        out.write(b, 0, len);
    }

    private static void number(ByteArrayOutputStream out, double n) {
        if (!Double.isInfinite(n) && (double) LuaReplies.toLong(n) == n) {
            integer(out, LuaReplies.toLong(n));
            return;
        }
        float f = (float) n;
        if (n == (double) f) {
            out.write(0xca);
            be(out, Float.floatToRawIntBits(f) & 0xFFFFFFFFL, 4);
        } else {
            out.write(0xcb);
            be(out, Double.doubleToRawLongBits(n), 8);
        }
    }

    private static void integer(ByteArrayOutputStream out, long n) {
        if (n >= 0) {
            if (n <= 127) out.write((int) n);
            else if (n <= 0xff) {
                out.write(0xcc);
                out.write((int) n);
            } else if (n <= 0xffff) {
                out.write(0xcd);
                be(out, n, 2);
            } else if (n <= 0xffffffffL) {
                out.write(0xce);
                be(out, n, 4);
            } else {
                out.write(0xcf);
                be(out, n, 8);
            }
        } else {
            if (n >= -32) out.write((int) n & 0xff);
            else if (n >= -128) {
                out.write(0xd0);
                out.write((int) n & 0xff);
            } else if (n >= -32768) {
                out.write(0xd1);
                be(out, n, 2);
            } else if (n >= -2147483648L) {
                out.write(0xd2);
                be(out, n, 4);
            } else {
                out.write(0xd3);
                be(out, n, 8);
            }
        }
    }

    private static void be(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) out.write((int) (v >>> (8 * i)) & 0xff);
    }

    private static void table(LuaStack s, ByteArrayOutputStream out, int level) {
        if (isArray(s)) {
            long len = s.objLen(-1);
            header(out, len, 0x90, 0xdc, 0xdd);
            for (long j = 1; j <= len; j++) {
                s.rawGetI(-1, (int) j);
                encode(s, out, level + 1);
            }
            return;
        }
        long len = 0;
        s.pushNil();
        while (s.next(-2)) {
            s.pop(1);
            len++;
        }
        header(out, len, 0x80, 0xde, 0xdf);
        s.pushNil();
        while (s.next(-2)) {
            s.pushValue(-2);
            encode(s, out, level + 1); // the key
            encode(s, out, level + 1); // the value
        }
    }

    private static void header(ByteArrayOutputStream out, long n, int fix, int n16, int n32) {
        if (n <= 15) out.write(fix | (int) n);
        else if (n <= 65535) {
            out.write(n16);
            be(out, n, 2);
        } else {
            out.write(n32);
            be(out, n, 4);
        }
    }

    /** table_is_an_array: keys exactly 1..n. */
    private static boolean isArray(LuaStack s) {
        long count = 0, max = 0;
        s.pushNil();
        while (s.next(-2)) {
            s.pop(1);
            double k;
            if (s.type(-1) != LuaStack.TNUMBER || (k = s.number(-1)) <= 0 || k != (int) k) {
                s.pop(1);
                return false;
            }
            max = Math.max(max, (long) k);
            count++;
        }
        return max == count;
    }

    // ---------------------------------------------------------------- unpack

    private static final class Cursor {
        final byte[] b;
        int p;
        boolean eof, badFormat;

        Cursor(byte[] b, int p) {
            this.b = b;
            this.p = p;
        }

        int left() { return b.length - p; }

        boolean need(long n) {
            if (left() < n) {
                eof = true;
                return false;
            }
            return true;
        }

        int u8(int at) { return b[p + at] & 0xff; }

        long be(int at, int n) {
            long v = 0;
            for (int i = 0; i < n; i++) v = (v << 8) | u8(at + i);
            return v;
        }
    }

    private static int unpackFull(LuaStack s, long limit, long offset) {
        byte[] data = LuaLib.checkString(s, 1, limit == 0 && offset == 0 ? "unpack" : "unpack_one");
        boolean all = limit == 0 && offset == 0;
        if (offset < 0 || limit < 0) {
            throw new LuaError("Invalid request to unpack with offset of " + (int) offset + " and limit of "
                    + data.length + ".");
        }
        if (offset > data.length) {
            throw new LuaError("Start offset " + (int) offset + " greater than input length " + data.length + ".");
        }
        if (all) limit = Integer.MAX_VALUE;
        int base = s.top();
        Cursor c = new Cursor(data, (int) offset);
        for (int cnt = 0; c.left() > 0 && cnt < limit; cnt++) {
            if (!s.checkStack(2)) {
                throw new LuaError("too many return values at once; use unpack_one or unpack_limit instead.");
            }
            decode(s, c);
            if (c.eof) throw new LuaError("Missing bytes in input.");
            if (c.badFormat) throw new LuaError("Bad data format in input.");
        }
        if (!all) {
            s.pushNumber(c.left() == 0 ? -1 : c.p);
            s.insert(base + 1);
        }
        return s.top() - base;
    }

    /** Pushes the next value (nothing when the cursor fails). */
    private static void decode(LuaStack s, Cursor c) {
        if (!c.need(1)) return;
        s.checkStack(3);
        int t = c.u8(0);
        switch (t) {
            case 0xcc -> { if (c.need(2)) { s.pushNumber(c.u8(1)); c.p += 2; } }
            case 0xd0 -> { if (c.need(2)) { s.pushNumber((byte) c.u8(1)); c.p += 2; } }
            case 0xcd -> { if (c.need(3)) { s.pushNumber(c.be(1, 2)); c.p += 3; } }
            case 0xd1 -> { if (c.need(3)) { s.pushNumber((short) c.be(1, 2)); c.p += 3; } }
            case 0xce -> { if (c.need(5)) { s.pushNumber(c.be(1, 4)); c.p += 5; } }
            case 0xd2 -> { if (c.need(5)) { s.pushNumber((int) c.be(1, 4)); c.p += 5; } }
            case 0xcf -> {
                if (c.need(9)) {
                    long v = c.be(1, 8);
                    s.pushNumber(v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1));
                    c.p += 9;
                }
            }
            case 0xd3 -> { if (c.need(9)) { s.pushNumber(c.be(1, 8)); c.p += 9; } }
            case 0xc0 -> { s.pushNil(); c.p++; }
            case 0xc3 -> { s.pushBool(true); c.p++; }
            case 0xc2 -> { s.pushBool(false); c.p++; }
            case 0xca -> { if (c.need(5)) { s.pushNumber(Float.intBitsToFloat((int) c.be(1, 4))); c.p += 5; } }
            case 0xcb -> { if (c.need(9)) { s.pushNumber(Double.longBitsToDouble(c.be(1, 8))); c.p += 9; } }
            case 0xd9 -> { if (c.need(2)) string(s, c, 2, c.u8(1)); }
            case 0xda -> { if (c.need(3)) string(s, c, 3, c.be(1, 2)); }
            case 0xdb -> { if (c.need(5)) string(s, c, 5, c.be(1, 4)); }
            case 0xdc -> { if (c.need(3)) { long l = c.be(1, 2); c.p += 3; array(s, c, l); } }
            case 0xdd -> { if (c.need(5)) { long l = c.be(1, 4); c.p += 5; array(s, c, l); } }
            case 0xde -> { if (c.need(3)) { long l = c.be(1, 2); c.p += 3; map(s, c, l); } }
            case 0xdf -> { if (c.need(5)) { long l = c.be(1, 4); c.p += 5; map(s, c, l); } }
            default -> {
                if ((t & 0x80) == 0) {
                    s.pushNumber(t);
                    c.p++;
                } else if ((t & 0xe0) == 0xe0) {
                    s.pushNumber((byte) t);
                    c.p++;
                } else if ((t & 0xe0) == 0xa0) {
                    string(s, c, 1, t & 0x1f);
                } else if ((t & 0xf0) == 0x90) {
                    c.p++;
                    array(s, c, t & 0xf);
                } else if ((t & 0xf0) == 0x80) {
                    c.p++;
                    map(s, c, t & 0xf);
                } else {
                    c.badFormat = true;
                }
            }
        }
    }

    private static void string(LuaStack s, Cursor c, int header, long len) {
        if (!c.need(header + len)) return;
        s.pushBytes(c.b, c.p + header, (int) len);
        c.p += header + (int) len;
    }

    private static void array(LuaStack s, Cursor c, long len) {
        s.newTable((int) Math.min(len, 1 << 16), 0);
        for (long i = 1; i <= len; i++) {
            decode(s, c);
            if (c.eof || c.badFormat) return;
            s.rawSetI(-2, (int) i);
        }
    }

    private static void map(LuaStack s, Cursor c, long len) {
        s.newTable(0, (int) Math.min(len, 1 << 16));
        while (len-- > 0) {
            decode(s, c);
            if (c.eof || c.badFormat) return;
            decode(s, c);
            if (c.eof || c.badFormat) return;
            // A nil or NaN key cannot be stored (Lua would raise); the pair is dropped.
            int kt = s.type(-2);
            if (kt == LuaStack.TNIL || (kt == LuaStack.TNUMBER && Double.isNaN(s.number(-2)))) {
                s.pop(2);
                continue;
            }
            s.rawSet(-3);
        }
    }
}
