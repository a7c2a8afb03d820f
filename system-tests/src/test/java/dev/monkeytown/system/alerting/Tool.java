package dev.monkeytown.system.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The monitoring tools from the Debian packages, found on the PATH; a missing one fails with how to install it. */
public enum Tool {
    PROMTOOL("promtool", "prometheus"), PROMETHEUS("prometheus", "prometheus"), AMTOOL("amtool",
            "prometheus-alertmanager"), ALERTMANAGER("prometheus-alertmanager", "prometheus-alertmanager");

    public record Result(List<String> command, int exitCode, String output) {
        public void assertSucceeded() {
            assertEquals(0, exitCode, String.join(" ", command) + " failed:\n" + output);
        }
    }

    private final String command;
    private final String debianPackage;

    Tool(String command, String debianPackage) {
        this.command = command;
        this.debianPackage = debianPackage;
    }

    /** The executable, or a failed test naming the package that brings it. */
    public String path() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail(command + " is not on the PATH: apt-get install " + debianPackage
                + " (./monkeytown test installs it; the alerting tests cannot run without it)");
    }

    public Result run(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        line.add(path());
        line.addAll(List.of(arguments));
        return run(directory, line);
    }

    public static Result run(Path directory, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return fail(String.join(" ", command) + " did not finish:\n" + output);
        }
        return new Result(command, process.exitValue(), output);
    }
}
