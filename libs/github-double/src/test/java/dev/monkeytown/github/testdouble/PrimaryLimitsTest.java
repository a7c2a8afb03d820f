package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Each x-ratelimit-resource has its own budget; spending one refuses that resource only. */
class PrimaryLimitsTest {

    private static final String QUERY = "{ repository(owner: \"acme\", name: \"town\") { name } }";

    private final GitHubDouble github = GitHubDouble.start();
    private final DoubleClient client = new DoubleClient(github);

    @BeforeEach
    void seed() {
        github.repository("acme", "town").commitFiles("main", Map.of("a", "a"), "seed");
    }

    @AfterEach
    void stop() {
        github.closeRequiringValidRequests();
    }

    @Test
    void spentCoreRefusesRestWhileGraphQlStillWorks() throws Exception {
        github.primaryLimit("core", 2, Duration.ofHours(1));
        assertEquals("1", get().headers().firstValue("x-ratelimit-remaining").orElseThrow());
        assertEquals("0", get().headers().firstValue("x-ratelimit-remaining").orElseThrow());

        HttpResponse<String> refused = get();
        assertEquals(403, refused.statusCode());
        assertEquals("API rate limit exceeded for user ID 1.", DoubleClient.json(refused).get("message").asText());
        assertEquals("0", refused.headers().firstValue("x-ratelimit-remaining").orElseThrow());
        assertEquals("core", refused.headers().firstValue("x-ratelimit-resource").orElseThrow());
        long reset = Long.parseLong(refused.headers().firstValue("x-ratelimit-reset").orElseThrow());
        long inAnHour = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
        assertEquals(inAnHour, reset, 2.0, "the window of the budget set a moment ago");

        assertEquals("town", client.graphql(QUERY).at("/data/repository/name").asText(), "graphql is its own budget");
        JsonNode rateLimit = DoubleClient.json(client.get("/rate_limit"));
        assertEquals(0, rateLimit.at("/resources/core/remaining").asInt(), "GET /rate_limit is free and answers");
        assertEquals(4999, rateLimit.at("/resources/graphql/remaining").asInt());
        assertEquals(30, rateLimit.at("/resources/search/limit").asInt());
        assertEquals(1, github.ledger().refused(Refusal.PRIMARY_LIMIT).size());
    }

    @Test
    void spentGraphQlAnswersRateLimitedWhileRestStillWorks() throws Exception {
        github.primaryLimit("graphql", 1, Duration.ofHours(1));
        client.graphql(QUERY);
        HttpResponse<String> refused = client.graphqlResponse(QUERY, Map.of());
        assertEquals(200, refused.statusCode());
        assertEquals("RATE_LIMITED", DoubleClient.json(refused).at("/errors/0/type").asText());
        assertEquals("0", refused.headers().firstValue("x-ratelimit-remaining").orElseThrow());
        assertEquals("graphql", refused.headers().firstValue("x-ratelimit-resource").orElseThrow());
        assertEquals(200, get().statusCode());
        assertEquals(List.of(CallKind.COUNTED_READ, CallKind.REJECTED, CallKind.COUNTED_READ),
                github.ledger().requests().stream().map(RecordedRequest::kind).toList());
    }

    @Test
    void budgetComesBackWhenTheWindowResets() throws Exception {
        github.primaryLimit("core", 1, Duration.ofSeconds(1));
        get();
        HttpResponse<String> refused = get();
        assertEquals(403, refused.statusCode());
        long reset = Long.parseLong(refused.headers().firstValue("x-ratelimit-reset").orElseThrow());
        Seeds.eventually(() -> Instant.now().getEpochSecond() >= reset, "the reset second");
        assertEquals(200, get().statusCode());
    }

    private HttpResponse<String> get() throws Exception {
        return client.get("/repos/acme/town/git/ref/heads/main");
    }
}
