package io.moon.node.command;

import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.SortedSetValue;
import io.moon.node.store.geo.GeoHash;
import io.moon.node.store.geo.GeoPoint;
import io.moon.node.store.geo.GeoQuery;
import io.moon.node.store.geo.GeoShape;
import java.util.List;

/**
 * GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and their _RO variants: one parser and
 * one search for all (Redis's georadiusGeneric), with Redis's order of checks, so that the same
 * bad command gets the same error: the source key's type first, then the centre and size of the
 * older commands, then the options from left to right, then the combinations.
 */
final class GeoSearch {
    private GeoSearch() {}

    static final String NO_MEMBER = "ERR could not decode requested zset member";

    /** The commands, with what they accept (Redis's RADIUS_* and GEOSEARCH* flags). */
    enum Kind {
        GEORADIUS(1, true, false, true),
        GEORADIUS_RO(1, true, false, false),
        GEORADIUSBYMEMBER(1, false, false, true),
        GEORADIUSBYMEMBER_RO(1, false, false, false),
        GEOSEARCH(1, false, true, false),
        GEOSEARCHSTORE(2, false, true, false);

        final int source;
        /** GEORADIUS: the centre is a longitude and latitude. */
        final boolean fromCoordinates;
        /** GEOSEARCH and GEOSEARCHSTORE: centre and shape come as FROM... and BY... options. */
        final boolean search;
        /** Takes STORE and STOREDIST with a key. */
        final boolean storeOptions;

        Kind(int source, boolean fromCoordinates, boolean search, boolean storeOptions) {
            this.source = source;
            this.fromCoordinates = fromCoordinates;
            this.search = search;
            this.storeOptions = storeOptions;
        }
    }

    private enum Order { NONE, ASC, DESC }

    /** What the arguments ask for. */
    private static final class Query {
        double lon, lat, conversion, radius, width, height;
        boolean box, withDist, withHash, withCoord, any, fromMember, fromLonLat, byRadius, byBox, storeDist;
        Order order = Order.NONE;
        long count;
        /** Argument index of the destination, -1 when the result goes to the client. */
        int store = -1;

        GeoShape shape() {
            return box ? GeoShape.box(lon, lat, width, height, conversion) : GeoShape.circle(lon, lat, radius, conversion);
        }
    }

    static void run(CommandContext c, Kind kind) {
        SortedSetValue z = c.readValue(kind.source, SortedSetValue.class);
        Query q = new Query();
        int base;
        double[] xy = new double[2];
        if (kind.fromCoordinates) {
            base = 6;
            GeoCommands.lonLat(c, 2, xy);
            center(q, xy);
            radius(c, 4, q);
        } else if (!kind.search) {
            base = 5;
            // No source key: the options are still read, to tell a STORE reply from an array.
            if (z != null) {
                memberPlace(c, z, 2, xy);
                center(q, xy);
                radius(c, 3, q);
            }
        } else {
            base = kind.source + 1;
            if (kind == Kind.GEOSEARCHSTORE) q.store = 1;
        }
        parseOptions(c, kind, z, base, q);
        if (q.store >= 0 && (q.withDist || q.withHash || q.withCoord)) {
            throw new RedisError("ERR " + (kind == Kind.GEOSEARCHSTORE ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if (kind.search && !(q.fromMember || q.fromLonLat)) {
            throw new RedisError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + c.str(0));
        }
        if (kind.search && !(q.byRadius || q.byBox)) {
            throw new RedisError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + c.str(0));
        }
        if (q.any && q.count == 0) throw new RedisError("ERR the ANY argument requires COUNT argument");
        if (z == null) {
            if (q.store >= 0) {
                deleteDestination(c, q.store);
                c.reply().integer(0);
            } else {
                c.reply().emptyArray();
            }
            return;
        }
        // COUNT means the nearest ones, so it sorts unless ANY says any will do.
        if (q.count != 0 && q.order == Order.NONE && !q.any) q.order = Order.ASC;
        List<GeoPoint> found = GeoQuery.find(z, q.shape(), q.any ? q.count : 0);
        if (found.isEmpty() && q.store < 0) {
            c.reply().emptyArray();
            return;
        }
        GeoPoint[] points = found.toArray(new GeoPoint[0]);
        int returned = (int) (q.count == 0 || points.length < q.count ? points.length : q.count);
        if (q.order != Order.NONE) {
            boolean desc = q.order == Order.DESC;
            if (returned == points.length) GeoQuery.sort(points, desc);
            else GeoQuery.sortFirst(points, returned, desc);
        }
        if (q.store < 0) reply(c, q, points, returned);
        else store(c, kind, q, points, returned);
    }

    private static void center(Query q, double[] xy) {
        q.lon = xy[0];
        q.lat = xy[1];
    }

    /** The place of the member at argument i, or Redis's error when the set does not have it. */
    private static void memberPlace(CommandContext c, SortedSetValue z, int i, double[] xy) {
        double score = z.score(c.buf(), c.off(i), c.len(i));
        if (Double.isNaN(score)) throw new RedisError(NO_MEMBER);
        GeoHash.decodeScore(score, xy);
    }

    /** Redis's extractDistanceOrReply: a radius at i (not negative) and its unit at i + 1. */
    private static void radius(CommandContext c, int i, Query q) {
        double r = GeoCommands.doubleArg(c, i, "ERR need numeric radius");
        if (r < 0) throw new RedisError("ERR radius cannot be negative");
        q.radius = r;
        q.conversion = GeoCommands.unit(c, i + 1);
        q.box = false;
    }

    /** Redis's extractBoxOrReply: width at i, height at i + 1 (neither negative), unit at i + 2. */
    private static void box(CommandContext c, int i, Query q) {
        double w = GeoCommands.doubleArg(c, i, "ERR need numeric width");
        double h = GeoCommands.doubleArg(c, i + 1, "ERR need numeric height");
        if (h < 0 || w < 0) throw new RedisError("ERR height or width cannot be negative");
        q.width = w;
        q.height = h;
        q.conversion = GeoCommands.unit(c, i + 2);
        q.box = true;
    }

    /** The options from argument {@code base} on, in Redis's order of tests. */
    private static void parseOptions(CommandContext c, Kind kind, SortedSetValue z, int base, Query q) {
        double[] xy = new double[2];
        for (int i = base; i < c.argc(); i++) {
            int left = c.argc() - i - 1; // arguments after this one
            if (c.is(i, "withdist")) {
                q.withDist = true;
            } else if (c.is(i, "withhash")) {
                q.withHash = true;
            } else if (c.is(i, "withcoord")) {
                q.withCoord = true;
            } else if (c.is(i, "any")) {
                q.any = true;
            } else if (c.is(i, "asc")) {
                q.order = Order.ASC;
            } else if (c.is(i, "desc")) {
                q.order = Order.DESC;
            } else if (c.is(i, "count") && left >= 1) {
                q.count = c.longArg(i + 1);
                if (q.count <= 0) throw new RedisError("ERR COUNT must be > 0");
                i++;
            } else if ((c.is(i, "store") || c.is(i, "storedist")) && left >= 1 && kind.storeOptions) {
                q.store = i + 1;
                q.storeDist = c.is(i, "storedist");
                i++;
            } else if (c.is(i, "storedist") && kind == Kind.GEOSEARCHSTORE) {
                q.storeDist = true;
            } else if (c.is(i, "frommember") && left >= 1 && kind.search && !q.fromLonLat) {
                // No source key: go on reading, the missing key is answered after the options.
                if (z != null) {
                    memberPlace(c, z, i + 1, xy);
                    center(q, xy);
                }
                q.fromMember = true;
                i++;
            } else if (c.is(i, "fromlonlat") && left >= 2 && kind.search && !q.fromMember) {
                GeoCommands.lonLat(c, i + 1, xy);
                center(q, xy);
                q.fromLonLat = true;
                i += 2;
            } else if (c.is(i, "byradius") && left >= 2 && kind.search && !q.byBox) {
                radius(c, i + 1, q);
                q.byRadius = true;
                i += 2;
            } else if (c.is(i, "bybox") && left >= 3 && kind.search && !q.byRadius) {
                box(c, i + 1, q);
                q.byBox = true;
                i += 3;
            } else {
                throw RedisError.syntax();
            }
        }
    }

    /** The points to the client: members, or [member, dist?, hash?, [lon, lat]?] when asked. */
    private static void reply(CommandContext c, Query q, GeoPoint[] points, int returned) {
        int options = (q.withDist ? 1 : 0) + (q.withHash ? 1 : 0) + (q.withCoord ? 1 : 0);
        c.reply().arrayHeader(returned);
        for (int i = 0; i < returned; i++) {
            GeoPoint p = points[i];
            if (options > 0) c.reply().arrayHeader(options + 1);
            c.reply().bulk(p.member());
            if (q.withDist) GeoCommands.replyDistance(c, p.dist() / q.conversion);
            if (q.withHash) c.reply().integer((long) p.score());
            if (q.withCoord) GeoCommands.replyPosition(c, p.lon(), p.lat());
        }
    }

    /**
     * The points into a new sorted set at the destination, scored by geohash or, with STOREDIST,
     * by distance in the query's unit; built large and compacted as Redis does. No point deletes
     * the destination.
     */
    private static void store(CommandContext c, Kind kind, Query q, GeoPoint[] points, int returned) {
        if (returned == 0) {
            deleteDestination(c, q.store);
            c.reply().integer(0);
            return;
        }
        SortedSetValue.Limits limits = SortedSetCommands.limits(c);
        SortedSetValue dst = SortedSetValue.large();
        for (int i = 0; i < returned; i++) {
            GeoPoint p = points[i];
            double score = q.storeDist ? p.dist() / q.conversion : p.score();
            dst.add(score, p.member(), 0, p.member().length, 0, limits);
        }
        dst.compactIfSmall(limits);
        c.storeValue(q.store, dst);
        c.reply().integer(returned);
        c.notify(KeyspaceEvents.ZSET, kind.search ? "geosearchstore" : "georadiusstore", q.store);
    }

    private static void deleteDestination(CommandContext c, int i) {
        if (c.db(i).delete(c.buf(), c.off(i), c.len(i)) != null) c.notify(KeyspaceEvents.GENERIC, "del", i);
    }
}
