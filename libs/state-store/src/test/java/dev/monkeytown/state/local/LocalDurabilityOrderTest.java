package dev.monkeytown.state.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.spi.AmbiguousCommitException;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.CommitTrailers;

/**
 * What a power cut could undo, checked where a crash test cannot see it (the page cache survives a killed process):
 * every fsync and rename of a commit, recorded by a {@link RecordingDisk}, in the order that makes each step durable
 * before the next one can expose it, all done before the caller is acknowledged; and a step that fails fails the
 * commit.
 */
class LocalDurabilityOrderTest {

    private static final String SERVICE = "order";
    private static final String REF = "refs/heads/monkeytown/state/" + SERVICE;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** What makes the objects of a commit durable, pack and index fsynced at once, then renamed, then the folder. */
    private static final List<String> OBJECTS = List.of(
            "force objects/pack/tmp_idx_*",
            "force objects/pack/tmp_pack_*",
            "rename objects/pack/tmp_pack_* -> objects/pack/pack-*.pack",
            "rename objects/pack/tmp_idx_* -> objects/pack/pack-*.idx",
            "sync objects/pack");

    @TempDir
    Path directory;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void aCommitIsDurableStepByStepBeforeItIsAcknowledged() throws Exception {
        RecordingDisk disk = new RecordingDisk(directory.resolve("repo/.git"));
        GroupCommitStateBranch branch = branch(disk);
        apply(branch, disk, "queue.json", "[]");
        disk.clear();

        apply(branch, disk, "queue.json", "[1]");

        List<String> expected = new ArrayList<>(OBJECTS);
        expected.addAll(List.of(
                "force " + REF + ".lock",
                "rename " + REF + ".lock -> " + REF,
                "sync refs/heads/monkeytown/state",
                "ack"));
        assertEquals(expected, packFsyncsSorted(disk.steps()));
    }

    @Test
    void aNewBranchAlsoSyncsTheFoldersThatHoldIt() throws Exception {
        RecordingDisk disk = new RecordingDisk(directory.resolve("repo/.git"));
        GroupCommitStateBranch branch = branch(disk);
        disk.clear();

        apply(branch, disk, "queue.json", "[]");

        List<String> expected = new ArrayList<>(OBJECTS);
        expected.addAll(List.of(
                // refs/heads/monkeytown/state/ is created, each new folder's entry synced in its parent
                "sync refs/heads",
                "sync refs/heads/monkeytown",
                "force " + REF + ".lock",
                "rename " + REF + ".lock -> " + REF,
                // the new ref file, and the folders above it up to refs/heads (another writer may have created them)
                "sync refs/heads/monkeytown/state",
                "sync refs/heads/monkeytown",
                "sync refs/heads",
                // then the mark that the branch was created (a later deletion is an alarm, not a new branch)
                "sync refs",
                "sync refs/monkeytown",
                "sync refs/monkeytown/created",
                "sync refs/monkeytown/created/monkeytown",
                "force refs/monkeytown/created/monkeytown/state/order.lock",
                "rename refs/monkeytown/created/monkeytown/state/order.lock -> refs/monkeytown/created/monkeytown/state/order",
                "ack"));
        assertEquals(expected, packFsyncsSorted(disk.steps()));
    }

    @Test
    void aPackFolderThatCannotBeSyncedFailsTheCommitAndMovesNothing() throws Exception {
        RecordingDisk disk = new RecordingDisk(directory.resolve("repo/.git"));
        LocalBranchBackend backend = repository(disk).branch(SERVICE);
        String first = backend.commit(Optional.empty(), Map.of("a.json", bytes("1")), Set.of(), metadata("b1"));
        disk.fail(step -> step.equals("sync objects/pack"));

        BackendException failure = assertThrows(BackendException.class,
                () -> backend.commit(Optional.of(first), Map.of("a.json", bytes("2")), Set.of(), metadata("b2")));

        assertTrue(failure.retryable(), "a disk may recover");
        assertFalse(failure instanceof AmbiguousCommitException, "nothing was published");
        assertEquals(Optional.of(first), backend.readHead());
    }

    @Test
    void aRefFolderThatCannotBeSyncedIsNeitherAcknowledgedNorWrittenAgain() throws Exception {
        RecordingDisk disk = new RecordingDisk(directory.resolve("repo/.git"));
        LocalBranchBackend backend = repository(disk).branch(SERVICE);
        String first = backend.commit(Optional.empty(), Map.of("a.json", bytes("1")), Set.of(), metadata("b1"));
        disk.fail(step -> step.equals("sync refs/heads/monkeytown/state"));

        BackendException failure = assertThrows(BackendException.class,
                () -> backend.commit(Optional.of(first), Map.of("a.json", bytes("2")), Set.of(), metadata("b2")));

        // Readers already see the commit, but it may not survive a power cut: not acknowledged, and not retried (a
        // retry would write it a second time); the callers hear it may or may not have been recorded.
        assertFalse(failure.retryable());
        assertTrue(failure.getMessage().contains("may or may not"), failure.getMessage());
        String head = backend.readHead().orElseThrow();
        assertEquals(Optional.of("b2"),
                CommitTrailers.batchId(backend.history(head, Optional.of(first), 1).commits().get(0).message()));
    }

    @Test
    void aNewRepositoryIsDurableBeforeAnythingIsWrittenIntoIt() {
        RecordingDisk disk = new RecordingDisk(directory);

        repository(disk, directory.resolve("new/repo"));

        List<String> steps = disk.steps();
        for (String step : List.of("force new/repo/.git/HEAD", "force new/repo/.git/config", "sync new/repo/.git",
                "sync new/repo/.git/objects", "sync new/repo/.git/objects/pack", "sync new/repo/.git/refs",
                "sync new/repo/.git/refs/heads", "sync new/repo", "sync new", "sync .")) {
            assertTrue(steps.contains(step), step + " is missing from " + steps);
        }
    }

    private GroupCommitStateBranch branch(RecordingDisk disk) {
        LocalGitRepository repository = repository(disk);
        GroupCommitStateBranch branch = new GroupCommitStateBranch(SERVICE, repository.branch(SERVICE),
                StateBranchOptions.defaults());
        opened.add(branch);
        return branch;
    }

    private LocalGitRepository repository(RecordingDisk disk) {
        return repository(disk, directory.resolve("repo"));
    }

    private LocalGitRepository repository(RecordingDisk disk, Path path) {
        // No pack merges: their steps would interleave with the commit's.
        LocalGitRepository repository = LocalGitRepository.openOrCreate(path, false, Integer.MAX_VALUE, disk);
        opened.add(repository);
        return repository;
    }

    /** Applies one change and notes {@code ack} when its caller is answered. */
    private static void apply(GroupCommitStateBranch branch, RecordingDisk disk, String path, String text)
            throws Exception {
        branch.apply(new Change("put " + path, Actor.user("alice"), ws -> ws.put(path, text)))
                .subscribeAsCompletionStage()
                .thenRun(() -> disk.note("ack"))
                .toCompletableFuture().get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Pack and index are fsynced in parallel: their two steps come in either order. */
    private static List<String> packFsyncsSorted(List<String> steps) {
        List<String> sorted = new ArrayList<>(steps);
        if (sorted.size() >= 2) {
            sorted.subList(0, 2).sort(null);
        }
        return sorted;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static dev.monkeytown.state.spi.CommitMetadata metadata(String batchId) {
        return LocalBranchHistoryTest.metadata("write " + batchId, batchId);
    }
}
