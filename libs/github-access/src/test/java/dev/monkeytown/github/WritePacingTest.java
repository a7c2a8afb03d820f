package dev.monkeytown.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.kohsuke.github.GHRepository;

import dev.monkeytown.github.testdouble.CallKind;
import dev.monkeytown.github.testdouble.RecordedRequest;

class WritePacingTest extends DoubleBackedTest {

    @Test
    void concurrentWritesArriveAtLeastTheDefaultIntervalApart() throws Exception {
        seedMain();
        GitHubAccess client = client(WritePacing.defaults(), Duration.ofSeconds(10));
        GHRepository repo = client.rest().getRepository("acme/town");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Callable<String>> writes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String content = "{\"n\":" + i + "}";
                writes.add(() -> repo.createBlob().textContent(content).create().getSha());
            }
            for (Future<String> write : pool.invokeAll(writes)) {
                write.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<RecordedRequest> arrivals = github.ledger().requests().stream().filter(r -> r.kind() == CallKind.WRITE)
                .toList();
        assertEquals(3, arrivals.size());
        for (int i = 1; i < arrivals.size(); i++) {
            Duration gap = Duration.between(arrivals.get(i - 1).arrivedAt(), arrivals.get(i).arrivedAt());
            // the pacer spaces sends by 1 s; arrival can lag a send by a little, never lead it by much
            assertTrue(gap.compareTo(Duration.ofMillis(950)) >= 0, "writes " + (i - 1) + " and " + i + " were "
                    + gap.toMillis() + " ms apart");
        }
    }

    @Test
    void writesBeyondThePerMinuteBudgetWaitAndFailWhenTheWaitIsTooLong() throws Exception {
        seedMain();
        GitHubAccess client = client(new WritePacing(Duration.ZERO, 3, 500, 10), Duration.ofMillis(500));
        GHRepository repo = client.rest().getRepository("acme/town");
        for (int i = 0; i < 3; i++) {
            repo.createBlob().textContent("{\"n\":" + i + "}").create();
        }
        assertThrows(GitHubUnavailableException.class, () -> repo.createBlob().textContent("{}").create());
        assertEquals(3, github.ledger().costs().writes());
        assertEquals(497, registry.get("monkeytown.github.writes.hourly.remaining").gauge().value());
    }

    @Test
    void readsAreNotPaced() throws Exception {
        seedMain();
        GitHubAccess client = client(WritePacing.defaults(), Duration.ofSeconds(5));
        for (int i = 0; i < 5; i++) {
            client.rest().getRepository("acme/town");
        }
        List<RecordedRequest> reads = github.ledger().requests();
        assertTrue(Duration.between(reads.get(0).arrivedAt(), reads.get(4).arrivedAt()).toMillis() < 1000);
    }
}
