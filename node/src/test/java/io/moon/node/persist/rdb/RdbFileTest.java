package io.moon.node.persist.rdb;

import static io.moon.node.persist.rdb.RdbValues.b;
import static io.moon.node.persist.rdb.RdbValues.canonical;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RdbFileTest {
    /** Everything one read reported. */
    static final class Recorder implements RdbVisitor {
        final Map<String, RdbKey> keys = new LinkedHashMap<>();
        final List<String> events = new ArrayList<>();
        final List<Long> progress = new ArrayList<>();

        @Override
        public void onKey(RdbKey key) {
            keys.put(key.db() + ":" + new String(key.key(), StandardCharsets.UTF_8), key);
        }

        @Override
        public void onHeader(int version) { events.add("version " + version); }

        @Override
        public void onAux(byte[] key, byte[] value) { events.add("aux " + new String(key) + "=" + new String(value)); }

        @Override
        public void onFunction(byte[] code) { events.add("function " + new String(code)); }

        @Override
        public void onSelectDb(long db) { events.add("db " + db); }

        @Override
        public void onResizeDb(long db, long keys, long expires) { events.add("resize " + db + " " + keys + " " + expires); }

        @Override
        public void onEmptyKeySkipped(long db, byte[] key) { events.add("empty " + new String(key)); }

        @Override
        public void onProgress(long bytesRead, long totalBytes) { progress.add(bytesRead); }
    }

    static byte[] sampleFile(RdbWriteOptions o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RdbFileWriter w = new RdbFileWriter(bytes, o);
        w.aux("redis-ver", "7.0.15").function(b("#!lua name=x\nreturn 1"));
        Map<String, RdbValue> samples = RdbSamples.all();
        w.selectDb(0, samples.size(), 1);
        int i = 0;
        for (Map.Entry<String, RdbValue> e : samples.entrySet()) w.key(b(e.getKey()), e.getValue(), i++ == 3 ? 1234567 : -1);
        w.selectDb(9, 1, 0).key(b("nine"), new RdbString(b("9")), RdbKey.NO_EXPIRE);
        w.finish();
        assertThat(w.position()).isEqualTo(bytes.size());
        return bytes.toByteArray();
    }

    @Test
    void aWrittenFileReadsBackWholeAndStreamed() throws IOException {
        byte[] file = sampleFile(RdbWriteOptions.DEFAULTS);
        for (RdbFileReader reader : List.of(new RdbFileReader(file),
                new RdbFileReader(new ByteArrayInputStream(file), file.length),
                new RdbFileReader(new ByteArrayInputStream(file), -1))) {
            Recorder r = new Recorder();
            RdbFileReader.Summary summary = reader.read(r);
            assertThat(summary.checksum()).isEqualTo(RdbFileReader.Checksum.VERIFIED);
            assertThat(summary.bytes()).isEqualTo(file.length);
            Map<String, RdbValue> samples = RdbSamples.all();
            assertThat(summary.keys()).isEqualTo(samples.size() + 1);
            int i = 0;
            for (Map.Entry<String, RdbValue> e : samples.entrySet()) {
                RdbKey k = r.keys.get("0:" + e.getKey());
                assertThat(canonical(k.value())).as(e.getKey()).isEqualTo(canonical(e.getValue()));
                assertThat(k.expireAtMs()).isEqualTo(i++ == 3 ? 1234567 : RdbKey.NO_EXPIRE);
            }
            assertThat(canonical(r.keys.get("9:nine").value())).isEqualTo("string \"9\"");
            assertThat(r.events).containsSubsequence("version 10", "aux redis-ver=7.0.15", "function #!lua name=x\nreturn 1",
                    "db 0", "resize 0 " + samples.size() + " 1", "db 9", "resize 9 1 0");
            assertThat(r.progress).last().isEqualTo((long) file.length);
        }
    }

    @Test
    void everyTruncationAndEveryFlippedByteIsAFormatError() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RdbFileWriter w = new RdbFileWriter(bytes, RdbWriteOptions.DEFAULTS);
        w.aux("a", "b").selectDb(0, 3, 1);
        w.key(b("s"), new RdbString(b("hello")), 99);
        w.key(b("h"), RdbSamples.all().get("hash small"), -1);
        w.key(b("x"), RdbSamples.all().get("stream simple"), -1);
        w.finish();
        byte[] file = bytes.toByteArray();
        for (int len = 0; len < file.length; len++) {
            byte[] cut = Arrays.copyOf(file, len);
            assertThatThrownBy(() -> new RdbFileReader(cut).read(new Recorder())).as("cut %d", len)
                    .isInstanceOf(RdbFormatException.class);
        }
        for (int at = 0; at < file.length; at++) {
            byte[] bad = file.clone();
            bad[at] ^= 0x41;
            assertThatThrownBy(() -> new RdbFileReader(bad).read(new Recorder())).as("flip %d", at)
                    .isInstanceOf(RdbFormatException.class);
        }
    }

    /** A file from raw parts: header with {@code version}, body, then EOF and a CRC from version 5 on. */
    static byte[] file(int version, java.util.function.Consumer<RdbOutput> body) {
        RdbOutput o = RdbOutput.inMemory(false);
        o.writeBytes(String.format("REDIS%04d", version).getBytes(StandardCharsets.US_ASCII));
        body.accept(o);
        o.writeByte(RdbOpcode.EOF);
        if (version >= 5) o.writeInt64LE(o.crc());
        return o.toByteArray();
    }

    @Test
    void olderVersionsAndOpcodes() throws IOException {
        byte[] v4 = file(4, o -> {
            o.writeByte(RdbOpcode.SELECTDB);
            o.writeLength(2);
            o.writeByte(RdbOpcode.EXPIRETIME);
            o.writeInt32LE(1_000_000);
            o.writeByte(RdbType.STRING);
            o.writeString(b("old"));
            o.writeString(b("v"));
        });
        Recorder r = new Recorder();
        assertThat(new RdbFileReader(v4).read(r).checksum()).isEqualTo(RdbFileReader.Checksum.ABSENT_BEFORE_VERSION_5);
        assertThat(r.keys.get("2:old").expireAtMs()).isEqualTo(1_000_000_000L);

        byte[] v10 = file(10, o -> {
            o.writeByte(RdbOpcode.IDLE);
            o.writeLength(77);
            o.writeByte(RdbType.STRING);
            o.writeString(b("idle"));
            o.writeString(b("v"));
            o.writeByte(RdbOpcode.FREQ);
            o.writeByte(200);
            o.writeByte(RdbType.STRING);
            o.writeString(b("hot"));
            o.writeString(b("v"));
            o.writeByte(RdbOpcode.FUNCTION);
            o.writeString(b("lib"));
            o.writeString(b("LUA"));
            o.writeLength(1);
            o.writeString(b("a description"));
            o.writeString(b("redis.register_function('f', function() return 1 end)"));
            o.writeByte(RdbType.LIST_QUICKLIST_2);
            o.writeString(b("empty"));
            o.writeLength(0);
        });
        r = new Recorder();
        RdbFileReader.Summary s = new RdbFileReader(v10).read(r);
        assertThat(r.keys.get("0:idle").lruIdleSeconds()).isEqualTo(77);
        assertThat(r.keys.get("0:idle").lfuFreq()).isEqualTo(-1);
        assertThat(r.keys.get("0:hot").lfuFreq()).isEqualTo(200);
        assertThat(r.keys.get("0:hot").lruIdleSeconds()).isEqualTo(-1);
        assertThat(r.events).contains("function #!LUA name=lib\nredis.register_function('f', function() return 1 end)",
                "empty empty");
        assertThat(s.emptyKeysSkipped()).isEqualTo(1);
        assertThat(s.keys()).isEqualTo(2);
    }

    @Test
    void refusesWhatItCannotLoad() {
        assertThatThrownBy(() -> new RdbFileReader(file(11, o -> {})).read(new Recorder()))
                .hasMessageContaining("Can't handle RDB format version 11");
        assertThatThrownBy(() -> new RdbFileReader(file(0, o -> {})).read(new Recorder()))
                .hasMessageContaining("version 0");
        assertThatThrownBy(() -> new RdbFileReader(b("REDIX0010\u00ff")).read(new Recorder()))
                .hasMessageContaining("Wrong signature");
        assertThatThrownBy(() -> new RdbFileReader(file(10, o -> {
            o.writeByte(RdbOpcode.MODULE_AUX);
            o.writeLength(1);
        })).read(new Recorder())).hasMessageContaining("module auxiliary data");
        assertThatThrownBy(() -> new RdbFileReader(file(10, o -> {
            o.writeByte(RdbType.MODULE_2);
            o.writeString(b("m"));
            o.writeLength(99);
        })).read(new Recorder())).hasMessageContaining("key 'm' in db 0").hasMessageContaining("Module values are not supported");
        assertThatThrownBy(() -> new RdbFileReader(file(10, o -> o.writeByte(240))).read(new Recorder()))
                .hasMessageContaining("Unknown RDB opcode or value type 240");
    }

    @Test
    void aBigFileReportsProgressAlongTheWay() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RdbFileWriter w = new RdbFileWriter(bytes, RdbWriteOptions.DEFAULTS.withCompress(false));
        w.selectDb(0, 3000, 0);
        byte[] value = new byte[4096];
        new java.util.Random(9).nextBytes(value);
        for (int i = 0; i < 3000; i++) w.key(b("k" + i), new RdbString(value), -1);
        w.finish();
        byte[] file = bytes.toByteArray();
        Recorder r = new Recorder();
        new RdbFileReader(new ByteArrayInputStream(file), file.length).read(r);
        assertThat(r.keys).hasSize(3000);
        assertThat(r.progress.size()).isGreaterThanOrEqualTo(3);
        assertThat(r.progress).isSorted().last().isEqualTo((long) file.length);
    }
}
