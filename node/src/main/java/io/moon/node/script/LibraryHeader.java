package io.moon.node.script;

import io.moon.node.command.RedisError;
import java.util.List;

/**
 * The first line of a function library, {@code #!<engine> name=<library>}
 * (functions.c functionExtractLibMetaData); the code after it keeps the line feed, so line
 * numbers in errors match the text the user loaded.
 */
record LibraryHeader(String engine, String name, int codeOffset) {
    static LibraryHeader parse(byte[] code) {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') throw new RedisError("ERR Missing library metadata");
        int end = -1;
        for (int i = 0; i < code.length; i++) {
            if (code[i] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) throw new RedisError("ERR Invalid library metadata");
        List<String> parts = ScriptFlags.splitArgs(code, end);
        if (parts == null || parts.isEmpty()) throw new RedisError("ERR Invalid library metadata");
        String engine = parts.get(0).substring(2);
        String name = null;
        for (int i = 1; i < parts.size(); i++) {
            String part = parts.get(i);
            if (part.regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    throw new RedisError("ERR Invalid metadata value, name argument was given multiple times");
                }
                name = part.substring(5);
                continue;
            }
            throw new RedisError("ERR Invalid metadata value given: " + part);
        }
        if (name == null) throw new RedisError("ERR Library name was not given");
        return new LibraryHeader(engine, name, end);
    }
}
