package io.moon.node.persist.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LzfTest {
    private final Lzf lzf = new Lzf();

    private void roundTrip(byte[] in) throws RdbFormatException {
        byte[] packed = lzf.compress(in, 0, in.length, in.length + 64);
        assertThat(packed).as("compressible within +64 bytes: %d", in.length).isNotNull();
        assertThat(Lzf.decompress(packed, 0, packed.length, in.length)).as("length %d", in.length).isEqualTo(in);
    }

    @Test
    void roundTripsRepetitiveRandomAndEdgeInputs() throws RdbFormatException {
        Random r = new Random(1);
        for (int n = 1; n < 600; n++) {
            byte[] repetitive = new byte[n];
            for (int i = 0; i < n; i++) repetitive[i] = (byte) "abcab".charAt(i % 5);
            roundTrip(repetitive);
            byte[] same = new byte[n];
            Arrays.fill(same, (byte) 'a');
            roundTrip(same);
            byte[] noise = new byte[n];
            r.nextBytes(noise);
            roundTrip(noise);
            byte[] smallAlphabet = new byte[n];
            for (int i = 0; i < n; i++) smallAlphabet[i] = (byte) ('a' + r.nextInt(3));
            roundTrip(smallAlphabet);
        }
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (r.nextInt(8) == 0 ? r.nextInt(256) : 'x' + (i / 1000) % 3);
        roundTrip(big);
        roundTrip("moon".repeat(500).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aCallThatGivesUpLeavesNothingForTheNext() throws RdbFormatException {
        Random r = new Random(4);
        for (int i = 0; i < 200; i++) {
            byte[] noise = new byte[5000];
            r.nextBytes(noise);
            assertThat(lzf.compress(noise, 0, noise.length, noise.length - 4)).isNull();
            byte[] text = ("round " + i + " ").repeat(50).getBytes(StandardCharsets.US_ASCII);
            roundTrip(text);
        }
    }

    @Test
    void reportsWhenTheOutputWouldNotFit() {
        byte[] noise = new byte[100];
        new Random(2).nextBytes(noise);
        assertThat(lzf.compress(noise, 0, noise.length, noise.length - 4)).isNull();
        byte[] same = new byte[100];
        byte[] packed = lzf.compress(same, 0, same.length, same.length - 4);
        assertThat(packed).isNotNull().hasSizeLessThan(20);
    }

    @Test
    void corruptInputFailsCleanly() throws RdbFormatException {
        byte[] in = "hello hello hello hello hello hello".getBytes(StandardCharsets.US_ASCII);
        byte[] packed = lzf.compress(in, 0, in.length, in.length);
        assertThatThrownBy(() -> Lzf.decompress(packed, 0, packed.length, in.length + 1)).isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> Lzf.decompress(packed, 0, packed.length - 1, in.length)).isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> Lzf.decompress(new byte[] {(byte) 0xe0, 5, 5}, 0, 3, 300)).isInstanceOf(RdbFormatException.class);
        assertThatThrownBy(() -> Lzf.decompress(new byte[] {1, 'a'}, 0, 2, Integer.MAX_VALUE)).isInstanceOf(RdbFormatException.class);
        Random r = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            byte[] bad = packed.clone();
            bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
            try {
                Lzf.decompress(bad, 0, bad.length, in.length);
            } catch (RdbFormatException expected) {
                // the only failure allowed
            }
        }
    }
}
