package io.moon.node.store;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Object sizes of the running JVM, for used_memory accounting. With compact object headers
 * (JDK 25, -XX:+UseCompactObjectHeaders) an array costs 12 bytes of header instead of 16 and an
 * object 8 instead of 12; everything is 8-byte aligned.
 */
public final class Jvm {
    private Jvm() {}

    public static final boolean COMPACT_HEADERS = vmFlag("UseCompactObjectHeaders");
    private static final int ARRAY_HEADER = COMPACT_HEADERS ? 12 : 16;

    public static long arraySize(int bytes) { return align(ARRAY_HEADER + (long) bytes); }

    public static long arraySize(int elements, int elementSize) {
        return align(ARRAY_HEADER + (long) elements * elementSize);
    }

    /** An object with {@code fieldBytes} of fields (header included in the estimate). */
    public static long objectSize(int fieldBytes) { return align((COMPACT_HEADERS ? 8 : 12) + (long) fieldBytes); }

    static long align(long n) { return (n + 7) & ~7L; }

    private static boolean vmFlag(String name) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return Boolean.parseBoolean(bean.getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
