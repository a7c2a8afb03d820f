// Run from the repository root: bench/state-github.sh, which builds the test classpath and runs:
//   java -cp <test classpath> dev.monkeytown.state.github.bench.GitHubCostBenchmark
package dev.monkeytown.state.github.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubAccessOptions;
import dev.monkeytown.github.WritePacing;
import dev.monkeytown.github.testdouble.CallLedger.Costs;
import dev.monkeytown.github.testdouble.GitHubDouble;
import dev.monkeytown.state.Actor;
import dev.monkeytown.state.Change;
import dev.monkeytown.state.engine.GroupCommitStateBranch;
import dev.monkeytown.state.engine.StateBranchOptions;
import dev.monkeytown.state.github.GitHubBranchBackend;

/**
 * GitHub cost of state commits of 1, 10 and 100 changed documents, counted by the GitHub double: what each commit
 * writes and how many counted (non-304) reads the two refreshes after it take. Prints a markdown table.
 */
public final class GitHubCostBenchmark {

    private static final int COMMITS_PER_ROW = 20;
    private static final Duration WAIT = Duration.ofSeconds(30);

    public static void main(String[] args) throws IOException {
        try (GitHubDouble github = GitHubDouble.start()) {
            github.repository("monkeytown", "monkeytown");
            GitHubAccessOptions options = GitHubAccessOptions.forApi(github.apiUrl(), github.login())
                    .withPacing(WritePacing.unpaced());
            GitHubAccess client = GitHubAccess.connect("ghp_bench", options, new SimpleMeterRegistry());
            System.out.println("| changed documents per commit | commits | writes | counted reads | 304 reads "
                    + "| writes per commit | counted reads per commit |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (int documents : List.of(1, 10, 100)) {
                String service = "bench-" + documents;
                try (GroupCommitStateBranch branch = new GroupCommitStateBranch(service,
                        new GitHubBranchBackend(client, "monkeytown/monkeytown", service), StateBranchOptions.defaults())) {
                    // creating the branch (Git Data API, 3 writes) happens once in a branch's life: not measured
                    branch.apply(put(0, 1)).await().atMost(WAIT);
                    branch.refresh().await().atMost(WAIT);
                    Costs before = github.ledger().costs();
                    for (int commit = 1; commit <= COMMITS_PER_ROW; commit++) {
                        branch.apply(put(commit, documents)).await().atMost(WAIT);
                        // the first refresh sees the moved ref (counted); the second finds nothing new (304, free)
                        branch.refresh().await().atMost(WAIT);
                        branch.refresh().await().atMost(WAIT);
                    }
                    Costs spent = github.ledger().costs().minus(before);
                    System.out.printf("| %d | %d | %d | %d | %d | %.2f | %.2f |%n", documents, COMMITS_PER_ROW,
                            spent.writes(), spent.countedReads(), spent.notModified(),
                            spent.writes() / (double) COMMITS_PER_ROW, spent.countedReads() / (double) COMMITS_PER_ROW);
                }
            }
            if (!github.violations().isEmpty()) {
                throw new IllegalStateException("requests GitHub would refuse: " + github.violations());
            }
        }
    }

    private static Change put(int commit, int documents) {
        return new Change("commit " + commit, Actor.service("bench"), w -> {
            for (int i = 0; i < documents; i++) {
                w.put("docs/" + i + ".json", "{\"commit\":" + commit + ",\"doc\":" + i + "}");
            }
        });
    }
}
