package io.moon.node.store.hll;

import static io.moon.node.store.hll.HllLayout.DENSE_SIZE;
import static io.moon.node.store.hll.HllLayout.HEADER_SIZE;
import static io.moon.node.store.hll.HllLayout.REGISTERS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The HyperLogLog type API over both encodings: registers against a plain array model, sparse
 * and dense giving the same registers and estimates, promotion, corruption, and the cache bits.
 */
class HyperLogLogTest {
    private static final long NO_LIMIT = Long.MAX_VALUE;
    private final Random random = new Random(5);

    private static byte[] registersOf(HyperLogLog h) {
        byte[] max = new byte[REGISTERS];
        assertThat(h.mergeInto(max)).isTrue();
        return max;
    }

    private static byte[] element(long i) { return ("element-" + i).getBytes(StandardCharsets.US_ASCII); }

    @Test
    void aNewValueIsRedisEmptySparseValue() {
        HyperLogLog h = HyperLogLog.empty();
        byte[] bytes = Arrays.copyOfRange(h.array(), h.offset(), h.offset() + h.length());
        byte[] expected = new byte[HEADER_SIZE + 2];
        System.arraycopy("HYLL".getBytes(StandardCharsets.US_ASCII), 0, expected, 0, 4);
        expected[4] = HllLayout.SPARSE;
        expected[16] = 0x7f; // XZERO of 16384 registers
        expected[17] = (byte) 0xff;
        assertThat(bytes).isEqualTo(expected);
        assertThat(HllLayout.isValid(bytes, 0, bytes.length)).isTrue();
        assertThat(h.count()).isZero();
        assertThat(h.cacheValid()).isTrue();
    }

    @Test
    void denseRegistersKeepTheirValueAndTheirNeighbours() {
        byte[] regs = new byte[DENSE_SIZE - HEADER_SIZE + 3];
        int[] model = new int[REGISTERS];
        for (int round = 0; round < 200_000; round++) {
            int i = random.nextInt(REGISTERS), v = random.nextInt(64);
            DenseRegisters.set(regs, 3, i, v);
            model[i] = v;
            if (round % 20_000 == 0) {
                for (int k = 0; k < REGISTERS; k++) assertThat(DenseRegisters.get(regs, 3, k)).isEqualTo(model[k]);
            }
        }
        int[] histogram = new int[64], expected = new int[64];
        DenseRegisters.histogram(regs, 3, histogram);
        for (int v : model) expected[v]++;
        assertThat(histogram).isEqualTo(expected);
        assertThat(regs[0]).isZero();
        assertThat(regs[1]).isZero();
        assertThat(regs[2]).isZero();
    }

    @Test
    void sparseRaisesMatchAModelAndStayValid() {
        for (int round = 0; round < 50; round++) {
            HyperLogLog h = HyperLogLog.empty();
            byte[] model = new byte[REGISTERS];
            int raises = random.nextInt(800);
            // Clustered indexes exercise VAL runs and merges, spread ones ZERO/XZERO splits.
            int center = random.nextInt(REGISTERS);
            for (int k = 0; k < raises; k++) {
                int index = random.nextBoolean() ? random.nextInt(REGISTERS) : Math.floorMod(center + random.nextInt(40), REGISTERS);
                int count = 1 + random.nextInt(32);
                int changed = h.raise(index, count, NO_LIMIT);
                assertThat(changed).isEqualTo(count > model[index] ? 1 : 0);
                if (count > model[index]) model[index] = (byte) count;
            }
            assertThat(h.isDense()).isFalse();
            assertThat(registersOf(h)).isEqualTo(model);
            int[] histogram = new int[64];
            assertThat(SparseRegisters.histogram(h.array(), h.offset() + HEADER_SIZE, h.offset() + h.length(), histogram)).isTrue();
            HyperLogLog dense = HyperLogLog.over(h.array(), h.offset(), h.length());
            assertThat(dense.toDense()).isTrue();
            for (int i = 0; i < REGISTERS; i++) assertThat(dense.register(i)).isEqualTo(model[i]);
            assertThat(dense.count()).isEqualTo(h.count());
        }
    }

    @Test
    void sparseAndDenseAgreeOnTheSameElements() {
        for (int n : new int[] {0, 1, 10, 100, 1000, 5000}) {
            HyperLogLog sparse = HyperLogLog.empty(), dense = HyperLogLog.emptyDense();
            for (long i = 0; i < n; i++) {
                byte[] e = element(i * 31 + n);
                int a = sparse.add(e, 0, e.length, NO_LIMIT), b = dense.add(e, 0, e.length, NO_LIMIT);
                assertThat(a).isEqualTo(b);
            }
            assertThat(sparse.isDense()).isFalse();
            assertThat(registersOf(sparse)).isEqualTo(registersOf(dense));
            assertThat(sparse.count()).isEqualTo(dense.count());
            assertThat((double) dense.count()).isCloseTo(n, org.assertj.core.data.Offset.offset(n * 0.05 + 1));
        }
    }

    @Test
    void aSparseValueTurnsDensePastTheByteLimitKeepingItsRegisters() {
        HyperLogLog h = HyperLogLog.empty(), reference = HyperLogLog.emptyDense();
        int i = 0;
        while (!h.isDense()) {
            byte[] e = element(i++);
            h.add(e, 0, e.length, 300);
            reference.add(e, 0, e.length, 300);
            if (!h.isDense()) assertThat(h.length()).isLessThanOrEqualTo(300);
        }
        assertThat(h.length()).isEqualTo(DENSE_SIZE);
        assertThat(h.copied()).isTrue();
        assertThat(registersOf(h)).isEqualTo(registersOf(reference));
    }

    @Test
    void aRunTooLongForAValOpcodeTurnsTheValueDense() {
        HyperLogLog h = HyperLogLog.empty();
        assertThat(h.raise(77, 33, NO_LIMIT)).isEqualTo(1);
        assertThat(h.isDense()).isTrue();
        assertThat(h.register(77)).isEqualTo(33);
    }

    @Test
    void corruptSparseOpcodesAreDetected() {
        HyperLogLog h = HyperLogLog.empty();
        h.raise(5, 3, NO_LIMIT);
        byte[] tooLong = Arrays.copyOf(h.array(), h.length() + 1);
        tooLong[h.length()] = 0x01; // a ZERO run past the last register
        HyperLogLog extra = HyperLogLog.over(tooLong, 0, tooLong.length);
        assertThat(extra.count()).isEqualTo(-1);
        assertThat(extra.mergeInto(new byte[REGISTERS])).isFalse();
        assertThat(HyperLogLog.over(tooLong, 0, tooLong.length).toDense()).isFalse();

        // Only 16383 registers: the last one cannot be found.
        byte[] tooShort = new byte[HEADER_SIZE + 2];
        System.arraycopy(h.array(), 0, tooShort, 0, HEADER_SIZE);
        SparseRegisters.xzero(tooShort, HEADER_SIZE, REGISTERS - 1);
        assertThat(HyperLogLog.over(tooShort, 0, tooShort.length).raise(REGISTERS - 1, 1, NO_LIMIT)).isEqualTo(-1);
        assertThat(HyperLogLog.over(tooShort, 0, tooShort.length).raise(0, 1, NO_LIMIT)).isEqualTo(1);
        assertThat(HyperLogLog.over(tooShort, 0, tooShort.length).count()).isEqualTo(-1);
    }

    @Test
    void headerChecksAsRedis() {
        HyperLogLog dense = HyperLogLog.emptyDense();
        assertThat(HllLayout.isValid(dense.array(), 0, DENSE_SIZE)).isTrue();
        assertThat(HllLayout.isValid(dense.array(), 0, DENSE_SIZE - 1)).isFalse();
        byte[] b = dense.array().clone();
        b[4] = 2;
        assertThat(HllLayout.isValid(b, 0, DENSE_SIZE)).isFalse();
        b = dense.array().clone();
        b[1] = 'X';
        assertThat(HllLayout.isValid(b, 0, DENSE_SIZE)).isFalse();
        assertThat(HllLayout.isValid(b, 0, HEADER_SIZE - 1)).isFalse();
    }

    @Test
    void theCachedCardinalityIsLittleEndianWithAnInvalidBit() {
        HyperLogLog h = HyperLogLog.empty();
        h.invalidateCache();
        assertThat(h.cacheValid()).isFalse();
        assertThat(h.array()[15]).isEqualTo((byte) 0x80);
        h.cacheCardinality(0x0102030405L);
        assertThat(h.cacheValid()).isTrue();
        assertThat(h.cachedCardinality()).isEqualTo(0x0102030405L);
        assertThat(h.array()[8]).isEqualTo((byte) 0x05);
    }

    @Test
    void changesOfAViewStayInPlaceUntilTheValueMustGrow() {
        HyperLogLog dense = HyperLogLog.emptyDense();
        byte[] entry = new byte[7 + DENSE_SIZE];
        System.arraycopy(dense.array(), 0, entry, 7, DENSE_SIZE);
        HyperLogLog view = HyperLogLog.over(entry, 7, DENSE_SIZE);
        byte[] e = element(1);
        assertThat(view.add(e, 0, e.length, NO_LIMIT)).isEqualTo(1);
        assertThat(view.copied()).isFalse();
        assertThat(view.array()).isSameAs(entry);

        HyperLogLog sparse = HyperLogLog.empty();
        byte[] sparseEntry = new byte[3 + sparse.length()];
        System.arraycopy(sparse.array(), 0, sparseEntry, 3, sparse.length());
        HyperLogLog sparseView = HyperLogLog.over(sparseEntry, 3, sparse.length());
        assertThat(sparseView.add(e, 0, e.length, NO_LIMIT)).isEqualTo(1);
        assertThat(sparseView.copied()).isTrue();
        assertThat(sparseEntry[3 + 16]).isEqualTo((byte) 0x7f); // the entry itself is untouched
    }

    @Test
    void theEstimatorIsZeroWhenEmptyAndCloseOtherwise() {
        byte[] max = new byte[REGISTERS];
        assertThat(HllEstimator.estimate(max)).isZero();
        HyperLogLog dense = HyperLogLog.emptyDense();
        for (long i = 0; i < 200_000; i++) {
            byte[] e = element(i);
            dense.add(e, 0, e.length, NO_LIMIT);
        }
        assertThat((double) dense.count()).isCloseTo(200_000, org.assertj.core.data.Offset.offset(200_000 * 0.03));
        assertThat(HllEstimator.estimate(registersOf(dense))).isEqualTo(dense.count());
    }

    @Test
    void theSelfTestPasses() {
        assertThat(HllSelfTest.run(3000, new Random(1))).isNull();
    }
}
