package dev.monkeytown.state.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service's beans open its new local repository at start from several threads at once (the state branch, the
 * example seed): one creates it and every one gets it (seen in CI: "Creating directory .git/refs failed").
 */
class LocalRepositoryCreationTest {

    @TempDir
    Path directory;

    @RepeatedTest(20)
    void openersOfANewRepositoryAtOnceAllGetIt() throws Exception {
        Path repo = directory.resolve("repo");
        int openers = 4;
        CyclicBarrier start = new CyclicBarrier(openers);
        ExecutorService pool = Executors.newFixedThreadPool(openers);
        try {
            List<Future<Path>> opened = new ArrayList<>();
            for (int i = 0; i < openers; i++) {
                opened.add(pool.submit(() -> {
                    start.await();
                    try (LocalGitRepository repository = LocalGitRepository.openOrCreate(repo)) {
                        return repository.directory();
                    }
                }));
            }
            for (Future<Path> result : opened) {
                assertEquals(repo.toAbsolutePath().normalize(), result.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("", GitCli.output(repo, "status", "--porcelain"));
    }
}
