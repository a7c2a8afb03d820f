package dev.monkeytown.state.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.monkeytown.github.testdouble.CallLedger.Costs;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.CommitReceipt;
import dev.monkeytown.state.GatedBranchBackend;
import dev.monkeytown.state.engine.GroupCommitStateBranch;

/** What state costs on GitHub, counted by the double: the budget is the physical limit of the system. */
class GitHubStateCostTest extends DoubleBackedStateTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100})
    void aStateCommitIsOneWriteAndAtMostOneCountedRead(int documents) {
        try (GroupCommitStateBranch branch = branch("build-service")) {
            branch.apply(put("builds/seed.json", "{}")).await().atMost(WAIT);
            branch.refresh().await().atMost(WAIT);

            Costs before = github.ledger().costs();
            CommitReceipt receipt = branch.apply(new Change(documents + " builds", Actor.user("alice"), w -> {
                for (int i = 0; i < documents; i++) {
                    w.put("builds/" + i + ".json", "{\"build\":" + i + "}");
                }
            })).await().atMost(WAIT);
            // another replica's view of the world: the head moved, so this read is the one counted read
            branch.refresh().await().atMost(WAIT);
            Costs spent = github.ledger().costs().minus(before);

            assertEquals(1, receipt.changesInCommit());
            assertEquals(1, spent.writes(), spent.toString());
            assertTrue(spent.countedReads() <= 1, spent.toString());
            assertEquals(documents + 1, github.repository("monkeytown", "monkeytown")
                    .filesAt("refs/heads/monkeytown/state/build-service").size());
        }
    }

    @Test
    void aHundredChangesInOneGroupCommitAreOneWrite() throws Exception {
        try (GroupCommitStateBranch creator = branch("agent-dispatcher")) {
            creator.apply(put("queue.json", "[]")).await().atMost(WAIT);
        }
        GatedBranchBackend gated = new GatedBranchBackend(backend("agent-dispatcher"));
        try (GroupCommitStateBranch branch = new GroupCommitStateBranch("agent-dispatcher", gated, engineOptions())) {
            branch.refresh().await().atMost(WAIT);
            Costs before = github.ledger().costs();
            CompletableFuture<CommitReceipt> first = branch.apply(put("first.json", "1")).subscribeAsCompletionStage();
            gated.awaitFirstCommit(WAIT);
            List<CompletableFuture<CommitReceipt>> queued = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                queued.add(branch.apply(put("runs/" + i + ".json", "{\"run\":" + i + "}"))
                        .subscribeAsCompletionStage());
            }
            gated.release();
            first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Set<String> commits = new HashSet<>();
            for (CompletableFuture<CommitReceipt> receipt : queued) {
                CommitReceipt done = receipt.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                commits.add(done.commitId());
                assertEquals(100, done.changesInCommit());
            }
            Costs spent = github.ledger().costs().minus(before);

            assertEquals(1, commits.size());
            // the in-flight commit plus the group commit of the hundred
            assertEquals(2, spent.writes(), spent.toString());
            assertEquals(0, spent.countedReads(), spent.toString());
        }
    }

    @Test
    void refreshingAnUnchangedBranchCostsNoQuota() {
        try (GroupCommitStateBranch branch = branch("deploy-service")) {
            branch.apply(put("deployments/prod/current.json", "{\"version\":1}")).await().atMost(WAIT);
            branch.refresh().await().atMost(WAIT);
            Costs before = github.ledger().costs();

            for (int i = 0; i < 5; i++) {
                branch.refresh().await().atMost(WAIT);
            }
            branch.read("deployments/prod/current.json").await().atMost(WAIT);

            assertEquals(new Costs(5, 0, 5, 0, 0), github.ledger().costs().minus(before));
        }
    }

    @Test
    void aSecondReplicaCatchesUpWithARefAHistoryAndATreeReadAndNoMoreOnItsNextRefresh() {
        try (GroupCommitStateBranch writer = branch("artifact-service");
                GroupCommitStateBranch reader = branch("artifact-service")) {
            writer.apply(put("artifacts/a.json", "{}")).await().atMost(WAIT);
            reader.refresh().await().atMost(WAIT);
            writer.apply(put("artifacts/b.json", "{}")).await().atMost(WAIT);

            Costs before = github.ledger().costs();
            reader.refresh().await().atMost(WAIT);
            // the history read proves the new head descends from the old one: a view never moves backwards
            assertEquals(new Costs(3, 3, 0, 0, 0), github.ledger().costs().minus(before));
            reader.refresh().await().atMost(WAIT);
            assertEquals(new Costs(4, 3, 1, 0, 0), github.ledger().costs().minus(before));
        }
    }
}
