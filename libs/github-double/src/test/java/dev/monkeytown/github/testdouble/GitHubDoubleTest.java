package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class GitHubDoubleTest {

    private final GitHubDouble github = GitHubDouble.start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void objectIdsAreGitsOwn() {
        GitObjects objects = new GitObjects();
        // `printf 'hello\n' | git hash-object --stdin` and git's well-known empty tree
        assertEquals("ce013625030ba8dba906f756967f9e9ca394464a",
                objects.writeBlob("hello\n".getBytes(StandardCharsets.UTF_8)).sha());
        assertEquals("4b825dc642cb6eb9a060e54bf8d69288fbee4904", objects.writeTree(Map.of()).sha());
        String blob = objects.writeBlob("hello\n".getBytes(StandardCharsets.UTF_8)).sha();
        // `git mktree` of "100644 blob ce01...\thello.txt"
        assertEquals("aaa96ced2d9a1c8e72c56b253a0e2fe78393feb7", objects.writeTree(Map.of("hello.txt", blob)).sha());
    }

    @Test
    void conditionalReadOfAnUnchangedRefIsA304() throws Exception {
        String head = seed();
        HttpResponse<String> first = get("/repos/acme/town/git/ref/heads/main", null);
        assertEquals(200, first.statusCode());
        assertEquals(head, json(first).path("object").path("sha").asText());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> second = get("/repos/acme/town/git/ref/heads/main", etag);
        assertEquals(304, second.statusCode());
        assertEquals(1, github.ledger().costs().countedReads());
        assertEquals(1, github.ledger().costs().notModified());
        assertEquals(List.of(), github.violations());
    }

    @Test
    void staleExpectedHeadIsRefusedWithGitHubsError() throws Exception {
        String head = seed();
        String body = """
                {"query":"mutation($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }",
                 "variables":{"input":{"branch":{"repositoryNameWithOwner":"acme/town","branchName":"main"},
                   "expectedHeadOid":"%s","message":{"headline":"x"},
                   "fileChanges":{"additions":[{"path":"a.json","contents":"%s"}]}}}}"""
                .formatted("0".repeat(40), Base64.getEncoder().encodeToString("{}".getBytes()));
        JsonNode stale = json(post("/graphql", body));
        assertEquals("STALE_DATA", stale.at("/errors/0/type").asText(), stale.toString());
        assertTrue(stale.at("/errors/0/message").asText().startsWith("Expected branch to point to"));

        JsonNode ok = json(post("/graphql", body.replace("0".repeat(40), head)));
        String commit = ok.at("/data/createCommitOnBranch/commit/oid").asText();
        assertEquals(commit, github.repository("acme", "town").ref("refs/heads/main").orElseThrow());
        assertEquals(2, github.ledger().costs().writes());
        assertEquals(List.of(), github.violations());
    }

    @Test
    void requestsGitHubWouldRejectAreRecordedAsViolations() throws Exception {
        seed();
        // POST git/commits without the required "tree"
        assertEquals(422, post("/repos/acme/town/git/commits", "{\"message\":\"m\"}").statusCode());
        // createCommitOnBranch without expectedHeadOid and with contents that are not base64
        post("/graphql",
                """
                        {"query":"mutation($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }",
                         "variables":{"input":{"branch":{"repositoryNameWithOwner":"acme/town","branchName":"main"},
                           "message":{"headline":"x"},"fileChanges":{"additions":[{"path":"a","contents":"%%%"}]}}}}""");
        List<String> violations = github.violations();
        assertEquals(3, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("tree"), violations.get(0));
    }

    @Test
    void rateLimitWindowRefusesEverythingUntilItEnds() throws Exception {
        seed();
        github.limit(RateLimitFault.SECONDARY_429, java.time.Duration.ofMinutes(1));
        HttpResponse<String> refused = get("/repos/acme/town/git/ref/heads/main", null);
        assertEquals(429, refused.statusCode());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        assertEquals(1, github.ledger().costs().rejected());
    }

    @Test
    void takenDownMeansConnectionRefusedAndStateSurvives() throws Exception {
        String head = seed();
        github.takeDown();
        assertThrowsIo(() -> get("/repos/acme/town/git/ref/heads/main", null));
        github.bringBack();
        assertEquals(head, json(get("/repos/acme/town/git/ref/heads/main", null)).path("object").path("sha").asText());
        github.answerUnavailable(true);
        assertEquals(503, get("/repos/acme/town/git/ref/heads/main", null).statusCode());
        assertFalse(github.ledger().requests().isEmpty());
    }

    private String seed() {
        HostedRepository repo = github.repository("acme", "town");
        GitObjects objects = repo.objects();
        String blob = objects.writeBlob("{}".getBytes()).sha();
        String tree = objects.writeTree(Map.of("queue.json", blob)).sha();
        String commit = objects.writeCommit(tree, List.of(), new GitObjects.Person("a", "a@x", 0),
                new GitObjects.Person("a", "a@x", 0), "seed").sha();
        repo.forceRef("refs/heads/main", commit);
        return commit;
    }

    private HttpResponse<String> get(String path, String etag) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(github.apiUrl() + path)).header("Authorization",
                "token t");
        if (etag != null) {
            b.header("If-None-Match", etag);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(github.apiUrl() + path)).header("Authorization", "token t")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }

    private interface IoCall {
        void run() throws Exception;
    }

    private static void assertThrowsIo(IoCall call) {
        try {
            call.run();
        } catch (IOException expected) {
            return;
        } catch (Exception e) {
            throw new AssertionError("expected an IOException, got " + e);
        }
        throw new AssertionError("expected connection refused");
    }
}
