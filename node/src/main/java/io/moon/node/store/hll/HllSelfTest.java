package io.moon.node.store.hll;

import static io.moon.node.store.hll.HllLayout.HEADER_SIZE;
import static io.moon.node.store.hll.HllLayout.REGISTERS;
import static io.moon.node.store.hll.HllLayout.REGISTER_MAX;

import java.util.Random;

/**
 * PFSELFTEST (Redis's pfselftestCommand): register access of the dense encoding, then ten million
 * additions to a dense and a sparse value side by side, checking at 1, 10, 100... that both
 * estimate the same, that small values stay sparse, and that the error stays within 6 standard
 * errors.
 */
public final class HllSelfTest {
    private HllSelfTest() {}

    private static final int CYCLES = 1000;
    private static final int ELEMENTS = 10_000_000;

    /** Null when every check passed, else the error text ("TESTFAILED ..."). */
    public static String run(long sparseMaxBytes, Random random) {
        HyperLogLog dense = HyperLogLog.emptyDense();
        byte[] regs = dense.array();
        byte[] expected = new byte[REGISTERS];
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            for (int i = 0; i < REGISTERS; i++) {
                int r = random.nextInt() & REGISTER_MAX;
                expected[i] = (byte) r;
                DenseRegisters.set(regs, HEADER_SIZE, i, r);
            }
            for (int i = 0; i < REGISTERS; i++) {
                int v = DenseRegisters.get(regs, HEADER_SIZE, i);
                if (v != expected[i]) return "TESTFAILED Register " + i + " should be " + expected[i] + " but is " + v;
            }
        }

        dense = HyperLogLog.emptyDense();
        HyperLogLog sparse = HyperLogLog.empty();
        double relerr = 1.04 / Math.sqrt(REGISTERS);
        long checkpoint = 1;
        long seed = random.nextLong();
        byte[] ele = new byte[8];
        for (long j = 1; j <= ELEMENTS; j++) {
            long v = j ^ seed;
            for (int k = 0; k < 8; k++) ele[k] = (byte) (v >>> (8 * k));
            dense.add(ele, 0, 8, sparseMaxBytes);
            sparse.add(ele, 0, 8, sparseMaxBytes);
            if (j != checkpoint) continue;
            if (j < sparseMaxBytes / 2 && sparse.isDense()) return "TESTFAILED sparse encoding not used";
            long denseCount = dense.count();
            if (denseCount != sparse.count()) return "TESTFAILED dense/sparse disagree";
            long abserr = Math.abs(checkpoint - denseCount);
            long maxerr = (long) Math.ceil(relerr * 6 * checkpoint);
            // At 10 a collision is likely enough to give a much larger error now and then.
            if (j == 10) maxerr = 1;
            if (abserr > maxerr) return "TESTFAILED Too big error. card:" + checkpoint + " abserr:" + abserr;
            checkpoint *= 10;
        }
        return null;
    }
}
