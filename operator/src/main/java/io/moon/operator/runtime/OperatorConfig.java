package io.moon.operator.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The operator's settings: every flag has an environment variable of the same meaning (the
 * Helm chart sets the variables), and a flag wins over its variable. picocli reads both:
 * {@code defaultValue = "${env:...}"}.
 */
@Command(name = "moon-operator", mixinStandardHelpOptions = true, versionProvider = OperatorConfig.Version.class,
        description = "Runs the Moon operator: reconciles MoonCluster resources into StatefulSets.")
public class OperatorConfig {
    @Option(names = "--namespaces", split = ",", defaultValue = "${env:MOON_WATCH_NAMESPACES}",
            description = "Namespaces to watch, comma-separated; empty for all (env MOON_WATCH_NAMESPACES).")
    List<String> namespaces = List.of();

    @Option(names = "--node-image", defaultValue = "${env:MOON_NODE_IMAGE}",
            description = "Data node image for clusters whose spec names none (env MOON_NODE_IMAGE; default moon-node:<operator version>).")
    String nodeImage;

    @Option(names = "--health-port", defaultValue = "${env:MOON_HEALTH_PORT:-8080}",
            description = "Port of /healthz, /readyz and /metrics; 0 picks a free one (env MOON_HEALTH_PORT, default 8080).")
    int healthPort;

    @Option(names = "--leader-election", negatable = true, defaultValue = "${env:MOON_LEADER_ELECTION:-true}", fallbackValue = "true",
            description = "Elect a leader through a Lease, so that only one replica reconciles (env MOON_LEADER_ELECTION, default true).")
    boolean leaderElection;

    @Option(names = "--lease-name", defaultValue = "${env:MOON_LEASE_NAME:-moon-operator-leader}",
            description = "Name of the leader election Lease (env MOON_LEASE_NAME).")
    String leaseName;

    @Option(names = "--lease-namespace", defaultValue = "${env:POD_NAMESPACE}",
            description = "Namespace of the Lease (env POD_NAMESPACE; default: the client's namespace).")
    String leaseNamespace;

    @Option(names = "--identity", defaultValue = "${env:POD_NAME}",
            description = "This replica's name in the Lease (env POD_NAME; default: the host name).")
    String identity;

    @Option(names = "--reconcile-threads", defaultValue = "${env:MOON_RECONCILE_THREADS:-5}",
            description = "MoonClusters reconciled at once (env MOON_RECONCILE_THREADS, default 5).")
    int reconcileThreads;

    @Option(names = "--recheck-seconds", defaultValue = "${env:MOON_RECHECK_SECONDS:-30}",
            description = "How often a cluster that is not Ready is looked at again (env MOON_RECHECK_SECONDS, default 30).")
    int recheckSeconds;

    @Option(names = "--server-side-apply", negatable = true, defaultValue = "${env:MOON_SERVER_SIDE_APPLY:-true}", fallbackValue = "true",
            description = "Patch MoonCluster status with server-side apply (env MOON_SERVER_SIDE_APPLY, default true); "
                    + "off only for API servers without it, such as the mock server of the tests.")
    boolean serverSideApply;

    @Option(names = "--log-format", defaultValue = "${env:MOON_LOG_FORMAT:-text}",
            description = "text or json (env MOON_LOG_FORMAT, default text).")
    String logFormat;

    /** Parses flags (environment as defaults); throws ParameterException on bad input. */
    public static OperatorConfig parse(String... args) {
        OperatorConfig c = new OperatorConfig();
        CommandLine cl = new CommandLine(c);
        cl.parseArgs(args);
        c.validate(cl);
        return c;
    }

    /** Checks ranges after parsing; {@code cl} is the command line that filled this object. */
    public void validate(CommandLine cl) {
        if (healthPort < 0 || healthPort > 65535) {
            throw new CommandLine.ParameterException(cl, "--health-port: " + healthPort + " (expected: 0..65535)");
        }
        if (reconcileThreads < 1 || reconcileThreads > 100) {
            throw new CommandLine.ParameterException(cl, "--reconcile-threads: " + reconcileThreads + " (expected: 1..100)");
        }
        if (recheckSeconds < 1) {
            throw new CommandLine.ParameterException(cl, "--recheck-seconds: " + recheckSeconds + " (expected: >= 1)");
        }
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw new CommandLine.ParameterException(cl, "--log-format: " + logFormat + " (expected: text or json)");
        }
        if (namespaces == null) namespaces = List.of();
        namespaces = namespaces.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public List<String> namespaces() {
        return namespaces;
    }

    public String nodeImage() {
        return nodeImage == null || nodeImage.isBlank() ? "moon-node:" + version() : nodeImage;
    }

    public int healthPort() {
        return healthPort;
    }

    public boolean leaderElection() {
        return leaderElection;
    }

    public String leaseName() {
        return leaseName;
    }

    public String leaseNamespace() {
        return leaseNamespace == null || leaseNamespace.isBlank() ? null : leaseNamespace;
    }

    public String identity() {
        return identity == null || identity.isBlank() ? null : identity;
    }

    public int reconcileThreads() {
        return reconcileThreads;
    }

    public Duration recheckInterval() {
        return Duration.ofSeconds(recheckSeconds);
    }

    public boolean serverSideApply() {
        return serverSideApply;
    }

    public String logFormat() {
        return logFormat;
    }

    /** The operator's version, from the build. */
    public static String version() {
        try (InputStream in = OperatorConfig.class.getResourceAsStream("/io/moon/operator/version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"moon-operator " + version()};
        }
    }
}
