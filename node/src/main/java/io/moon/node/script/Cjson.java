package io.moon.node.script;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code cjson} library Redis ships (lua_cjson.c, Lua CJSON 2.1.0): JSON encode and decode
 * of Lua values and its settings. Encoding: a table whose keys are all positive integers is an
 * array (sparse ones per encode_sparse_array), other tables are objects with string or number
 * keys, an empty table is {}, cjson.null and nil are null, numbers are %.14g. Decoding: objects
 * and arrays become tables, null becomes cjson.null (a NULL light userdata).
 *
 * <p>The settings are per Lua state, as each state loads its own copy of the library.
 */
final class Cjson {
    private Cjson() {}

    /** The library's settings (json_config_t), with Redis's defaults. */
    private static final class Config {
        int sparseConvert = 0, sparseRatio = 2, sparseSafe = 10;
        int encodeMaxDepth = 1000, decodeMaxDepth = 1000;
        int encodeInvalidNumbers = 0; // 1: encode as inf/nan, 2: as null
        int decodeInvalidNumbers = 1;
        int encodeKeepBuffer = 1;
        int encodePrecision = 14;
    }

    static void push(LuaVm vm, LuaStack s) {
        Config cfg = new Config();
        s.newTable(0, 12);
        LuaLib.function(vm, s, "encode", t -> encode(t, cfg));
        LuaLib.function(vm, s, "decode", t -> decode(t, cfg));
        LuaLib.function(vm, s, "encode_sparse_array", t -> {
            args(t, 3, "encode_sparse_array");
            boolOption(t, 1, "encode_sparse_array", v -> cfg.sparseConvert = v, cfg.sparseConvert);
            intOption(t, 2, "encode_sparse_array", 0, Integer.MAX_VALUE, v -> cfg.sparseRatio = v, cfg.sparseRatio);
            intOption(t, 3, "encode_sparse_array", 0, Integer.MAX_VALUE, v -> cfg.sparseSafe = v, cfg.sparseSafe);
            return 3;
        });
        LuaLib.function(vm, s, "encode_max_depth", t -> {
            args(t, 1, "encode_max_depth");
            return intOption(t, 1, "encode_max_depth", 1, Integer.MAX_VALUE, v -> cfg.encodeMaxDepth = v, cfg.encodeMaxDepth);
        });
        LuaLib.function(vm, s, "decode_max_depth", t -> {
            args(t, 1, "decode_max_depth");
            return intOption(t, 1, "decode_max_depth", 1, Integer.MAX_VALUE, v -> cfg.decodeMaxDepth = v, cfg.decodeMaxDepth);
        });
        LuaLib.function(vm, s, "encode_number_precision", t -> {
            args(t, 1, "encode_number_precision");
            return intOption(t, 1, "encode_number_precision", 1, 14, v -> cfg.encodePrecision = v, cfg.encodePrecision);
        });
        LuaLib.function(vm, s, "encode_keep_buffer", t -> {
            args(t, 1, "encode_keep_buffer");
            return boolOption(t, 1, "encode_keep_buffer", v -> cfg.encodeKeepBuffer = v, cfg.encodeKeepBuffer);
        });
        LuaLib.function(vm, s, "encode_invalid_numbers", t -> {
            args(t, 1, "encode_invalid_numbers");
            return enumOption(t, 1, "encode_invalid_numbers", v -> cfg.encodeInvalidNumbers = v, cfg.encodeInvalidNumbers);
        });
        LuaLib.function(vm, s, "decode_invalid_numbers", t -> {
            args(t, 1, "decode_invalid_numbers");
            return boolOption(t, 1, "decode_invalid_numbers", v -> cfg.decodeInvalidNumbers = v, cfg.decodeInvalidNumbers);
        });
        LuaLib.function(vm, s, "new", t -> {
            push(vm, t);
            return 1;
        });
        s.pushNull();
        s.setField(-2, "null");
        s.pushAscii("cjson");
        s.setField(-2, "_NAME");
        s.pushAscii("2.1.0");
        s.setField(-2, "_VERSION");
    }

    // ---------------------------------------------------------------- settings

    private interface IntSetter { void set(int v); }

    /** json_arg_init: at most n arguments, missing ones read as nil. */
    private static void args(LuaStack s, int n, String fn) {
        if (s.top() > n) throw LuaError.arg(n + 1, fn, "found too many arguments");
        while (s.top() < n) s.pushNil();
    }

    private static int intOption(LuaStack s, int i, String fn, int min, int max, IntSetter set, int current) {
        int value = current;
        if (s.type(i) != LuaStack.TNIL) {
            long v = LuaLib.checkInteger(s, i, fn);
            if (v < min || v > max) throw LuaError.arg(1, fn, "expected integer between " + min + " and " + max);
            value = (int) v;
            set.set(value);
        }
        s.pushNumber(value);
        return 1;
    }

    private static int boolOption(LuaStack s, int i, String fn, IntSetter set, int current) {
        int value = current;
        if (s.type(i) != LuaStack.TNIL) {
            if (s.type(i) == LuaStack.TBOOLEAN) value = s.bool(i) ? 1 : 0;
            else value = checkOption(s, i, fn, new String[] {"off", "on"});
            set.set(value);
        }
        s.pushBool(value != 0);
        return 1;
    }

    /** encode_invalid_numbers: true/false or "off", "on", "null". */
    private static int enumOption(LuaStack s, int i, String fn, IntSetter set, int current) {
        String[] options = {"off", "on", "null"};
        int value = current;
        if (s.type(i) != LuaStack.TNIL) {
            if (s.type(i) == LuaStack.TBOOLEAN) value = s.bool(i) ? 1 : 0;
            else value = checkOption(s, i, fn, options);
            set.set(value);
        }
        if (value == 0 || value == 1) s.pushBool(value == 1);
        else s.pushAscii(options[value]);
        return 1;
    }

    /** luaL_checkoption. */
    private static int checkOption(LuaStack s, int i, String fn, String[] options) {
        String name = new String(LuaLib.checkString(s, i, fn), StandardCharsets.UTF_8);
        for (int k = 0; k < options.length; k++) if (options[k].equals(name)) return k;
        throw LuaError.arg(i, fn, "invalid option '" + name + "'");
    }

    // ---------------------------------------------------------------- encode

    private static final String[] ESCAPES = new String[256];

    static {
        for (int c = 0; c < 32; c++) ESCAPES[c] = String.format("\\u%04x", c);
        ESCAPES['\b'] = "\\b";
        ESCAPES['\t'] = "\\t";
        ESCAPES['\n'] = "\\n";
        ESCAPES['\f'] = "\\f";
        ESCAPES['\r'] = "\\r";
        ESCAPES['"'] = "\\\"";
        ESCAPES['\\'] = "\\\\";
        ESCAPES['/'] = "\\/";
        ESCAPES[127] = "\\u007f";
    }

    private static int encode(LuaStack s, Config cfg) {
        if (s.top() != 1) throw LuaError.arg(1, "encode", "expected 1 argument");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        append(s, cfg, 0, out);
        s.pushBytes(out.toByteArray());
        return 1;
    }

    private static void exception(LuaStack s, int index, String reason) {
        throw new LuaError("Cannot serialise " + LuaLib.typeName(s, index) + ": " + reason);
    }

    /** json_append_data for the value on top (left in place). */
    private static void append(LuaStack s, Config cfg, int depth, ByteArrayOutputStream out) {
        switch (s.type(-1)) {
            case LuaStack.TSTRING -> string(out, s.bytes(-1));
            case LuaStack.TNUMBER -> number(s, cfg, out, -1);
            case LuaStack.TBOOLEAN -> ascii(out, s.bool(-1) ? "true" : "false");
            case LuaStack.TTABLE -> {
                depth++;
                if (depth > cfg.encodeMaxDepth || !s.checkStack(3)) {
                    throw new LuaError("Cannot serialise, excessive nesting (" + depth + ")");
                }
                int len = arrayLength(s, cfg);
                if (len > 0) array(s, cfg, depth, out, len);
                else object(s, cfg, depth, out);
            }
            case LuaStack.TNIL -> ascii(out, "null");
            case LuaStack.TLIGHTUSERDATA -> {
                if (s.toPointer(-1) == 0) ascii(out, "null");
                else exception(s, -1, "type not supported");
            }
            default -> exception(s, -1, "type not supported");
        }
    }

    private static void string(ByteArrayOutputStream out, byte[] b) {
        out.write('"');
        for (byte x : b) {
            String esc = ESCAPES[x & 0xff];
            if (esc != null) ascii(out, esc);
            else out.write(x);
        }
        out.write('"');
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        for (int i = 0; i < s.length(); i++) out.write(s.charAt(i));
    }

    private static void number(LuaStack s, Config cfg, ByteArrayOutputStream out, int index) {
        double n = s.number(index);
        boolean invalid = Double.isInfinite(n) || Double.isNaN(n);
        if (cfg.encodeInvalidNumbers == 0) {
            if (invalid) exception(s, index, "must not be NaN or Inf");
        } else if (cfg.encodeInvalidNumbers == 1) {
            if (Double.isNaN(n)) {
                ascii(out, "nan");
                return;
            }
        } else if (invalid) {
            ascii(out, "null");
            return;
        }
        ascii(out, CFormat.g(n, cfg.encodePrecision));
    }

    /** lua_array_length: the array size, or -1 for an object (0 for an empty table: an object). */
    private static int arrayLength(LuaStack s, Config cfg) {
        long max = 0;
        int items = 0;
        s.pushNil();
        while (s.next(-2)) {
            double k;
            if (s.type(-2) == LuaStack.TNUMBER && (k = s.number(-2)) != 0 && Math.floor(k) == k && k >= 1) {
                if (k > max) max = (long) k;
                items++;
                s.pop(1);
                continue;
            }
            s.pop(2);
            return -1;
        }
        if (cfg.sparseRatio > 0 && max > (long) items * cfg.sparseRatio && max > cfg.sparseSafe) {
            if (cfg.sparseConvert == 0) exception(s, -1, "excessively sparse array");
            return -1;
        }
        return (int) Math.min(max, Integer.MAX_VALUE);
    }

    private static void array(LuaStack s, Config cfg, int depth, ByteArrayOutputStream out, int len) {
        out.write('[');
        for (int i = 1; i <= len; i++) {
            if (i > 1) out.write(',');
            s.rawGetI(-1, i);
            append(s, cfg, depth, out);
            s.pop(1);
        }
        out.write(']');
    }

    private static void object(LuaStack s, Config cfg, int depth, ByteArrayOutputStream out) {
        out.write('{');
        boolean comma = false;
        s.pushNil();
        while (s.next(-2)) {
            if (comma) out.write(',');
            comma = true;
            int kt = s.type(-2);
            if (kt == LuaStack.TNUMBER) {
                out.write('"');
                number(s, cfg, out, -2);
                ascii(out, "\":");
            } else if (kt == LuaStack.TSTRING) {
                string(out, s.bytes(-2));
                out.write(':');
            } else {
                exception(s, -2, "table key must be a number or string");
            }
            append(s, cfg, depth, out);
            s.pop(1);
        }
        out.write('}');
    }

    // ---------------------------------------------------------------- decode

    private static final String[] TOKEN_NAMES = {"T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END",
        "T_STRING", "T_NUMBER", "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END"};
    private static final int OBJ_BEGIN = 0, OBJ_END = 1, ARR_BEGIN = 2, ARR_END = 3, STRING = 4, NUMBER = 5,
            BOOLEAN = 6, NULL = 7, COLON = 8, COMMA = 9, END = 10, ERROR = 11;

    /** One token of the input (json_token_t). */
    private static final class Token {
        int type;
        int index;
        byte[] string;
        double number;
        boolean bool;
        String error;
    }

    private static final class Parser {
        final byte[] d;
        final Config cfg;
        int p;
        int depth;

        Parser(byte[] d, Config cfg) {
            this.d = d;
            this.cfg = cfg;
        }

        /** The byte at i, or 0 past the end: the C parser reads a NUL-terminated string. */
        int at(int i) { return i < d.length ? d[i] & 0xff : 0; }

        void next(Token t) {
            while (true) {
                int ch = at(p);
                if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
                    p++;
                    continue;
                }
                break;
            }
            t.index = p;
            int ch = at(p);
            switch (ch) {
                case '{' -> { t.type = OBJ_BEGIN; p++; return; }
                case '}' -> { t.type = OBJ_END; p++; return; }
                case '[' -> { t.type = ARR_BEGIN; p++; return; }
                case ']' -> { t.type = ARR_END; p++; return; }
                case ',' -> { t.type = COMMA; p++; return; }
                case ':' -> { t.type = COLON; p++; return; }
                case 0 -> { t.type = END; return; }
                default -> { }
            }
            if (ch == '"') {
                stringToken(t);
            } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
                if (cfg.decodeInvalidNumbers == 0 && invalidNumber()) error(t, "invalid number");
                else numberToken(t);
            } else if (startsWith("true")) {
                t.type = BOOLEAN;
                t.bool = true;
                p += 4;
            } else if (startsWith("false")) {
                t.type = BOOLEAN;
                t.bool = false;
                p += 5;
            } else if (startsWith("null")) {
                t.type = NULL;
                p += 4;
            } else if (cfg.decodeInvalidNumbers != 0 && (ch == 'i' || ch == 'I' || ch == 'n' || ch == 'N' || ch == '+')
                    && invalidNumber()) {
                numberToken(t);
            } else {
                error(t, "invalid token");
            }
        }

        boolean startsWith(String w) {
            for (int i = 0; i < w.length(); i++) if (at(p + i) != w.charAt(i)) return false;
            return true;
        }

        void error(Token t, String what) {
            t.type = ERROR;
            t.index = p;
            t.error = what;
        }

        /** json_is_invalid_number: '+', hex, a leading zero, inf or nan. */
        boolean invalidNumber() {
            int q = p;
            if (at(q) == '+') return true;
            if (at(q) == '-') q++;
            if (at(q) == '0') {
                int ch2 = at(q + 1);
                return (ch2 | 0x20) == 'x' || (ch2 >= '0' && ch2 <= '9');
            } else if (at(q) <= '9') {
                return false;
            }
            return regionIgnoreCase(q, "inf") || regionIgnoreCase(q, "nan");
        }

        boolean regionIgnoreCase(int q, String w) {
            for (int i = 0; i < w.length(); i++) if (Character.toLowerCase(at(q + i)) != w.charAt(i)) return false;
            return true;
        }

        void numberToken(Token t) {
            int end = Strtod.scan(d, p);
            if (end == p) {
                error(t, "invalid number");
                return;
            }
            t.type = NUMBER;
            t.number = Strtod.value(d, p, end);
            p = end;
        }

        void stringToken(Token t) {
            p++;
            ByteArrayOutputStream tmp = new ByteArrayOutputStream();
            int ch;
            while ((ch = at(p)) != '"') {
                if (ch == 0) {
                    error(t, "unexpected end of string");
                    return;
                }
                if (ch == '\\') {
                    int e = at(p + 1);
                    int c = switch (e) {
                        case '"' -> '"';
                        case '\\' -> '\\';
                        case '/' -> '/';
                        case 'b' -> '\b';
                        case 't' -> '\t';
                        case 'n' -> '\n';
                        case 'f' -> '\f';
                        case 'r' -> '\r';
                        case 'u' -> 'u';
                        default -> 0;
                    };
                    if (c == 'u') {
                        if (unicodeEscape(tmp)) continue;
                        error(t, "invalid unicode escape code");
                        return;
                    }
                    if (c == 0) {
                        error(t, "invalid escape code");
                        return;
                    }
                    p++;
                    ch = c;
                }
                tmp.write(ch);
                p++;
            }
            p++;
            t.type = STRING;
            t.string = tmp.toByteArray();
        }

        int hex4(int at) {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int c = at(at + i);
                int dgt = Character.digit(c, 16);
                if (dgt < 0) return -1;
                v = (v << 4) | dgt;
            }
            return v;
        }

        boolean unicodeEscape(ByteArrayOutputStream tmp) {
            int cp = hex4(p + 2);
            int len = 6;
            if (cp < 0) return false;
            if ((cp & 0xF800) == 0xD800) {
                if ((cp & 0x400) != 0) return false;
                if (at(p + 6) != '\\' || at(p + 7) != 'u') return false;
                int low = hex4(p + 8);
                if (low < 0 || (low & 0xFC00) != 0xDC00) return false;
                cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
                len = 12;
            }
            if (cp <= 0x7F) tmp.write(cp);
            else if (cp <= 0x7FF) {
                tmp.write((cp >> 6) | 0xC0);
                tmp.write((cp & 0x3F) | 0x80);
            } else if (cp <= 0xFFFF) {
                tmp.write((cp >> 12) | 0xE0);
                tmp.write(((cp >> 6) & 0x3F) | 0x80);
                tmp.write((cp & 0x3F) | 0x80);
            } else {
                tmp.write((cp >> 18) | 0xF0);
                tmp.write(((cp >> 12) & 0x3F) | 0x80);
                tmp.write(((cp >> 6) & 0x3F) | 0x80);
                tmp.write((cp & 0x3F) | 0x80);
            }
            p += len;
            return true;
        }
    }

    private static int decode(LuaStack s, Config cfg) {
        if (s.top() != 1) throw LuaError.arg(1, "decode", "expected 1 argument");
        byte[] data = LuaLib.checkString(s, 1, "decode");
        if (data.length >= 2 && (data[0] == 0 || data[1] == 0)) {
            throw new LuaError("JSON parser does not support UTF-16 or UTF-32");
        }
        Parser json = new Parser(data, cfg);
        Token t = new Token();
        json.next(t);
        value(s, json, t);
        json.next(t);
        if (t.type != END) parseError(json, "the end", t);
        return 1;
    }

    private static void parseError(Parser json, String expected, Token t) {
        String found = t.type == ERROR ? t.error : TOKEN_NAMES[t.type];
        throw new LuaError("Expected " + expected + " but found " + found + " at character " + (t.index + 1));
    }

    private static void descend(LuaStack s, Parser json, int slots) {
        json.depth++;
        if (json.depth <= json.cfg.decodeMaxDepth && s.checkStack(slots)) return;
        throw new LuaError("Found too many nested data structures (" + json.depth + ") at character " + json.p);
    }

    private static void value(LuaStack s, Parser json, Token t) {
        switch (t.type) {
            case STRING -> s.pushBytes(t.string);
            case NUMBER -> s.pushNumber(t.number);
            case BOOLEAN -> s.pushBool(t.bool);
            case OBJ_BEGIN -> object(s, json);
            case ARR_BEGIN -> array(s, json);
            case NULL -> s.pushNull();
            default -> parseError(json, "value", t);
        }
    }

    private static void object(LuaStack s, Parser json) {
        Token t = new Token();
        descend(s, json, 3);
        s.newTable(0, 0);
        json.next(t);
        if (t.type == OBJ_END) {
            json.depth--;
            return;
        }
        while (true) {
            if (t.type != STRING) parseError(json, "object key string", t);
            s.pushBytes(t.string);
            json.next(t);
            if (t.type != COLON) parseError(json, "colon", t);
            json.next(t);
            value(s, json, t);
            s.rawSet(-3);
            json.next(t);
            if (t.type == OBJ_END) {
                json.depth--;
                return;
            }
            if (t.type != COMMA) parseError(json, "comma or object end", t);
            json.next(t);
        }
    }

    private static void array(LuaStack s, Parser json) {
        Token t = new Token();
        descend(s, json, 2);
        s.newTable(0, 0);
        json.next(t);
        if (t.type == ARR_END) {
            json.depth--;
            return;
        }
        for (int i = 1; ; i++) {
            value(s, json, t);
            s.rawSetI(-2, i);
            json.next(t);
            if (t.type == ARR_END) {
                json.depth--;
                return;
            }
            if (t.type != COMMA) parseError(json, "comma or array end", t);
            json.next(t);
        }
    }
}
