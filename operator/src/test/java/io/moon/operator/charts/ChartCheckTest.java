package io.moon.operator.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs charts/tools/check-chart.sh (helm lint, helm template, schema validation of everything
 * rendered, of the CRD and of the examples). The tools come from charts/tools/install.sh, which
 * .ci/run calls; in CI (CI=true) their absence fails the test, elsewhere it skips it with the
 * command to run.
 */
class ChartCheckTest {
    private static final Path ROOT = Path.of(System.getProperty("moon.root", "..")).toAbsolutePath().normalize();
    private static Path tools;

    @BeforeAll
    static void findTools() {
        String env = System.getenv("MOON_K8S_TOOLS");
        tools = env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "moon-k8s-tools");
        boolean present = Files.isExecutable(tools.resolve("bin/helm")) && Files.isDirectory(tools.resolve("node_modules/kubernetes-models"));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must install the chart tools first: charts/tools/install.sh (looked in " + tools + ")");
        }
        Assumptions.assumeTrue(present, "chart tools not installed; run charts/tools/install.sh");
    }

    @Test
    void chartLintsRendersAndValidates() throws Exception {
        Result r = run(List.of("bash", ROOT.resolve("charts/tools/check-chart.sh").toString()));
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("validate-manifests: ").contains(" 0 invalid").contains("check-chart: ok");
    }

    /** The validator is not a rubber stamp: each bad document is named. */
    @Test
    void validatorRefusesBadManifests() throws Exception {
        Path bad = Path.of(ChartCheckTest.class.getResource("/charts/invalid-manifests.yaml").toURI());
        Result r = run(List.of("node", ROOT.resolve("charts/tools/validate-manifests.mjs").toString(), bad.toString(),
                ROOT.resolve("crds/moonclusters.moon.io-v1.yml").toString()));
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output)
                .contains("INVALID").contains("MoonCluster/x").contains("must NOT have additional properties")
                .contains("shards must be >= 1").contains("Deployment/d: data/spec/replicas must be integer")
                .contains("Widget/w").contains("1 valid, 3 invalid");
    }

    @Test
    void chartAppVersionIsTheOperatorVersion() throws IOException {
        String chart = Files.readString(ROOT.resolve("charts/moon-operator/Chart.yaml"), StandardCharsets.UTF_8);
        assertThat(chart).contains("appVersion: \"" + System.getProperty("moon.version") + "\"");
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("MOON_K8S_TOOLS", tools.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
