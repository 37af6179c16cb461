package io.moon.node.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Redis's client-output-buffer-limit: "class hard soft seconds" groups for the classes normal,
 * replica (alias slave) and pubsub. A CONFIG SET names some classes and keeps the others
 * (Redis's updateClientOutputBufferLimit); the value is printed with every class, in bytes.
 */
final class OutputBufferLimits {
    private OutputBufferLimits() {}

    static String merge(String current, String update) throws ConfigError {
        String[] args = update.trim().isEmpty() ? new String[0] : update.trim().split("\\s+");
        if (args.length % 4 != 0) throw new ConfigError("Wrong number of arguments in buffer limit configuration.");
        Map<String, String> limits = parse(current);
        Map<String, String> changes = new LinkedHashMap<>();
        for (int j = 0; j < args.length; j += 4) {
            String cls = switch (args[j].toLowerCase(Locale.ROOT)) {
                case "normal" -> "normal";
                case "slave", "replica" -> "slave";
                case "pubsub" -> "pubsub";
                default -> throw new ConfigError("Invalid client class specified in buffer limit configuration.");
            };
            long hard = MemoryValue.parse(args[j + 1]), soft = MemoryValue.parse(args[j + 2]);
            long seconds;
            try {
                seconds = Long.parseLong(args[j + 3]);
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (hard < 0 || soft < 0 || seconds < 0 || seconds > Integer.MAX_VALUE
                    || args[j + 1].startsWith("-") || args[j + 2].startsWith("-")) {
                throw new ConfigError("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            changes.put(cls, hard + " " + soft + " " + seconds);
        }
        limits.putAll(changes);
        StringBuilder out = new StringBuilder();
        for (var e : limits.entrySet()) {
            if (!out.isEmpty()) out.append(' ');
            out.append(e.getKey()).append(' ').append(e.getValue());
        }
        return out.toString();
    }

    /** The current value, already canonical: class -> "hard soft seconds", in Redis's class order. */
    private static Map<String, String> parse(String canonical) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("normal", "0 0 0");
        m.put("slave", "268435456 67108864 60");
        m.put("pubsub", "33554432 8388608 60");
        String[] f = canonical.trim().split("\\s+");
        for (int j = 0; j + 3 < f.length; j += 4) m.put(f[j], f[j + 1] + " " + f[j + 2] + " " + f[j + 3]);
        return m;
    }
}
