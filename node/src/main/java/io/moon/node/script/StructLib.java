package io.moon.node.script;

import java.io.ByteArrayOutputStream;

/**
 * The {@code struct} library Redis ships (lua_struct.c): pack, unpack and size of binary records
 * described by a format string, with a 64-bit, little-endian host's sizes and alignment (as Redis
 * on x86-64 and arm64): b/B 1, h/H 2, i/I 4 (or in[n]), l/L and T 8, f 4, d 8, c[n] chars, s a
 * zero-terminated string, x a pad byte, &lt; &gt; endianness, ![n] alignment.
 */
final class StructLib {
    private StructLib() {}

    private static final int MAXINTSIZE = 32, MAXALIGN = 8;
    private static final boolean LITTLE = true;

    static void push(LuaVm vm, LuaStack s) {
        s.newTable(0, 3);
        LuaLib.function(vm, s, "pack", StructLib::pack);
        LuaLib.function(vm, s, "unpack", StructLib::unpack);
        LuaLib.function(vm, s, "size", StructLib::size);
    }

    /** The parse position in the format and the header options (endianness, alignment). */
    private static final class Format {
        final byte[] f;
        int p;
        boolean little = LITTLE;
        int align = 1;

        Format(byte[] f) { this.f = f; }

        boolean more() { return p < f.length && f[p] != 0; }

        int next() { return f[p++] & 0xff; }

        int num(int def) {
            if (p >= f.length || !Character.isDigit(f[p])) return def;
            int a = 0;
            do {
                int d = f[p] - '0';
                if (a > Integer.MAX_VALUE / 10 || a * 10 > Integer.MAX_VALUE - d) throw new LuaError("integral size overflow");
                a = a * 10 + d;
                p++;
            } while (p < f.length && Character.isDigit(f[p]));
            return a;
        }

        int optsize(int opt) {
            return switch (opt) {
                case 'B', 'b' -> 1;
                case 'H', 'h' -> 2;
                case 'L', 'l', 'T', 'd' -> 8;
                case 'f' -> 4;
                case 'x' -> 1;
                case 'c' -> num(1);
                case 'i', 'I' -> {
                    int sz = num(4);
                    if (sz > MAXINTSIZE) {
                        throw new LuaError("integral size " + sz + " is larger than limit of " + MAXINTSIZE);
                    }
                    yield sz;
                }
                default -> 0;
            };
        }

        int toAlign(long len, int opt, int size) {
            if (size == 0 || opt == 'c') return 0;
            if (size > align) size = align;
            return (int) ((size - (len & (size - 1))) & (size - 1));
        }

        void control(int opt, String fn) {
            switch (opt) {
                case ' ' -> { }
                case '>' -> little = false;
                case '<' -> little = true;
                case '!' -> {
                    int a = num(MAXALIGN);
                    if (a <= 0 || (a & (a - 1)) != 0) throw new LuaError("alignment " + a + " is not a power of 2");
                    align = a;
                }
                default -> throw LuaError.arg(1, fn, "invalid format option '" + (char) opt + "'");
            }
        }
    }

    private static int pack(LuaStack s) {
        Format fmt = new Format(LuaLib.checkString(s, 1, "pack"));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int arg = 2;
        long total = 0;
        while (fmt.more()) {
            int opt = fmt.next();
            int size = fmt.optsize(opt);
            int toalign = fmt.toAlign(total, opt, size);
            total += toalign;
            while (toalign-- > 0) b.write(0);
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double n = LuaLib.checkNumber(s, arg++, "pack");
                    long v = n < 0 ? LuaReplies.toLong(n) : unsignedOf(n);
                    putInteger(b, v, fmt.little, size);
                }
                case 'x' -> b.write(0);
                case 'f' -> {
                    float f = (float) LuaLib.checkNumber(s, arg++, "pack");
                    putInteger(b, Float.floatToRawIntBits(f) & 0xFFFFFFFFL, fmt.little, 4);
                }
                case 'd' -> {
                    double d = LuaLib.checkNumber(s, arg++, "pack");
                    putInteger(b, Double.doubleToRawLongBits(d), fmt.little, 8);
                }
                case 'c', 's' -> {
                    byte[] str = LuaLib.checkString(s, arg++, "pack");
                    if (size == 0) size = str.length;
                    if (str.length < size) throw LuaError.arg(arg, "pack", "string too short");
                    b.write(str, 0, size);
                    if (opt == 's') {
                        b.write(0);
                        size++;
                    }
                }
                default -> fmt.control(opt, "pack");
            }
            total += size;
        }
        s.pushBytes(b.toByteArray());
        return 1;
    }

    /** (unsigned long) of a non-negative double, as x86-64 converts it. */
    private static long unsignedOf(double n) {
        if (n < 0x1p63) return (long) n;
        if (n < 0x1p64) return (long) (n - 0x1p63) ^ Long.MIN_VALUE;
        return 0;
    }

    private static void putInteger(ByteArrayOutputStream b, long value, boolean little, int size) {
        byte[] buf = new byte[size];
        if (little) {
            for (int i = 0; i < size; i++) {
                buf[i] = (byte) value;
                value = i < 7 ? value >>> 8 : 0;
            }
        } else {
            for (int i = size - 1; i >= 0; i--) {
                buf[i] = (byte) value;
                value = size - 1 - i < 7 ? value >>> 8 : 0;
            }
        }
        b.write(buf, 0, size);
    }

    private static long getInteger(byte[] d, int pos, boolean little, boolean signed, int size) {
        long l = 0;
        if (!little) {
            for (int i = 0; i < size; i++) l = (l << 8) | (d[pos + i] & 0xff);
        } else {
            for (int i = size - 1; i >= 0; i--) l = (l << 8) | (d[pos + i] & 0xff);
        }
        if (!signed) return l;
        long mask = -1L << (size * 8 - 1);
        if ((l & mask) != 0) l |= mask;
        return l;
    }

    private static double unsignedToDouble(long l) {
        double d = (double) (l >>> 1) * 2.0 + (l & 1);
        return l >= 0 ? (double) l : d;
    }

    private static int unpack(LuaStack s) {
        Format fmt = new Format(LuaLib.checkString(s, 1, "unpack"));
        byte[] data = LuaLib.checkString(s, 2, "unpack");
        long ld = data.length;
        long pos = LuaLib.optInteger(s, 3, "unpack", 1);
        if (pos <= 0) throw LuaError.arg(3, "unpack", "offset must be 1 or greater");
        pos--;
        int base = s.top();
        int n = 0;
        while (fmt.more()) {
            int opt = fmt.next();
            int size = fmt.optsize(opt);
            pos += fmt.toAlign(pos, opt, size);
            if (!(size <= ld && pos <= ld - size)) throw LuaError.arg(2, "unpack", "data string too short");
            if (!s.checkStack(2)) throw new LuaError("stack overflow (too many results)");
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    boolean signed = Character.isLowerCase(opt);
                    long v = getInteger(data, (int) pos, fmt.little, signed, size);
                    s.pushNumber(signed ? (double) v : unsignedToDouble(v));
                    n++;
                }
                case 'x' -> { }
                case 'f' -> {
                    int bits = (int) getInteger(data, (int) pos, fmt.little, false, 4);
                    s.pushNumber(Float.intBitsToFloat(bits));
                    n++;
                }
                case 'd' -> {
                    long bits = getInteger(data, (int) pos, fmt.little, false, 8);
                    s.pushNumber(Double.longBitsToDouble(bits));
                    n++;
                }
                case 'c' -> {
                    if (size == 0) {
                        if (n == 0 || !s.isNumber(-1)) throw new LuaError("format 'c0' needs a previous size");
                        size = (int) LuaReplies.toLong(s.number(-1));
                        s.pop(1);
                        n--;
                        if (!(size >= 0 && size <= ld && pos <= ld - size)) {
                            throw LuaError.arg(2, "unpack", "data string too short");
                        }
                    }
                    s.pushBytes(data, (int) pos, size);
                    n++;
                }
                case 's' -> {
                    int e = -1;
                    for (int i = (int) pos; i < data.length; i++) {
                        if (data[i] == 0) {
                            e = i;
                            break;
                        }
                    }
                    if (e < 0) throw new LuaError("unfinished string in data");
                    size = e - (int) pos + 1;
                    s.pushBytes(data, (int) pos, size - 1);
                    n++;
                }
                default -> fmt.control(opt, "unpack");
            }
            pos += size;
        }
        s.pushNumber(pos + 1);
        return s.top() - base;
    }

    private static int size(LuaStack s) {
        Format fmt = new Format(LuaLib.checkString(s, 1, "size"));
        long pos = 0;
        while (fmt.more()) {
            int opt = fmt.next();
            int size = fmt.optsize(opt);
            pos += fmt.toAlign(pos, opt, size);
            if (opt == 's') throw LuaError.arg(1, "size", "option 's' has no fixed size");
            if (opt == 'c' && size == 0) throw LuaError.arg(1, "size", "option 'c0' has no fixed size");
            if (!Character.isLetterOrDigit(opt)) fmt.control(opt, "size");
            pos += size;
        }
        s.pushNumber(pos);
        return 1;
    }
}
