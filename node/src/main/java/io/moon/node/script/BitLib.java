package io.moon.node.script;

/**
 * The {@code bit} library Redis ships (LuaBitOp, lua_bit.c): 32-bit operations on numbers, whose
 * results are signed 32-bit values.
 */
final class BitLib {
    private BitLib() {}

    static void push(LuaVm vm, LuaStack s) {
        s.newTable(0, 12);
        LuaLib.function(vm, s, "tobit", t -> ret(t, barg(t, 1, "tobit")));
        LuaLib.function(vm, s, "bnot", t -> ret(t, ~barg(t, 1, "bnot")));
        LuaLib.function(vm, s, "band", t -> fold(t, "band", 0));
        LuaLib.function(vm, s, "bor", t -> fold(t, "bor", 1));
        LuaLib.function(vm, s, "bxor", t -> fold(t, "bxor", 2));
        LuaLib.function(vm, s, "lshift", t -> ret(t, barg(t, 1, "lshift") << (barg(t, 2, "lshift") & 31)));
        LuaLib.function(vm, s, "rshift", t -> ret(t, barg(t, 1, "rshift") >>> (barg(t, 2, "rshift") & 31)));
        LuaLib.function(vm, s, "arshift", t -> ret(t, barg(t, 1, "arshift") >> (barg(t, 2, "arshift") & 31)));
        LuaLib.function(vm, s, "rol", t -> ret(t, Integer.rotateLeft(barg(t, 1, "rol"), barg(t, 2, "rol") & 31)));
        LuaLib.function(vm, s, "ror", t -> ret(t, Integer.rotateRight(barg(t, 1, "ror"), barg(t, 2, "ror") & 31)));
        LuaLib.function(vm, s, "bswap", t -> ret(t, Integer.reverseBytes(barg(t, 1, "bswap"))));
        LuaLib.function(vm, s, "tohex", BitLib::tohex);
    }

    /**
     * barg: the number's low 32 bits after adding 2^52+2^51, which rounds it to an integer the
     * way the FPU does; a value that is not a number (and converts to 0) is an error.
     */
    static int barg(LuaStack s, int i, String fn) {
        double n = s.number(i) + 6755399441055744.0;
        int b = (int) Double.doubleToRawLongBits(n);
        if (b == 0 && !s.isNumber(i)) throw LuaError.arg(i, fn, "number expected, got " + LuaLib.typeName(s, i));
        return b;
    }

    private static int ret(LuaStack s, int b) {
        s.pushNumber(b);
        return 1;
    }

    private static int fold(LuaStack s, String fn, int op) {
        int b = barg(s, 1, fn);
        for (int i = s.top(); i > 1; i--) {
            int x = barg(s, i, fn);
            b = switch (op) {
                case 0 -> b & x;
                case 1 -> b | x;
                default -> b ^ x;
            };
        }
        return ret(s, b);
    }

    private static int tohex(LuaStack s) {
        int b = barg(s, 1, "tohex");
        int n = s.type(2) == LuaStack.TNONE ? 8 : barg(s, 2, "tohex");
        String digits = "0123456789abcdef";
        if (n < 0) {
            n = -n;
            digits = "0123456789ABCDEF";
        }
        if (n > 8 || n < 0) n = 8;
        char[] buf = new char[n];
        for (int i = n; --i >= 0; ) {
            buf[i] = digits.charAt(b & 15);
            b >>>= 4;
        }
        s.pushAscii(new String(buf));
        return 1;
    }
}
