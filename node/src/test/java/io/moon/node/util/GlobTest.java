package io.moon.node.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {
    @Test
    void redisGlobSemantics() {
        assertThat(Glob.matches("h?llo", "hello", false)).isTrue();
        assertThat(Glob.matches("h*llo", "heeeello", false)).isTrue();
        assertThat(Glob.matches("h[ae]llo", "hallo", false)).isTrue();
        assertThat(Glob.matches("h[^e]llo", "hello", false)).isFalse();
        assertThat(Glob.matches("h[a-b]llo", "hbllo", false)).isTrue();
        assertThat(Glob.matches("h[b-a]llo", "hallo", false)).isTrue();
        assertThat(Glob.matches("h\\*llo", "h*llo", false)).isTrue();
        assertThat(Glob.matches("h\\*llo", "hello", false)).isFalse();
        assertThat(Glob.matches("*", "", false)).isTrue();
        assertThat(Glob.matches("a*", "", false)).isFalse();
        assertThat(Glob.matches("MAXMEMORY*", "maxmemory-policy", true)).isTrue();
        assertThat(Glob.matches("[abc", "a", false)).isTrue(); // unclosed class, as Redis
    }

    @Test
    void pathologicalPatternFinishesQuickly() {
        String s = "a".repeat(60);
        long t0 = System.nanoTime();
        assertThat(Glob.matches("a*a*a*a*a*a*a*a*a*a*a*a*b", s, false)).isFalse();
        assertThat(System.nanoTime() - t0).isLessThan(2_000_000_000L);
    }
}
