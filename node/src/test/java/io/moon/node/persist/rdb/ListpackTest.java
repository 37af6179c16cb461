package io.moon.node.persist.rdb;

import static io.moon.node.persist.rdb.RdbValues.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ListpackTest {
    static List<byte[]> boundaryElements() {
        List<byte[]> e = new ArrayList<>();
        for (long v : new long[] {0, 127, 128, -1, -4096, 4095, -4097, 4096, 32767, -32768, 32768, -32769, 8388607,
                -8388608, 8388608, 2147483647, -2147483648L, 2147483648L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            e.add(b(Long.toString(v)));
        }
        for (int n : new int[] {0, 1, 63, 64, 4095, 4096, 70000}) e.add(b("s".repeat(n)));
        e.add(b("01"));
        e.add(b("-0"));
        e.add(b("9223372036854775808"));
        return e;
    }

    @Test
    void roundTripsIntegerAndStringWidths() throws RdbFormatException {
        List<byte[]> elements = boundaryElements();
        Listpack.Builder builder = new Listpack.Builder();
        elements.forEach(builder::append);
        byte[] lp = builder.build();
        assertThat(lp.length).isEqualTo(builder.bytes());
        List<byte[]> back = Listpack.readAll(lp);
        assertThat(back).hasSize(elements.size());
        for (int i = 0; i < elements.size(); i++) assertThat(back.get(i)).isEqualTo(elements.get(i));
    }

    @Test
    void integersTakeTheNarrowestEntry() {
        assertThat(new Listpack.Builder().append(b("127")).build()).hasSize(6 + 2 + 1);
        assertThat(new Listpack.Builder().append(b("-1")).build()).hasSize(6 + 3 + 1);
        assertThat(new Listpack.Builder().append(b("4096")).build()).hasSize(6 + 4 + 1);
        assertThat(new Listpack.Builder().append(b("01")).build()).hasSize(6 + 4 + 1); // a 2-byte string
        for (long v : new long[] {5, -5, 5000, 100000, 3_000_000_000L}) {
            assertThat(new Listpack.Builder().appendLong(v).build())
                    .hasSize(6 + Listpack.Builder.longEntrySize(v) + 1);
        }
    }

    @Test
    void aCountOver65534IsWrittenAsUnknownAndStillRead() throws RdbFormatException {
        Listpack.Builder builder = new Listpack.Builder();
        for (int i = 0; i < 70000; i++) builder.appendLong(i % 100);
        byte[] lp = builder.build();
        assertThat((lp[4] & 0xff) | (lp[5] & 0xff) << 8).isEqualTo(Listpack.COUNT_UNKNOWN);
        assertThat(Listpack.readAll(lp)).hasSize(70000);
    }

    @Test
    void everyTruncationAndHeaderLieIsAnError() {
        Listpack.Builder builder = new Listpack.Builder();
        boundaryElements().subList(0, 22).forEach(builder::append);
        byte[] lp = builder.build();
        for (int len = 0; len < lp.length; len++) {
            byte[] cut = Arrays.copyOf(lp, len);
            assertThatThrownBy(() -> Listpack.readAll(cut)).isInstanceOf(RdbFormatException.class);
            // The same cut with its header and end byte fixed up: entries run past the end.
            if (len > 7) {
                byte[] sealed = Arrays.copyOf(lp, len);
                sealed[len - 1] = (byte) 0xff;
                for (int i = 0; i < 4; i++) sealed[i] = (byte) (len >>> (8 * i));
                assertThatThrownBy(() -> Listpack.readAll(sealed)).as("sealed cut %d", len)
                        .isInstanceOf(RdbFormatException.class);
            }
        }
        byte[] wrongCount = lp.clone();
        wrongCount[4]++;
        assertThatThrownBy(() -> Listpack.readAll(wrongCount)).hasMessageContaining("counts");
    }

    @Test
    void randomDamageOnlyEverGivesAFormatError() {
        Listpack.Builder builder = new Listpack.Builder();
        boundaryElements().subList(0, 24).forEach(builder::append);
        byte[] lp = builder.build();
        Random r = new Random(6);
        int accepted = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] bad = lp.clone();
            for (int k = 0; k < 1 + r.nextInt(3); k++) bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
            try {
                Listpack.readAll(bad);
                accepted++;
            } catch (RdbFormatException expected) {
                // the only failure allowed
            }
        }
        assertThat(accepted).isLessThan(50_000);
    }
}
