package dev.monkeytown.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The git command line and a clean test folder, for the system tests that seed a repository of their own. */
final class LocalGit {

    private LocalGit() {
    }

    static String git(Path directory, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Monkeytown System Test", "-c",
                "user.email=system-test@monkeytown.invalid"));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!git.waitFor(30, TimeUnit.SECONDS) || git.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed:\n" + output);
        }
        return output;
    }

    /** A new repository at {@code home/repo} whose main branch holds the files given, in one commit. */
    static Path seed(Path home, String message, java.util.Map<String, String> files)
            throws IOException, InterruptedException {
        Path repo = home.resolve("repo");
        git(home, "init", "-q", "-b", "main", repo.toString());
        for (var file : files.entrySet()) {
            Path path = repo.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
            git(repo, "add", file.getKey());
        }
        git(repo, "commit", "-q", "-m", message);
        return repo;
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
