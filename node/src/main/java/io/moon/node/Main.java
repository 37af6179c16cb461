package io.moon.node;

import io.moon.node.command.ServerInfo;
import io.moon.node.config.ConfigError;
import io.moon.node.config.ConfigParam;
import io.moon.node.config.ServerConfig;
import io.moon.node.server.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Starts a data node as redis-server starts: an optional redis.conf-style file first, then any
 * setting as a flag ({@code --port 7001 --maxmemory 100mb --save ""}); flags win over the file.
 * The flags are generated from the settings table, so {@code --help} lists every setting.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    public static void main(String[] args) {
        ServerConfig config = new ServerConfig();
        CommandSpec spec = CommandSpec.create().name("moon-server").version("Moon " + ServerInfo.MOON_VERSION
                + " (Redis " + ServerInfo.REDIS_VERSION + " compatible)");
        spec.mixinStandardHelpOptions(true);
        spec.usageMessage().description("Starts a Moon data node. Every setting can be given as --<name> <value>, "
                + "after an optional redis.conf-style file.");
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("0..1").paramLabel("<config-file>")
                .description("redis.conf-style file (one 'name value' per line)").type(String.class).build());
        for (ConfigParam p : config.params()) {
            OptionSpec.Builder b = OptionSpec.builder("--" + p.name).arity("1..*").paramLabel("<value>")
                    .type(String[].class).description(p.description + (p.defaultValue.isEmpty() ? "" : " (default: " + p.defaultValue + ")"));
            if (p.alias != null) b.names("--" + p.name, "--" + p.alias);
            spec.addOption(b.build());
        }
        CommandLine cl = new CommandLine(spec);
        cl.setUnmatchedOptionsArePositionalParams(false);
        cl.setAllowOptionsAsOptionParameters(false);
        CommandLine.ParseResult parsed;
        try {
            parsed = cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println(e.getMessage());
            cl.usage(System.err);
            System.exit(2);
            return;
        }
        if (CommandLine.printHelpIfRequested(parsed)) return;

        try {
            if (parsed.hasMatchedPositional(0)) config.load(Path.of((String) parsed.matchedPositional(0).getValue()));
            List<Map.Entry<String, String>> flags = new ArrayList<>();
            for (OptionSpec o : parsed.matchedOptions()) {
                String[] v = o.getValue();
                flags.add(Map.entry(o.longestName().substring(2), String.join(" ", v)));
            }
            for (var f : flags) {
                try {
                    config.setAtStartup(f.getKey(), f.getValue());
                } catch (ConfigError e) {
                    throw new ConfigError("--" + f.getKey() + " " + f.getValue() + ": " + e.getMessage());
                }
            }
        } catch (ConfigError | IOException e) {
            System.err.println("moon-server: " + e.getMessage());
            System.exit(1);
            return;
        }

        Node node = new Node(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Received shutdown, stopping the node");
            node.stop();
            log.info("Moon is now ready to exit, bye bye...");
        }, "moon-shutdown"));
        node.onShutdown(() -> new Thread(() -> System.exit(0), "moon-shutdown-request").start());
        try {
            node.start();
            String pidfile = config.get("pidfile");
            if (!pidfile.isEmpty()) Files.writeString(Path.of(pidfile), ProcessHandle.current().pid() + "\n");
        } catch (Exception e) {
            log.error("Could not start: {}", e instanceof java.io.IOException && !(e instanceof io.moon.node.persist.format.FormatException)
                    ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.getMessage());
            System.exit(1);
        }
    }
}
