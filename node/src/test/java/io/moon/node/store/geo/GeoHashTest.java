package io.moon.node.store.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GeoHashTest {
    /**
     * GEOADD longitude and latitude, then what redis-server 7.0.15 answers for the member:
     * ZSCORE, GEOPOS's longitude and latitude, GEOHASH.
     */
    private static final String[][] REDIS = {
        {"13.361389", "38.115556", "3479099956230698", "13.36138933897018433", "38.11555639549629859", "sqc8b49rny0"},
        {"-180", "-85.05112878", "0", "-179.99999731779098511", "-85.05112751263942528", "00bh0hbj200"},
        {"180", "85.05112878", "13510798882111488", "180", "85.0511287799999991", "bp05b5048p0"},
        {"0", "0", "3377699720527872", "0.00000268220901489", "0.00000126736058093", "s0000000000"},
        {"-0.0001", "0.0001", "1876499844738231", "-0.00009924173355103", "0.00010012148579364", "ebpbpbpbtd0"},
        {"179.9999999", "-85", "3002400025541359", "179.99999731779098511", "-84.99999965213439168", "pbzurypzpg0"},
        {"-63.420205", "-59.35564", "670490680993604", "-63.42020720243453979", "-59.35564016251441899", "4t6ykfdu640"},
        {"54.33641", "-72.685831", "2413207195517780", "54.33640748262405396", "-72.68582998943969642", "j5ndkryw650"},
        {"12.917522", "-22.832884", "2565387371163908", "12.91752129793167114", "-22.83288353313802332", "k7cnjgqkb40"},
        {"-159.120387", "1.264075", "1137579691868759", "-159.12038952112197876", "1.26407431368639322", "82nz5nh5f00"},
        {"-166.501563", "-11.280234", "366653462421774", "-166.5015605092048645", "-11.28023282194931909", "2mcxg4mrbk0"},
        {"-154.852048", "-69.578788", "54406574774780", "-154.85204547643661499", "-69.57878907009128966", "0e9uhm84jv0"},
        {"-27.173092", "55.564861", "2140047439976832", "-27.1730920672416687", "55.56486074515548523", "g3usjem0v00"},
        {"-135.431294", "-47.049376", "139332768938836", "-135.43129652738571167", "-47.04937629511569952", "0zxsq4vvw00"},
        {"45.87596", "76.11052", "3888200321066696", "45.87595850229263306", "76.11051962975530216", "vj88gzmzgm0"},
        {"27.757062", "-17.564319", "2640737995147018", "27.75706261396408081", "-17.56431858962476866", "ksgspds06m0"},
    };

    /** As Redis prints a coordinate: "%.17Lf" of the exact value, trailing zeros dropped. */
    static String human(double d) {
        String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    @Test
    void scoresPositionsAndGeohashesAreRedisOnes() {
        for (String[] v : REDIS) {
            double lon = Double.parseDouble(v[0]), lat = Double.parseDouble(v[1]);
            assertThat(GeoHash.validLongLat(lon, lat)).isTrue();
            long score = GeoHash.score(lon, lat);
            assertThat(score).as("score of %s,%s", v[0], v[1]).isEqualTo(Long.parseLong(v[2]));
            double[] xy = new double[2];
            GeoHash.decodeScore(score, xy);
            assertThat(human(xy[0])).as("longitude of %s", v[2]).isEqualTo(v[3]);
            assertThat(human(xy[1])).as("latitude of %s", v[2]).isEqualTo(v[4]);
            assertThat(new String(GeoHash.standardString(score), StandardCharsets.US_ASCII)).isEqualTo(v[5]);
        }
    }

    @Test
    void outOfRangePairsAreRefused() {
        assertThat(GeoHash.validLongLat(180.0000001, 0)).isFalse();
        assertThat(GeoHash.validLongLat(0, 85.05112879)).isFalse();
        assertThat(GeoHash.validLongLat(0, -85.05112879)).isFalse();
        assertThat(GeoHash.validLongLat(Double.NEGATIVE_INFINITY, 0)).isFalse();
        assertThat(GeoHash.encode(181, 0, 26)).isEqualTo(-1);
        assertThat(GeoHash.encode(0, 0, 0)).isEqualTo(-1);
        assertThat(GeoHash.encode(0, 0, 33)).isEqualTo(-1);
    }

    @Test
    void decodingAScoreGivesTheCentreOfItsCellWhichEncodesBackToIt() {
        SplittableRandom rnd = new SplittableRandom(3);
        double lonCell = 360 / Math.pow(2, 26), latCell = (GeoHash.LAT_MAX - GeoHash.LAT_MIN) / Math.pow(2, 26);
        double[] xy = new double[2];
        for (int i = 0; i < 100_000; i++) {
            double lon = rnd.nextDouble(-180, 180), lat = rnd.nextDouble(GeoHash.LAT_MIN, GeoHash.LAT_MAX);
            long score = GeoHash.score(lon, lat);
            assertThat(score).isBetween(0L, (1L << 52) - 1);
            GeoHash.decodeScore(score, xy);
            assertThat(Math.abs(xy[0] - lon)).isLessThanOrEqualTo(lonCell / 2 + 1e-9);
            assertThat(Math.abs(xy[1] - lat)).isLessThanOrEqualTo(latCell / 2 + 1e-9);
            assertThat(GeoHash.score(xy[0], xy[1])).isEqualTo(score);
        }
    }

    @Test
    void interleavingIsUndoneByDeinterleaving() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            long x = rnd.nextLong() & 0xFFFFFFFFL, y = rnd.nextLong() & 0xFFFFFFFFL;
            long bits = GeoHash.interleave(x, y);
            for (int b = 0; b < 32; b++) {
                assertThat((bits >>> (2 * b)) & 1).isEqualTo((x >>> b) & 1);
                assertThat((bits >>> (2 * b + 1)) & 1).isEqualTo((y >>> b) & 1);
            }
            assertThat(GeoHash.deinterleave(bits)).isEqualTo(x | (y << 32));
        }
    }

    @Test
    void neighboursAreOneCellAwayAndWrapAroundTheGrid() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int i = 0; i < 10_000; i++) {
            int step = 1 + rnd.nextInt(26);
            long cell = GeoHash.encode(rnd.nextDouble(-180, 180), rnd.nextDouble(-85, 85), step);
            long sep = GeoHash.deinterleave(cell), lat = sep & 0xFFFFFFFFL, lon = sep >>> 32;
            long size = 1L << step;
            for (int dx = -1; dx <= 1; dx++) {
                for (int dy = -1; dy <= 1; dy++) {
                    long n = GeoHash.deinterleave(GeoHash.neighbour(cell, step, dx, dy));
                    assertThat(n >>> 32).isEqualTo(Math.floorMod(lon + dx, size));
                    assertThat(n & 0xFFFFFFFFL).isEqualTo(Math.floorMod(lat + dy, size));
                }
            }
        }
    }

    @Test
    void scoresConvertToIntegersAsRedisOnX86() {
        assertThat(GeoHash.toUint64(3.9)).isEqualTo(3);
        assertThat(GeoHash.toUint64(-1)).isEqualTo(-1L); // all ones
        assertThat(GeoHash.toUint64(0x1p63)).isEqualTo(Long.MIN_VALUE);
        assertThat(GeoHash.toUint64(0x1p63 + 4096)).isEqualTo(Long.MIN_VALUE + 4096);
        assertThat(GeoHash.toUint64(0x1p64)).isZero();
        assertThat(GeoHash.toUint64(1e30)).isZero();
        assertThat(GeoHash.toUint64(-1e30)).isEqualTo(Long.MIN_VALUE);
        assertThat(GeoHash.toUint64(Double.NaN)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void anyScoreDecodesAsRedisDecodesIt() {
        // ZADD weird -1 neg 1e30 huge ... then GEOPOS on redis-server 7.0.15.
        double[] xy = new double[2];
        GeoHash.decodeScore(-1, xy);
        assertThat(human(xy[0])).isEqualTo("180");
        assertThat(human(xy[1])).isEqualTo("85.0511287799999991");
        GeoHash.decodeScore(1e30, xy);
        assertThat(human(xy[0])).isEqualTo("-179.99999731779098511");
        assertThat(human(xy[1])).isEqualTo("-85.05112751263942528");
    }
}
