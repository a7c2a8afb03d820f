package dev.monkeytown.dispatcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.monkeytown.dispatcher.runs.RunBook;
import dev.monkeytown.github.testdouble.GitHubDouble;

/**
 * The state-store issue's target, held at the dispatcher's level: a restart in GitHub mode with 1,000 runs in history
 * and 50 live — the writer takeover, then reading the runs back — costs at most 5 counted requests, writes included.
 * The measurement with times is {@code bench/state-restart.sh} ({@link DispatcherRestartBenchmark}).
 */
class DispatcherRestartCostTest {

    @Test
    void aRestartWithAThousandRunsAndFiftyLiveCostsAtMostFiveRequests() throws Exception {
        RunBook book = new RunBook(DispatcherRestartBenchmark.JSON);
        try (GitHubDouble github = GitHubDouble.start()) {
            github.repository("monkeytown", "monkeytown");
            github.primaryLimit("core", 1_000_000, Duration.ofHours(1));
            github.primaryLimit("graphql", 1_000_000, Duration.ofHours(1));
            DispatcherRestartBenchmark.seed(github, book, 1000);

            DispatcherRestartBenchmark.Restart restart = DispatcherRestartBenchmark.restart(github, book, false, 1);

            assertEquals(50, restart.restored().live().size());
            assertTrue(restart.restored().recent().size() >= 1000, restart.restored().recent().size() + " recent");
            long requests = restart.takeover().countedReads() + restart.takeover().writes()
                    + restart.restore().countedReads() + restart.restore().writes();
            assertTrue(requests <= 5, requests + " counted requests: takeover " + restart.takeover().byRoute()
                    + ", restore " + restart.restore().byRoute());
            assertEquals(java.util.List.of(), github.violations());
        }
    }
}
