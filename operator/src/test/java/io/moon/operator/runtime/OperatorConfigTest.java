package io.moon.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OperatorConfigTest {
    @Test
    void defaults() {
        OperatorConfig c = OperatorConfig.parse();
        assertThat(c.namespaces()).isEmpty();
        assertThat(c.healthPort()).isEqualTo(8080);
        assertThat(c.leaderElection()).isTrue();
        assertThat(c.leaseName()).isEqualTo("moon-operator-leader");
        assertThat(c.reconcileThreads()).isEqualTo(5);
        assertThat(c.recheckInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.logFormat()).isEqualTo("text");
        assertThat(c.serverSideApply()).isTrue();
        assertThat(c.nodeImage()).isEqualTo("moon-node:" + OperatorConfig.version());
        assertThat(OperatorConfig.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void flags() {
        OperatorConfig c = OperatorConfig.parse("--namespaces", "a, b,,c", "--node-image", "example/moon:1", "--health-port", "9000",
                "--no-leader-election", "--lease-namespace", "ops", "--identity", "op-1", "--reconcile-threads", "2",
                "--recheck-seconds", "5", "--log-format", "json", "--no-server-side-apply");
        assertThat(c.namespaces()).containsExactly("a", "b", "c");
        assertThat(c.nodeImage()).isEqualTo("example/moon:1");
        assertThat(c.healthPort()).isEqualTo(9000);
        assertThat(c.leaderElection()).isFalse();
        assertThat(c.leaseNamespace()).isEqualTo("ops");
        assertThat(c.identity()).isEqualTo("op-1");
        assertThat(c.reconcileThreads()).isEqualTo(2);
        assertThat(c.recheckInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.logFormat()).isEqualTo("json");
        assertThat(c.serverSideApply()).isFalse();
    }

    @Test
    void badInputIsRefusedWithTheLimit() {
        assertThatThrownBy(() -> OperatorConfig.parse("--health-port", "70000"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("expected: 0..65535");
        assertThatThrownBy(() -> OperatorConfig.parse("--log-format", "xml"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("text or json");
        assertThatThrownBy(() -> OperatorConfig.parse("--reconcile-threads", "0"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("expected: 1..100");
        assertThatThrownBy(() -> OperatorConfig.parse("--health-port", "eighty"))
                .isInstanceOf(CommandLine.ParameterException.class);
        assertThatThrownBy(() -> OperatorConfig.parse("--no-such-flag"))
                .isInstanceOf(CommandLine.ParameterException.class);
    }
}
