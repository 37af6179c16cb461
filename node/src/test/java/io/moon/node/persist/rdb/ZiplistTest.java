package io.moon.node.persist.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ZiplistTest {
    static List<byte[]> elements() {
        List<byte[]> e = new ArrayList<>(ListpackTest.boundaryElements());
        for (String s : new String[] {"12", "13", "-128", "-129", "300", "16383", "-8388609"}) e.add(RdbValues.b(s));
        e.add(RdbValues.b("t".repeat(16383)));
        e.add(RdbValues.b("u".repeat(16384)));
        e.add(RdbValues.b("v".repeat(300))); // makes the next prevlen take five bytes
        e.add(RdbValues.b("w"));
        return e;
    }

    @Test
    void readsWhatOlderRedisWrote() throws RdbFormatException {
        List<byte[]> in = elements();
        List<byte[]> back = Ziplist.readAll(LegacyEncodings.ziplist(in));
        assertThat(back).hasSize(in.size());
        for (int i = 0; i < in.size(); i++) assertThat(back.get(i)).as("element %d", i).isEqualTo(in.get(i));
        assertThat(Ziplist.readAll(LegacyEncodings.ziplist(List.of()))).isEmpty();
    }

    @Test
    void everyTruncationAndInconsistencyIsAnError() {
        byte[] zl = LegacyEncodings.ziplist(elements().subList(0, 20));
        for (int len = 0; len < zl.length; len++) {
            byte[] cut = Arrays.copyOf(zl, len);
            assertThatThrownBy(() -> Ziplist.readAll(cut)).isInstanceOf(RdbFormatException.class);
        }
        byte[] badTail = zl.clone();
        badTail[4]++;
        assertThatThrownBy(() -> Ziplist.readAll(badTail)).hasMessageContaining("tail");
        byte[] badCount = zl.clone();
        badCount[8]++;
        assertThatThrownBy(() -> Ziplist.readAll(badCount)).hasMessageContaining("counts");
        byte[] badPrevlen = zl.clone();
        badPrevlen[Ziplist.HEADER_SIZE] = 3;
        assertThatThrownBy(() -> Ziplist.readAll(badPrevlen)).hasMessageContaining("prevlen");
    }

    @Test
    void randomDamageOnlyEverGivesAFormatError() {
        byte[] zl = LegacyEncodings.ziplist(elements().subList(0, 24));
        Random r = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            byte[] bad = zl.clone();
            for (int k = 0; k < 1 + r.nextInt(3); k++) bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
            try {
                Ziplist.readAll(bad);
            } catch (RdbFormatException expected) {
                // the only failure allowed
            }
        }
    }
}
