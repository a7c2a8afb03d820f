package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.monkeytown.github.testdouble.CallLedger.Costs;

/** The GraphQL reads the state backend sends, served from the double's object store and checked against the schema. */
class GraphQlQueriesTest {

    static final String HISTORY = """
            query($owner: String!, $name: String!, $oid: GitObjectID!, $first: Int!, $after: String) {
              repository(owner: $owner, name: $name) {
                object(oid: $oid) {
                  ... on Commit {
                    history(first: $first, after: $after) {
                      pageInfo { hasNextPage endCursor }
                      nodes { oid message parents(first: 1) { nodes { oid } } }
                    }
                  }
                }
              }
            }""";

    private final GitHubDouble github = GitHubDouble.start();
    private final DoubleClient client = new DoubleClient(github);
    private HostedRepository repo;

    @BeforeEach
    void repository() {
        repo = github.repository("acme", "town");
    }

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void blobsInBulkByAliasWithLiteralsAndVariables() throws Exception {
        String text = repo.objects().writeBlob("{\"n\":1}".getBytes(StandardCharsets.UTF_8)).sha();
        String binary = repo.objects().writeBlob(new byte[]{1, 0, 2}).sha();
        String blob = "... on Blob { oid byteSize isBinary isTruncated text }";
        JsonNode answer = client.graphql("""
                query($second: GitObjectID!) {
                  repository(owner: "acme", name: "town") {
                    b0: object(oid: "%s") { %s }
                    b1: object(oid: $second) { %s }
                    b2: object(oid: "%s") { %s }
                  }
                }""".formatted(text, blob, blob, "f".repeat(40), blob), Map.of("second", binary));

        JsonNode repository = answer.at("/data/repository");
        assertEquals(text, repository.at("/b0/oid").asText(), answer.toString());
        assertEquals("{\"n\":1}", repository.at("/b0/text").asText());
        assertEquals(7, repository.at("/b0/byteSize").asInt());
        assertFalse(repository.at("/b0/isBinary").asBoolean());
        assertFalse(repository.at("/b0/isTruncated").asBoolean());
        assertTrue(repository.at("/b1/isBinary").asBoolean());
        assertTrue(repository.at("/b1/text").isNull(), "GitHub gives no text for a binary blob");
        assertTrue(repository.get("b2").isNull(), "an unknown oid is null, not an error");
        assertFalse(answer.has("errors"), answer.toString());
        assertEquals(new Costs(1, 1, 0, 0, 0), github.ledger().costs());
        assertEquals(List.of(), github.violations());
    }

    @Test
    void blobTextIsCutAtGitHubsLimit() throws Exception {
        byte[] big = "x".repeat(ContentLimits.GITHUB_BLOB_TEXT_BYTES + 10).getBytes(StandardCharsets.UTF_8);
        String oid = repo.objects().writeBlob(big).sha();
        JsonNode blob = client.graphql("""
                { repository(owner: "acme", name: "town") { object(oid: "%s") { ... on Blob { isTruncated text } } } }"""
                .formatted(oid)).at("/data/repository/object");
        assertTrue(blob.get("isTruncated").asBoolean());
        assertEquals(ContentLimits.GITHUB_BLOB_TEXT_BYTES, blob.get("text").asText().length());
    }

    @Test
    void blobTextLimitIsSetPerTestAndNeverSplitsACharacter() throws Exception {
        github.truncateBlobTextAt(2);
        String oid = repo.objects().writeBlob("h\u00e9llo".getBytes(StandardCharsets.UTF_8)).sha();
        JsonNode blob = client.graphql("""
                { repository(owner: "acme", name: "town") { object(oid: "%s") { ... on Blob { isTruncated text } } } }"""
                .formatted(oid)).at("/data/repository/object");
        assertTrue(blob.get("isTruncated").asBoolean());
        assertEquals("h", blob.get("text").asText(), "the two-byte \u00e9 would not fit in two bytes after h");
    }

    @Test
    void historyPagesNewestFirstStartingWithTheGivenCommit() throws Exception {
        List<String> commits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            commits.add(repo.commitFiles("state", Map.of("n.json", String.valueOf(i)), "commit " + i));
        }
        String start = commits.get(3); // not the head: history starts where it is asked to
        Map<String, Object> variables = new HashMap<>(Map.of("owner", "acme", "name", "town", "oid", start,
                "first", 3));
        List<String> seen = new ArrayList<>();
        List<String> parents = new ArrayList<>();
        JsonNode history;
        do {
            history = client.graphql(HISTORY, variables).at("/data/repository/object/history");
            for (JsonNode node : history.get("nodes")) {
                seen.add(node.get("message").asText());
                parents.add(node.at("/parents/nodes/0/oid").asText(""));
            }
            variables.put("after", history.at("/pageInfo/endCursor").asText());
        } while (history.at("/pageInfo/hasNextPage").asBoolean());

        assertEquals(List.of("commit 3", "commit 2", "commit 1", "commit 0"), seen);
        assertEquals(List.of(commits.get(2), commits.get(1), commits.get(0), ""), parents);
        assertEquals(2, github.ledger().costs().countedReads(), "two pages of three");
        assertEquals(List.of(), github.violations());
    }

    @Test
    void folderByExpressionWithBlobTexts() throws Exception {
        repo.commitFiles("state", Map.of("runs/a.json", "A", "runs/deep/b.json", "B", "queue.json", "[]"), "seed");
        JsonNode tree = client.graphql("""
                { repository(owner: "acme", name: "town") {
                    object(expression: "state:runs") {
                      ... on Tree { entries { name type path mode oid object { ... on Blob { text } } } }
                    }
                    missing: object(expression: "state:nowhere") { oid }
                } }""").at("/data/repository");
        JsonNode entries = tree.at("/object/entries");
        assertEquals(2, entries.size(), tree.toString());
        assertEquals("a.json", entries.get(0).get("name").asText());
        assertEquals("runs/a.json", entries.get(0).get("path").asText());
        assertEquals("A", entries.get(0).at("/object/text").asText());
        assertEquals(33188, entries.get(0).get("mode").asInt(), "GitHub gives the octal mode 100644 as an Int");
        assertEquals("tree", entries.get(1).get("type").asText());
        assertTrue(tree.get("missing").isNull());
        assertEquals(List.of(), github.violations());
    }

    @Test
    void mutationPayloadIsSelectableAndCostsAWrite() throws Exception {
        String head = repo.commitFiles("state", Map.of("a.json", "{}"), "seed");
        Map<String, Object> input = Map.of("branch", Map.of("repositoryNameWithOwner", "acme/town",
                "branchName", "state"), "expectedHeadOid", head, "message", Map.of("headline", "two", "body", "b"),
                "fileChanges", Map.of("additions", List.of(Map.of("path", "b.json", "contents",
                        Base64.getEncoder().encodeToString("{}".getBytes())))));
        JsonNode payload = client.graphql("""
                mutation($input: CreateCommitOnBranchInput!) {
                  createCommitOnBranch(input: $input) {
                    commit { oid message parents(first: 1) { nodes { oid } } tree { oid } }
                    ref { name prefix target { oid } }
                  }
                }""", Map.of("input", input)).at("/data/createCommitOnBranch");
        String commit = payload.at("/commit/oid").asText();
        assertEquals(repo.ref("refs/heads/state").orElseThrow(), commit, payload.toString());
        assertEquals("two\n\nb", payload.at("/commit/message").asText());
        assertEquals(head, payload.at("/commit/parents/nodes/0/oid").asText());
        assertEquals("state", payload.at("/ref/name").asText());
        assertEquals("refs/heads/", payload.at("/ref/prefix").asText());
        assertEquals(commit, payload.at("/ref/target/oid").asText());
        assertEquals(new Costs(0, 0, 0, 1, 0), github.ledger().costs());
        assertEquals(List.of(), github.violations());
    }

    @Test
    void unknownRepositoryIsGitHubsNotFound() throws Exception {
        JsonNode answer = client.graphql("{ repository(owner: \"acme\", name: \"nothing\") { nameWithOwner } }");
        assertTrue(answer.at("/data/repository").isNull());
        assertEquals("NOT_FOUND", answer.at("/errors/0/type").asText(), answer.toString());
        assertEquals("Could not resolve to a Repository with the name 'acme/nothing'.",
                answer.at("/errors/0/message").asText());
        assertEquals(List.of(), github.violations(), "a missing repository is GitHub's answer, not a bad request");
    }
}
