package io.moon.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.moon.operator.runtime.MoonOperator;
import io.moon.operator.runtime.OperatorConfig;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;

/**
 * Entry point of the operator process. Talks to the API server the fabric8 client finds (the
 * pod's service account in a cluster, else KUBECONFIG / ~/.kube/config), with server-side apply
 * for status patches; stops cleanly on SIGTERM.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        OperatorConfig config = new OperatorConfig();
        CommandLine cl = new CommandLine(config);
        try {
            CommandLine.ParseResult parsed = cl.parseArgs(args);
            if (parsed.isUsageHelpRequested()) {
                cl.usage(System.out);
                return;
            }
            if (parsed.isVersionHelpRequested()) {
                cl.printVersionHelp(System.out);
                return;
            }
            config.validate(cl);
        } catch (CommandLine.ParameterException e) {
            System.err.println("moon-operator: " + e.getMessage());
            cl.usage(System.err);
            System.exit(2);
            return;
        }
        // Before the first logger exists: logback reads this once.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", config.logFormat().equals("json") ? "moon-operator-logback-json.xml" : "moon-operator-logback.xml");
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        MoonOperator operator = new MoonOperator(config, client, config.serverSideApply(), () -> Runtime.getRuntime().halt(1));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                operator.close();
                client.close();
            } finally {
                stopped.countDown();
            }
        }, "shutdown"));
        operator.start();
        stopped.await();
    }
}
