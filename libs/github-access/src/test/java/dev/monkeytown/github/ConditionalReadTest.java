package dev.monkeytown.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.monkeytown.github.testdouble.CallLedger.Costs;
import dev.monkeytown.github.testdouble.GitObjects;

class ConditionalReadTest extends DoubleBackedTest {

    @Test
    void unchangedResourceIsRevalidatedForFree() throws Exception {
        String head = seedMain();
        GitHubAccess client = client();

        ApiResponse first = client.get(REF_PATH);
        ApiResponse second = client.get(REF_PATH);

        assertFalse(first.revalidated());
        assertTrue(second.revalidated());
        assertTrue(second.text().contains(head));
        assertEquals(new Costs(2, 1, 1, 0, 0), github.ledger().costs());
        assertEquals(1, requests("read", "ok"));
        assertEquals(1, requests("read", "not_modified"));
    }

    @Test
    void changedResourceIsFetchedAgain() throws Exception {
        String head = seedMain();
        GitHubAccess client = client();
        client.get(REF_PATH);
        var repo = github.repository("acme", "town");
        var someone = new GitObjects.Person("someone", "someone@example.com", 1);
        String empty = repo.objects().writeTree(Map.of()).sha();
        repo.forceRef("refs/heads/main",
                repo.objects().writeCommit(empty, List.of(head), someone, someone, "another writer").sha());

        ApiResponse after = client.get(REF_PATH);

        assertFalse(after.revalidated());
        assertEquals(2, github.ledger().costs().countedReads());
    }

    @Test
    void identicalConcurrentReadsShareOneRequest() throws Exception {
        seedMain();
        GitHubAccess client = client();
        github.latency(Duration.ofMillis(300));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<ApiResponse>> reads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                reads.add(() -> client.get(REF_PATH));
            }
            for (Future<ApiResponse> read : pool.invokeAll(reads)) {
                assertEquals(200, read.get().status());
            }
        } finally {
            pool.shutdownNow();
        }
        // all eight overlap the first one's 300 ms in flight
        assertEquals(1, github.ledger().costs().reads());
        assertEquals(7, registry.get("monkeytown.github.reads.coalesced").counter().count());
    }

    @Test
    void quotaGaugesFollowGitHubsHeaders() throws Exception {
        seedMain();
        GitHubAccess client = client();
        client.get(REF_PATH);
        client.rest().getRepository("acme/town");

        double remaining = registry.get("monkeytown.github.ratelimit.remaining").tag("resource", "core").gauge()
                .value();
        double forecast = registry.get("monkeytown.github.ratelimit.exhaustion.forecast").tag("resource", "core")
                .gauge().value();
        assertEquals(4998, remaining);
        // 2 requests in the last ten minutes: 4998 / (2 / 600 s)
        assertEquals(4998 / (2 / 600.0), forecast, 1.0);
    }
}
