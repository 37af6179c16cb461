package io.moon.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgSplitterTest {
    private static List<String> split(String s) {
        List<byte[]> r = ArgSplitter.split(s.getBytes(StandardCharsets.ISO_8859_1));
        return r == null ? null : r.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
    }

    @Test
    void splitsOnBlanksAndHonoursQuotes() {
        assertThat(split("  set  key   value ")).containsExactly("set", "key", "value");
        assertThat(split("set \"a b\" 'c d'")).containsExactly("set", "a b", "c d");
        assertThat(split("\"\\x41\\n\\t\\\\\\\"\"")).containsExactly("A\n\t\\\"");
        assertThat(split("'it\\'s'")).containsExactly("it's");
        assertThat(split("\"\"")).containsExactly("");
        assertThat(split("")).isEmpty();
    }

    @Test
    void refusesUnbalancedQuotes() {
        assertThat(split("\"abc")).isNull();
        assertThat(split("'abc")).isNull();
        assertThat(split("\"a\"b")).isNull();
        assertThat(split("'a'b")).isNull();
    }
}
