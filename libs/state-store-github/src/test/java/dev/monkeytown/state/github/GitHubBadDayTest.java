package dev.monkeytown.state.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.monkeytown.github.testdouble.CallLedger.Costs;
import dev.monkeytown.github.testdouble.GraphQlFailure;
import dev.monkeytown.github.testdouble.HostedRepository;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.Document;
import dev.monkeytown.state.StateUnavailableException;
import dev.monkeytown.state.engine.BranchAlarm;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;

/** The whole engine on the GitHub backend against a double having GitHub's bad days. */
class GitHubBadDayTest extends DoubleBackedStateTest {

    private final HostedRepository repo = github.repository("monkeytown", "monkeytown");
    private final List<GroupCommitStateBranch> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(GroupCommitStateBranch::close);
    }

    @Test
    void aCommitGitHubAppliesAfterItsAnswerWasLostIsAppliedOnce() {
        // a blind retry would wait half a second: by then the lost commit has landed, and would be counted again
        GroupCommitStateBranch branch = open("agent-dispatcher", StateBranchOptions.defaults()
                .withUnavailableWait(Duration.ofSeconds(20), Duration.ofMillis(500), Duration.ofSeconds(1))
                .withHostTiming(Duration.ofSeconds(3), Duration.ofSeconds(10)));
        await(branch.apply(increment("counter")));
        github.applyNextWritesLater(1, Duration.ofMillis(100), Duration.ZERO);
        Costs before = github.ledger().costs();

        await(branch.apply(increment("counter")));

        assertEquals(Optional.of("2"), text(branch.read("counter")));
        assertEquals(Optional.of("2"), text(open("agent-dispatcher", engineOptions()).read("counter")));
        assertEquals(1, github.ledger().costs().minus(before).writes(), "the lost commit only, never a second one");
        assertEquals(1, branch.stats().ambiguousCommits());
    }

    @Test
    void aGraphQlTimeoutAfterTheCommitWasAppliedIsAcknowledgedOnce() {
        GroupCommitStateBranch branch = open("agent-dispatcher", engineOptions()
                .withHostTiming(Duration.ofSeconds(3), Duration.ofSeconds(10)));
        await(branch.apply(increment("counter")));
        github.failNextGraphQl(1, GraphQlFailure.TIMEOUT, true);

        await(branch.apply(increment("counter")));

        assertEquals(Optional.of("2"), text(open("agent-dispatcher", engineOptions()).read("counter")));
    }

    @Test
    void readsThatLagOurOwnCommitDoNotTakeItBack() {
        GroupCommitStateBranch branch = open("agent-dispatcher", engineOptions());
        await(branch.apply(put("queue.json", "[1]")));
        github.lagReads(Duration.ofSeconds(3));
        await(branch.apply(put("queue.json", "[1,2]")));

        await(branch.refresh());

        assertEquals(Optional.of("[1,2]"), text(branch.read("queue.json")), "read-your-writes through the lag");
        await(branch.apply(put("queue.json", "[1,2,3]")));
        assertEquals(Optional.of("[1,2,3]"), text(branch.read("queue.json")));
    }

    @Test
    void aDeletedBranchRaisesTheAlarmAndIsNotRecreated() {
        GroupCommitStateBranch branch = open("agent-dispatcher", engineOptions()
                .withHostTiming(Duration.ofSeconds(10), Duration.ofMillis(500)));
        await(branch.apply(put("runs/1.json", "{}")));
        repo.deleteRef("refs/heads/monkeytown/state/agent-dispatcher");

        StateUnavailableException refused = assertThrows(StateUnavailableException.class,
                () -> await(branch.apply(put("runs/2.json", "{}"))));

        assertTrue(refused.getMessage().contains("vanished"), refused.getMessage());
        assertEquals(Optional.empty(), repo.ref("refs/heads/monkeytown/state/agent-dispatcher"));
        assertEquals(BranchAlarm.Kind.VANISHED, branch.health().alarm().orElseThrow().kind());
    }

    @Test
    void aDeletedBranchIsAnAlarmEvenForAProcessThatNeverSawIt() {
        GroupCommitStateBranch before = open("agent-dispatcher", engineOptions());
        await(before.apply(put("runs/1.json", "{}")));
        repo.deleteRef("refs/heads/monkeytown/state/agent-dispatcher");

        GroupCommitStateBranch restarted = open("agent-dispatcher", engineOptions()
                .withHostTiming(Duration.ofSeconds(10), Duration.ofMillis(500)));
        assertThrows(StateUnavailableException.class, () -> await(restarted.apply(put("runs/2.json", "{}"))));

        assertEquals(Optional.empty(), repo.ref("refs/heads/monkeytown/state/agent-dispatcher"), "not recreated");
        assertEquals(BranchAlarm.Kind.VANISHED, restarted.health().alarm().orElseThrow().kind());
    }

    @Test
    void aRestartReadsAThousandRunsAndFiftyLiveOnesInThreeRequests() {
        GroupCommitStateBranch writer = open("agent-dispatcher", engineOptions());
        for (int batch = 0; batch < 4; batch++) {
            int from = batch * 250;
            await(writer.apply(new Change("seed " + from, Actor.service("agent-dispatcher"), workspace -> {
                for (int i = from; i < from + 250; i++) {
                    workspace.put("runs/2026/12/0" + (1 + i % 5) + "/" + i + ".json", "{\"run\":" + i + "}");
                }
            })));
        }
        await(writer.apply(new Change("live", Actor.service("agent-dispatcher"), workspace -> {
            for (int i = 0; i < 50; i++) {
                workspace.put("live/" + i + ".json", "{\"live\":" + i + "}");
            }
        })));
        Costs before = github.ledger().costs();

        GroupCommitStateBranch restarted = open("agent-dispatcher", engineOptions());
        List<Document> documents = await(restarted.list(List.of("live/", "runs/")));

        Costs spent = github.ledger().costs().minus(before);
        assertEquals(1050, documents.size());
        // head, tree, and 1,050 documents in one query (1,100 a query); the dispatcher's takeover adds 2
        // (DispatcherRestartCostTest: 5 in all, the target)
        assertTrue(spent.countedReads() <= 3, spent.toString());
        assertEquals(0, spent.writes());
    }

    private GroupCommitStateBranch open(String service, StateBranchOptions options) {
        GroupCommitStateBranch branch = new GroupCommitStateBranch(service, backend(service), options);
        opened.add(branch);
        return branch;
    }

    private static Change increment(String path) {
        return new Change("increment " + path, Actor.user("alice"), ws -> {
            int value = ws.read(path).map(document -> Integer.parseInt(document.text())).orElse(0);
            ws.put(path, Integer.toString(value + 1));
        });
    }

    private static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    private static Optional<String> text(io.smallrye.mutiny.Uni<Optional<Document>> read) {
        return await(read).map(Document::text);
    }
}
