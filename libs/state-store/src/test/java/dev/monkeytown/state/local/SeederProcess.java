package dev.monkeytown.state.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;

import dev.monkeytown.state.local.ExampleSeed.ExampleFile;

/**
 * One seeder in a process of its own, as each service of the suite is: says it is ready, waits for the go file, seeds
 * {@code main} with its declaration file and exits 0 if its examples landed, 1 if not, 2 on an error.
 * Arguments: repository, declaration path, ready file, go file.
 */
public final class SeederProcess {

    private SeederProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path repository = Path.of(args[0]);
        String declaration = args[1];
        Path go = Path.of(args[3]);
        byte[] content = "example\n".getBytes(StandardCharsets.UTF_8);
        ExampleSeed seed = new ExampleSeed(declaration, List.of(new ExampleFile(declaration, content, false)),
                "seeder@test", "Seed " + declaration + "\n");
        // warm up (class loading takes longer than seeding): the seeders must really meet once they are let go
        try (Git git = Git.open(repository.toFile())) {
            git.status().call();
            git.getRepository().exactRef(Constants.HEAD);
        }
        Files.writeString(Path.of(args[2]), "ready");
        while (!Files.exists(go)) {
            Thread.onSpinWait();
        }
        try {
            System.exit(seed.seed(repository, "main") ? 0 : 1);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(2);
        }
    }
}
