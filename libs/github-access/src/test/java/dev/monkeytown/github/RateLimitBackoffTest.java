package dev.monkeytown.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kohsuke.github.GHRepository;

import dev.monkeytown.github.testdouble.CallKind;
import dev.monkeytown.github.testdouble.RateLimitFault;
import dev.monkeytown.github.testdouble.RecordedRequest;

class RateLimitBackoffTest extends DoubleBackedTest {

    @ParameterizedTest
    @EnumSource(RateLimitFault.class)
    void nothingIsSentInsideTheWindowAndTheWorkCompletesAfterIt(RateLimitFault fault) throws Exception {
        seedMain();
        GitHubAccess client = client(WritePacing.unpaced(), Duration.ofSeconds(10));
        GHRepository repo = client.rest().getRepository("acme/town");
        Instant windowEnd = github.limit(fault, Duration.ofMillis(1200));

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Object>> work = new ArrayList<>();
            work.add(() -> client.get(REF_PATH));
            work.add(() -> repo.createBlob().textContent("{\"a\":1}").create());
            work.add(() -> client.get("/repos/acme/town"));
            work.add(() -> repo.createBlob().textContent("{\"b\":2}").create());
            for (Future<Object> done : pool.invokeAll(work)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<RecordedRequest> all = github.ledger().requests();
        List<RecordedRequest> rejected = all.stream().filter(r -> r.kind() == CallKind.REJECTED).toList();
        assertFalse(rejected.isEmpty());
        // each caller learns of the window at most once; once one has, nobody sends inside it
        assertTrue(rejected.size() <= 4, rejected.toString());
        Instant firstRefusal = rejected.get(0).arrivedAt();
        for (RecordedRequest r : all) {
            if (r.kind() != CallKind.REJECTED && r.arrivedAt().isAfter(firstRefusal)) {
                assertFalse(r.arrivedAt().isBefore(windowEnd), r + " arrived inside the window ending " + windowEnd);
            }
        }
        assertEquals(2, github.ledger().costs().writes());
        assertTrue(requests("read", "rate_limited") + requests("write", "rate_limited") >= 1);
    }

    @Test
    void aSingleCallerIsRefusedOnceThenWaitsOutTheWindow() throws Exception {
        seedMain();
        GitHubAccess client = client();
        Instant windowEnd = github.limit(RateLimitFault.SECONDARY_403, Duration.ofMillis(800));

        client.get(REF_PATH);

        List<RecordedRequest> all = github.ledger().requests();
        assertEquals(2, all.size());
        assertEquals(CallKind.REJECTED, all.get(0).kind());
        assertFalse(all.get(1).arrivedAt().isBefore(windowEnd));
    }

    @Test
    void aWindowLongerThanTheBoundedWaitFailsAtOnceWithATypedError() throws Exception {
        seedMain();
        GitHubAccess client = client(WritePacing.unpaced(), Duration.ofMillis(500));
        github.limit(RateLimitFault.PRIMARY_EXHAUSTED, Duration.ofSeconds(5));

        GitHubUnavailableException e = assertThrows(GitHubUnavailableException.class, () -> client.get(REF_PATH));

        assertFalse(e.getMessage().contains(TOKEN));
        assertEquals(1, github.ledger().requests().size());
    }
}
