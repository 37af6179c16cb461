package io.moon.node.store.geo;

/**
 * The area a GEOSEARCH or GEORADIUS looks in (Redis's GeoShape): a circle of a radius, or a box
 * of a width and height, around a centre, with sizes in the query's unit and the factor that
 * turns the unit into meters.
 */
public final class GeoShape {
    /** The centre. */
    public final double lon, lat;
    /** Meters per unit of the sizes (Redis's conversion: 1, 1000, 0.3048, 1609.34). */
    public final double conversion;
    private final boolean box;
    /** Circle: the radius; box: width and height, in the unit. */
    private final double radius, width, height;

    private GeoShape(double lon, double lat, double conversion, boolean box, double radius, double width, double height) {
        this.lon = lon;
        this.lat = lat;
        this.conversion = conversion;
        this.box = box;
        this.radius = radius;
        this.width = width;
        this.height = height;
    }

    public static GeoShape circle(double lon, double lat, double radius, double conversion) {
        return new GeoShape(lon, lat, conversion, false, radius, 0, 0);
    }

    public static GeoShape box(double lon, double lat, double width, double height, double conversion) {
        return new GeoShape(lon, lat, conversion, true, 0, width, height);
    }

    boolean isBox() { return box; }

    /**
     * Redis's geoWithinShape for a decoded point: its distance in meters from the centre when it
     * lies in the shape, else -1.
     */
    double distanceIfWithin(double x, double y) {
        if (!box) {
            double d = GeoDistance.distance(lon, lat, x, y);
            return d > radius * conversion ? -1 : d;
        }
        return GeoDistance.distanceIfInRectangle(width * conversion, height * conversion, lon, lat, x, y);
    }

    /**
     * Redis's geohashBoundingBox: {min longitude, min latitude, max longitude, max latitude} of
     * the shape. A parallel is shorter nearer the pole, so the longitude span is taken at the
     * edge nearer the pole (the top in the north, the bottom in the south).
     */
    double[] boundingBox() {
        double h = conversion * (box ? height / 2 : radius);
        double w = conversion * (box ? width / 2 : radius);
        double latDelta = GeoDistance.radDeg(h / GeoDistance.EARTH_RADIUS_IN_METERS);
        double lonDeltaTop = GeoDistance.radDeg(w / GeoDistance.EARTH_RADIUS_IN_METERS / LibM.cos(GeoDistance.degRad(lat + latDelta)));
        double lonDeltaBottom = GeoDistance.radDeg(w / GeoDistance.EARTH_RADIUS_IN_METERS / LibM.cos(GeoDistance.degRad(lat - latDelta)));
        boolean southern = lat < 0;
        return new double[] {
            southern ? lon - lonDeltaBottom : lon - lonDeltaTop,
            lat - latDelta,
            southern ? lon + lonDeltaBottom : lon + lonDeltaTop,
            lat + latDelta};
    }

    /** The distance from the centre to the farthest point of the shape, in meters (a box's corner). */
    double reachMeters() {
        double r = box ? Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2)) : radius;
        return r * conversion;
    }
}
