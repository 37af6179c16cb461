package io.moon.node.store.geo;

/** A member a search found (Redis's geoPoint): its name, its score, its decoded place, its distance in meters. */
public record GeoPoint(byte[] member, double score, double lon, double lat, double dist) {}
