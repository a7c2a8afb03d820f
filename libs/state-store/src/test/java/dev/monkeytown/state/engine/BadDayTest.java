package dev.monkeytown.state.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.CommitReceipt;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.StateUnavailableException;
import dev.monkeytown.state.memory.InMemoryRepository;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitTrailers;

/**
 * The engine against a host having a bad day the way GitHub has them: answers lost while the commit lands later,
 * replicas answering reads with an older head, a branch deleted or reset behind the service's back.
 */
class BadDayTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Actor ALICE = Actor.user("alice");

    private final InMemoryRepository repository = new InMemoryRepository();
    private final List<GroupCommitStateBranch> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(GroupCommitStateBranch::close);
    }

    @Test
    void aCommitWhoseAnswerWasLostAndThatLandsLateIsAppliedOnce() {
        LateLandingBackend host = new LateLandingBackend(repository.branch("svc"));
        // a retry pause longer than the host's delay: a blind retry would see the late commit and count again
        GroupCommitStateBranch branch = open(host, StateBranchOptions.defaults()
                .withUnavailableWait(Duration.ofSeconds(20), Duration.ofMillis(400), Duration.ofSeconds(1)));
        await(branch.apply(increment("counter")));
        host.loseNextAnswers.set(1);
        host.landAfter = Duration.ofMillis(100);

        CommitReceipt receipt = await(branch.apply(increment("counter")));

        assertEquals(Optional.of("2"), text(branch.read("counter")));
        assertEquals(Optional.of("2"), text(open(repository.branch("svc"), StateBranchOptions.defaults())
                .read("counter")), "on the branch, too");
        assertEquals(1, host.landedLate.get());
        assertEquals(repository.log("svc").get(0).id(), receipt.commitId(), "acknowledged with the late commit");
        assertEquals(2, repository.log("svc").size());
    }

    @Test
    void aCommitThatNeverLandsIsWrittenAgainOnlyAfterTheHostGaveUpOnIt() {
        LateLandingBackend host = new LateLandingBackend(repository.branch("svc"));
        GroupCommitStateBranch branch = open(host, StateBranchOptions.defaults()
                .withHostTiming(Duration.ofMillis(600), Duration.ofSeconds(10)));
        host.loseNextAnswers.set(1);
        host.landAfter = null;

        await(branch.apply(increment("counter")));

        assertEquals(Optional.of("1"), text(branch.read("counter")));
        assertEquals(2, host.commitCalls.get(), "the lost attempt, then one more after the host's timeout");
        assertEquals(1, repository.log("svc").size());
    }

    @Test
    void aLateCommitHiddenByLaggingReadsIsFoundBeforeTheBatchIsAppliedAgain() {
        LateLandingBackend host = new LateLandingBackend(repository.branch("svc"));
        LaggingBackend replicas = new LaggingBackend(host);
        GroupCommitStateBranch branch = open(replicas, StateBranchOptions.defaults()
                .withHostTiming(Duration.ofMillis(300), Duration.ofSeconds(10)));
        await(branch.apply(increment("counter")));
        host.loseNextAnswers.set(1);
        host.landAfter = Duration.ofMillis(50);
        // every read during the settlement window still shows the old head: it concludes "not landed"
        replicas.lagReads.set(3);

        await(branch.apply(increment("counter")));

        assertEquals(Optional.of("2"), text(branch.read("counter")));
        assertEquals(2, repository.log("svc").size(), "the late commit, and no second one");
    }

    @Test
    void aLaggingReadDoesNotUndoAnAcknowledgedCommit() {
        LaggingBackend replicas = new LaggingBackend(repository.branch("svc"));
        GroupCommitStateBranch branch = open(replicas, StateBranchOptions.defaults());
        await(branch.apply(put("queue.json", "[1]")));
        await(branch.apply(put("queue.json", "[1,2]")));
        replicas.lagReads.set(1);

        await(branch.refresh());

        assertEquals(Optional.of("[1,2]"), text(branch.read("queue.json")), "read-your-writes after a lagging read");
        await(branch.apply(put("queue.json", "[1,2,3]")));
        assertEquals(Optional.of("[1,2,3]"), text(branch.read("queue.json")));
        assertEquals(3, repository.log("svc").size());
    }

    @Test
    void aDeletedBranchIsAnAlarmAndIsNeverRecreated() {
        GroupCommitStateBranch branch = open(repository.branch("svc"), StateBranchOptions.defaults()
                .withUnavailableWait(Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(100))
                .withHostTiming(Duration.ofSeconds(10), Duration.ofMillis(300)));
        await(branch.apply(put("runs/1.json", "{}")));
        repository.deleteBranch("svc");

        StateUnavailableException refused = assertThrows(StateUnavailableException.class,
                () -> await(branch.apply(put("runs/2.json", "{}"))));

        assertTrue(refused.getMessage().contains("vanished"), refused.getMessage());
        assertEquals(List.of(), repository.log("svc"), "not recreated without the runs it had");
        BranchAlarm alarm = branch.health().alarm().orElseThrow();
        assertEquals(BranchAlarm.Kind.VANISHED, alarm.kind());
        assertEquals(Optional.of("{}"), text(branch.read("runs/1.json")), "reads serve what was last seen");
    }

    @Test
    void aBranchResetToAnOlderCommitIsAnAlarmUntilItIsRestored() {
        GroupCommitStateBranch branch = open(repository.branch("svc"), StateBranchOptions.defaults()
                .withUnavailableWait(Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(100))
                .withHostTiming(Duration.ofSeconds(10), Duration.ofMillis(300)));
        await(branch.apply(put("runs/1.json", "{}")));
        String lastGood = await(branch.apply(put("runs/2.json", "{}"))).commitId();
        repository.resetBranch("svc", repository.log("svc").get(1).id());

        assertThrows(StateUnavailableException.class, () -> await(branch.apply(put("runs/3.json", "{}"))));
        assertEquals(BranchAlarm.Kind.WENT_BACKWARDS, branch.health().alarm().orElseThrow().kind());
        assertEquals(Optional.of("{}"), text(branch.read("runs/2.json")));

        repository.resetBranch("svc", lastGood);
        await(branch.apply(put("runs/3.json", "{}")));
        assertEquals(Optional.empty(), branch.health().alarm());
        assertEquals(3, repository.log("svc").size());
    }

    @Test
    void aRewrittenHistoryIsAnAlarmAtOnce() {
        GroupCommitStateBranch branch = open(repository.branch("svc"), StateBranchOptions.defaults());
        await(branch.apply(put("runs/1.json", "{}")));
        // a force-push of an unrelated history
        GroupCommitStateBranch elsewhere = new GroupCommitStateBranch("other", repository.branch("other"),
                StateBranchOptions.defaults());
        opened.add(elsewhere);
        repository.resetBranch("svc", await(elsewhere.apply(put("elsewhere.json", "{}"))).commitId());

        assertThrows(StateUnavailableException.class, () -> await(branch.refresh()));
        assertEquals(BranchAlarm.Kind.DIVERGED, branch.health().alarm().orElseThrow().kind());
    }

    @Test
    void aBranchDeletedWhileNoRunningProcessSawItIsStillAnAlarm() {
        GroupCommitStateBranch before = open(repository.branch("svc"), StateBranchOptions.defaults());
        await(before.apply(put("runs/1.json", "{}")));
        repository.deleteBranch("svc");

        // a restarted process never saw the branch: it must still not start it over, empty
        GroupCommitStateBranch restarted = open(repository.branch("svc"), StateBranchOptions.defaults()
                .withUnavailableWait(Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(100))
                .withHostTiming(Duration.ofSeconds(10), Duration.ofMillis(300)));
        assertThrows(StateUnavailableException.class, () -> await(restarted.apply(put("runs/2.json", "{}"))));

        assertEquals(List.of(), repository.log("svc"));
        assertEquals(BranchAlarm.Kind.VANISHED, restarted.health().alarm().orElseThrow().kind());
    }

    @Test
    void aCommitWhoseAnswerIsLostEveryTimeFailsItsCallersInTimeAndIsNotRetriedForever() {
        LateLandingBackend host = new LateLandingBackend(repository.branch("svc"));
        GroupCommitStateBranch branch = open(host, StateBranchOptions.defaults()
                .withUnavailableWait(Duration.ofSeconds(2), Duration.ofMillis(20), Duration.ofMillis(100))
                .withHostTiming(Duration.ofMillis(300), Duration.ofSeconds(10)));
        await(branch.apply(put("a.json", "0")));
        host.loseNextAnswers.set(Integer.MAX_VALUE);
        host.landAfter = null; // GitHub gives up on it every time, e.g. a payload it cannot commit in its 10 s

        StateUnavailableException failed = assertThrows(StateUnavailableException.class,
                () -> await(branch.apply(put("a.json", "1"))));

        assertTrue(failed.getMessage().contains("did not land"), failed.getMessage());
        assertTrue(host.commitCalls.get() < 20, "tried " + host.commitCalls.get() + " times");
        assertEquals(1, repository.log("svc").size());
    }

    @Test
    void aCommitThatCannotBeSettledIsReportedAsMaybeRecordedAndNotRunAgain() {
        LateLandingBackend host = new LateLandingBackend(repository.branch("svc"));
        FlakyBranchBackend reads = new FlakyBranchBackend(host);
        GroupCommitStateBranch branch = open(reads, StateBranchOptions.defaults()
                .withUnavailableWait(Duration.ofSeconds(1), Duration.ofMillis(20), Duration.ofMillis(100))
                .withHostTiming(Duration.ofMillis(300), Duration.ofSeconds(10)));
        await(branch.apply(increment("counter")));
        host.loseNextAnswers.set(1);
        host.landAfter = Duration.ofMillis(50);
        reads.downAfterNextCommit = true; // nothing can be read to settle it

        StateUnavailableException unknown = assertThrows(StateUnavailableException.class,
                () -> await(branch.apply(increment("counter"))));

        assertTrue(unknown.getMessage().contains("may or may not"), unknown.getMessage());
        reads.down = false;
        org.awaitility.Awaitility.await().atMost(5, java.util.concurrent.TimeUnit.SECONDS)
                .until(() -> host.landedLate.get() == 1);
        assertEquals(2, repository.log("svc").size(), "the lost commit landed, and nothing wrote it again");
    }

    @Test
    void batchesCarryTheirIdInTheCommitMessage() {
        GroupCommitStateBranch branch = open(repository.branch("svc"), StateBranchOptions.defaults());

        await(branch.apply(put("a.json", "1")));

        String message = repository.log("svc").get(0).metadata().message();
        assertNotNull(CommitTrailers.batchId(message).orElse(null), message);
    }

    private GroupCommitStateBranch open(BranchBackend backend, StateBranchOptions options) {
        GroupCommitStateBranch branch = new GroupCommitStateBranch("svc", backend, options);
        opened.add(branch);
        return branch;
    }

    private static Change put(String path, String text) {
        return new Change("put " + path, ALICE, ws -> ws.put(path, text));
    }

    private static Change increment(String path) {
        return new Change("increment " + path, ALICE, ws -> {
            int value = ws.read(path).map(document -> Integer.parseInt(document.text())).orElse(0);
            ws.put(path, Integer.toString(value + 1));
        });
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(TIMEOUT);
    }

    private static Optional<String> text(Uni<Optional<Document>> read) {
        return await(read).map(Document::text);
    }
}
