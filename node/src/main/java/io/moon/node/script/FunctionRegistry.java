package io.moon.node.script;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of libraries and the functions they define (functions.c functionsLibCtx): library names
 * are case-sensitive, function names are not and are unique across libraries. The node's current
 * set lives in {@link Scripting}; FUNCTION RESTORE builds a new one before joining it.
 *
 * <p>Owned by the script thread; {@link #libraryCount()}, {@link #functionCount()} and
 * {@link #codes()} are kept in volatile fields for INFO, FUNCTION STATS and snapshots on other
 * threads.
 */
final class FunctionRegistry {
    final Map<String, FunctionLibrary> libraries = new LinkedHashMap<>();
    /** Read from any thread too (CLIENT PAUSE asks whether a function may write). */
    final Map<String, FunctionLibrary.Function> functions = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile int libraryCount, functionCount;
    private volatile List<byte[]> codes = List.of();

    FunctionLibrary.Function function(String name) { return functions.get(ScriptFlags.fold(name)); }

    void link(FunctionLibrary lib) {
        for (FunctionLibrary.Function f : lib.functions.values()) functions.put(ScriptFlags.fold(f.name), f);
        libraries.put(lib.name, lib);
        counts();
    }

    void unlink(FunctionLibrary lib) {
        for (FunctionLibrary.Function f : lib.functions.values()) functions.remove(ScriptFlags.fold(f.name));
        libraries.remove(lib.name);
        counts();
    }

    void clear() {
        libraries.clear();
        functions.clear();
        counts();
    }

    private void counts() {
        libraryCount = libraries.size();
        functionCount = functions.size();
        codes = libraries.values().stream().map(lib -> lib.code).toList();
    }

    int libraryCount() { return libraryCount; }

    int functionCount() { return functionCount; }

    /** Every library's code, in load order. */
    List<byte[]> codes() { return codes; }
}
