package dev.monkeytown.github;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.monkeytown.github.GraphQlResult.Outcome;

/** One reading of GitHub's GraphQL errors, so no caller treats every 200-with-errors as a refusal. */
class GraphQlOutcomeTest {

    @Test
    void noErrorsIsOk() throws Exception {
        assertEquals(Outcome.OK, outcome("{\"data\":{\"createCommitOnBranch\":{\"commit\":{\"oid\":\"abc\"}}}}"));
    }

    @Test
    void aMovedHeadIsStaleData() throws Exception {
        assertEquals(Outcome.STALE_DATA, outcome(errors("{\"type\":\"STALE_DATA\",\"message\":\"Expected branch to "
                + "point to \\\"abc\\\" but it did not. Pull and try again.\"}")));
    }

    @Test
    void aMissingBranchIsNotFound() throws Exception {
        assertEquals(Outcome.NOT_FOUND,
                outcome(errors("{\"type\":\"NOT_FOUND\",\"message\":\"Could not resolve to a Ref.\"}")));
    }

    @Test
    void gitHubsPrimaryLimitIsRateLimited() throws Exception {
        assertEquals(Outcome.RATE_LIMITED, outcome(errors("{\"type\":\"RATE_LIMITED\",\"code\":\"graphql_rate_limit\","
                + "\"message\":\"API rate limit already exceeded for user ID 1.\"}")));
    }

    @Test
    void aQueryGitHubGaveUpOnIsATimeoutWhateverItsType() throws Exception {
        assertEquals(Outcome.TIMEOUT, outcome(errors("{\"message\":\"Something went wrong while executing your query. "
                + "This may be the result of a timeout, or it could be a GitHub bug. Please include `0400:1A2B` when "
                + "reporting this issue.\"}")));
        assertEquals(Outcome.TIMEOUT, outcome(errors("{\"type\":\"TIMEOUT\",\"message\":\"timed out\"}")));
    }

    @Test
    void validationAndEverythingElseIsRefused() throws Exception {
        assertEquals(Outcome.REFUSED, outcome(errors("{\"extensions\":{\"code\":\"argumentLiteralsIncompatible\"},"
                + "\"message\":\"Argument 'input' on Field 'createCommitOnBranch' has an invalid value.\"}")));
        assertEquals(Outcome.REFUSED, outcome(errors("{\"type\":\"FORBIDDEN\",\"message\":\"Resource not accessible "
                + "by integration\"}")));
    }

    @Test
    void withSeveralErrorsTheMostConstrainingWins() throws Exception {
        // nothing ran beats may-have-run; may-have-run beats any refusal
        assertEquals(Outcome.RATE_LIMITED,
                outcome(errors("{\"type\":\"FORBIDDEN\"}", "{\"type\":\"RATE_LIMITED\"}")));
        assertEquals(Outcome.TIMEOUT, outcome(errors("{\"type\":\"STALE_DATA\"}", "{\"type\":\"TIMEOUT\"}")));
        assertEquals(Outcome.STALE_DATA, outcome(errors("{\"type\":\"FORBIDDEN\"}", "{\"type\":\"STALE_DATA\"}")));
    }

    private static Outcome outcome(String json) throws Exception {
        return GraphQlResult.parse(json.getBytes(StandardCharsets.UTF_8)).outcome();
    }

    private static String errors(String... errors) {
        return "{\"data\":null,\"errors\":[" + String.join(",", errors) + "]}";
    }
}
