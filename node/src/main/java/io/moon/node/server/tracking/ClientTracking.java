package io.moon.node.server.tracking;

import java.util.ArrayList;
import java.util.List;

/**
 * One client's CLIENT TRACKING state (Redis's CLIENT_TRACKING* flags, client_tracking_redirection
 * and client_tracking_prefixes).
 *
 * <p>Thread rules: changed only on the client's own loop (CLIENT TRACKING, CLIENT CACHING, RESET,
 * disconnect, through {@link Tracking}); the flags and the redirection are volatile because
 * shards read them when they send invalidations. {@link #caching} and the prefix list are read
 * and written on the client's loop only; {@link #scriptRead} on the script thread only.
 */
public final class ClientTracking {
    private volatile boolean on, bcast, optin, optout, noloop, brokenRedirect;
    private volatile long redirect;
    /** CLIENT CACHING yes|no, given for the next command (Redis's CLIENT_TRACKING_CACHING). */
    private boolean caching;
    private final List<byte[]> prefixes = new ArrayList<>();
    /** A script this client runs called a read-only command: its declared keys are remembered. */
    private boolean scriptRead;

    public boolean on() { return on; }
    public boolean bcast() { return bcast; }
    public boolean optin() { return optin; }
    public boolean optout() { return optout; }
    public boolean noloop() { return noloop; }
    public boolean brokenRedirect() { return brokenRedirect; }
    /** The client id invalidations go to; 0 for the client itself. */
    public long redirect() { return redirect; }
    public boolean caching() { return caching; }
    public List<byte[]> prefixes() { return prefixes; }

    /** CLIENT CACHING yes|no: applies to the next command (or the next transaction). */
    public void caching(boolean given) { this.caching = given; }

    /**
     * Whether the keys a read-only command reads now are remembered for this client: tracking on
     * in default mode, and in OPTIN mode only after CLIENT CACHING yes, in OPTOUT mode unless after
     * CLIENT CACHING no (Redis's trackingRememberKeys).
     */
    public boolean remembersNextRead() {
        if (!on || bcast) return false;
        if (optin && !caching) return false;
        return !(optout && caching);
    }

    /** On the script thread: the running script called a read-only command. */
    public void markScriptRead() { scriptRead = true; }

    /** After a script command: whether it called a read-only command (and forget it). */
    public boolean takeScriptRead() {
        boolean r = scriptRead;
        scriptRead = false;
        return r;
    }

    void enable(long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop) {
        this.redirect = redirect;
        this.brokenRedirect = false;
        this.bcast = bcast;
        this.optin = optin;
        this.optout = optout;
        this.noloop = noloop;
        this.on = true;
    }

    void disable() {
        on = bcast = optin = optout = noloop = brokenRedirect = caching = false;
        prefixes.clear();
    }

    void redirectBroken() { brokenRedirect = true; }
}
