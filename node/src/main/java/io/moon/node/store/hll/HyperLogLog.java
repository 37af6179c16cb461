package io.moon.node.store.hll;

import static io.moon.node.store.hll.HllLayout.DENSE;
import static io.moon.node.store.hll.HllLayout.DENSE_SIZE;
import static io.moon.node.store.hll.HllLayout.ENCODING_OFFSET;
import static io.moon.node.store.hll.HllLayout.HEADER_SIZE;
import static io.moon.node.store.hll.HllLayout.P;
import static io.moon.node.store.hll.HllLayout.Q;
import static io.moon.node.store.hll.HllLayout.REGISTERS;
import static io.moon.node.store.hll.HllLayout.SPARSE;
import static io.moon.node.store.hll.SparseRegisters.VAL_MAX_LEN;
import static io.moon.node.store.hll.SparseRegisters.VAL_MAX_VALUE;
import static io.moon.node.store.hll.SparseRegisters.ZERO_MAX_LEN;
import static io.moon.node.store.hll.SparseRegisters.isVal;
import static io.moon.node.store.hll.SparseRegisters.isXzero;
import static io.moon.node.store.hll.SparseRegisters.isZero;
import static io.moon.node.store.hll.SparseRegisters.val;
import static io.moon.node.store.hll.SparseRegisters.valLen;
import static io.moon.node.store.hll.SparseRegisters.valValue;
import static io.moon.node.store.hll.SparseRegisters.xzero;
import static io.moon.node.store.hll.SparseRegisters.xzeroLen;
import static io.moon.node.store.hll.SparseRegisters.zero;
import static io.moon.node.store.hll.SparseRegisters.zeroLen;

/**
 * One HyperLogLog value being read or changed: the type API over Redis's representation (see
 * {@link HllLayout}), hiding its two encodings from commands.
 *
 * <p>A value starts as a view of bytes owned by someone else (a string entry of the keyspace).
 * Changes that keep the length (a dense register, the cached cardinality) are made in place, in
 * those bytes. A sparse value whose opcodes must grow, or a conversion to dense, first moves the
 * value into an array of its own; {@link #copied()} then tells the caller to store
 * {@link #array()}'s bytes as the new value. Not thread-safe; used by one command at a time.
 */
public final class HyperLogLog {
    private byte[] b;
    private int off;
    private int len;
    private boolean copied;

    private HyperLogLog(byte[] b, int off, int len, boolean copied) {
        this.b = b;
        this.off = off;
        this.len = len;
        this.copied = copied;
    }

    /** A view of the value {@code b[off, off+len)}, which {@link HllLayout#isValid} accepted. */
    public static HyperLogLog over(byte[] b, int off, int len) { return new HyperLogLog(b, off, len, false); }

    /** A new value with every register zero, sparse (Redis's createHLLObject). */
    public static HyperLogLog empty() {
        byte[] b = new byte[SparseRegisters.EMPTY_SIZE + 1];
        HllLayout.writeHeader(b, 0, SPARSE);
        SparseRegisters.writeEmpty(b, HEADER_SIZE);
        return new HyperLogLog(b, 0, SparseRegisters.EMPTY_SIZE, true);
    }

    /** A new dense value with every register zero (PFSELFTEST's reference). */
    static HyperLogLog emptyDense() {
        byte[] b = new byte[DENSE_SIZE];
        HllLayout.writeHeader(b, 0, DENSE);
        return new HyperLogLog(b, 0, DENSE_SIZE, true);
    }

    /** True when the bytes now live in an array of this object's own, to be stored by the caller. */
    public boolean copied() { return copied; }
    public byte[] array() { return b; }
    public int offset() { return off; }
    public int length() { return len; }

    public boolean isDense() { return HllLayout.encoding(b, off) == DENSE; }

    // ---------------------------------------------------------------- adding

    /**
     * Redis's hllAdd: raises the register the element hashes to. Returns 1 when a register
     * changed, 0 when not, -1 when the sparse opcodes are corrupt. {@code sparseMaxBytes} is
     * hll-sparse-max-bytes: a sparse value that would grow past it becomes dense.
     */
    public int add(byte[] e, int eoff, int elen, long sparseMaxBytes) {
        long hash = MurmurHash64A.hash(e, eoff, elen, MurmurHash64A.HLL_SEED);
        int index = (int) (hash & (REGISTERS - 1));
        // The run "000..1" after the index bits, counting its final 1; the bit set at Q bounds it.
        int count = Long.numberOfTrailingZeros((hash >>> P) | (1L << Q)) + 1;
        return raise(index, count, sparseMaxBytes);
    }

    /** Raises register {@code index} to {@code count} (hllDenseSet / hllSparseSet); as {@link #add}. */
    public int raise(int index, int count, long sparseMaxBytes) {
        if (isDense()) return DenseRegisters.raise(b, off + HEADER_SIZE, index, count) ? 1 : 0;
        return sparseRaise(index, count, sparseMaxBytes);
    }

    /**
     * Redis's hllSparseToDense: no-op when dense already; false (value untouched) when the sparse
     * opcodes do not cover exactly 16384 registers. The header, cached cardinality included, is kept.
     */
    public boolean toDense() {
        if (isDense()) return true;
        byte[] d = new byte[DENSE_SIZE];
        System.arraycopy(b, off, d, 0, HEADER_SIZE);
        d[ENCODING_OFFSET] = DENSE;
        if (!SparseRegisters.decodeInto(b, off + HEADER_SIZE, off + len, d, HEADER_SIZE)) return false;
        b = d;
        off = 0;
        len = DENSE_SIZE;
        copied = true;
        return true;
    }

    /**
     * hllSparseSet, opcode for opcode, so that the bytes equal Redis's after the same additions:
     * find the opcode covering the register, split it into at most XZERO-VAL-XZERO, then merge
     * equal VALs around it; promote to dense when the value would not fit a VAL or the value
     * would pass {@code sparseMaxBytes}.
     */
    private int sparseRaise(int index, int count, long sparseMaxBytes) {
        if (count > VAL_MAX_VALUE) return promote(index, count);
        // Positions are relative to the first opcode until the value is known to change.
        int base = off + HEADER_SIZE, end = len - HEADER_SIZE;
        int p = 0, first = 0, span = 0, prev = -1;
        while (p < end) {
            int op = b[base + p] & 0xff, oplen = 1;
            if (isZero(op)) {
                span = zeroLen(op);
            } else if (isVal(op)) {
                span = valLen(op);
            } else {
                span = xzeroLen(op, p + 1 < end ? b[base + p + 1] & 0xff : 0);
                oplen = 2;
            }
            if (index <= first + span - 1) break;
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) return -1;

        int op = b[base + p] & 0xff;
        boolean zero = isZero(op), xzero = isXzero(op);
        int next = xzero ? p + 2 : p + 1;
        if (next >= end) next = -1;
        if (!zero && !xzero && valValue(op) >= count) return 0;
        int runlen = zero ? zeroLen(op) : xzero ? span : valLen(op);

        // A split grows the opcodes by 3 bytes at most; the moves below read one byte past the end.
        reserve(3);
        byte[] b = this.b;
        int sparse = off + HEADER_SIZE;
        p += sparse;
        end += sparse;
        if (prev >= 0) prev += sparse;
        if (next >= 0) next += sparse;

        if ((!zero && !xzero && runlen == 1) || (zero && runlen == 1)) {
            b[p] = val(count, 1);
            return mergeAround(prev, sparse, end);
        }

        byte[] seq = new byte[5];
        int n = 0;
        int last = first + span - 1;
        if (zero || xzero) {
            if (index != first) n = zeros(seq, n, index - first);
            seq[n++] = val(count, 1);
            if (index != last) n = zeros(seq, n, last - index);
        } else {
            int current = valValue(op);
            if (index != first) seq[n++] = val(current, index - first);
            seq[n++] = val(count, 1);
            if (index != last) seq[n++] = val(current, last - index);
        }

        int delta = n - (xzero ? 2 : 1);
        if (delta > 0 && (long) len + delta > sparseMaxBytes) return promote(index, count);
        if (delta != 0 && next >= 0) System.arraycopy(b, next, b, next + delta, end - next);
        resize(len + delta);
        System.arraycopy(seq, 0, b, p, n);
        end += delta;
        return mergeAround(prev, sparse, end);
    }

    private static int zeros(byte[] seq, int n, int len) {
        if (len > ZERO_MAX_LEN) {
            xzero(seq, n, len);
            return n + 2;
        }
        seq[n] = zero(len);
        return n + 1;
    }

    /** Step 4 of hllSparseSet: merge adjacent equal VALs in up to 5 opcodes from {@code prev}. */
    private int mergeAround(int prev, int sparse, int end) {
        byte[] b = this.b;
        int p = prev >= 0 ? prev : sparse;
        int scan = 5;
        while (p < end && scan-- != 0) {
            int op = b[p] & 0xff;
            if (isXzero(op)) {
                p += 2;
                continue;
            } else if (isZero(op)) {
                p++;
                continue;
            }
            if (p + 1 < end && isVal(b[p + 1] & 0xff)) {
                int right = b[p + 1] & 0xff;
                int v = valValue(op);
                if (v == valValue(right)) {
                    int merged = valLen(op) + valLen(right);
                    if (merged <= VAL_MAX_LEN) {
                        b[p + 1] = val(v, merged);
                        System.arraycopy(b, p + 1, b, p, end - p);
                        resize(len - 1);
                        end--;
                        continue;
                    }
                }
            }
            p++;
        }
        HllLayout.invalidateCache(b, off);
        return 1;
    }

    private int promote(int index, int count) {
        if (!toDense()) return -1;
        DenseRegisters.raise(b, off + HEADER_SIZE, index, count);
        return 1;
    }

    /** Makes the array this object's own with room for {@code extra} more bytes and the byte after them. */
    private void reserve(int extra) {
        if (copied && off + len + extra + 1 <= b.length) return;
        byte[] grown = new byte[Math.max(len + extra + 1, copied ? 2 * len : len + 64)];
        System.arraycopy(b, off, grown, 0, len);
        b = grown;
        off = 0;
        copied = true;
    }

    /** Redis's sdsIncrLen: the byte after the value reads as zero, as the sds terminator. */
    private void resize(int newLen) {
        len = newLen;
        if (off + len < b.length) b[off + len] = 0;
    }

    // ---------------------------------------------------------------- reading

    /** Redis's hllCount: the estimate, or -1 when the sparse opcodes are corrupt. */
    public long count() {
        int[] histogram = new int[HllEstimator.HISTOGRAM_SIZE];
        if (isDense()) {
            DenseRegisters.histogram(b, off + HEADER_SIZE, histogram);
        } else if (!SparseRegisters.histogram(b, off + HEADER_SIZE, off + len, histogram)) {
            return -1;
        }
        return HllEstimator.estimate(histogram);
    }

    /** hllMerge: max[i] = MAX(max[i], register i); false when the sparse opcodes are corrupt. */
    public boolean mergeInto(byte[] max) {
        if (isDense()) {
            DenseRegisters.mergeInto(b, off + HEADER_SIZE, max);
            return true;
        }
        return SparseRegisters.mergeInto(b, off + HEADER_SIZE, off + len, max);
    }

    /** Register {@code index} of a dense value. */
    public int register(int index) { return DenseRegisters.get(b, off + HEADER_SIZE, index); }

    /** PFDEBUG DECODE's text of a sparse value. */
    public String describeSparse() { return SparseRegisters.describe(b, off + HEADER_SIZE, off + len); }

    public boolean cacheValid() { return HllLayout.cacheValid(b, off); }
    public long cachedCardinality() { return HllLayout.cachedCardinality(b, off); }
    public void cacheCardinality(long card) { HllLayout.writeCardinality(b, off, card); }
    public void invalidateCache() { HllLayout.invalidateCache(b, off); }
}
