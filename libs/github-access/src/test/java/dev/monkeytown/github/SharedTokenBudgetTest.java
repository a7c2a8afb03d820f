package dev.monkeytown.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.github.testdouble.CallKind;
import dev.monkeytown.github.testdouble.RecordedRequest;
import dev.monkeytown.github.testdouble.Refusal;
import dev.monkeytown.github.testdouble.SecondaryLimits;

/**
 * Four services sharing one token write flat out against GitHub's secondary limits (80 content-creating requests a
 * minute per token). The limit belongs to the token: each pacing itself to the whole 80 a minute trips it together;
 * with a share of 0.25 each they stay within it. (The spacing is left out so the test runs in moments; it is not what
 * keeps the count.)
 */
class SharedTokenBudgetTest extends DoubleBackedTest {

    private static final WritePacing WHOLE_BUDGET = new WritePacing(Duration.ZERO, 80, 500, 10);

    @Test
    void servicesWithAShareEachStayWithinTheTokensLimitTogether() throws Exception {
        List<Integer> written = writeFlatOut(4, WHOLE_BUDGET.shared(0.25));

        assertEquals(List.of(), github.ledger().refused(Refusal.SECONDARY_LIMIT),
                "GitHub refused writes of a token whose services shared its budget");
        assertEquals(80, github.ledger().costs().writes());
        assertEquals(List.of(20, 20, 20, 20), written);
        assertAllInsideOneMinute();
    }

    @Test
    void servicesEachPacedToTheWholeBudgetTripTheTokensLimit() throws Exception {
        writeFlatOut(4, WHOLE_BUDGET);

        assertFalse(github.ledger().refused(Refusal.SECONDARY_LIMIT).isEmpty(),
                "no refusal; accepted " + github.ledger().costs().writes());
        assertEquals(80, github.ledger().costs().writes());
        assertAllInsideOneMinute();
    }

    @Test
    void aShareScalesTheCountsAndNeverRoundsToNothing() {
        assertEquals(new WritePacing(Duration.ofSeconds(1), 20, 125, 2), WritePacing.defaults().shared(0.25));
        assertEquals(WritePacing.defaults(), WritePacing.defaults().shared(1.0));
        assertEquals(new WritePacing(Duration.ofSeconds(1), 1, 1, 1), WritePacing.defaults().shared(0.001));
        assertThrows(IllegalArgumentException.class, () -> WritePacing.defaults().shared(0));
        assertThrows(IllegalArgumentException.class, () -> WritePacing.defaults().shared(1.5));
    }

    /**
     * Every write arrived within one minute of the first, so all of them met GitHub's per-minute count together: the
     * services stayed within it because they shared it, not because their writes were spread out.
     */
    private void assertAllInsideOneMinute() {
        List<RecordedRequest> writes = github.ledger().requests().stream()
                .filter(r -> r.kind() == CallKind.WRITE || r.kind() == CallKind.REJECTED).toList();
        Duration spread = Duration.between(writes.get(0).arrivedAt(), writes.get(writes.size() - 1).arrivedAt());
        assertTrue(spread.compareTo(Duration.ofMinutes(1)) < 0, "writes spread over " + spread);
    }

    /** Each service writes until its client says no more within its bounded wait; returns how many each wrote. */
    private List<Integer> writeFlatOut(int services, WritePacing pacing) throws Exception {
        github.repository("acme", "town");
        github.secondaryLimits(SecondaryLimits.github());
        ExecutorService pool = Executors.newFixedThreadPool(services);
        try {
            List<Callable<Integer>> writers = new ArrayList<>();
            for (int i = 0; i < services; i++) {
                GitHubAccess service = client(pacing, Duration.ofSeconds(2), new SimpleMeterRegistry());
                writers.add(() -> writeUntilRefused(service));
            }
            List<Integer> written = new ArrayList<>();
            for (Future<Integer> writer : pool.invokeAll(writers)) {
                written.add(writer.get());
            }
            return written;
        } finally {
            pool.shutdownNow();
        }
    }

    private static int writeUntilRefused(GitHubAccess service) throws Exception {
        byte[] blob = "{\"content\":\"e30=\",\"encoding\":\"base64\"}".getBytes(StandardCharsets.UTF_8);
        int written = 0;
        for (int i = 0; i < 500; i++) {
            try {
                if (service.send("POST", "/repos/acme/town/git/blobs", blob).status() == 201) {
                    written++;
                }
            } catch (GitHubUnavailableException budgetOrWindowPastTheWait) {
                return written;
            }
        }
        return written;
    }
}
