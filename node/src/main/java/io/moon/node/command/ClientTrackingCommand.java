package io.moon.node.command;

import io.moon.node.server.Connection;
import io.moon.node.server.tracking.ClientTracking;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO: client-side caching, as Redis's
 * networking.c clientCommand and tracking.c. They run on the calling client's loop; the state is
 * the connection's {@link ClientTracking}, the tables are the shards' (see
 * {@link io.moon.node.server.tracking.Tracking}).
 */
final class ClientTrackingCommand {
    private ClientTrackingCommand() {}

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP]. */
    static void tracking(CommandContext c) {
        long redirect = 0;
        boolean bcast = false, optin = false, optout = false, noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < c.argc(); j++) {
            boolean more = j + 1 < c.argc();
            if (c.is(j, "redirect") && more) {
                j++;
                if (redirect != 0) throw new RedisError("ERR A client can only redirect to a single other client");
                redirect = c.longArg(j);
                // The target must exist now, though it may go away later (then the redirection breaks).
                if (c.node().clients().get(redirect) == null) {
                    throw new RedisError("ERR The client ID you want redirect to does not exist");
                }
            } else if (c.is(j, "bcast")) {
                bcast = true;
            } else if (c.is(j, "optin")) {
                optin = true;
            } else if (c.is(j, "optout")) {
                optout = true;
            } else if (c.is(j, "noloop")) {
                noloop = true;
            } else if (c.is(j, "prefix") && more) {
                prefixes.add(c.arg(++j));
            } else {
                throw RedisError.syntax();
            }
        }
        Connection conn = c.conn();
        ClientTracking t = conn.tracking();
        if (c.is(2, "on")) {
            if (!bcast && !prefixes.isEmpty()) throw new RedisError("ERR PREFIX option requires BCAST mode to be enabled");
            if (t.on() && t.bcast() != bcast) {
                throw new RedisError("ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
                        + "and then re-enabling it with a different mode.");
            }
            if (bcast && (optin || optout)) throw new RedisError("ERR OPTIN and OPTOUT are not compatible with BCAST");
            if (optin && optout) throw new RedisError("ERR You can't specify both OPTIN mode and OPTOUT mode");
            if ((optin && t.optout()) || (optout && t.optin())) {
                throw new RedisError("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
                        + "and then re-enabling it with a different mode.");
            }
            if (bcast) checkPrefixCollisions(t.prefixes(), prefixes);
            c.node().tracking().enable(conn, redirect, bcast, optin, optout, noloop, prefixes);
        } else if (c.is(2, "off")) {
            c.node().tracking().disable(conn);
        } else {
            throw RedisError.syntax();
        }
        c.reply().ok();
    }

    /**
     * Redis's checkPrefixCollisionsOrReply: two prefixes of one client collide when one starts
     * the other (a key would be announced twice).
     */
    private static void checkPrefixCollisions(List<byte[]> existing, List<byte[]> given) {
        for (int i = 0; i < given.size(); i++) {
            byte[] p = given.get(i);
            for (byte[] e : existing) {
                if (overlap(e, p)) {
                    throw new RedisError("ERR Prefix '" + text(p) + "' overlaps with an existing prefix '" + text(e)
                            + "'. Prefixes for a single client must not overlap.");
                }
            }
            for (int j = i + 1; j < given.size(); j++) {
                if (overlap(p, given.get(j))) {
                    throw new RedisError("ERR Prefix '" + text(p) + "' overlaps with another provided prefix '"
                            + text(given.get(j)) + "'. Prefixes for a single client must not overlap.");
                }
            }
        }
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    private static String text(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

    /** CLIENT CACHING YES|NO: in OPTIN (YES) or OPTOUT (NO) mode, for the next command. */
    static void caching(CommandContext c) {
        ClientTracking t = c.conn().tracking();
        if (!t.on()) {
            throw new RedisError("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN "
                    + "or OPTOUT mode enabled");
        }
        if (c.is(2, "yes")) {
            if (!t.optin()) throw new RedisError("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
        } else if (c.is(2, "no")) {
            if (!t.optout()) throw new RedisError("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
        } else {
            throw RedisError.syntax();
        }
        t.caching(true);
        c.reply().ok();
    }

    /** CLIENT GETREDIR: the redirection target, 0 for none, -1 when tracking is off. */
    static void getredir(CommandContext c) {
        ClientTracking t = c.conn().tracking();
        c.reply().integer(t.on() ? t.redirect() : -1);
    }

    /** CLIENT TRACKINGINFO: a map of flags (a set), redirect and prefixes. */
    static void trackinginfo(CommandContext c) {
        ClientTracking t = c.conn().tracking();
        List<String> flags = new ArrayList<>();
        flags.add(t.on() ? "on" : "off");
        if (t.bcast()) flags.add("bcast");
        if (t.optin()) {
            flags.add("optin");
            if (t.caching()) flags.add("caching-yes");
        }
        if (t.optout()) {
            flags.add("optout");
            if (t.caching()) flags.add("caching-no");
        }
        if (t.noloop()) flags.add("noloop");
        if (t.brokenRedirect()) flags.add("broken_redirect");
        var r = c.reply();
        r.mapHeader(3);
        r.bulk("flags");
        r.setHeader(flags.size());
        for (String f : flags) r.bulk(f);
        r.bulk("redirect");
        r.integer(t.on() ? t.redirect() : -1);
        r.bulk("prefixes");
        // Redis keeps them in a radix tree: they come out sorted.
        List<byte[]> prefixes = new ArrayList<>(t.prefixes());
        prefixes.sort(Arrays::compareUnsigned);
        r.arrayHeader(prefixes.size());
        for (byte[] p : prefixes) r.bulk(p);
    }
}
