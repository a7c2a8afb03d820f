package dev.monkeytown.state.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.CommitReceipt;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.GatedBranchBackend;
import dev.monkeytown.state.StateUnavailableException;
import dev.monkeytown.state.memory.InMemoryRepository;
import dev.monkeytown.state.spi.BranchBackend;

/**
 * No lock across backend I/O, one refresh at a time, acknowledgements on their own threads, and every queue bounded:
 * a busy or slow backend must not stall readiness, acknowledgements or memory.
 */
class BoundedBranchTest {

    /** Long enough for any healthy answer on a loaded machine; what is held never answers within it. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Actor ALICE = Actor.user("alice");

    private final InMemoryRepository repository = new InMemoryRepository();
    private final List<GroupCommitStateBranch> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(GroupCommitStateBranch::close);
    }

    @Test
    void theHeadCanBeRefreshedWhileACommitIsHeldInTheBackend() throws Exception {
        GatedBranchBackend gated = new GatedBranchBackend(repository.branch("svc"));
        GroupCommitStateBranch branch = open(gated, StateBranchOptions.defaults());
        CompletableFuture<CommitReceipt> held = branch.apply(put("a.json", "1")).subscribeAsCompletionStage();
        gated.awaitFirstCommit(PATIENCE);

        await(branch.refresh());

        gated.release();
        held.get();
    }

    @Test
    void acknowledgementsDoNotWaitBehindReadsOfASlowBackend() {
        GroupCommitStateBranch writer = open(repository.branch("svc"), StateBranchOptions.defaults());
        for (int i = 0; i < 8; i++) {
            await(writer.apply(put("docs/" + i + ".json", "{\"n\":" + i + "}")));
        }
        HeldReadsBackend slow = new HeldReadsBackend(repository.branch("svc"));
        GroupCommitStateBranch replica = open(slow, StateBranchOptions.defaults());
        await(replica.refresh());
        slow.holdBlobs = true;
        for (int i = 0; i < 8; i++) {
            replica.read("docs/" + i + ".json").subscribe().with(ignored -> {
            }, ignored -> {
            });
        }
        Awaitility.await().atMost(PATIENCE).until(() -> slow.heldBlobReads.get() >= 4);

        CommitReceipt receipt = await(replica.apply(put("x.json", "1")));

        assertEquals(1, receipt.changesInCommit());
        slow.release();
    }

    @Test
    void concurrentRefreshesShareOneReadOfTheHead() {
        HeldReadsBackend slow = new HeldReadsBackend(repository.branch("svc"));
        GroupCommitStateBranch branch = open(slow, StateBranchOptions.defaults());
        await(branch.apply(put("a.json", "1")));
        int before = slow.headReads.get();
        slow.holdHeads = true;

        List<CompletableFuture<Void>> probes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            probes.add(branch.refresh().subscribeAsCompletionStage());
        }
        Awaitility.await().atMost(PATIENCE).until(() -> slow.headReads.get() > before);
        slow.release();
        probes.forEach(CompletableFuture::join);

        assertEquals(before + 1, slow.headReads.get(), "twenty probes, one read");
    }

    @Test
    void changesBeyondThePendingBoundFailAtOnce() throws Exception {
        GatedBranchBackend gated = new GatedBranchBackend(repository.branch("svc"));
        GroupCommitStateBranch branch = open(gated, StateBranchOptions.defaults().withPendingBounds(2, 10));
        CompletableFuture<CommitReceipt> first = branch.apply(put("a.json", "1")).subscribeAsCompletionStage();
        gated.awaitFirstCommit(PATIENCE);
        CompletableFuture<CommitReceipt> second = branch.apply(put("b.json", "1")).subscribeAsCompletionStage();
        CompletableFuture<CommitReceipt> third = branch.apply(put("c.json", "1")).subscribeAsCompletionStage();

        StateUnavailableException refused = assertThrows(StateUnavailableException.class,
                () -> await(branch.apply(put("d.json", "1"))));

        assertTrue(refused.getMessage().contains("waiting"), refused.getMessage());
        gated.release();
        first.get();
        second.get();
        third.get();
        assertEquals(Optional.empty(), text(branch.read("d.json")));
    }

    @Test
    void theBlobCacheStaysWithinItsByteBound() {
        long bound = 64 * 1024;
        GroupCommitStateBranch branch = open(repository.branch("svc"),
                StateBranchOptions.defaults().withObjectCacheBytes(bound));
        String kilobytes = "x".repeat(4096);
        for (int i = 0; i < 100; i++) {
            await(branch.apply(put("runs/" + i + ".json", i + kilobytes)));
        }

        assertTrue(branch.health().cachedBytes() <= bound, "cached " + branch.health().cachedBytes());
        List<Document> all = await(branch.list("runs/"));
        assertEquals(100, all.size(), "evicted documents are read again from the backend");
        assertTrue(branch.health().cachedBytes() <= bound, "cached " + branch.health().cachedBytes());
    }

    private GroupCommitStateBranch open(BranchBackend backend, StateBranchOptions options) {
        GroupCommitStateBranch branch = new GroupCommitStateBranch("svc", backend, options);
        opened.add(branch);
        return branch;
    }

    private static Change put(String path, String text) {
        return new Change("put " + path, ALICE, ws -> ws.put(path, text));
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(PATIENCE);
    }

    private static Optional<String> text(Uni<Optional<Document>> read) {
        return await(read).map(Document::text);
    }
}
