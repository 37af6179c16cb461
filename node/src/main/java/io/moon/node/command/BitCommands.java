package io.moon.node.command;

import io.moon.node.pubsub.KeyspaceEvents;
import io.moon.node.store.Db;
import io.moon.node.store.Entries;
import io.moon.node.store.bits.BitField;
import io.moon.node.store.bits.BitField.Overflow;
import io.moon.node.store.bits.BitOp;
import io.moon.node.store.bits.Bitmap;

/**
 * The bitmap family (Redis's bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and
 * BITFIELD_RO over plain string values, so GET, SET, APPEND and DUMP see the same bytes.
 *
 * <p>A change that keeps the string's length is made in place in the keyspace entry (SETBIT on an
 * existing bit, BITFIELD inside the string), as Redis changes its sds; a string that must grow
 * gets a new, zero-padded entry that keeps the key's expiry. Arguments are checked in Redis's
 * order, all of them before any data changes.
 */
public final class BitCommands {
    private BitCommands() {}

    static final String BIT_OFFSET = "ERR bit offset is not an integer or out of range";
    static final String BIT_VALUE = "ERR bit is not an integer or out of range";
    static final String BITFIELD_TYPE = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not"
            + " supported but i64 is.";
    static final String BITPOS_BIT = "ERR The bit argument must be 1 or 0.";
    static final String BITOP_NOT_ONE_KEY = "ERR BITOP NOT must be called with a single source key.";
    static final String OVERFLOW_TYPE = "ERR Invalid OVERFLOW type specified";
    static final String BITFIELD_RO_WRITE = "ERR BITFIELD_RO only supports the GET subcommand";

    private static final byte[] NO_BYTES = new byte[0];

    static void register(CommandTable t) {
        t.add(new CommandSpec("setbit", 4, "write denyoom", 1, 1, 1, "@bitmap", BitCommands::setbit)
                .keyFlags("RW access update")
                .doc("bitmap", "2.2.0", "Sets or clears the bit at offset in the string value stored at key")
                .complexity("O(1)"));
        t.add(new CommandSpec("getbit", 3, "readonly fast", 1, 1, 1, "@bitmap", BitCommands::getbit)
                .keyFlags("RO access")
                .doc("bitmap", "2.2.0", "Returns the bit value at offset in the string value stored at key")
                .complexity("O(1)"));
        t.add(new CommandSpec("bitcount", -2, "readonly", 1, 1, 1, "@bitmap", BitCommands::bitcount)
                .keyFlags("RO access")
                .doc("bitmap", "2.6.0", "Count set bits in a string").complexity("O(N)"));
        t.add(new CommandSpec("bitpos", -3, "readonly", 1, 1, 1, "@bitmap", BitCommands::bitpos)
                .keyFlags("RO access")
                .doc("bitmap", "2.8.7", "Find first bit set or clear in a string").complexity("O(N)"));
        t.add(new CommandSpec("bitop", -4, "write denyoom", 2, -1, 1, "@bitmap", BitCommands::bitop)
                .keySpecs(KeySpec.range("OW update", 2, 0, 1), KeySpec.range("RO access", 3, -1, 1))
                .doc("bitmap", "2.6.0", "Perform bitwise operations between strings").complexity("O(N)"));
        t.add(new CommandSpec("bitfield", -2, "write denyoom", 1, 1, 1, "@bitmap", c -> bitfield(c, false))
                .keySpecs(KeySpec.range("RW access update variable_flags", 1, 0, 1)
                        .withNotes("This command allows both access and modification of the key")
                        .resolvedBy(BitCommands::bitfieldKeyFlags))
                .doc("bitmap", "3.2.0", "Perform arbitrary bitfield integer operations on strings")
                .complexity("O(1) for each subcommand specified"));
        t.add(new CommandSpec("bitfield_ro", -2, "readonly fast", 1, 1, 1, "@bitmap", c -> bitfield(c, true))
                .keyFlags("RO access")
                .doc("bitmap", "6.0.0", "Perform arbitrary bitfield integer operations on strings. Read-only variant"
                        + " of BITFIELD")
                .complexity("O(1) for each subcommand specified"));
    }

    /** BITFIELD's key is only read when every operation is a GET (Redis's bitfieldGetKeys). */
    static String bitfieldKeyFlags(String[] args) {
        for (int i = 2; i < args.length; i++) {
            int rest = args.length - i - 1;
            String a = args[i];
            if (a.equalsIgnoreCase("get") && rest >= 2) {
                i += 2;
            } else if (a.equalsIgnoreCase("overflow") && rest >= 1) {
                i += 1;
            } else {
                return "RW access update"; // a SET, an INCRBY or a syntax error: assume a write
            }
        }
        return "RO access";
    }

    // ---------------------------------------------------------------- arguments

    /**
     * Redis's getBitOffsetFromArgument: a bit offset below proto-max-bulk-len bytes; with
     * {@code bits} > 0, "#n" means n * bits (BITFIELD's field index).
     */
    static long bitOffset(CommandContext c, int i, int bits) {
        byte[] b = c.buf();
        int off = c.off(i), len = c.len(i);
        boolean index = bits > 0 && len > 0 && b[off] == '#';
        if (index) {
            off++;
            len--;
        }
        long v = Numbers.parseLong(b, off, len);
        if (v == Numbers.NOT_A_NUMBER && !Numbers.isLong(b, off, len)) throw new RedisError(BIT_OFFSET);
        if (index) v *= bits; // wraps as C's does; a negative result is refused below
        if (v < 0 || (v >>> 3) >= c.node().config().protoMaxBulkLen()) throw new RedisError(BIT_OFFSET);
        return v;
    }

    /** Redis's getBitfieldTypeFromArgument: "i1".."i64" or "u1".."u63"; negative bits for signed. */
    static int bitfieldType(CommandContext c, int i) {
        byte[] b = c.buf();
        int off = c.off(i), len = c.len(i);
        if (len == 0 || (b[off] != 'i' && b[off] != 'u')) throw new RedisError(BITFIELD_TYPE);
        boolean signed = b[off] == 'i';
        int digits = 0;
        while (1 + digits < len && b[off + 1 + digits] != 0) digits++; // C's strlen stops at a NUL
        long bits = Numbers.parseLong(b, off + 1, digits);
        if (bits < 1 || bits > (signed ? 64 : 63)) throw new RedisError(BITFIELD_TYPE);
        return signed ? (int) -bits : (int) bits;
    }

    // ---------------------------------------------------------------- writing bits

    /**
     * Redis's lookupStringForBitCommand: the string entry long enough to hold bit {@code maxBit}.
     * That is {@code old} itself when it is long enough; otherwise a new entry (not stored yet) with
     * old's bytes, zeros after them, and old's expiry. {@code old} is null for a missing key.
     */
    private static byte[] withRoomFor(CommandContext c, byte[] old, long maxBit) {
        long need = (maxBit >>> 3) + 1;
        int oldLen = old == null ? 0 : Entries.valueLength(old);
        if (need <= oldLen) return old;
        if (need > StringCommands.MAX_ENTRY_LENGTH - c.len(1)) throw new RedisError(BIT_OFFSET);
        byte[] e = Entries.newString(c.buf(), c.off(1), c.len(1), (int) need,
                old == null ? Entries.NO_EXPIRE : Entries.expireAt(old));
        if (old != null) System.arraycopy(old, Entries.valueOffset(old), e, e.length - (int) need, oldLen);
        return e;
    }

    /**
     * After bits of {@code e} changed: stores e when it is a new entry, else tells the database its
     * value changed in place. Either counts one change; {@code more} adds to Redis's dirty counter.
     */
    private static void changed(CommandContext c, byte[] old, byte[] e, long more) {
        Db db = c.db(1);
        if (e != old) db.set(e);
        else db.keyModified(c.buf(), c.off(1), c.len(1));
        c.shardOfKey(1).keyspace().dirty += more;
    }

    // ---------------------------------------------------------------- SETBIT / GETBIT

    static void setbit(CommandContext c) {
        long offset = bitOffset(c, 2, 0);
        long on = c.longArg(3, BIT_VALUE);
        if ((on & ~1L) != 0) throw new RedisError(BIT_VALUE);
        byte[] old = StringCommands.writeString(c, 1);
        byte[] e = withRoomFor(c, old, offset);
        int at = Entries.valueOffset(e) + (int) (offset >>> 3);
        int shift = 7 - (int) (offset & 7);
        int was = (e[at] >>> shift) & 1;
        // A new or longer string is a change even when the bit stays 0.
        if (e != old || was != on) {
            e[at] = (byte) ((e[at] & ~(1 << shift)) | ((int) on << shift));
            changed(c, old, e, 0);
            c.notify(KeyspaceEvents.STRING, "setbit", 1);
        }
        c.reply().integer(was);
    }

    static void getbit(CommandContext c) {
        long offset = bitOffset(c, 2, 0);
        byte[] e = StringCommands.readString(c, 1);
        int bit = 0;
        if (e != null) {
            int vo = Entries.valueOffset(e);
            long at = offset >>> 3;
            if (at < e.length - vo) bit = (e[vo + (int) at] >>> (7 - (int) (offset & 7))) & 1;
        }
        c.reply().integer(bit);
    }

    // ---------------------------------------------------------------- BITCOUNT / BITPOS

    /** BITCOUNT key [start end [BYTE|BIT]]: a missing key answers 0 before the range is read. */
    static void bitcount(CommandContext c) {
        byte[] e = StringCommands.readString(c, 1);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        int vo = Entries.valueOffset(e);
        long strlen = e.length - vo;
        Range r;
        boolean bitUnit = false;
        if (c.argc() == 4 || c.argc() == 5) {
            long start = c.longArg(2), end = c.longArg(3);
            if (start < 0 && end < 0 && start > end) {
                c.reply().integer(0);
                return;
            }
            if (c.argc() == 5) bitUnit = unit(c, 4);
            r = Range.of(start, end, bitUnit ? strlen << 3 : strlen);
        } else if (c.argc() == 2) {
            r = new Range(0, strlen - 1);
        } else {
            throw RedisError.syntax();
        }
        if (r.start > r.end) c.reply().integer(0);
        else if (bitUnit) c.reply().integer(Bitmap.count(e, vo, r.start, r.end));
        else c.reply().integer(Bitmap.popcount(e, vo + (int) r.start, vo + (int) r.end + 1));
    }

    /** An inclusive range of bytes or bits of a string. */
    private record Range(long start, long end) {
        /** Negative indexes count from the end ({@code total} units), then both are clamped, as Redis. */
        static Range of(long start, long end, long total) {
            if (start < 0) start = total + start;
            if (end < 0) end = total + end;
            if (start < 0) start = 0;
            if (end < 0) end = 0;
            if (end >= total) end = total - 1;
            return new Range(start, end);
        }
    }

    /**
     * BITPOS key bit [start [end [BYTE|BIT]]]. A missing key is an endless run of zeros. Without an
     * end, a string of all ones has its first 0 just past its end; with one, there is none (-1).
     */
    static void bitpos(CommandContext c) {
        long bit = c.longArg(2);
        if (bit != 0 && bit != 1) throw new RedisError(BITPOS_BIT);
        byte[] e = StringCommands.readString(c, 1);
        if (e == null) {
            c.reply().integer(bit == 1 ? -1 : 0);
            return;
        }
        int vo = Entries.valueOffset(e);
        long strlen = e.length - vo;
        Range r;
        boolean bitUnit = false, endGiven = false;
        if (c.argc() >= 4 && c.argc() <= 6) {
            long start = c.longArg(3), end;
            if (c.argc() == 6) bitUnit = unit(c, 5);
            if (c.argc() >= 5) {
                end = c.longArg(4);
                endGiven = true;
            } else {
                end = bitUnit ? (strlen << 3) + 7 : strlen - 1;
            }
            r = Range.of(start, end, bitUnit ? strlen << 3 : strlen);
        } else if (c.argc() == 3) {
            r = new Range(0, strlen - 1);
        } else {
            throw RedisError.syntax();
        }
        if (r.start > r.end) {
            c.reply().integer(-1);
            return;
        }
        long fromBit = bitUnit ? r.start : r.start << 3, toBit = bitUnit ? r.end : (r.end << 3) + 7;
        long pos = Bitmap.position(e, vo, fromBit, toBit, (int) bit);
        if (pos < 0 && bit == 0 && !endGiven) pos = toBit + 1;
        c.reply().integer(pos);
    }

    /** BIT (true) or BYTE (false); anything else is a syntax error. */
    private static boolean unit(CommandContext c, int i) {
        if (c.is(i, "bit")) return true;
        if (c.is(i, "byte")) return false;
        throw RedisError.syntax();
    }

    // ---------------------------------------------------------------- BITOP

    /**
     * BITOP AND|OR|XOR|NOT destkey key [key ...]: the result (as long as the longest source) replaces
     * destkey without its expiry; an empty result deletes it. Keys may be on any shards: the command
     * then runs with all of them held.
     */
    static void bitop(CommandContext c) {
        BitOp op;
        if (c.is(1, "and")) op = BitOp.AND;
        else if (c.is(1, "or")) op = BitOp.OR;
        else if (c.is(1, "xor")) op = BitOp.XOR;
        else if (c.is(1, "not")) op = BitOp.NOT;
        else throw RedisError.syntax();
        if (op == BitOp.NOT && c.argc() != 4) throw new RedisError(BITOP_NOT_ONE_KEY);

        int n = c.argc() - 3;
        byte[][] src = new byte[n][];
        int[] off = new int[n], len = new int[n];
        int maxLen = 0;
        for (int j = 0; j < n; j++) {
            Object o = c.lookupRead(3 + j);
            if (o == null) {
                src[j] = NO_BYTES;
                continue;
            }
            if (!(o instanceof byte[] e)) throw RedisError.wrongType();
            src[j] = e;
            off[j] = Entries.valueOffset(e);
            len[j] = e.length - off[j];
            maxLen = Math.max(maxLen, len[j]);
        }

        Db db = c.db(2);
        if (maxLen == 0) {
            if (db.delete(c.buf(), c.off(2), c.len(2)) != null) c.notify(KeyspaceEvents.GENERIC, "del", 2);
            c.reply().integer(0);
            return;
        }
        byte[] result = Entries.newString(c.buf(), c.off(2), c.len(2), maxLen, Entries.NO_EXPIRE);
        op.apply(src, off, len, result, result.length - maxLen, maxLen);
        c.lookupWrite(2);
        db.set(result);
        c.notify(KeyspaceEvents.STRING, "set", 2);
        c.reply().integer(maxLen);
    }

    // ---------------------------------------------------------------- BITFIELD

    private static final int GET = 0, SET = 1, INCRBY = 2;

    /** One parsed BITFIELD operation; {@code bits} is negative for a signed type. */
    private record FieldOp(int kind, int bits, long offset, long value, Overflow overflow) {}

    /**
     * BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment]
     * [OVERFLOW WRAP|SAT|FAIL] ..., and BITFIELD_RO with GETs only. Every operation is parsed
     * before any runs; operations that write grow the string once, to the farthest bit written.
     */
    static void bitfield(CommandContext c, boolean readOnlyCommand) {
        FieldOp[] ops = new FieldOp[(c.argc() - 2) / 3 + 1];
        int count = 0;
        Overflow overflow = Overflow.WRAP;
        boolean readonly = true;
        long highestWrite = 0;
        for (int j = 2; j < c.argc(); j++) {
            int rest = c.argc() - j - 1;
            int kind;
            if (c.is(j, "get") && rest >= 2) {
                kind = GET;
            } else if (c.is(j, "set") && rest >= 3) {
                kind = SET;
            } else if (c.is(j, "incrby") && rest >= 3) {
                kind = INCRBY;
            } else if (c.is(j, "overflow") && rest >= 1) {
                j++;
                if (c.is(j, "wrap")) overflow = Overflow.WRAP;
                else if (c.is(j, "sat")) overflow = Overflow.SAT;
                else if (c.is(j, "fail")) overflow = Overflow.FAIL;
                else throw new RedisError(OVERFLOW_TYPE);
                continue;
            } else {
                throw RedisError.syntax();
            }
            int bits = bitfieldType(c, j + 1);
            long offset = bitOffset(c, j + 2, Math.abs(bits));
            long value = 0;
            if (kind != GET) {
                readonly = false;
                highestWrite = Math.max(highestWrite, offset + Math.abs(bits) - 1);
                value = c.longArg(j + 3);
            }
            ops[count++] = new FieldOp(kind, bits, offset, value, overflow);
            j += kind == GET ? 2 : 3;
        }

        byte[] old = null, e;
        if (readonly) {
            e = StringCommands.readString(c, 1);
        } else {
            if (readOnlyCommand) throw new RedisError(BITFIELD_RO_WRITE);
            old = StringCommands.writeString(c, 1);
            e = withRoomFor(c, old, highestWrite);
        }
        boolean grew = !readonly && e != old;
        int vo = e == null ? 0 : Entries.valueOffset(e), vl = e == null ? 0 : e.length - vo;

        c.reply().arrayHeader(count);
        long changes = 0;
        for (int k = 0; k < count; k++) {
            FieldOp op = ops[k];
            if (op.kind == GET) {
                c.reply().integer(op.bits < 0 ? BitField.getSigned(e, vo, vl, op.offset, -op.bits)
                        : BitField.getUnsigned(e, vo, vl, op.offset, op.bits));
            } else if (write(c, op, e, vo, vl, grew)) {
                changes++;
            }
        }
        if (changes > 0) {
            changed(c, old, e, changes - 1);
            c.notify(KeyspaceEvents.STRING, "setbit", 1);
        } else if (grew) {
            // Every write failed (OVERFLOW FAIL) yet the key was created or padded, as in Redis.
            // Redis counts no change then, so its AOF and replicas miss the key; here it counts
            // as one, so the write-ahead log keeps it.
            c.db(1).set(e);
        }
    }

    /**
     * One SET or INCRBY: replies with the old value (SET) or the new one (INCRBY), or nil when
     * OVERFLOW FAIL refuses it. True when it counts as a change (the value differs, or the string
     * is new or grew).
     */
    private static boolean write(CommandContext c, FieldOp op, byte[] e, int vo, int vl, boolean grew) {
        int bits = Math.abs(op.bits);
        long old, updated, reply;
        int overflow;
        if (op.bits < 0) {
            old = BitField.getSigned(e, vo, vl, op.offset, bits);
            long incr = op.kind == INCRBY ? op.value : 0, base = op.kind == INCRBY ? old : op.value;
            overflow = BitField.signedOverflow(base, incr, bits);
            updated = overflow != 0 ? BitField.signedLimit(base, incr, bits, op.overflow, overflow) : base + incr;
        } else {
            old = BitField.getUnsigned(e, vo, vl, op.offset, bits);
            long incr = op.kind == INCRBY ? op.value : 0, base = op.kind == INCRBY ? old : op.value;
            overflow = BitField.unsignedOverflow(base, incr, bits);
            updated = overflow != 0 ? BitField.unsignedLimit(base, incr, bits, op.overflow, overflow) : base + incr;
        }
        reply = op.kind == INCRBY ? updated : old;
        if (overflow != 0 && op.overflow == Overflow.FAIL) {
            c.reply().nullBulk();
            return false;
        }
        c.reply().integer(reply);
        BitField.set(e, vo, op.offset, bits, updated);
        return grew || old != updated;
    }
}
