package io.moon.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.moon.operator.reconcile.MoonClusterReconciler;
import io.moon.operator.reconcile.OperatorSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running operator: the SDK's Operator with the MoonCluster reconciler, leader election
 * through a Lease, Prometheus metrics and the health endpoints. Separate from {@link
 * io.moon.operator.Main} so tests can run it against a mock API server.
 *
 * <p>Readiness: ready once started, also while waiting to be elected. A standby that reported
 * not ready would block a Deployment's rolling update (the new pod must be ready before the old
 * leader goes), so readiness means "initialised and healthy", not "leading".
 */
public final class MoonOperator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MoonOperator.class);

    private final Operator operator;
    private final HealthServer health;
    private final PrometheusMeterRegistry registry;
    private final AtomicBoolean initialised = new AtomicBoolean();

    private final AtomicBoolean closing = new AtomicBoolean();
    /** Holds the Lease (or runs without leader election and has started). */
    private final AtomicBoolean leading = new AtomicBoolean();
    private final boolean electing;

    /**
     * @param serverSideApply patch MoonCluster status by server-side apply (off only against
     *     the mock API server of the tests, which cannot do it)
     * @param onLostLeadership run when this replica loses the Lease while not shutting down;
     *     the process must stop, or two replicas would reconcile at once (Main exits)
     */
    public MoonOperator(OperatorConfig config, KubernetesClient client, boolean serverSideApply, Runnable onLostLeadership)
            throws IOException {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        MicrometerMetrics metrics = MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build();

        electing = config.leaderElection();
        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withMetrics(metrics)
                    .withConcurrentReconciliationThreads(config.reconcileThreads())
                    .withUseSSAToPatchPrimaryResource(serverSideApply)
                    .withCloseClientOnStop(false)
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(10));
            if (config.leaderElection()) {
                String identity = config.identity() != null ? config.identity() : hostName();
                String namespace = config.leaseNamespace() != null ? config.leaseNamespace() : client.getNamespace();
                // The SDK's own exit-on-stop would also fire on an orderly shutdown, calling
                // System.exit from inside the shutdown hook, which blocks forever; so the exit
                // is ours and skipped while closing.
                LeaderCallbacks callbacks = new LeaderCallbacks(
                        () -> {
                            leading.set(true);
                            log.info("{} leads; reconciling", identity);
                        },
                        () -> {
                            leading.set(false);
                            if (!closing.get()) {
                                log.error("{} lost the lease {}/{}; stopping", identity, namespace, config.leaseName());
                                onLostLeadership.run();
                            }
                        },
                        leader -> log.info("leader is {}", leader));
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(config.leaseName(), namespace,
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, identity, callbacks, false));
            }
        });
        MoonClusterReconciler reconciler = new MoonClusterReconciler(
                new OperatorSettings(config.nodeImage(), config.recheckInterval()), Clock.systemUTC());
        operator.register(reconciler, c -> {
            if (!config.namespaces().isEmpty()) c.settingNamespaces(new HashSet<>(config.namespaces()));
        });
        health = new HealthServer(config.healthPort(), this::live, this::ready, registry);
        log.info("moon-operator {}: namespaces {}, node image {}, leader election {}, health port {}", OperatorConfig.version(),
                config.namespaces().isEmpty() ? "all" : config.namespaces(), config.nodeImage(),
                config.leaderElection() ? "on" : "off", health.port());
    }

    /** Starts reconciling (or waiting for leadership). */
    public void start() {
        operator.start();
        if (!electing) leading.set(true);
        initialised.set(true);
    }

    boolean live() {
        // A started controller whose informers died is stuck; a restart is the cure.
        return !operator.getRuntimeInfo().isStarted() || operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    boolean ready() {
        return initialised.get() && live();
    }

    public int healthPort() {
        return health.port();
    }

    public boolean leading() {
        return leading.get();
    }

    @Override
    public void close() {
        closing.set(true);
        try {
            operator.stop();
        } finally {
            health.close();
            registry.close();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "moon-operator-" + ProcessHandle.current().pid();
        }
    }
}
