package io.moon.node.persist.rdb;

import static io.moon.node.persist.rdb.RdbSamples.fv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntsetAndZipmapTest {
    @Test
    void intsetsPickTheNarrowestWidthAndSort() throws RdbFormatException {
        assertThat(Intset.write(new long[] {3, -1, 2})).hasSize(8 + 3 * 2);
        assertThat(Intset.write(new long[] {3, 40000})).hasSize(8 + 2 * 4);
        assertThat(Intset.write(new long[] {3, -2147483649L})).hasSize(8 + 2 * 8);
        long[] values = {Long.MAX_VALUE, Long.MIN_VALUE, 0, -1, 70000};
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        assertThat(Intset.read(Intset.write(values))).containsExactly(sorted);
    }

    @Test
    void intsetDamageIsRefused() {
        byte[] is = Intset.write(new long[] {1, 2, 3});
        for (int len = 0; len < is.length; len++) {
            byte[] cut = Arrays.copyOf(is, len);
            assertThatThrownBy(() -> Intset.read(cut)).isInstanceOf(RdbFormatException.class);
        }
        byte[] unsorted = is.clone();
        unsorted[8] = 5;
        assertThatThrownBy(() -> Intset.read(unsorted)).hasMessageContaining("ascending");
        byte[] width = is.clone();
        width[0] = 3;
        assertThatThrownBy(() -> Intset.read(width)).hasMessageContaining("encoding");
        assertThatThrownBy(() -> Intset.read(new byte[] {2, 0, 0, 0, 0, 0, 0, 0})).hasMessageContaining("empty");
    }

    @Test
    void zipmapsReadWithLongLengthsAndUnknownCount() throws RdbFormatException {
        List<FieldValue> pairs = new ArrayList<>();
        for (int i = 0; i < 300; i++) pairs.add(fv("f" + i, i == 7 ? "x".repeat(1000) : "v" + i));
        List<FieldValue> back = Zipmap.read(LegacyEncodings.zipmap(pairs));
        assertThat(back).hasSize(300);
        for (int i = 0; i < 300; i++) {
            assertThat(back.get(i).field()).isEqualTo(pairs.get(i).field());
            assertThat(back.get(i).value()).isEqualTo(pairs.get(i).value());
        }
    }

    @Test
    void zipmapDamageIsRefused() {
        byte[] zm = LegacyEncodings.zipmap(List.of(fv("a", "1"), fv("bb", "22")));
        for (int len = 0; len < zm.length; len++) {
            byte[] cut = Arrays.copyOf(zm, len);
            if (len > 1) cut[len - 1] = (byte) Zipmap.END;
            assertThatThrownBy(() -> Zipmap.read(cut)).as("cut %d", len).isInstanceOf(RdbFormatException.class);
        }
        byte[] count = zm.clone();
        count[0] = 3;
        assertThatThrownBy(() -> Zipmap.read(count)).hasMessageContaining("counts");
    }
}
