package io.moon.node.store.geo;

/**
 * The geohash Redis stores as a sorted-set score (geohash.c, geohash_helper.c): longitude and
 * latitude each cut into 2^step equal parts, and the two cell numbers interleaved bit by bit,
 * latitude in the even bits and longitude in the odd ones. GEOADD uses step 26, a 52-bit number
 * that a double holds exactly. Latitudes are limited to +-85.05112878 (the Web Mercator limits
 * Redis uses, EPSG:900913), so the cells of the score are not the standard geohash's:
 * {@link #standardString} re-encodes for GEOHASH.
 *
 * <p>A cell is its bits plus its step, passed as (long bits, int step); bit arithmetic is
 * unsigned 64-bit as in Redis.
 */
public final class GeoHash {
    private GeoHash() {}

    /** The precision of scores: 26 bits per coordinate, 52 in all. */
    public static final int STEP_MAX = 26;
    public static final double LAT_MIN = -85.05112878, LAT_MAX = 85.05112878;
    public static final double LONG_MIN = -180, LONG_MAX = 180;

    private static final long EVEN_BITS = 0x5555555555555555L, ODD_BITS = 0xaaaaaaaaaaaaaaaaL;

    /** True when GEOADD accepts the pair (Redis's extractLongLatOrReply range check). */
    public static boolean validLongLat(double lon, double lat) {
        return !(lon < LONG_MIN || lon > LONG_MAX || lat < LAT_MIN || lat > LAT_MAX);
    }

    /**
     * Redis's geohashEncode: the cell of the given step (1..32) holding the point, within the
     * given ranges, or -1 when the point is outside them or outside the Mercator limits.
     */
    static long encode(double lon, double lat, int step, double lonMin, double lonMax, double latMin, double latMax) {
        if (step > 32 || step == 0) return -1;
        if (lon > LONG_MAX || lon < LONG_MIN || lat > LAT_MAX || lat < LAT_MIN) return -1;
        if (lat < latMin || lat > latMax || lon < lonMin || lon > lonMax) return -1;
        double latOffset = (lat - latMin) / (latMax - latMin);
        double lonOffset = (lon - lonMin) / (lonMax - lonMin);
        latOffset *= (double) (1L << step);
        lonOffset *= (double) (1L << step);
        // C converts to uint32_t: the offsets are in [0, 2^step], so truncation is all it does.
        return interleave((long) latOffset & 0xFFFFFFFFL, (long) lonOffset & 0xFFFFFFFFL);
    }

    /** The cell of the given step holding the point, in Redis's coordinate ranges; -1 when outside. */
    public static long encode(double lon, double lat, int step) {
        return encode(lon, lat, step, LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX);
    }

    /** The sorted-set score GEOADD stores for a valid pair (geohashAlign52Bits of the step-26 cell). */
    public static long score(double lon, double lat) {
        return align52(encode(lon, lat, STEP_MAX), STEP_MAX);
    }

    /** The cell's bits moved to the top of 52 (geohashAlign52Bits): the lowest score inside it. */
    public static long align52(long bits, int step) { return bits << (52 - step * 2); }

    /** Spreads the low 32 bits of x to the even bits and of y to the odd bits. */
    static long interleave(long x, long y) {
        x = spread(x);
        y = spread(y);
        return x | (y << 1);
    }

    private static long spread(long v) {
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        return (v | (v << 1)) & EVEN_BITS;
    }

    /** The inverse of {@link #interleave}: the even bits in the low half, the odd bits in the high half. */
    static long deinterleave(long bits) {
        return gather(bits) | (gather(bits >>> 1) << 32);
    }

    private static long gather(long v) {
        v &= EVEN_BITS;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        return (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
    }

    /** A cell's extent in degrees. */
    public record Area(double lonMin, double lonMax, double latMin, double latMax) {}

    /** Redis's geohashDecode over Redis's coordinate ranges. */
    public static Area decode(long bits, int step) {
        return decode(bits, step, LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX);
    }

    static Area decode(long bits, int step, double lonMin, double lonMax, double latMin, double latMax) {
        long sep = deinterleave(bits);
        double latScale = latMax - latMin, lonScale = lonMax - lonMin;
        long ilat = sep & 0xFFFFFFFFL, ilon = sep >>> 32;
        double cells = (double) (1L << step);
        // ilat + 1 is uint32_t arithmetic in C: it wraps to 0 past 2^32 - 1.
        return new Area(
                lonMin + (ilon * 1.0 / cells) * lonScale,
                lonMin + (((ilon + 1) & 0xFFFFFFFFL) * 1.0 / cells) * lonScale,
                latMin + (ilat * 1.0 / cells) * latScale,
                latMin + (((ilat + 1) & 0xFFFFFFFFL) * 1.0 / cells) * latScale);
    }

    /**
     * Redis's decodeGeohash: the point a score stands for, the centre of its step-26 cell clamped
     * to the valid ranges, written as {longitude, latitude} into {@code xy}. Any score decodes,
     * as in Redis (a sorted set not made by GEOADD gives odd but defined places).
     */
    public static void decodeScore(double score, double[] xy) {
        Area a = decode(toUint64(score), STEP_MAX);
        xy[0] = Math.max(LONG_MIN, Math.min(LONG_MAX, (a.lonMin() + a.lonMax()) / 2));
        xy[1] = Math.max(LAT_MIN, Math.min(LAT_MAX, (a.latMin() + a.latMax()) / 2));
    }

    /**
     * C's {@code (uint64_t) d} as gcc compiles it for x86-64: truncation below 2^63; from 2^63
     * the value less 2^63 converted, with the top bit flipped; negative values convert as signed
     * ones; what the processor cannot convert (2^64 and above) gives 0.
     */
    static long toUint64(double d) {
        if (!(d >= 0x1p63)) return d >= -0x1p63 ? (long) d : Long.MIN_VALUE; // NaN: the processor's "indefinite"
        double rest = d - 0x1p63;
        return rest >= 0x1p63 ? 0 : (long) rest ^ Long.MIN_VALUE;
    }

    private static final byte[] ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * GEOHASH's 11-character string: the point of the score re-encoded with the standard ranges
     * (latitude -90..90), 52 bits in ten base-32 characters plus a final '0', as Redis writes it.
     */
    public static byte[] standardString(double score) {
        double[] xy = new double[2];
        decodeScore(score, xy);
        long bits = encode(xy[0], xy[1], STEP_MAX, -180, 180, -90, 90);
        byte[] out = new byte[11];
        for (int i = 0; i < 10; i++) out[i] = ALPHABET[(int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f)];
        out[10] = ALPHABET[0];
        return out;
    }

    // ---------------------------------------------------------------- neighbours

    /** The cell d steps east (d > 0) or west (d < 0) of the given one, wrapping around (geohash_move_x). */
    static long moveX(long bits, int step, int d) { return move(bits, step, d, ODD_BITS); }

    /** The cell north (d > 0) or south (d < 0) of the given one, wrapping around (geohash_move_y). */
    static long moveY(long bits, int step, int d) { return move(bits, step, d, EVEN_BITS); }

    /**
     * Adds d (+-1) to the coordinate held in the bits of {@code axis}: the other coordinate's
     * bits between them are first filled with ones, so a carry or borrow runs through them.
     */
    private static long move(long bits, int step, int d, long axis) {
        if (d == 0) return bits;
        long v = bits & axis, other = bits & ~axis;
        long zz = ~axis >>> (64 - step * 2);
        if (d > 0) {
            v = v + (zz + 1);
        } else {
            v = v | zz;
            v = v - (zz + 1);
        }
        v &= axis >>> (64 - step * 2);
        return v | other;
    }

    /** The cell at (dx, dy) cells from the given one, each -1, 0 or 1. */
    static long neighbour(long bits, int step, int dx, int dy) {
        return moveY(moveX(bits, step, dx), step, dy);
    }
}
