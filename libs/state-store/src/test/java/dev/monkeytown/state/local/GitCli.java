package dev.monkeytown.state.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code git} command line on a repository, to prove it reads what JGit wrote. */
final class GitCli {

    /** Exit code, standard output and standard error (where git puts warnings) of one command. */
    record Result(int exitCode, String output, String errors) {
    }

    private GitCli() {
    }

    static Result run(Path repository, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", repository.toString()));
        command.addAll(List.of(args));
        Path errors = Files.createTempFile("git-stderr", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("git " + String.join(" ", args) + " did not finish");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8),
                    Files.readString(errors));
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** Output of a command that must succeed. */
    static String output(Path repository, String... args) throws IOException, InterruptedException {
        Result result = run(repository, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed (" + result.exitCode() + "): "
                    + result.errors() + result.output());
        }
        return result.output();
    }
}
