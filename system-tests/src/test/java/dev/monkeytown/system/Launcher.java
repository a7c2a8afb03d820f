package dev.monkeytown.system;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Drives {@code ./monkeytown} the way a person would, against a private data directory and port range. */
final class Launcher {

    static final List<String> SERVICES = List.of("api-gateway", "websocket-service", "agent-dispatcher", "build-service",
            "deploy-service", "artifact-service");

    record Result(int exitCode, String output) {
    }

    private final Path root;
    private final Path home;
    private final int portBase;
    private final Map<String, String> environment;

    Launcher(Path home, int portBase) {
        this(home, portBase, Map.of());
    }

    /** {@code environment} is added to the launcher's, and so reaches every service it starts. */
    Launcher(Path home, int portBase, Map<String, String> environment) {
        this.root = Path.of(System.getProperty("monkeytown.root", "..")).toAbsolutePath().normalize();
        this.home = home;
        this.portBase = portBase;
        this.environment = withTestJdk(environment);
    }

    /**
     * The services run on the JDK running the tests (the suite's minimum, 17, in CI), so the minimum is what the system
     * tests exercise; a test that looks for JDKs itself ({@code MONKEYTOWN_JDK_DIRS}) gets the launcher's own choice.
     */
    static Map<String, String> withTestJdk(Map<String, String> environment) {
        if (environment.containsKey("MONKEYTOWN_JDK_DIRS") || environment.containsKey("MONKEYTOWN_JAVA_HOME")) {
            return Map.copyOf(environment);
        }
        Map<String, String> chosen = new java.util.HashMap<>(environment);
        chosen.put("MONKEYTOWN_JAVA_HOME", System.getProperty("java.home"));
        return Map.copyOf(chosen);
    }

    Result run(String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("monkeytown").toString(), command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("MONKEYTOWN_HOME", home.toString());
        builder.environment().put("MONKEYTOWN_PORT_BASE", String.valueOf(portBase));
        builder.environment().putAll(environment);
        Process launcher = builder.start();
        // the launcher's services inherit no pipe of ours (they log to files), so this read ends when it exits
        String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!launcher.waitFor(3, TimeUnit.MINUTES)) {
            launcher.destroyForcibly();
            throw new IllegalStateException("./monkeytown " + command + " did not finish:\n" + output);
        }
        return new Result(launcher.exitValue(), output);
    }

    int port(String service) {
        return portBase + SERVICES.indexOf(service);
    }

    /** Where the service's management interface ({@code /q/*}) listens: 1000 above its HTTP port. */
    int managementPort(String service) {
        return port(service) + 1000;
    }

    Optional<Long> recordedPid(String service) throws IOException {
        Path file = home.resolve("run").resolve(service + ".pid");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(Files.readString(file).trim()));
    }

    /** Any process on this machine started for this data directory, whether or not a pid file still names it. */
    List<ProcessHandle> processesOfThisSuite() {
        String marker = "-Dmonkeytown.home=" + home;
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(marker)).orElse(false))
                .toList();
    }

    Path home() {
        return home;
    }
}
