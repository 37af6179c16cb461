package io.moon.node.command;

import io.moon.node.protocol.CommandBuffer;
import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.SortedSetValue;
import io.moon.node.store.geo.GeoDistance;
import io.moon.node.store.geo.GeoHash;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The geo family (Redis 7.0's geo.c): places kept in a sorted set, each member's score the
 * 52-bit geohash of its longitude and latitude ({@link GeoHash}), so every sorted-set command
 * works on a geo key and TYPE says zset. This class holds the rows, GEOADD, GEODIST, GEOHASH and
 * GEOPOS, and the argument and reply helpers the searches share; GEOSEARCH, GEOSEARCHSTORE and
 * the GEORADIUS commands are in {@link GeoSearch}.
 */
public final class GeoCommands {
    private GeoCommands() {}

    static final String UNKNOWN_UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI";

    private static final String SEARCH_COMPLEXITY = "O(N+log(M)) where N is the number of elements inside the bounding"
            + " box of the circular area delimited by center and radius and M is the number of items inside the index.";
    private static final String GEOSEARCH_COMPLEXITY = "O(N+log(M)) where N is the number of elements in the grid-aligned"
            + " bounding box area around the shape provided as the filter and M is the number of items inside the shape";

    static void register(CommandTable t) {
        t.add(new CommandSpec("geoadd", -5, "write denyoom", 1, 1, 1, "@geo", GeoCommands::geoadd)
                .keyFlags("RW update")
                .doc("geo", "3.2.0", "Add one or more geospatial items in the geospatial index represented using a sorted set")
                .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set."));
        t.add(new CommandSpec("geodist", -4, "readonly", 1, 1, 1, "@geo", GeoCommands::geodist)
                .keyFlags("RO access")
                .doc("geo", "3.2.0", "Returns the distance between two members of a geospatial index")
                .complexity("O(log(N))"));
        t.add(new CommandSpec("geohash", -2, "readonly", 1, 1, 1, "@geo", GeoCommands::geohash)
                .keyFlags("RO access")
                .doc("geo", "3.2.0", "Returns members of a geospatial index as standard geohash strings")
                .complexity("O(log(N)) for each member requested, where N is the number of elements in the sorted set."));
        t.add(new CommandSpec("geopos", -2, "readonly", 1, 1, 1, "@geo", GeoCommands::geopos)
                .keyFlags("RO access")
                .doc("geo", "3.2.0", "Returns longitude and latitude of members of a geospatial index")
                .complexity("O(N) where N is the number of members requested."));
        t.add(new CommandSpec("georadius", -6, "write denyoom", 1, 1, 1, "@geo",
                c -> GeoSearch.run(c, GeoSearch.Kind.GEORADIUS))
                .keys(RADIUS_KEYS).keySpecs(radiusKeySpecs(6))
                .doc("geo", "3.2.0", "Query a sorted set representing a geospatial index to fetch members matching a given"
                        + " maximum distance from a point")
                .complexity(SEARCH_COMPLEXITY));
        t.add(new CommandSpec("georadius_ro", -6, "readonly", 1, 1, 1, "@geo",
                c -> GeoSearch.run(c, GeoSearch.Kind.GEORADIUS_RO))
                .keyFlags("RO access")
                .doc("geo", "3.2.10", "A read-only variant for GEORADIUS").complexity(SEARCH_COMPLEXITY));
        t.add(new CommandSpec("georadiusbymember", -5, "write denyoom", 1, 1, 1, "@geo",
                c -> GeoSearch.run(c, GeoSearch.Kind.GEORADIUSBYMEMBER))
                .keys(RADIUS_KEYS).keySpecs(radiusKeySpecs(5))
                .doc("geo", "3.2.0", "Query a sorted set representing a geospatial index to fetch members matching a given"
                        + " maximum distance from a member")
                .complexity(SEARCH_COMPLEXITY));
        t.add(new CommandSpec("georadiusbymember_ro", -5, "readonly", 1, 1, 1, "@geo",
                c -> GeoSearch.run(c, GeoSearch.Kind.GEORADIUSBYMEMBER_RO))
                .keyFlags("RO access")
                .doc("geo", "3.2.10", "A read-only variant for GEORADIUSBYMEMBER").complexity(SEARCH_COMPLEXITY));
        t.add(new CommandSpec("geosearch", -7, "readonly", 1, 1, 1, "@geo", c -> GeoSearch.run(c, GeoSearch.Kind.GEOSEARCH))
                .keyFlags("RO access")
                .doc("geo", "6.2.0", "Query a sorted set representing a geospatial index to fetch members inside an area of a"
                        + " box or a circle.")
                .complexity(GEOSEARCH_COMPLEXITY));
        t.add(new CommandSpec("geosearchstore", -8, "write denyoom", 1, 2, 1, "@geo",
                c -> GeoSearch.run(c, GeoSearch.Kind.GEOSEARCHSTORE))
                .keySpecs(KeySpec.range("OW update", 1, 0, 1), KeySpec.range("RO access", 2, 0, 1))
                .doc("geo", "6.2.0", "Query a sorted set representing a geospatial index to fetch members inside an area of a"
                        + " box or a circle, and store the result in another key.")
                .complexity(GEOSEARCH_COMPLEXITY));
    }

    /** The source key, then the key of a STORE or STOREDIST option, searched from {@code startFrom}. */
    private static KeySpec[] radiusKeySpecs(int startFrom) {
        return new KeySpec[] {KeySpec.range("RO access", 1, 0, 1),
            KeySpec.keywordRange("OW update", "STORE", startFrom, 0, 1, 0),
            KeySpec.keywordRange("OW update", "STOREDIST", startFrom, 0, 1, 0)};
    }

    /**
     * Keys of GEORADIUS and GEORADIUSBYMEMBER (Redis's georadiusGetKeys): the source, and the
     * argument after the last STORE or STOREDIST from argument 5 on. Whenever the handler gets
     * as far as storing, its own parsing has picked that same argument.
     */
    static final KeyFinder RADIUS_KEYS = (CommandBuffer args, int fa, int argc, int[] out) -> {
        int stored = -1;
        for (int i = 5; i < argc; i++) {
            if ((isWord(args, fa + i, "store") || isWord(args, fa + i, "storedist")) && i + 1 < argc) {
                stored = i + 1;
                i++;
            }
        }
        int n = stored < 0 ? 1 : 2;
        if (out.length >= 1) out[0] = 1;
        if (n == 2 && out.length >= 2) out[1] = stored;
        return n;
    };

    private static boolean isWord(CommandBuffer args, int arg, String lowerWord) {
        if (args.length(arg) != lowerWord.length()) return false;
        byte[] b = args.data();
        int o = args.offset(arg);
        for (int k = 0; k < lowerWord.length(); k++) {
            int ch = b[o + k];
            if (ch >= 'A' && ch <= 'Z') ch += 32;
            if (ch != lowerWord.charAt(k)) return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- arguments

    /** Redis's getDoubleFromObjectOrReply: the whole argument a number (inf allowed), else {@code error}. */
    static double doubleArg(CommandContext c, int i, String error) {
        double d = Strtod.whole(c.buf(), c.off(i), c.len(i));
        if (Double.isNaN(d)) throw new RedisError(error);
        return d;
    }

    /** Redis's extractLongLatOrReply: a valid longitude at i and latitude at i + 1, into xy. */
    static void lonLat(CommandContext c, int i, double[] xy) {
        xy[0] = doubleArg(c, i, RedisError.NOT_FLOAT);
        xy[1] = doubleArg(c, i + 1, RedisError.NOT_FLOAT);
        if (!GeoHash.validLongLat(xy[0], xy[1])) {
            throw new RedisError("ERR invalid longitude,latitude pair " + printfF(xy[0]) + "," + printfF(xy[1]));
        }
    }

    /** Redis's extractUnitOrReply: meters per unit of m, km, ft or mi (any case). */
    static double unit(CommandContext c, int i) {
        if (c.is(i, "m")) return 1;
        if (c.is(i, "km")) return 1000;
        if (c.is(i, "ft")) return 0.3048;
        if (c.is(i, "mi")) return 1609.34;
        throw new RedisError(UNKNOWN_UNIT);
    }

    /** C's printf("%f"): the exact binary value rounded to 6 decimals, half to even, sign kept on zero. */
    static String printfF(double d) {
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        String s = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        boolean negative = d < 0 || (d == 0 && 1 / d < 0);
        return negative && s.charAt(0) != '-' ? "-" + s : s;
    }

    // ---------------------------------------------------------------- replies

    /**
     * Redis's addReplyDoubleDistance: a bulk string with four decimals (fixedpoint_d2string:
     * {@code llrint(d * 10000)} printed with the point put back).
     */
    static void replyDistance(CommandContext c, double d) {
        c.reply().bulk(distanceText(d).getBytes(StandardCharsets.US_ASCII));
    }

    static String distanceText(double d) {
        if (d == 0) return "0.0000";
        double scaled = Math.rint(d * 10000.0);
        // llrint of a value beyond a long gives LLONG_MIN on x86-64, whose magnitude prints as 2^63.
        long v = Math.abs(scaled) < 0x1p63 ? (long) scaled : Long.MIN_VALUE;
        String digits = v == Long.MIN_VALUE ? Long.toUnsignedString(v) : Long.toString(Math.abs(v));
        StringBuilder sb = new StringBuilder(digits.length() + 6);
        if (v < 0) sb.append('-');
        for (int k = digits.length(); k < 5; k++) sb.append('0');
        sb.append(digits);
        sb.insert(sb.length() - 4, '.');
        return sb.toString();
    }

    /**
     * Redis's addReplyHumanLongDouble for a coordinate: {@code "%.17Lf"} of the exact value with
     * trailing zeros removed, "-0" as "0"; a bulk string in RESP2, a double in RESP3.
     */
    static void replyCoordinate(CommandContext c, double d) {
        String s = humanText(d);
        if (c.reply().resp3()) c.reply().raw((',' + s + "\r\n").getBytes(StandardCharsets.US_ASCII));
        else c.reply().bulk(s.getBytes(StandardCharsets.US_ASCII));
    }

    static String humanText(double d) {
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        if (s.indexOf('.') >= 0) {
            while (s.charAt(end - 1) == '0') end--;
            if (s.charAt(end - 1) == '.') end--;
        }
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }

    /** A longitude, latitude pair of a reply. */
    static void replyPosition(CommandContext c, double lon, double lat) {
        c.reply().arrayHeader(2);
        replyCoordinate(c, lon);
        replyCoordinate(c, lat);
    }

    // ---------------------------------------------------------------- commands

    /**
     * GEOADD key [NX|XX] [CH] longitude latitude member [...]: Redis turns it into ZADD with the
     * geohash scores, so the reply, the encodings and the "zadd" event are ZADD's.
     */
    static void geoadd(CommandContext c) {
        boolean nx = false, xx = false, ch = false;
        int first = 2;
        for (; first < c.argc(); first++) {
            if (c.is(first, "nx")) nx = true;
            else if (c.is(first, "xx")) xx = true;
            else if (c.is(first, "ch")) ch = true;
            else break;
        }
        if ((c.argc() - first) % 3 != 0 || (xx && nx)) throw RedisError.syntax();
        int elements = (c.argc() - first) / 3;
        double[] scores = new double[elements];
        double[] xy = new double[2];
        for (int j = 0; j < elements; j++) {
            lonLat(c, first + j * 3, xy);
            scores[j] = GeoHash.score(xy[0], xy[1]);
        }
        if (elements == 0) throw RedisError.syntax(); // ZADD's check: only options were given

        SortedSetValue.Limits limits = SortedSetCommands.limits(c);
        SortedSetValue z = c.writeValue(1, SortedSetValue.class);
        boolean created = false;
        if (z == null) {
            if (xx) {
                c.reply().integer(0);
                return;
            }
            z = SortedSetValue.forFirstMember(limits, c.len(first + 2));
            created = true;
        }
        int flags = (nx ? SortedSetValue.NX : 0) | (xx ? SortedSetValue.XX : 0);
        int added = 0, updated = 0;
        for (int j = 0; j < elements; j++) {
            int m = first + j * 3 + 2;
            int r = z.add(scores[j], c.buf(), c.off(m), c.len(m), flags, limits);
            if ((r & SortedSetValue.ADDED) != 0) added++;
            if ((r & SortedSetValue.UPDATED) != 0) updated++;
        }
        if (created) c.storeValue(1, z);
        else if (added + updated > 0) c.valueChanged(1);
        c.reply().integer(ch ? added + updated : added);
        if (added + updated > 0) c.notify(KeyspaceEvents.ZSET, "zadd", 1);
    }

    /** GEODIST key member1 member2 [unit]: nil when the key or either member is missing. */
    static void geodist(CommandContext c) {
        double toMeters = 1;
        if (c.argc() == 5) toMeters = unit(c, 4);
        else if (c.argc() > 5) throw RedisError.syntax();
        SortedSetValue z = c.readValue(1, SortedSetValue.class);
        double s1 = z == null ? Double.NaN : z.score(c.buf(), c.off(2), c.len(2));
        double s2 = z == null ? Double.NaN : z.score(c.buf(), c.off(3), c.len(3));
        if (Double.isNaN(s1) || Double.isNaN(s2)) {
            c.reply().nullBulk();
            return;
        }
        double[] a = new double[2], b = new double[2];
        GeoHash.decodeScore(s1, a);
        GeoHash.decodeScore(s2, b);
        replyDistance(c, GeoDistance.distance(a[0], a[1], b[0], b[1]) / toMeters);
    }

    /** GEOHASH key [member ...]: the standard 11-character geohash of each member, nil when missing. */
    static void geohash(CommandContext c) {
        SortedSetValue z = c.readValue(1, SortedSetValue.class);
        c.reply().arrayHeader(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            double s = z == null ? Double.NaN : z.score(c.buf(), c.off(j), c.len(j));
            if (Double.isNaN(s)) c.reply().nullBulk();
            else c.reply().bulk(GeoHash.standardString(s));
        }
    }

    /** GEOPOS key [member ...]: each member's longitude and latitude, a nil array when missing. */
    static void geopos(CommandContext c) {
        SortedSetValue z = c.readValue(1, SortedSetValue.class);
        c.reply().arrayHeader(c.argc() - 2);
        double[] xy = new double[2];
        for (int j = 2; j < c.argc(); j++) {
            double s = z == null ? Double.NaN : z.score(c.buf(), c.off(j), c.len(j));
            if (Double.isNaN(s)) {
                c.reply().nullArray();
                continue;
            }
            GeoHash.decodeScore(s, xy);
            replyPosition(c, xy[0], xy[1]);
        }
    }
}
