package dev.monkeytown.state.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.CommitReceipt;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.GatedBranchBackend;
import dev.monkeytown.state.StateConflictException;
import dev.monkeytown.state.StateUnavailableException;
import dev.monkeytown.state.memory.InMemoryRepository;
import dev.monkeytown.state.spi.BackendException;

/** Engine behaviour that needs a misbehaving backend: outages, lost races, closing, threads. */
class GroupCommitStateBranchTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Actor ALICE = Actor.user("alice");
    private static final StateBranchOptions FAST = StateBranchOptions.defaults()
            .withUnavailableWait(Duration.ofMillis(300), Duration.ofMillis(5), Duration.ofMillis(50));

    private final InMemoryRepository repository = new InMemoryRepository();
    private final FlakyBranchBackend backend = new FlakyBranchBackend(repository.branch("svc"));
    private final List<GroupCommitStateBranch> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(GroupCommitStateBranch::close);
    }

    @Test
    void retryableFailuresAreWaitedOut() {
        GroupCommitStateBranch branch = open(StateBranchOptions.defaults()
                .withUnavailableWait(Duration.ofSeconds(20), Duration.ofMillis(5), Duration.ofMillis(20)));
        backend.failNextCommits.set(3);

        CommitReceipt receipt = await(branch.apply(put("queue.json", "[1]")));

        assertEquals(1, receipt.changesInCommit());
        assertEquals(3, branch.stats().unavailableRetries());
        assertEquals(1, repository.log("svc").size());
    }

    @Test
    void anUnreachableBackendFailsCallersAfterTheBoundedWaitAndTheBranchRecovers() {
        GroupCommitStateBranch branch = open(FAST);
        await(branch.apply(put("queue.json", "[]")));
        backend.down = true;

        StateUnavailableException failure = assertThrows(StateUnavailableException.class,
                () -> await(branch.apply(put("queue.json", "[1]"))));
        assertInstanceOf(BackendException.class, failure.getCause());
        assertEquals(1, branch.stats().changesFailed());
        assertEquals(1, repository.log("svc").size(), "nothing was written");

        backend.down = false;
        await(branch.apply(put("queue.json", "[2]")));
        assertEquals(Optional.of("[2]"), text(open(FAST).read("queue.json")));
    }

    @Test
    void aNonRetryableFailureFailsTheBatchAtOnce() {
        GroupCommitStateBranch branch = open(StateBranchOptions.defaults());
        backend.retryable = false;
        backend.failNextCommits.set(1);

        StateUnavailableException failure = assertThrows(StateUnavailableException.class,
                () -> await(branch.apply(put("queue.json", "[1]"))));

        assertFalse(((BackendException) failure.getCause()).retryable());
        assertEquals(1, backend.commitCalls.get());
        await(branch.apply(put("queue.json", "[2]")));
    }

    @Test
    void losingTheRaceMoreThanTheRetryBoundFailsWithAConflict() {
        GroupCommitStateBranch branch = open(StateBranchOptions.defaults().withMaxCasRetries(5));
        backend.alwaysLoseTheRace = true;
        AtomicInteger runs = new AtomicInteger();

        Uni<CommitReceipt> change = branch.apply(new Change("increment", ALICE, ws -> {
            runs.incrementAndGet();
            ws.put("counter", "1");
        }));

        assertThrows(StateConflictException.class, () -> await(change));
        assertEquals(6, backend.commitCalls.get(), "first try plus 5 retries");
        assertEquals(6, runs.get(), "the function is re-applied before every retry");
        assertEquals(6, branch.stats().conflicts());
        assertEquals(List.of(), repository.log("svc"));
    }

    @Test
    void aChangeThatWritesNothingIsAcknowledgedWithoutACommit() {
        GroupCommitStateBranch branch = open(StateBranchOptions.defaults());
        CommitReceipt written = await(branch.apply(put("queue.json", "[]")));

        CommitReceipt unchanged = await(branch.apply(put("queue.json", "[]")));

        assertEquals(written.commitId(), unchanged.commitId());
        assertEquals(0, unchanged.changesInCommit());
        assertEquals(1, repository.log("svc").size());
        assertEquals(1, branch.stats().changesUnchanged());
    }

    @Test
    void readsServeTheLastKnownStateWhileTheBackendIsDown() {
        GroupCommitStateBranch branch = open(FAST);
        await(branch.apply(put("queue.json", "[1]")));
        backend.down = true;

        assertEquals(Optional.of("[1]"), text(branch.read("queue.json")));
        assertEquals(1, await(branch.list("")).size());
        assertThrows(StateUnavailableException.class, () -> await(branch.refresh()));
    }

    @Test
    void documentsNotInMemoryAreLoadedOnAWorkerNotTheCallersThread() {
        await(open(StateBranchOptions.defaults()).apply(put("queue.json", "[1]")));
        GroupCommitStateBranch replica = open(StateBranchOptions.defaults());

        assertEquals(Optional.of("[1]"), text(replica.read("queue.json")));

        assertFalse(backend.blobReaderThreads.isEmpty());
        backend.blobReaderThreads.forEach(thread -> assertTrue(thread.startsWith("state-svc-worker-"), thread));
    }

    @Test
    void callersResumeOffTheCommitterThread() {
        GroupCommitStateBranch branch = open(StateBranchOptions.defaults());

        String thread = await(branch.apply(put("queue.json", "[1]")).map(receipt -> Thread.currentThread().getName()));

        assertNotEquals("state-svc-committer", thread);
    }

    @Test
    void closingCommitsWhatIsQueuedAndRefusesWhatComesAfter() throws Exception {
        GatedBranchBackend gated = new GatedBranchBackend(backend);
        GroupCommitStateBranch branch = open(gated, StateBranchOptions.defaults());
        CompletableFuture<CommitReceipt> inFlight = branch.apply(put("a.json", "1")).subscribeAsCompletionStage();
        gated.awaitFirstCommit(TIMEOUT);
        CompletableFuture<CommitReceipt> queued = branch.apply(put("b.json", "2")).subscribeAsCompletionStage();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(branch::close);
        gated.release();
        closing.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertEquals(1, inFlight.get().changesInCommit());
        assertEquals(1, queued.get().changesInCommit());
        assertThrows(StateUnavailableException.class, () -> await(branch.apply(put("c.json", "3"))));
        assertEquals(2, repository.log("svc").size());
    }

    @Test
    void statsCountCommitsAndBatchSizes() throws Exception {
        GatedBranchBackend gated = new GatedBranchBackend(backend);
        GroupCommitStateBranch branch = open(gated, StateBranchOptions.defaults());
        CompletableFuture<CommitReceipt> first = branch.apply(put("a.json", "1")).subscribeAsCompletionStage();
        gated.awaitFirstCommit(TIMEOUT);
        List<CompletableFuture<CommitReceipt>> batch = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            batch.add(branch.apply(put("b" + i + ".json", "2")).subscribeAsCompletionStage());
        }
        gated.release();
        first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        for (CompletableFuture<CommitReceipt> receipt : batch) {
            receipt.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        StateBranchStats stats = branch.stats();
        assertEquals(2, stats.commits());
        assertEquals(10, stats.changesCommitted());
        assertEquals(9, stats.largestBatch());
        assertEquals(5.0, stats.meanBatchSize());
    }

    @Test
    void batchesAreCappedAtTheMaximumSize() throws Exception {
        GatedBranchBackend gated = new GatedBranchBackend(backend);
        GroupCommitStateBranch branch = open(gated, StateBranchOptions.defaults().withMaxBatchSize(4));
        CompletableFuture<CommitReceipt> first = branch.apply(put("a.json", "1")).subscribeAsCompletionStage();
        gated.awaitFirstCommit(TIMEOUT);
        List<CompletableFuture<CommitReceipt>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queued.add(branch.apply(put("b" + i + ".json", "2")).subscribeAsCompletionStage());
        }
        gated.release();
        first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        List<Integer> sizes = new ArrayList<>();
        for (CompletableFuture<CommitReceipt> receipt : queued) {
            sizes.add(receipt.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).changesInCommit());
        }
        assertEquals(List.of(4, 4, 4, 4, 4, 4, 4, 4, 2, 2), sizes);
    }

    @Test
    void aChangeFunctionThrowingAnErrorFailsOnlyThatChange() throws Exception {
        GatedBranchBackend gated = new GatedBranchBackend(backend);
        GroupCommitStateBranch branch = open(gated, StateBranchOptions.defaults());
        CompletableFuture<CommitReceipt> first = branch.apply(put("a.json", "1")).subscribeAsCompletionStage();
        gated.awaitFirstCommit(TIMEOUT);
        CompletableFuture<CommitReceipt> broken = branch.apply(new Change("broken", ALICE, ws -> {
            ws.put("b.json", "2");
            throw new AssertionError("bug in a change function");
        })).subscribeAsCompletionStage();
        CompletableFuture<CommitReceipt> fine = branch.apply(put("c.json", "3")).subscribeAsCompletionStage();
        gated.release();
        first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        java.util.concurrent.ExecutionException failure = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> broken.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(AssertionError.class, failure.getCause());
        assertEquals(1, fine.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).changesInCommit());
        assertEquals(Optional.empty(), text(branch.read("b.json")));
        assertEquals(1, branch.stats().changesRejected());
    }

    @Test
    void refusesChangesWithoutMessageOrWithAnUnsafeActor() {
        GroupCommitStateBranch branch = open(StateBranchOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> branch.apply(new Change(" ", ALICE, ws -> {
        })));
        assertThrows(IllegalArgumentException.class,
                () -> branch.apply(new Change("x", new Actor("eve <root@x>", "e@x"), ws -> {
                })));
        assertThrows(IllegalArgumentException.class, () -> branch.apply(new Change("x", null, ws -> {
        })));
        assertThrows(IllegalArgumentException.class, () -> branch.apply(null));
    }

    private GroupCommitStateBranch open(StateBranchOptions options) {
        return open(backend, options);
    }

    private GroupCommitStateBranch open(dev.monkeytown.state.spi.BranchBackend on, StateBranchOptions options) {
        GroupCommitStateBranch branch = new GroupCommitStateBranch("svc", on, options);
        opened.add(branch);
        return branch;
    }

    private static Change put(String path, String text) {
        return new Change("put " + path, ALICE, ws -> ws.put(path, text));
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(TIMEOUT);
    }

    private static Optional<String> text(Uni<Optional<Document>> read) {
        return await(read).map(Document::text);
    }
}
