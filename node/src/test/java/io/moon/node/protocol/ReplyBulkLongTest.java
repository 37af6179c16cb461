package io.moon.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link Reply#bulkLong}: the number as a bulk string, its length computed apart from its digits. */
class ReplyBulkLongTest {
    private static String encode(long v) {
        ByteBuf out = Unpooled.buffer();
        new Reply().target(out, 2).bulkLong(v);
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void writesLengthAndDigits() {
        assertThat(encode(0)).isEqualTo("$1\r\n0\r\n");
        assertThat(encode(7)).isEqualTo("$1\r\n7\r\n");
        assertThat(encode(-7)).isEqualTo("$2\r\n-7\r\n");
        assertThat(encode(1795511687L)).isEqualTo("$10\r\n1795511687\r\n");
        assertThat(encode(Long.MAX_VALUE)).isEqualTo("$19\r\n9223372036854775807\r\n");
        assertThat(encode(Long.MIN_VALUE)).isEqualTo("$20\r\n-9223372036854775808\r\n");
    }
}
