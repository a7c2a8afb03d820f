package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** GraphQL answers that carry GitHub's errors instead of data, with or without the mutation having landed. */
class GraphQlFailuresTest {

    private final GitHubDouble github = GitHubDouble.start();
    private final DoubleClient client = new DoubleClient(github);
    private final HostedRepository repo = github.repository("acme", "town");
    private String seed;

    @BeforeEach
    void seed() {
        seed = repo.commitFiles("state", Map.of("a", "a"), "seed");
    }

    @AfterEach
    void stop() {
        github.closeRequiringValidRequests();
    }

    @Test
    void rateLimitedMutationIsRefusedWithGitHubsShape() throws Exception {
        github.failNextGraphQl(1, GraphQlFailure.RATE_LIMITED, false);
        HttpResponse<String> response = client.graphqlResponse(Seeds.COMMIT, Seeds.commit("state", seed, "b"));
        assertEquals(200, response.statusCode());
        JsonNode error = DoubleClient.json(response).at("/errors/0");
        assertEquals("RATE_LIMITED", error.get("type").asText());
        assertEquals("graphql_rate_limit", error.get("code").asText());
        assertEquals("API rate limit already exceeded for user ID 1.", error.get("message").asText());
        assertEquals("0", response.headers().firstValue("x-ratelimit-remaining").orElseThrow());
        assertEquals("graphql", response.headers().firstValue("x-ratelimit-resource").orElseThrow());
        assertEquals(seed, head(), "refused, not applied");
        RecordedRequest refused = github.ledger().requests().get(0);
        assertEquals(CallKind.REJECTED, refused.kind());
        assertEquals(List.of(refused), github.ledger().refused(Refusal.INJECTED));
    }

    @Test
    void rateLimitAlsoComesWithTheOtherTypeName() throws Exception {
        github.failNextGraphQl(1, GraphQlFailure.RATE_LIMIT, false);
        JsonNode answer = client.graphql("{ repository(owner: \"acme\", name: \"town\") { name } }");
        assertEquals("RATE_LIMIT", answer.at("/errors/0/type").asText(), answer.toString());
        assertEquals("town", client.graphql("{ repository(owner: \"acme\", name: \"town\") { name } }")
                .at("/data/repository/name").asText(), "only the next request was armed");
    }

    @Test
    void timeoutAfterTheMutationLanded() throws Exception {
        github.failNextGraphQl(1, GraphQlFailure.TIMEOUT, true);
        HttpResponse<String> response = client.graphqlResponse(Seeds.COMMIT, Seeds.commit("state", seed, "b"));
        JsonNode answer = DoubleClient.json(response);
        assertEquals(200, response.statusCode());
        assertTrue(answer.get("data").isNull(), answer.toString());
        String requestId = response.headers().firstValue("X-GitHub-Request-Id").orElseThrow();
        assertEquals("Something went wrong while executing your query. This may be the result of a timeout, or it "
                + "could be a GitHub bug. Please include `" + requestId + "` when reporting this issue.",
                answer.at("/errors/0/message").asText());
        assertNotEquals(seed, head(), "the commit landed although the answer is an error");
        assertEquals(CallKind.WRITE, github.ledger().requests().get(0).kind());
    }

    @Test
    void timeoutAs502BeforeTheMutationLanded() throws Exception {
        github.failNextGraphQl(1, GraphQlFailure.TIMEOUT_502, false);
        HttpResponse<String> response = client.graphqlResponse(Seeds.COMMIT, Seeds.commit("state", seed, "b"));
        assertEquals(502, response.statusCode());
        assertTrue(DoubleClient.json(response).at("/errors/0/message").asText().startsWith("Something went wrong"));
        assertEquals(seed, head());
    }

    @Test
    void restRequestsAreNotTaken() throws Exception {
        github.failNextGraphQl(1, GraphQlFailure.TIMEOUT, false);
        assertEquals(200, client.get("/repos/acme/town/git/ref/heads/state").statusCode());
        assertEquals(200, client.graphqlResponse(Seeds.COMMIT, Seeds.commit("state", seed, "b")).statusCode());
        assertEquals(seed, head(), "the GraphQL request after the REST one took the fault");
    }

    private String head() {
        return repo.ref("refs/heads/state").orElseThrow();
    }
}
