package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Documents GitHub's schema refuses are answered as GitHub does (200, {@code errors}, no {@code data}) and recorded as
 * violations, so a client that drifts from the real schema fails its own tests.
 */
class GraphQlValidationTest {

    private final GitHubDouble github = GitHubDouble.start();
    private final DoubleClient client = new DoubleClient(github);

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void unknownFieldIsRefusedAndRecorded() throws Exception {
        github.repository("acme", "town");
        HttpResponse<String> response = client.graphqlResponse(
                "{ repository(owner: \"acme\", name: \"town\") { nameWithOwner stargazerCountTypo } }", Map.of());
        JsonNode answer = DoubleClient.json(response);
        assertEquals(200, response.statusCode());
        assertFalse(answer.has("data"), answer.toString());
        assertTrue(answer.at("/errors/0/message").asText().contains("stargazerCountTypo"), answer.toString());
        assertEquals(1, github.violations().size(), github.violations().toString());
    }

    @Test
    void fieldOutsideTheVendoredSubsetIsRefusedToo() throws Exception {
        // `viewer` exists on GitHub; the double serves only the subset its clients use, and says so
        client.graphql("{ viewer { login } }");
        assertEquals(1, github.violations().size());
    }

    @Test
    void wrongArgumentTypeIsRefused() throws Exception {
        JsonNode answer = client.graphql("""
                { repository(owner: "acme", name: "town") { object(oid: "abc") { oid } } }""");
        assertFalse(answer.has("data"), answer.toString());
        assertEquals(1, github.violations().size(), github.violations().toString());
    }

    @Test
    void badVariableGetsGitHubsProblemList() throws Exception {
        JsonNode answer = client.graphql(GraphQlQueriesTest.HISTORY,
                Map.of("owner", "acme", "name", "town", "oid", "not-an-oid", "first", "ten"));
        JsonNode error = answer.at("/errors/0");
        assertFalse(answer.has("data"));
        assertTrue(error.get("message").asText().startsWith("Variable $oid of type GitObjectID! was provided invalid"
                + " value"), error.toString());
        assertEquals(2, github.violations().size(), "both bad variables: " + github.violations());
    }

    @Test
    void missingOrExcessivePageSizeIsGitHubsError() throws Exception {
        HostedRepository repo = github.repository("acme", "town");
        String head = repo.commitFiles("main", Map.of("a", "a"), "one");
        JsonNode excessive = client.graphql(GraphQlQueriesTest.HISTORY,
                Map.of("owner", "acme", "name", "town", "oid", head, "first", 101));
        assertEquals("EXCESSIVE_PAGINATION", excessive.at("/errors/0/type").asText(), excessive.toString());
        assertEquals("Requesting 101 records on the `history` connection exceeds the `first` limit of 100 records.",
                excessive.at("/errors/0/message").asText());
        JsonNode missing = client.graphql(
                """
                        { repository(owner: "acme", name: "town") { object(oid: "%s") { ... on Commit { history { totalCount } } } } }"""
                        .formatted(head));
        assertEquals("MISSING_PAGINATION_BOUNDARIES", missing.at("/errors/0/type").asText(), missing.toString());
        assertEquals(2, github.violations().size());
    }

    @Test
    void invalidCommitInputListsEveryProblem() throws Exception {
        JsonNode answer = client.graphql("""
                mutation($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }""",
                Map.of("input", Map.of("branch", Map.of("repositoryNameWithOwner", "acme/town", "branchName", "main"),
                        "message", Map.of("headline", "x"), "fileChanges",
                        Map.of("additions", List.of(Map.of("path", "a", "contents", "%%%"))))));
        JsonNode problems = answer.at("/errors/0/extensions/problems");
        assertEquals(2, problems.size(), answer.toString());
        assertEquals("[\"expectedHeadOid\"]", problems.get(0).get("path").toString());
        assertEquals("[\"fileChanges\",\"additions\",\"0\",\"contents\"]", problems.get(1).get("path").toString());
        assertEquals(2, github.violations().size());
        assertEquals(0, github.ledger().costs().writes() + github.ledger().costs().countedReads() - 1,
                "a refused mutation still costs one request");
    }
}
