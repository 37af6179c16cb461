package io.moon.node.store.geo;

/**
 * Distances on the sphere as Redis measures them (geohash_helper.c): the haversine formula on a
 * sphere of radius {@value #EARTH_RADIUS_IN_METERS} m, with Redis's shortcut when the longitudes
 * are the same, computed in Redis's order of operations with the C library's functions
 * ({@link LibM}), so that results match redis-server's to the bit.
 */
public final class GeoDistance {
    private GeoDistance() {}

    /** The quadratic mean radius of WGS-84's Earth, Redis's EARTH_RADIUS_IN_METERS. */
    public static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    /** Redis's D_R, M_PI / 180. */
    private static final double D_R = Math.PI / 180.0;

    static double degRad(double degrees) { return degrees * D_R; }

    static double radDeg(double radians) { return radians / D_R; }

    /** Redis's geohashGetLatDistance: along a meridian. */
    public static double latDistance(double lat1, double lat2) {
        return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2) - degRad(lat1));
    }

    /** Redis's geohashGetDistance: the great-circle distance in meters between two points. */
    public static double distance(double lon1, double lat1, double lon2, double lat2) {
        double lon1r = degRad(lon1), lon2r = degRad(lon2);
        double v = LibM.sin((lon2r - lon1r) / 2);
        // Same longitude: arcsin(sin(x)) is x, so the distance is along the meridian.
        if (v == 0.0) return latDistance(lat1, lat2);
        double lat1r = degRad(lat1), lat2r = degRad(lat2);
        double u = LibM.sin((lat2r - lat1r) / 2);
        double a = u * u + LibM.cos(lat1r) * LibM.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * LibM.asin(Math.sqrt(a));
    }

    /**
     * Redis's geohashGetDistanceIfInRectangle: the distance from the box's centre (x1, y1) to the
     * point (x2, y2) when the point is within half the height along the meridian and half the
     * width along its own parallel, else -1.
     */
    static double distanceIfInRectangle(double widthM, double heightM, double x1, double y1, double x2, double y2) {
        if (latDistance(y2, y1) > heightM / 2) return -1;
        if (distance(x2, y2, x1, y2) > widthM / 2) return -1;
        return distance(x1, y1, x2, y2);
    }
}
