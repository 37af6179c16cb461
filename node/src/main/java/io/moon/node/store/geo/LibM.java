package io.moon.node.store.geo;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * sin, cos and asin from the platform's C math library (called through the foreign function
 * API), or from {@link StrictMath} when it cannot be called.
 *
 * <p>Why not StrictMath alone: redis-server computes geo distances and search boxes with libm,
 * and glibc's results differ from fdlibm's in the last bit for about 3% of sines and cosines and
 * 6% of arcsines over the ranges geo uses (measured over two million arguments). One bit is
 * enough to change the fourth decimal of a GEODIST now and then, or the side of a radius a point
 * falls on. Calling the same libm as redis-server gives the same bits; each call costs a few
 * nanoseconds more than StrictMath.
 */
final class LibM {
    private LibM() {}

    private static final MethodHandle SIN = bind("sin"), COS = bind("cos"), ASIN = bind("asin");

    private static MethodHandle bind(String name) {
        try {
            Linker linker = Linker.nativeLinker();
            Optional<MemorySegment> symbol = linker.defaultLookup().find(name);
            if (symbol.isEmpty()) return null;
            // critical: a pure function that neither blocks nor calls back, so no thread-state switch.
            return linker.downcallHandle(symbol.get(),
                    FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, ValueLayout.JAVA_DOUBLE), Linker.Option.critical(false));
        } catch (Throwable e) { // no native access allowed, or no such platform support
            return null;
        }
    }

    /** True when the C library is called, false when StrictMath stands in. */
    static boolean isNative() { return SIN != null && COS != null && ASIN != null; }

    static double sin(double x) { return SIN == null ? StrictMath.sin(x) : call(SIN, x); }

    static double cos(double x) { return COS == null ? StrictMath.cos(x) : call(COS, x); }

    static double asin(double x) { return ASIN == null ? StrictMath.asin(x) : call(ASIN, x); }

    private static double call(MethodHandle f, double x) {
        try {
            return (double) f.invokeExact(x);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
