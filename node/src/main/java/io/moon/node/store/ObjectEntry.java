package io.moon.node.store;

/**
 * A keyspace entry for every type but plain strings: the key, its expiry and the value object
 * (a hash, list, set... of the type API). Changing the expiry changes this object in place.
 */
public final class ObjectEntry {
    final byte[] key;
    long expireAt = Entries.NO_EXPIRE;
    public Object value;
    /** Bytes this entry added to its database's used memory when last accounted (see Db). */
    long accounted;

    public ObjectEntry(byte[] key, Object value) {
        this.key = key;
        this.value = value;
    }

    public byte[] key() { return key; }
    public long expireAt() { return expireAt; }

    /** Sets the expiry of an entry not yet in a table (loading); in a table use Db.setExpire. */
    public void setExpireAt(long at) { this.expireAt = at; }

    long memoryUsage() {
        long v = value instanceof SizedValue s ? s.memoryUsage() : 64;
        return Jvm.objectSize(24) + Jvm.arraySize(key.length) + v;
    }
}
