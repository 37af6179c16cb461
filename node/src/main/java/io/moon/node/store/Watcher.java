package io.moon.node.store;

/** A client that WATCHes keys: told when one of them changes (Redis's CLIENT_DIRTY_CAS). */
public interface Watcher {
    /**
     * A key watched under {@code epoch} changed. Called on the thread that changed it; the
     * watcher ignores epochs it has since left (UNWATCH, EXEC, DISCARD start a new one).
     */
    void watchedKeyTouched(long epoch);
}
