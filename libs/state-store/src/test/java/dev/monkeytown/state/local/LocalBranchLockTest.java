package dev.monkeytown.state.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.HeadMovedException;

/**
 * The branch lock between writers, with two repository objects on one directory playing two processes (the SIGSTOP
 * version across two JVMs is {@link LocalPausedWriterTest}).
 */
class LocalBranchLockTest {

    private static final String SERVICE = "lock";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    private LocalGitRepository first;
    private LocalGitRepository second;

    @AfterEach
    void close() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aWriterStoppedInsideItsCommitIsWaitedForNeverOvertaken() throws Exception {
        RecordingDisk stopping = new RecordingDisk(directory.resolve("repo/.git"));
        first = LocalGitRepository.openOrCreate(directory.resolve("repo"), false, Integer.MAX_VALUE, stopping);
        second = LocalGitRepository.openOrCreate(directory.resolve("repo"));
        LocalBranchBackend stopped = first.branch(SERVICE);
        LocalBranchBackend other = second.branch(SERVICE);
        String base = stopped.commit(Optional.empty(), Map.of("a.json", bytes("0")), Set.of(), metadata("b0"));
        stopping.stopIn(step -> step.startsWith("force refs/heads/") && step.endsWith(".lock"));

        CompletableFuture<String> stoppedCommit = CompletableFuture.supplyAsync(() -> {
            try {
                return stopped.commit(Optional.of(base), Map.of("a.json", bytes("1")), Set.of(), metadata("b1"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(stopping.awaitStopped(TIMEOUT), "the first writer reached its ref lock");

        // Nothing about this lock looks alive from outside: the other writer must not take it however long it waits.
        BackendException busy = assertThrows(BackendException.class,
                () -> other.commit(Optional.of(base), Map.of("a.json", bytes("2")), Set.of(), metadata("b2")));
        assertTrue(busy.retryable(), "the engine waits and retries: " + busy.getMessage());
        assertEquals(Optional.of(base), other.readHead());

        stopping.resume();
        String landed = stoppedCommit.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(Optional.of(landed), other.readHead(), "the other repository object sees the new head at once");
        assertThrows(HeadMovedException.class,
                () -> other.commit(Optional.of(base), Map.of("a.json", bytes("2")), Set.of(), metadata("b2")));
        String next = other.commit(Optional.of(landed), Map.of("a.json", bytes("2")), Set.of(), metadata("b2"));
        assertEquals(Optional.of(next), stopped.readHead());
        assertEquals("2", new String(other.readBlob(other.readTree(next).get("a.json")), StandardCharsets.UTF_8));
    }

    @Test
    void aRefLockThisLibraryDidNotTakeIsNeverRemoved() throws Exception {
        first = LocalGitRepository.openOrCreate(directory.resolve("repo"));
        LocalBranchBackend backend = first.branch(SERVICE);
        String base = backend.commit(Optional.empty(), Map.of("a.json", bytes("0")), Set.of(), metadata("b0"));
        // A git command (update-ref on a slow disk, a gc) holding the lock longer than any grace period: removing it
        // would let that command and this writer both move the ref.
        Path lock = directory.resolve("repo/.git/refs/heads/monkeytown/state/" + SERVICE + ".lock");
        Files.writeString(lock, "0123456789012345678901234567890123456789\n");

        BackendException busy = assertThrows(BackendException.class,
                () -> backend.commit(Optional.of(base), Map.of("a.json", bytes("1")), Set.of(), metadata("b1")));

        assertTrue(busy.retryable(), busy.getMessage());
        assertTrue(busy.getMessage().contains("remove the file"), "tells the operator what git would: "
                + busy.getMessage());
        assertTrue(Files.exists(lock), "git's lock is still there");
        assertEquals(Optional.of(base), backend.readHead());
    }

    @Test
    void aRefLockLeftByAWriterKilledInsideItsCommitIsRemovedByTheNext() throws Exception {
        Path repo = directory.resolve("repo");
        Path stderr = directory.resolve("writer-stderr.txt");
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), CrashingWriter.class.getName(), repo.toString(), SERVICE,
                String.valueOf(PackConsolidator.DEFAULT_MAX_PACKS), "3")
                .redirectError(stderr.toFile())
                .start();
        Path lock = repo.resolve(".git/refs/heads/monkeytown/state/" + SERVICE + ".lock");
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("PAUSED"));
            assertEquals("PAUSED", line, "writer never paused: " + Files.readString(stderr));
            writer.destroyForcibly(); // SIGKILL while it holds <ref>.lock, its commit fsynced there
            assertTrue(writer.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "writer did not die");
        } finally {
            writer.destroyForcibly();
        }
        assertTrue(Files.exists(lock), "the killed writer left its ref lock");

        first = LocalGitRepository.openOrCreate(repo);
        LocalBranchBackend backend = first.branch(SERVICE);
        Optional<String> head = backend.readHead();
        String next = backend.commit(head, Map.of("after.json", bytes("1")), Set.of(), metadata("after"));

        assertFalse(Files.exists(lock));
        assertEquals(next + "\n", GitCli.output(repo, "rev-parse", "monkeytown/state/" + SERVICE));
        GitCli.Result fsck = GitCli.run(repo, "fsck", "--strict", "--no-dangling");
        assertEquals(0, fsck.exitCode(), fsck.errors() + fsck.output());
    }

    @Test
    void everyRepositoryObjectSeesEachNewHeadAtOnce() throws Exception {
        first = LocalGitRepository.openOrCreate(directory.resolve("repo"));
        second = LocalGitRepository.openOrCreate(directory.resolve("repo"));
        LocalBranchBackend one = first.branch(SERVICE);
        LocalBranchBackend two = second.branch(SERVICE);
        Optional<String> head = Optional.empty();
        // Ref files are all 41 bytes and are replaced by rename, which can hand back an inode and a time it had:
        // a reader trusting stat would miss an update. Both readers are asked after every commit.
        for (int i = 0; i < 100; i++) {
            LocalBranchBackend writer = i % 2 == 0 ? one : two;
            head = Optional.of(writer.commit(head, Map.of("n.json", bytes(String.valueOf(i))), Set.of(),
                    metadata("b" + i)));
            assertEquals(head, one.readHead(), "first object, commit " + i);
            assertEquals(head, two.readHead(), "second object, commit " + i);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static CommitMetadata metadata(String batchId) {
        return LocalBranchHistoryTest.metadata("write " + batchId, batchId);
    }
}
