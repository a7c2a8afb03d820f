package dev.monkeytown.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.monkeytown.github.ScriptedGitHub.Answer;
import dev.monkeytown.github.ScriptedGitHub.Arrival;

/**
 * GitHub budgets {@code core}, {@code graphql} and {@code search} apart: a window on one resource holds that
 * resource's requests only. GraphQL's own limit is an HTTP 200 whose error says {@code RATE_LIMITED}; GitHub did not
 * run the operation, so it is waited out and repeated like a REST refusal.
 */
class ResourceGatesTest {

    private static final String QUERY = "query { viewer { login } }";

    private final ScriptedGitHub github = ScriptedGitHub.start();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void anExhaustedSearchQuotaDoesNotHoldCoreRequests() throws Exception {
        RateLimitWindow search = new RateLimitWindow(github, Duration.ofMinutes(10));
        github.script(arrival -> arrival.path().startsWith("/search/") && search.refuses(arrival)
                ? search.exhausted("search")
                : Answer.ok("{\"name\":\"town\"}"));
        GitHubAccess client = client(Duration.ofSeconds(2));

        assertThrows(GitHubUnavailableException.class, () -> client.get("/search/issues?q=repo:acme/town"));
        ApiResponse core = client.get("/repos/acme/town");

        assertEquals(200, core.status());
        assertEquals(2, github.arrivals().size());
        assertTrue(registry.get("monkeytown.github.backoff.seconds").tag("resource", "search").gauge().value() > 60);
        assertEquals(0, registry.get("monkeytown.github.backoff.seconds").tag("resource", "core").gauge().value());
    }

    @Test
    void aGraphQlRateLimitHoldsGraphQlButNotRest() throws Exception {
        RateLimitWindow graphql = new RateLimitWindow(github, Duration.ofMinutes(10));
        github.script(arrival -> arrival.path().equals("/graphql") && graphql.refuses(arrival)
                ? graphql.graphqlRateLimited()
                : Answer.ok("{\"name\":\"town\"}"));
        GitHubAccess client = client(Duration.ofSeconds(2));

        assertThrows(GitHubUnavailableException.class,
                () -> client.graphql(QUERY, Map.of(), RequestKind.READ));
        assertThrows(GitHubUnavailableException.class,
                () -> client.graphql(QUERY, Map.of(), RequestKind.READ));
        ApiResponse core = client.get("/repos/acme/town");

        assertEquals(200, core.status());
        // the second GraphQL call was told at once, without asking GitHub again
        assertEquals(List.of("/graphql", "/repos/acme/town"), github.arrivals().stream().map(Arrival::path).toList());
    }

    @Test
    void aGraphQlRateLimitIsWaitedOutAndTheOperationRepeated() throws Exception {
        RateLimitWindow graphql = new RateLimitWindow(github, Duration.ofMillis(500));
        github.script(arrival -> graphql.refuses(arrival)
                ? graphql.graphqlRateLimited()
                : Answer.ok("{\"data\":{\"viewer\":{\"login\":\"monkeytown-bot\"}}}"));
        GitHubAccess client = client(Duration.ofSeconds(10));

        GraphQlResult result = client.graphql(QUERY, Map.of(), RequestKind.WRITE);

        assertFalse(result.hasErrors(), result.errorMessages());
        assertEquals("monkeytown-bot", result.data().path("viewer").path("login").asText());
        List<Arrival> arrivals = github.arrivals();
        assertEquals(2, arrivals.size());
        assertEquals(1, graphql.refused());
        assertTrue(arrivals.get(1).nanos() - graphql.endNanos() >= 0, "repeated inside the window");
        assertEquals(1, registry.get("monkeytown.github.requests").tags("kind", "write", "outcome", "rate_limited")
                .counter().count());
    }

    private GitHubAccess client(Duration unavailableAfter) throws IOException {
        return GitHubAccess.connect("ghp_gates0123456789secret",
                GitHubAccessOptions.forApi(github.apiUrl(), "monkeytown-bot").withPacing(WritePacing.unpaced())
                        .withUnavailableAfter(unavailableAfter).withRequestTimeout(Duration.ofSeconds(2)),
                registry);
    }

    @AfterEach
    void stop() {
        github.close();
    }
}
