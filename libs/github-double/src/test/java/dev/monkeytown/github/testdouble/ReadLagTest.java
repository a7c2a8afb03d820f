package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reads trail writes by the lag a test sets, as GitHub's replicas trail its primary; writes never do. */
class ReadLagTest {

    private static final String REF_QUERY = """
            { repository(owner: "acme", name: "town") { ref(qualifiedName: "state") { target { oid } }
              object(expression: "state:a") { ... on Blob { text } } } }""";

    private final GitHubDouble github = GitHubDouble.start();
    private final DoubleClient client = new DoubleClient(github);
    private final HostedRepository repo = github.repository("acme", "town");

    @AfterEach
    void stop() {
        github.closeRequiringValidRequests();
    }

    @Test
    void readsKeepAnsweringThePreviousHeadForTheLag() throws Exception {
        String seed = repo.commitFiles("state", Map.of("a", "seed"), "seed");
        github.lagReads(Duration.ofSeconds(2));
        assertEquals(seed, restHead(), "a move made before the lag was set is seen at once");

        String moved = client.graphql(Seeds.COMMIT, Seeds.commit("state", seed, "b"))
                .at("/data/createCommitOnBranch/commit/oid").asText();
        assertEquals(moved, repo.ref("refs/heads/state").orElseThrow());
        assertEquals(seed, restHead(), "REST git/ref is served by a replica that has not seen the move");
        assertEquals(seed, client.graphql(REF_QUERY).at("/data/repository/ref/target/oid").asText(),
                "GraphQL refs lag the same way");

        // the primary decides compare-and-swap, so committing on the new head works while reads still lag
        String next = client.graphql(Seeds.COMMIT, Seeds.commit("state", moved, "c"))
                .at("/data/createCommitOnBranch/commit/oid").asText();
        assertEquals(next, repo.ref("refs/heads/state").orElseThrow());

        Seeds.eventually(() -> next.equals(restHeadUnchecked()), "replicas catch up with the last move");
    }

    @Test
    void createdRefIsMissingForReadersUntilReplicated() throws Exception {
        String seed = repo.commitFiles("main", Map.of("a", "seed"), "seed");
        github.lagReads(Duration.ofSeconds(3));
        assertEquals(201, client.send("POST", "/repos/acme/town/git/refs",
                "{\"ref\":\"refs/heads/state\",\"sha\":\"" + seed + "\"}").statusCode());
        assertEquals(404, client.get("/repos/acme/town/git/ref/heads/state").statusCode());
        github.lagReads(Duration.ZERO);
        assertEquals(404, client.get("/repos/acme/town/git/ref/heads/state").statusCode(),
                "ending the lag does not hurry moves already in flight");
        assertEquals(List.of(), github.violations());
    }

    @Test
    void aCommitJustPushedIsUnknownByItsIdUntilReplicated() throws Exception {
        String seed = repo.commitFiles("main", Map.of("a", "seed"), "seed");
        github.lagReads(Duration.ofSeconds(2), true);
        String pushed = repo.commitFiles("main", Map.of("a", "pushed"), "pushed");
        github.lagReads(Duration.ZERO);
        assertEquals(404, client.get("/repos/acme/town/git/commits/" + pushed).statusCode());
        assertEquals(404, client.get("/repos/acme/town/contents/a?ref=" + pushed).statusCode());
        assertEquals(404, client.get("/repos/acme/town/compare/" + seed + "..." + pushed).statusCode());
        assertEquals(200, client.get("/repos/acme/town/git/commits/" + seed).statusCode(),
                "a commit replicas had is still read");
        Seeds.eventually(() -> status("/repos/acme/town/contents/a?ref=" + pushed) == 200,
                "replicas learn of the commit with the move");
        assertEquals(200, client.get("/repos/acme/town/git/commits/" + pushed).statusCode());
        assertEquals(List.of(), github.violations());
    }

    private int status(String path) {
        try {
            return client.get(path).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String restHead() throws Exception {
        return DoubleClient.json(client.get("/repos/acme/town/git/ref/heads/state")).at("/object/sha").asText();
    }

    private String restHeadUnchecked() {
        try {
            return restHead();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
