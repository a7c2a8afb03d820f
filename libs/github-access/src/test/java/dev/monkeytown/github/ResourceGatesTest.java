package dev.monkeytown.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.github.testdouble.CallKind;
import dev.monkeytown.github.testdouble.RecordedRequest;
import dev.monkeytown.github.testdouble.Refusal;

/**
 * GitHub budgets {@code core}, {@code graphql} and {@code search} apart: a window on one resource holds that
 * resource's requests only. GraphQL's own limit is an HTTP 200 whose error says {@code RATE_LIMITED}; GitHub did not
 * run the operation, so it is waited out and repeated like a REST refusal.
 */
class ResourceGatesTest extends DoubleBackedTest {

    private static final String QUERY = "query { repository(owner: \"acme\", name: \"town\") { name } }";

    @BeforeEach
    void seed() {
        github.repository("acme", "town");
    }

    @Test
    void anExhaustedSearchQuotaDoesNotHoldCoreRequests() throws Exception {
        // the double has no search routes; a spent budget is refused before a request is routed, as on GitHub
        github.primaryLimit("search", 0, Duration.ofMinutes(10));
        GitHubAccess client = client(WritePacing.unpaced(), Duration.ofSeconds(2));

        assertThrows(GitHubUnavailableException.class, () -> client.get("/search/issues?q=repo:acme/town"));
        ApiResponse core = client.get("/repos/acme/town");

        assertEquals(200, core.status());
        assertEquals(List.of("/search/issues", "/repos/acme/town"), paths());
        assertEquals(1, github.ledger().refused(Refusal.PRIMARY_LIMIT).size());
        assertTrue(registry.get("monkeytown.github.backoff.seconds").tag("resource", "search").gauge().value() > 60);
        assertEquals(0, registry.get("monkeytown.github.backoff.seconds").tag("resource", "core").gauge().value());
    }

    @Test
    void aGraphQlRateLimitHoldsGraphQlButNotRest() throws Exception {
        github.primaryLimit("graphql", 0, Duration.ofMinutes(10));
        GitHubAccess client = client(WritePacing.unpaced(), Duration.ofSeconds(2));

        assertThrows(GitHubUnavailableException.class, () -> client.graphql(QUERY, Map.of(), RequestKind.READ));
        assertThrows(GitHubUnavailableException.class, () -> client.graphql(QUERY, Map.of(), RequestKind.READ));
        ApiResponse core = client.get("/repos/acme/town");

        assertEquals(200, core.status());
        // the second GraphQL call was told at once, without asking GitHub again
        assertEquals(List.of("/graphql", "/repos/acme/town"), paths());
        assertEquals(1, github.ledger().refused(Refusal.PRIMARY_LIMIT).size());
    }

    @Test
    void aGraphQlRateLimitIsWaitedOutAndTheOperationRepeated() throws Exception {
        GitHubAccess otherService = client(WritePacing.unpaced(), Duration.ofSeconds(2), new SimpleMeterRegistry());
        GitHubAccess client = client(WritePacing.unpaced(), Duration.ofSeconds(10));
        github.primaryLimit("graphql", 1, Duration.ofSeconds(1));
        // GitHub counts the primary budget per user: another service spends the last of it
        otherService.graphql(QUERY, Map.of(), RequestKind.READ);

        GraphQlResult result = client.graphql(QUERY, Map.of(), RequestKind.WRITE);

        assertFalse(result.hasErrors(), result.errorMessages());
        assertEquals("town", result.data().path("repository").path("name").asText());
        // the double refuses every GraphQL request until the budget resets: one refusal, then the repeat, means
        // nothing was sent inside the window
        List<RecordedRequest> arrivals = github.ledger().requests();
        assertEquals(List.of(CallKind.COUNTED_READ, CallKind.REJECTED, CallKind.COUNTED_READ),
                arrivals.stream().map(RecordedRequest::kind).toList());
        assertEquals(Refusal.PRIMARY_LIMIT, arrivals.get(1).refusal());
        assertEquals(1, requests("write", "rate_limited"));
        assertEquals(1, requests("write", "ok"));
    }

    private List<String> paths() {
        return github.ledger().requests().stream().map(RecordedRequest::path).toList();
    }
}
