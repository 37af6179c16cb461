package io.moon.node.store.geo;

/**
 * The nine geohash cells a search reads (Redis's geohashCalculateAreasByShapeWGS84): the cell
 * holding the shape's centre, at a step chosen so that a cell is about as large as the shape,
 * and its eight neighbours, minus those wholly outside the shape's bounding box. Each cell is a
 * range of scores, so a search is nine range reads of the sorted set.
 */
public final class GeoCells {
    /** Redis's MERCATOR_MAX: half the Earth's circumference at the equator, in meters. */
    private static final double MERCATOR_MAX = 20037726.37;
    /** A cell left out of the search. */
    private static final long NONE = -1;

    /** The step of every cell. */
    final int step;
    /**
     * In Redis's reading order: centre, north, south, east, west, north-east, north-west,
     * south-east, south-west; {@link #NONE} for a cell left out.
     */
    final long[] cells = new long[9];

    private static final int[][] DIRECTIONS = {{0, 1}, {0, -1}, {1, 0}, {-1, 0}, {1, 1}, {-1, 1}, {1, -1}, {-1, -1}};

    private GeoCells(int step, long centre) {
        this.step = step;
        cells[0] = centre;
        for (int i = 0; i < 8; i++) cells[i + 1] = GeoHash.neighbour(centre, step, DIRECTIONS[i][0], DIRECTIONS[i][1]);
    }

    /**
     * Redis's geohashEstimateStepsByRadius: the step whose cells are about as wide as the
     * radius, a step or two coarser near the poles, within 1..26.
     */
    static int estimateStep(double rangeMeters, double lat) {
        if (rangeMeters == 0) return 26;
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2; // so that the range fits in most cases
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) step--;
        }
        return Math.max(1, Math.min(26, step));
    }

    /** The cells covering the shape. */
    public static GeoCells cover(GeoShape shape) {
        double[] bounds = shape.boundingBox();
        double minLon = bounds[0], minLat = bounds[1], maxLon = bounds[2], maxLat = bounds[3];
        int step = estimateStep(shape.reachMeters(), shape.lat);
        GeoCells c = new GeoCells(step, GeoHash.encode(shape.lon, shape.lat, step));
        // Near a cell's edge the neighbours may not reach the whole shape: one step coarser then.
        boolean coarser = GeoHash.decode(c.cells[1], step).latMax() < maxLat
                | GeoHash.decode(c.cells[2], step).latMin() > minLat
                | GeoHash.decode(c.cells[3], step).lonMax() < maxLon
                | GeoHash.decode(c.cells[4], step).lonMin() > minLon;
        if (step > 1 && coarser) {
            step--;
            c = new GeoCells(step, GeoHash.encode(shape.lon, shape.lat, step));
        }
        if (step >= 2) {
            GeoHash.Area area = GeoHash.decode(c.cells[0], step);
            if (area.latMin() < minLat) c.drop(SOUTH, SOUTH_WEST, SOUTH_EAST);
            if (area.latMax() > maxLat) c.drop(NORTH, NORTH_EAST, NORTH_WEST);
            if (area.lonMin() < minLon) c.drop(WEST, SOUTH_WEST, NORTH_WEST);
            if (area.lonMax() > maxLon) c.drop(EAST, SOUTH_EAST, NORTH_EAST);
        }
        return c;
    }

    private static final int NORTH = 1, SOUTH = 2, EAST = 3, WEST = 4, NORTH_EAST = 5, NORTH_WEST = 6, SOUTH_EAST = 7,
            SOUTH_WEST = 8;

    private void drop(int... which) {
        for (int i : which) cells[i] = NONE;
    }

    /** Receives the score range [min, max) of one cell; returns false to stop the search. */
    @FunctionalInterface
    public interface RangeReader {
        boolean read(long min, long max);
    }

    /**
     * Reads the cells in Redis's order (membersOfAllNeighbors), skipping those left out and a
     * cell equal to the last one read: with a huge radius the step is 1, where neighbours
     * coincide, and a cell read twice would give its points twice.
     */
    public void forEachRange(RangeReader reader) {
        int last = 0;
        for (int i = 0; i < 9; i++) {
            if (cells[i] == NONE) continue;
            // As Redis: "last" 0 means none yet, so a repeat of the centre itself is not skipped.
            if (last != 0 && cells[i] == cells[last]) continue;
            if (!reader.read(GeoHash.align52(cells[i], step), GeoHash.align52(cells[i] + 1, step))) return;
            last = i;
        }
    }
}
