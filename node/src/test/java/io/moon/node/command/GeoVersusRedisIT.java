package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.moon.node.command.SortedSetsVersusRedisIT.Wire;
import io.moon.node.testing.RedisServer;
import io.moon.node.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The geo family side by side with a real redis-server: random GEOADD, GEODIST, GEOPOS, GEOHASH,
 * GEOSEARCH, GEOSEARCHSTORE and GEORADIUS* commands (valid and not) go to both, and the reply
 * bytes must be equal in RESP2 and RESP3. Distances, coordinates and the members a search finds
 * near a radius's edge depend on the last bit of the trigonometry, so this is what pins Moon to
 * Redis's libm results. Searches without ASC/DESC are sorted by Redis in geohash-cell order, which
 * Moon follows too, so they are compared as they come.
 */
class GeoVersusRedisIT {
    static TestNode node;
    static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        node = TestNode.start("shards", "4");
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.close();
        if (redis != null) redis.close();
    }

    @Test
    void randomCommandsAnswerAsRedisDoes() throws Exception {
        try (Wire moon = new Wire(node.port()); Wire ref = new Wire(redis.port())) {
            for (String[] cmd : new String[][] {{"FLUSHALL"}, {"SET", "str", "x"}}) {
                moon.call(List.of(cmd));
                ref.call(List.of(cmd));
            }
            Random rnd = new Random(42);
            List<String> diffs = new ArrayList<>();
            int withData = 0;
            for (int i = 0; i < 5000 && diffs.size() < 10; i++) {
                if (i == 2500) {
                    moon.call(List.of("HELLO", "3"));
                    ref.call(List.of("HELLO", "3"));
                }
                List<String> cmd = randomCommand(rnd);
                String mine = moon.call(cmd), theirs = ref.call(cmd);
                if (mine.length() > 20 && !mine.startsWith("-")) withData++;
                if (!mine.equals(theirs)) diffs.add(String.join(" ", cmd) + "\n  moon:  " + mine.replace("\r\n", " ") + "\n  redis: " + theirs.replace("\r\n", " "));
            }
            assertThat(diffs).as("commands answered differently").isEmpty();
            assertThat(withData).as("replies with members in them").isGreaterThan(1000);
        }
    }

    private static String pick(Random r, String... options) { return options[r.nextInt(options.length)]; }

    private static String key(Random r) { return pick(r, "{g}1", "{g}2", "{g}3", "str", "{g}none"); }

    private static String member(Random r) { return "m" + r.nextInt(40); }

    /** Points mostly in one region so that searches find some and miss others. */
    private static String lon(Random r) {
        return switch (r.nextInt(20)) {
            case 0 -> pick(r, "181", "-180", "180", "abc", "nan");
            case 1 -> Double.toString(r.nextDouble() * 360 - 180);
            default -> String.format("%.6f", 12 + r.nextDouble() * 4);
        };
    }

    private static String lat(Random r) {
        return switch (r.nextInt(20)) {
            case 0 -> pick(r, "85.06", "-85.05112878", "90", "x");
            case 1 -> Double.toString(r.nextDouble() * 170 - 85);
            default -> String.format("%.6f", 36 + r.nextDouble() * 4);
        };
    }

    private static String unit(Random r) { return r.nextInt(30) == 0 ? "parsec" : pick(r, "m", "km", "ft", "mi", "KM"); }

    private static String radius(Random r) { return r.nextInt(30) == 0 ? "-1" : Integer.toString(r.nextInt(300_000)); }

    private static void options(Random r, List<String> c, boolean withs) {
        if (withs) {
            if (r.nextBoolean()) c.add("WITHDIST");
            if (r.nextInt(3) == 0) c.add("WITHCOORD");
            if (r.nextInt(3) == 0) c.add("WITHHASH");
        }
        if (r.nextInt(3) == 0) {
            c.addAll(List.of("COUNT", Integer.toString(r.nextInt(12) - 1)));
            if (r.nextInt(4) == 0) c.add("ANY");
        }
        if (r.nextInt(3) != 0) c.add(pick(r, "ASC", "DESC"));
    }

    private static List<String> randomCommand(Random r) {
        List<String> c = new ArrayList<>();
        switch (r.nextInt(14)) {
            case 0, 1, 2 -> {
                c.addAll(List.of("GEOADD", pick(r, "{g}1", "{g}2", "{g}3", "str")));
                if (r.nextInt(4) == 0) c.add(pick(r, "NX", "XX", "CH"));
                for (int n = 1 + r.nextInt(4); n > 0; n--) c.addAll(List.of(lon(r), lat(r), member(r)));
            }
            case 3 -> {
                c.addAll(List.of("GEODIST", key(r), member(r), member(r)));
                if (r.nextBoolean()) c.add(unit(r));
            }
            case 4 -> c.addAll(List.of("GEOPOS", key(r), member(r), member(r)));
            case 5 -> c.addAll(List.of("GEOHASH", key(r), member(r), member(r), member(r)));
            case 6, 7, 8 -> {
                c.addAll(List.of("GEOSEARCH", key(r)));
                search(r, c);
                options(r, c, true);
            }
            case 9 -> {
                c.addAll(List.of("GEOSEARCHSTORE", pick(r, "{g}dst", "str"), key(r)));
                search(r, c);
                options(r, c, false);
                if (r.nextBoolean()) c.add("STOREDIST");
                if (r.nextBoolean()) c = new ArrayList<>(List.of("ZRANGE", "{g}dst", "0", "-1", "WITHSCORES"));
            }
            case 10, 11 -> {
                c.addAll(List.of(pick(r, "GEORADIUS", "GEORADIUS_RO"), key(r), lon(r), lat(r), radius(r), unit(r)));
                options(r, c, true);
            }
            default -> {
                c.addAll(List.of(pick(r, "GEORADIUSBYMEMBER", "GEORADIUSBYMEMBER_RO"), key(r), member(r), radius(r), unit(r)));
                options(r, c, true);
            }
        }
        return c;
    }

    private static void search(Random r, List<String> c) {
        if (r.nextInt(3) == 0) c.addAll(List.of("FROMMEMBER", member(r)));
        else c.addAll(List.of("FROMLONLAT", lon(r), lat(r)));
        if (r.nextBoolean()) c.addAll(List.of("BYRADIUS", radius(r), unit(r)));
        else c.addAll(List.of("BYBOX", radius(r), radius(r), unit(r)));
    }
}
