package io.moon.node.persist.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.resps.Tuple;

/**
 * Test helpers over the value model: a canonical text of a value (order-free where Redis is
 * order-free, bytes escaped) for comparisons with readable diffs, and the value of a key read
 * back from a real server with ordinary commands.
 */
final class RdbValues {
    private RdbValues() {}

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static String text(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') sb.append((char) c);
            else sb.append(String.format("\\x%02x", c));
        }
        return sb.toString();
    }

    /** One text per value that two equal values share: sets and hashes sorted, scores exact. */
    static String canonical(RdbValue v) {
        return switch (v) {
            case RdbString s -> "string \"" + text(s.value()) + "\"";
            case RdbList l -> "list " + l.elements().stream().map(e -> "\"" + text(e) + "\"").toList();
            case RdbSet s -> "set " + s.members().stream().map(RdbValues::text).sorted().toList();
            case RdbZset z -> "zset " + z.entries().stream()
                    .map(e -> text(e.member()) + "=" + Double.toString(e.score())).sorted().toList();
            case RdbHash h -> "hash " + h.fields().stream()
                    .map(f -> text(f.field()) + "=" + text(f.value())).sorted().toList();
            case RdbStream s -> canonicalStream(s);
        };
    }

    private static String canonicalStream(RdbStream s) {
        StringBuilder sb = new StringBuilder("stream last=" + s.lastId() + " added=" + s.entriesAdded()
                + " maxdel=" + s.maxDeletedId() + " first=" + s.firstId() + "\n");
        for (RdbStream.Entry e : s.entries()) {
            sb.append("  ").append(e.id()).append(' ')
                    .append(e.fields().stream().map(f -> text(f.field()) + "=" + text(f.value())).toList()).append('\n');
        }
        List<RdbStream.Group> groups = new ArrayList<>(s.groups());
        groups.sort(Comparator.comparing(g -> text(g.name())));
        for (RdbStream.Group g : groups) {
            sb.append("  group ").append(text(g.name())).append(" last=").append(g.lastDeliveredId())
                    .append(" read=").append(g.entriesRead()).append('\n');
            Map<StreamId, String> owner = new HashMap<>();
            List<RdbStream.Consumer> consumers = new ArrayList<>(g.consumers());
            consumers.sort(Comparator.comparing(c -> text(c.name())));
            for (RdbStream.Consumer c : consumers) {
                for (StreamId id : c.pending()) owner.put(id, text(c.name()));
                sb.append("    consumer ").append(text(c.name())).append(" seen=").append(c.seenTimeMs())
                        .append(" pending=").append(c.pending().stream().sorted().toList()).append('\n');
            }
            g.pending().stream().sorted(Comparator.comparing(RdbStream.PendingEntry::id)).forEach(p -> sb
                    .append("    pel ").append(p.id()).append(" t=").append(p.deliveryTimeMs()).append(" n=")
                    .append(p.deliveryCount()).append(" owner=").append(owner.get(p.id())).append('\n'));
        }
        return sb.toString();
    }

    /** The value of {@code key} on a live server, read with TYPE and the type's read commands. */
    static RdbValue readBack(Jedis j, String key) {
        byte[] k = b(key);
        String type = j.type(key);
        return switch (type) {
            case "string" -> new RdbString(j.get(k));
            case "list" -> new RdbList(j.lrange(k, 0, -1));
            case "set" -> new RdbSet(new ArrayList<>(j.smembers(k)));
            case "zset" -> {
                List<RdbZset.Entry> entries = new ArrayList<>();
                for (Tuple t : j.zrangeWithScores(k, 0, -1)) entries.add(new RdbZset.Entry(t.getBinaryElement(), t.getScore()));
                yield new RdbZset(entries);
            }
            case "hash" -> {
                List<FieldValue> fields = new ArrayList<>();
                for (Map.Entry<byte[], byte[]> e : j.hgetAll(k).entrySet()) fields.add(new FieldValue(e.getKey(), e.getValue()));
                yield new RdbHash(fields);
            }
            case "stream" -> readStream(j, k);
            default -> throw new IllegalStateException("no key " + key + " (type " + type + ")");
        };
    }

    @SuppressWarnings("unchecked")
    private static RdbValue readStream(Jedis j, byte[] k) {
        List<Object> info = (List<Object>) j.sendCommand(Protocol.Command.XINFO, b("STREAM"), k, b("FULL"), b("COUNT"), b("0"));
        Map<String, Object> m = map(info);
        List<RdbStream.Entry> entries = new ArrayList<>();
        for (Object o : (List<Object>) m.get("entries")) {
            List<Object> e = (List<Object>) o;
            List<Object> flat = (List<Object>) e.get(1);
            List<FieldValue> fields = new ArrayList<>();
            for (int i = 0; i < flat.size(); i += 2) fields.add(new FieldValue((byte[]) flat.get(i), (byte[]) flat.get(i + 1)));
            entries.add(new RdbStream.Entry(id(e.get(0)), fields));
        }
        List<RdbStream.Group> groups = new ArrayList<>();
        for (Object go : (List<Object>) m.get("groups")) {
            Map<String, Object> g = map((List<Object>) go);
            List<RdbStream.PendingEntry> pel = new ArrayList<>();
            for (Object po : (List<Object>) g.get("pending")) {
                List<Object> p = (List<Object>) po;
                pel.add(new RdbStream.PendingEntry(id(p.get(0)), (Long) p.get(2), (Long) p.get(3)));
            }
            List<RdbStream.Consumer> consumers = new ArrayList<>();
            for (Object co : (List<Object>) g.get("consumers")) {
                Map<String, Object> c = map((List<Object>) co);
                List<StreamId> ids = new ArrayList<>();
                for (Object po : (List<Object>) c.get("pending")) ids.add(id(((List<Object>) po).get(0)));
                consumers.add(new RdbStream.Consumer((byte[]) c.get("name"), (Long) c.get("seen-time"), ids));
            }
            Object read = g.get("entries-read");
            groups.add(new RdbStream.Group((byte[]) g.get("name"), id(g.get("last-delivered-id")),
                    read == null ? -1 : (Long) read, pel, consumers));
        }
        return new RdbStream(entries, id(m.get("last-generated-id")), (Long) m.get("entries-added"),
                id(m.get("max-deleted-entry-id")), id(m.get("recorded-first-entry-id")), groups);
    }

    private static Map<String, Object> map(List<Object> flat) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < flat.size(); i += 2) m.put(new String((byte[]) flat.get(i), StandardCharsets.UTF_8), flat.get(i + 1));
        return m;
    }

    static StreamId id(Object o) {
        String s = new String((byte[]) o, StandardCharsets.US_ASCII);
        int dash = s.indexOf('-');
        return new StreamId(Long.parseUnsignedLong(s.substring(0, dash)), Long.parseUnsignedLong(s.substring(dash + 1)));
    }

    static boolean sameBytes(byte[] a, byte[] b) { return Arrays.equals(a, b); }

    /** Any command by name, for those Jedis has no constant for (DEBUG, XSETID...). */
    static Object call(Jedis j, String... args) {
        ProtocolCommand name = () -> args[0].getBytes(StandardCharsets.US_ASCII);
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return j.sendCommand(name, rest);
    }

    static Object call(Jedis j, byte[]... args) {
        byte[] first = args[0];
        ProtocolCommand name = () -> first;
        return j.sendCommand(name, Arrays.copyOfRange(args, 1, args.length));
    }
}
