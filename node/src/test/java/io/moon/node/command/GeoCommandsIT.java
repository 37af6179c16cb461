package io.moon.node.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lettuce.core.GeoArgs;
import io.lettuce.core.GeoCoordinates;
import io.lettuce.core.GeoSearch;
import io.lettuce.core.GeoWithin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.GeoCoordinate;
import redis.clients.jedis.args.GeoUnit;
import redis.clients.jedis.params.GeoAddParams;
import redis.clients.jedis.params.GeoSearchParam;
import redis.clients.jedis.resps.GeoRadiusResponse;

/**
 * The geo family on a real 4-shard node through Jedis (RESP2), Lettuce (RESP3) and raw RESP:
 * normal cases of every command, GEOSEARCHSTORE and GEORADIUS STORE into a key of another shard,
 * and bad input answered with Redis 7.0's texts. Exact agreement with redis-server on random
 * commands is checked by {@link GeoVersusRedisIT}.
 */
class GeoCommandsIT extends FourShardClients {
    /** Sicily's two cities from Redis's documentation, plus a third far away. */
    private void addCities(String key) {
        assertThat(j.geoadd(key, Map.of(
                "Palermo", new GeoCoordinate(13.361389, 38.115556),
                "Catania", new GeoCoordinate(15.087269, 37.502669),
                "Oslo", new GeoCoordinate(10.752245, 59.913869)))).isEqualTo(3);
    }

    @Test
    void addPositionsDistancesAndHashes() {
        addCities("Sicily");
        assertThat(j.type("Sicily")).isEqualTo("zset");
        assertThat(j.zcard("Sicily")).isEqualTo(3);
        assertThat(j.geodist("Sicily", "Palermo", "Catania")).isCloseTo(166274.1516, within(1e-4));
        assertThat(j.geodist("Sicily", "Palermo", "Catania", GeoUnit.KM)).isCloseTo(166.2742, within(1e-4));
        assertThat(j.geodist("Sicily", "Palermo", "nowhere")).isNull();
        assertThat(j.geodist("nokey", "a", "b")).isNull();
        List<GeoCoordinate> pos = j.geopos("Sicily", "Palermo", "nowhere");
        assertThat(pos.get(0).getLongitude()).isCloseTo(13.361389, within(1e-5));
        assertThat(pos.get(0).getLatitude()).isCloseTo(38.115556, within(1e-5));
        assertThat(pos.get(1)).isNull();
        assertThat(j.geohash("Sicily", "Palermo", "Catania", "nowhere")).containsExactly("sqc8b49rny0", "sqdtr74hyu0", null);
        assertThat(j.geohash("nokey", "a")).containsExactly((String) null);
        // NX/XX/CH as ZADD.
        assertThat(j.geoadd("Sicily", GeoAddParams.geoAddParams().nx(), Map.of("Palermo", new GeoCoordinate(1, 1)))).isZero();
        assertThat(j.geoadd("Sicily", GeoAddParams.geoAddParams().xx().ch(), Map.of("Palermo", new GeoCoordinate(1, 1)))).isEqualTo(1);
        assertThat(j.geopos("Sicily", "Palermo").get(0).getLongitude()).isCloseTo(1, within(1e-5));
        assertThat(lettuce.geopos("Sicily", "Catania").get(0).getX().doubleValue()).isCloseTo(15.087269, within(1e-5));
        assertThat(lettuce.geodist("Sicily", "Catania", "Oslo", GeoArgs.Unit.mi)).isGreaterThan(1000);
    }

    @Test
    void searchesByRadiusAndBox() {
        addCities("Sicily");
        List<GeoRadiusResponse> near = j.geosearch("Sicily", GeoSearchParam.geoSearchParam()
                .fromLonLat(15, 37).byRadius(200, GeoUnit.KM).asc().withDist().withCoord());
        assertThat(near).extracting(GeoRadiusResponse::getMemberByString).containsExactly("Catania", "Palermo");
        assertThat(near.get(0).getDistance()).isCloseTo(56.4413, within(1e-4));
        assertThat(j.geosearch("Sicily", GeoSearchParam.geoSearchParam().fromMember("Palermo").byBox(400, 400, GeoUnit.KM).desc()))
                .extracting(GeoRadiusResponse::getMemberByString).containsExactly("Catania", "Palermo");
        assertThat(j.geosearch("Sicily", GeoSearchParam.geoSearchParam().fromLonLat(15, 37).byRadius(5000, GeoUnit.KM).asc().count(1)))
                .extracting(GeoRadiusResponse::getMemberByString).containsExactly("Catania");
        assertThat(j.georadius("Sicily", 15, 37, 200, GeoUnit.KM)).hasSize(2);
        assertThat(j.georadiusByMemberReadonly("Sicily", "Oslo", 10, GeoUnit.KM))
                .extracting(GeoRadiusResponse::getMemberByString).containsExactly("Oslo");
        assertThat(j.geosearch("nokey", GeoSearchParam.geoSearchParam().fromLonLat(0, 0).byRadius(1, GeoUnit.M))).isEmpty();
        // RESP3 through Lettuce: distances and coordinates as doubles.
        List<GeoWithin<String>> within = lettuce.geosearch("Sicily", GeoSearch.fromCoordinates(15, 37), GeoSearch.byRadius(200, GeoArgs.Unit.km),
                new GeoArgs().withDistance().withCoordinates().withHash().asc());
        assertThat(within).extracting(GeoWithin::getMember).containsExactly("Catania", "Palermo");
        assertThat(within.get(1).getDistance()).isCloseTo(190.4424, within(1e-4));
        assertThat(within.get(1).getGeohash()).isEqualTo(3479099956230698L);
        GeoCoordinates c = within.get(1).getCoordinates();
        assertThat(c.getY().doubleValue()).isCloseTo(38.115556, within(1e-5));
    }

    @Test
    void storesIntoKeysOfOtherShards() throws Exception {
        String src = keyOn(0, "geo");
        String dst = keyOn(3, "out");
        addCities(src);
        assertThat(j.geosearchStore(dst, src, GeoSearchParam.geoSearchParam().fromLonLat(15, 37).byRadius(200, GeoUnit.KM)))
                .isEqualTo(2);
        // Stored as geo scores: the destination is itself a geo set.
        assertThat(j.geodist(dst, "Palermo", "Catania", GeoUnit.KM)).isCloseTo(166.2742, within(1e-4));
        assertThat(j.geosearchStoreStoreDist(dst, src, GeoSearchParam.geoSearchParam().fromLonLat(15, 37).byRadius(200, GeoUnit.KM)))
                .isEqualTo(2);
        assertThat(j.zscore(dst, "Catania")).isCloseTo(56.4413, within(1e-4));
        // Nothing found: the destination is deleted, as Redis does.
        assertThat(j.geosearchStore(dst, src, GeoSearchParam.geoSearchParam().fromLonLat(-100, 0).byRadius(1, GeoUnit.KM))).isZero();
        assertThat(j.exists(dst)).isFalse();
        assertThat(raw.call("GEORADIUS", src, "15", "37", "200", "km", "STORE", dst)).isEqualTo(2L);
        assertThat(j.zcard(dst)).isEqualTo(2);
        assertThat(raw.call("GEORADIUSBYMEMBER", src, "Oslo", "1", "km", "STOREDIST", dst)).isEqualTo(1L);
        assertThat(j.zscore(dst, "Oslo")).isZero();
    }

    @Test
    void badInputGetsRedisErrors() throws Exception {
        addCities("Sicily");
        j.set("str", "x");
        assertThat(error("GEOADD", "Sicily", "200", "10", "m")).isEqualTo("ERR invalid longitude,latitude pair 200.000000,10.000000");
        assertThat(error("GEOADD", "Sicily", "10", "86", "m")).isEqualTo("ERR invalid longitude,latitude pair 10.000000,86.000000");
        assertThat(error("GEOADD", "Sicily", "x", "10", "m")).isEqualTo("ERR value is not a valid float");
        assertThat(error("GEOADD", "Sicily", "10", "10", "m", "20")).isEqualTo("ERR syntax error");
        assertThat(error("GEOADD", "Sicily", "NX", "XX", "10", "10", "m")).isEqualTo("ERR syntax error");
        assertThat(error("GEOADD", "str", "10", "10", "m")).startsWith("WRONGTYPE");
        assertThat(error("GEODIST", "Sicily", "Palermo", "Catania", "parsec")).isEqualTo("ERR unsupported unit provided. please use M, KM, FT, MI");
        assertThat(error("GEOPOS", "str", "a")).startsWith("WRONGTYPE");
        assertThat(error("GEOSEARCH", "Sicily", "FROMMEMBER", "nowhere", "BYRADIUS", "1", "km"))
                .isEqualTo("ERR could not decode requested zset member");
        // Two centres or two shapes are a syntax error; none is named (the command's name as sent).
        assertThat(error("GEOSEARCH", "Sicily", "FROMLONLAT", "1", "1", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "km")).isEqualTo("ERR syntax error");
        assertThat(error("GEOSEARCH", "Sicily", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "BYBOX", "1", "1", "km")).isEqualTo("ERR syntax error");
        assertThat(error("GEOSEARCH", "Sicily", "BYRADIUS", "1", "km", "ASC", "WITHDIST"))
                .isEqualTo("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH");
        assertThat(error("GEOSEARCH", "Sicily", "FROMLONLAT", "1", "1", "ASC", "WITHDIST"))
                .isEqualTo("ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH");
        assertThat(error("GEOSEARCH", "Sicily", "FROMLONLAT", "1", "1", "BYRADIUS", "-1", "km")).isEqualTo("ERR radius cannot be negative");
        assertThat(error("GEOSEARCH", "Sicily", "FROMLONLAT", "1", "1", "BYBOX", "-1", "1", "km")).isEqualTo("ERR height or width cannot be negative");
        assertThat(error("GEOSEARCH", "Sicily", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "ANY")).isEqualTo("ERR the ANY argument requires COUNT argument");
        assertThat(error("GEOSEARCH", "Sicily", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "COUNT", "0")).isEqualTo("ERR COUNT must be > 0");
        assertThat(error("GEOSEARCH", "Sicily", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "STORE", "x")).isEqualTo("ERR syntax error");
        assertThat(error("GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STORE", "x")).isEqualTo("ERR syntax error");
        assertThat(error("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "x", "WITHDIST"))
                .isEqualTo("ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        assertThat(error("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km", "WITHCOORD"))
                .isEqualTo("ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        assertThat(error("GEOADD", "Sicily", "1", "1")).isEqualTo("ERR wrong number of arguments for 'geoadd' command");
        // The key is unharmed by all of it.
        assertThat(j.zcard("Sicily")).isEqualTo(3);
        assertThat(j.get("str")).isEqualTo("x");
    }
}
