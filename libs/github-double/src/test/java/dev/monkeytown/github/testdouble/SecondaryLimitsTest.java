package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Secondary limits belong to the token: every client sending it shares the counters. */
class SecondaryLimitsTest {

    private static final String BLOB = "{\"content\":\"x\",\"encoding\":\"utf-8\"}";

    private final GitHubDouble github = GitHubDouble.start();
    private final DoubleClient replicaA = new DoubleClient(github, "token shared");
    private final DoubleClient replicaB = new DoubleClient(github, "token shared");
    private final DoubleClient otherToken = new DoubleClient(github, "token other");

    @AfterEach
    void stop() {
        github.closeRequiringValidRequests();
    }

    @Test
    void contentCreationPerWindowIsCountedPerTokenAcrossClients() throws Exception {
        github.repository("acme", "town");
        github.secondaryLimits(SecondaryLimits.github().withPerMinute(3, Duration.ofMinutes(1)));
        assertEquals(201, blob(replicaA).statusCode());
        assertEquals(201, blob(replicaB).statusCode());
        assertEquals(201, blob(replicaA).statusCode());

        HttpResponse<String> refused = blob(replicaB);
        assertEquals(403, refused.statusCode());
        assertTrue(DoubleClient.json(refused).get("message").asText()
                .startsWith("You have exceeded a secondary rate limit."));
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 50 && retryAfter <= 60, "until the first write leaves the minute: " + retryAfter);

        assertEquals(201, blob(otherToken).statusCode(), "another token has its own counters");
        assertEquals(200, replicaB.get("/repos/acme/town").statusCode(), "reads are not content-creating");
        assertEquals(1, github.ledger().refused(Refusal.SECONDARY_LIMIT).size());
        assertEquals(CallKind.REJECTED, github.ledger().refused(Refusal.SECONDARY_LIMIT).get(0).kind());
    }

    @Test
    void aMutationIsContentCreatingAndAQueryIsNot() throws Exception {
        HostedRepository repo = github.repository("acme", "town");
        String head = repo.commitFiles("state", Map.of("a", "a"), "seed");
        github.secondaryLimits(SecondaryLimits.github().withPerMinute(1, Duration.ofMinutes(1)).withStatus(429));
        assertEquals(200, replicaA.graphqlResponse(Seeds.COMMIT, Seeds.commit("state", head, "b")).statusCode());
        assertEquals("town", replicaA.graphql("{ repository(owner: \"acme\", name: \"town\") { name } }")
                .at("/data/repository/name").asText());
        HttpResponse<String> refused = replicaB.graphqlResponse(Seeds.COMMIT,
                Seeds.commit("state", repo.ref("refs/heads/state").orElseThrow(), "c"));
        assertEquals(429, refused.statusCode());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void tooManyRequestsInFlightForOneToken() throws Exception {
        github.repository("acme", "town");
        github.secondaryLimits(SecondaryLimits.github().withConcurrentRequests(2));
        github.latency(Duration.ofSeconds(1)); // keeps the three requests in flight together
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Integer>> shared = List.of(status(pool, replicaA), status(pool, replicaB),
                    status(pool, replicaA));
            CompletableFuture<Integer> other = status(pool, otherToken);
            List<Integer> statuses = shared.stream().map(CompletableFuture::join).sorted().toList();
            assertEquals(List.of(200, 200, 403), statuses);
            assertEquals(200, other.join(), "another token's requests are not counted with them");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, github.ledger().refused(Refusal.SECONDARY_LIMIT).size());
    }

    private static CompletableFuture<Integer> status(ExecutorService pool, DoubleClient client) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.get("/repos/acme/town").statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, pool);
    }

    private static HttpResponse<String> blob(DoubleClient client) throws Exception {
        return client.send("POST", "/repos/acme/town/git/blobs", BLOB);
    }
}
