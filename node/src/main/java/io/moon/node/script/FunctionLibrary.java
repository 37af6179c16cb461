package io.moon.node.script;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A function library (functions.c functionLibInfo): its name, engine, code and the functions it
 * registered. Each function's Lua callback lives in the functions engine's registry under
 * {@link Function#ref}.
 */
final class FunctionLibrary {
    /** One registered function (functionInfo). */
    static final class Function {
        final String name;
        final String description;
        final int flags;
        final int ref;
        final FunctionLibrary library;

        Function(String name, String description, int flags, int ref, FunctionLibrary library) {
            this.name = name;
            this.description = description;
            this.flags = flags;
            this.ref = ref;
            this.library = library;
        }
    }

    final String name;
    final String engine;
    final byte[] code;
    /** By name, case-sensitive within the library, in registration order. */
    final Map<String, Function> functions = new LinkedHashMap<>();

    FunctionLibrary(String name, String engine, byte[] code) {
        this.name = name;
        this.engine = engine;
        this.code = code;
    }
}
