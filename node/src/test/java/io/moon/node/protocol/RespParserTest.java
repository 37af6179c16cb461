package io.moon.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespParserTest {
    private final RespParser parser = new RespParser();
    private final CommandBuffer out = new CommandBuffer();

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private List<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        for (int c = 0; c < out.commandCount(); c++) {
            List<String> args = new ArrayList<>();
            for (int a = 0; a < out.argc(c); a++) args.add(out.argString(out.firstArg(c) + a));
            all.add(args);
        }
        return all;
    }

    @Test
    void parsesMultibulkAndInlineMixed() {
        ByteBuf in = buf("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\nPING\r\nset \"a b\" 'c'\r\n");
        parser.parse(in, out, 100);
        assertThat(commands()).containsExactly(List.of("SET", "k", "hello"), List.of("PING"), List.of("set", "a b", "c"));
        assertThat(in.isReadable()).isFalse();
    }

    @Test
    void resumesWhenFedOneByteAtATime() {
        String wire = "*2\r\n$4\r\nECHO\r\n$12\r\nhello\r\nworld\r\n*1\r\n$4\r\nPING\r\n";
        ByteBuf in = Unpooled.buffer();
        for (byte b : wire.getBytes(StandardCharsets.ISO_8859_1)) {
            in.writeByte(b);
            parser.parse(in, out, 100);
            in.discardReadBytes();
        }
        assertThat(commands()).containsExactly(List.of("ECHO", "hello\r\nworld"), List.of("PING"));
        assertThat(parser.midCommand()).isFalse();
    }

    @Test
    void partialCommandSurvivesCompaction() {
        parser.parse(buf("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n"), out, 100);
        assertThat(out.commandCount()).isEqualTo(1);
        assertThat(out.partialArgs()).isEqualTo(1);
        out.compact();
        parser.parse(buf("$3\r\nkey\r\n"), out, 100);
        assertThat(commands()).containsExactly(List.of("GET", "key"));
    }

    @Test
    void stopsAtMaxCommands() {
        ByteBuf in = buf("PING\r\nPING\r\nPING\r\n");
        parser.parse(in, out, 2);
        assertThat(out.commandCount()).isEqualTo(2);
        assertThat(in.readableBytes()).isEqualTo(6);
    }

    @Test
    void emptyAndNegativeMultibulkAreSkipped() {
        parser.parse(buf("*0\r\n*-1\r\n\r\n*1\r\n$4\r\nPING\r\n"), out, 100);
        assertThat(commands()).containsExactly(List.of("PING"));
    }

    @Test
    void bulkPayloadIsBinarySafe() {
        parser.parse(buf("*2\r\n$4\r\nECHO\r\n$3\r\n\u0000\r\u00ff\r\n"), out, 100);
        assertThat(out.argString(1).getBytes(StandardCharsets.UTF_8)).isNotEmpty();
        assertThat(out.length(1)).isEqualTo(3);
        assertThat(out.data()[out.offset(1)]).isEqualTo((byte) 0);
        assertThat(out.data()[out.offset(1) + 2]).isEqualTo((byte) 0xff);
    }

    @Test
    void errorsUseRedisTexts() {
        assertError("*abc\r\n", "Protocol error: invalid multibulk length");
        assertError("*3000000000\r\n", "Protocol error: invalid multibulk length");
        assertError("*1\r\n+foo\r\n", "Protocol error: expected '$', got '+'");
        assertError("*1\r\n$-1\r\n", "Protocol error: invalid bulk length");
        assertError("*1\r\n$01\r\n", "Protocol error: invalid bulk length");
        assertError("*1\r\n$999999999999\r\n", "Protocol error: invalid bulk length");
        assertError("set \"unbalanced\r\n", "Protocol error: unbalanced quotes in request");
        assertError("set \"a\"b\r\n", "Protocol error: unbalanced quotes in request");
        assertError("x".repeat(70_000), "Protocol error: too big inline request");
        assertError("*" + "1".repeat(70_000), "Protocol error: too big mbulk count string");
        assertError("*1\r\n$" + "1".repeat(70_000), "Protocol error: too big bulk count string");
    }

    @Test
    void bulkLongerThanTheLimitIsRefusedBeforeCopying() {
        parser.maxBulkLength(10);
        assertError("*1\r\n$11\r\n", "Protocol error: invalid bulk length");
    }

    @Test
    void commandsBeforeAnErrorAreKeptAndTheParserResets() {
        ByteBuf in = buf("PING\r\n*2\r\n$4\r\nECHO\r\n+bad\r\n");
        assertThatThrownBy(() -> parser.parse(in, out, 100)).isInstanceOf(ProtocolException.class);
        assertThat(commands()).containsExactly(List.of("PING"));
        assertThat(out.partialArgs()).isZero();
        assertThat(parser.midCommand()).isFalse();
    }

    private void assertError(String wire, String message) {
        RespParser p = new RespParser();
        if (message.contains("bulk length") && wire.startsWith("*1\r\n$11")) p.maxBulkLength(10);
        assertThatThrownBy(() -> p.parse(buf(wire), new CommandBuffer(), 100))
                .isInstanceOf(ProtocolException.class).hasMessage(message);
    }
}
