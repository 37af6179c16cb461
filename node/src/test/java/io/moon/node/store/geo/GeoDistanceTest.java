package io.moon.node.store.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GeoDistanceTest {
    /** Members of GeoHashTest's table, consecutive pairs, and redis-server 7.0.15's GEODIST in meters. */
    private static final String[][] REDIS = {
        {"13.361389", "38.115556", "-180", "-85.05112878", "14784257.5187"},
        {"-180", "-85.05112878", "180", "85.05112878", "18919844.5891"},
        {"180", "85.05112878", "0", "0", "10560811.4940"},
        {"0", "0", "-0.0001", "0.0001", "15.7928"},
        {"-0.0001", "0.0001", "179.9999999", "-85", "10566509.6748"},
        {"179.9999999", "-85", "-63.420205", "-59.35564", "3687679.5164"},
        {"-63.420205", "-59.35564", "54.33641", "-72.685831", "4598934.3111"},
        {"54.33641", "-72.685831", "12.917522", "-22.832884", "6097405.3176"},
        {"12.917522", "-22.832884", "-159.120387", "1.264075", "17472159.0746"},
        {"-159.120387", "1.264075", "-166.501563", "-11.280234", "1616437.5808"},
        {"-166.501563", "-11.280234", "-154.852048", "-69.578788", "6536994.8409"},
        {"-154.852048", "-69.578788", "-27.173092", "55.564861", "17053272.9610"},
        {"-27.173092", "55.564861", "-135.431294", "-47.049376", "15173317.4535"},
        {"-135.431294", "-47.049376", "45.87596", "76.11052", "16787812.0840"},
        {"45.87596", "76.11052", "27.757062", "-17.564319", "10491603.4583"},
    };

    private static double[] place(String lon, String lat) {
        double[] xy = new double[2];
        GeoHash.decodeScore(GeoHash.score(Double.parseDouble(lon), Double.parseDouble(lat)), xy);
        return xy;
    }

    @Test
    void distancesBetweenStoredPlacesAreRedisOnesToTheFourthDecimal() {
        for (String[] v : REDIS) {
            double[] a = place(v[0], v[1]), b = place(v[2], v[3]);
            double d = GeoDistance.distance(a[0], a[1], b[0], b[1]);
            long tenThousandths = Long.parseLong(v[4].replace(".", ""));
            assertThat((long) Math.rint(d * 10000.0)).as("%s,%s to %s,%s", (Object[]) v).isEqualTo(tenThousandths);
        }
    }

    @Test
    void redisSmallDistanceCase() {
        // unit/geo "GEOSEARCH with small distance": 0.0001 and 9.8182 miles.
        double[] a = place("-122.407107", "37.794300"), b = place("-122.227336", "37.794300");
        assertThat(Math.rint(GeoDistance.distance(-122.407107, 37.794300, a[0], a[1]) / 1609.34 * 10000)).isEqualTo(1);
        assertThat(Math.rint(GeoDistance.distance(-122.407107, 37.794300, b[0], b[1]) / 1609.34 * 10000)).isEqualTo(98182);
    }

    @Test
    void sameLongitudeIsTheMeridianDistance() {
        assertThat(GeoDistance.distance(10, 0, 10, 1)).isEqualTo(GeoDistance.latDistance(0, 1));
        assertThat(GeoDistance.latDistance(0, 1)).isEqualTo(GeoDistance.EARTH_RADIUS_IN_METERS * (Math.PI / 180));
        assertThat(GeoDistance.distance(10, 20, 10, 20)).isZero();
    }

    @Test
    void distanceIsSymmetricAndWithinHalfTheCircumference() {
        SplittableRandom rnd = new SplittableRandom(1);
        double half = Math.PI * GeoDistance.EARTH_RADIUS_IN_METERS;
        for (int i = 0; i < 10_000; i++) {
            double lon1 = rnd.nextDouble(-180, 180), lat1 = rnd.nextDouble(-85, 85);
            double lon2 = rnd.nextDouble(-180, 180), lat2 = rnd.nextDouble(-85, 85);
            double d = GeoDistance.distance(lon1, lat1, lon2, lat2);
            assertThat(d).isBetween(0.0, half * (1 + 1e-12));
            assertThat(GeoDistance.distance(lon2, lat2, lon1, lat1)).isCloseTo(d, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void theCLibraryIsUsedOnLinux() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"));
        assertThat(LibM.isNative()).as("libm bound through the foreign function API").isTrue();
        assertThat(LibM.sin(0)).isZero();
        assertThat(LibM.cos(0)).isEqualTo(1);
        assertThat(LibM.asin(1)).isEqualTo(Math.PI / 2);
    }
}
