package dev.monkeytown.github.testdouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The Issues endpoints as GitHub serves them, validated against its OpenAPI description, and their bad days. */
class IssuesApiTest {

    private final GitHubDouble github = GitHubDouble.start();
    private final DoubleClient client = new DoubleClient(github);
    private final HostedRepository repo = github.repository("acme", "town");

    private int expectedViolations;

    @AfterEach
    void stop() {
        List<String> seen = github.violations();
        github.close();
        assertEquals(expectedViolations, seen.size(), seen.toString());
    }

    @Test
    void createListCloseAndComment() throws Exception {
        HttpResponse<String> created = client.send("POST", "/repos/acme/town/issues",
                "{\"title\":\"SiteDown\",\"body\":\"down <!-- m -->\",\"labels\":[\"alert\"]}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode issue = DoubleClient.json(created);
        assertEquals(1, issue.get("number").asInt());
        assertEquals("open", issue.get("state").asText());
        assertEquals("alert", issue.at("/labels/0/name").asText());
        repo.issues().create("unlabelled", "by a person", Set.of());

        JsonNode open = DoubleClient.json(client.get("/repos/acme/town/issues?state=open&labels=alert&per_page=100"));
        assertEquals(1, open.size(), "the label filters: " + open);
        assertEquals(2, DoubleClient.json(client.get("/repos/acme/town/issues?state=all")).size());

        assertEquals(201, client.send("POST", "/repos/acme/town/issues/1/comments", "{\"body\":\"resolved\"}")
                .statusCode());
        HttpResponse<String> closed = client.send("PATCH", "/repos/acme/town/issues/1",
                "{\"state\":\"closed\",\"state_reason\":\"completed\"}");
        assertEquals(200, closed.statusCode(), closed.body());
        assertEquals("completed", DoubleClient.json(closed).get("state_reason").asText());
        assertFalse(DoubleClient.json(closed).get("closed_at").isNull());
        assertEquals(0, DoubleClient.json(client.get("/repos/acme/town/issues?state=open&labels=alert")).size());
        assertEquals(1, DoubleClient.json(client.get("/repos/acme/town/issues?state=closed&labels=alert")).size());
        HostedIssues.Issue held = repo.issues().issue(1).orElseThrow();
        assertEquals(1, held.comments().size());
        assertFalse(held.open());
        assertEquals(404, client.send("PATCH", "/repos/acme/town/issues/9", "{\"state\":\"closed\"}").statusCode());
    }

    @Test
    void anUnchangedListingRevalidatesForFree() throws Exception {
        repo.issues().create("a", "b", Set.of("alert"));
        HttpResponse<String> first = client.get("/repos/acme/town/issues?state=open&labels=alert");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = new DoubleClient(github).get("/repos/acme/town/issues?state=open&labels=alert");
        assertEquals(etag, again.headers().firstValue("ETag").orElseThrow(), "same listing, same ETag");
    }

    @Test
    void listingsArePagedWithALinkToTheNextPage() throws Exception {
        for (int i = 0; i < 3; i++) {
            repo.issues().create("a" + i, "b", Set.of("alert"));
        }
        HttpResponse<String> page1 = client.get("/repos/acme/town/issues?labels=alert&per_page=2");
        assertEquals(2, DoubleClient.json(page1).size());
        assertTrue(page1.headers().firstValue("Link").orElseThrow().contains("rel=\"next\""));
        HttpResponse<String> page2 = client.get("/repos/acme/town/issues?labels=alert&per_page=2&page=2");
        assertEquals(1, DoubleClient.json(page2).size());
        assertTrue(page2.headers().firstValue("Link").isEmpty());
    }

    @Test
    void aBodyGitHubWouldRefuseIsAViolation() throws Exception {
        HttpResponse<String> refused = client.send("POST", "/repos/acme/town/issues", "{\"body\":\"no title\"}");
        assertEquals(422, refused.statusCode());
        assertEquals(1, github.violations().size(), github.violations().toString());
        assertTrue(repo.issues().all().isEmpty());
        expectedViolations = 1;
    }

    @Test
    void anIssueCreatedWhoseAnswerIsLostExistsAnyway() throws Exception {
        github.applyNextWritesUnanswered(1, Duration.ZERO);
        try {
            client.send("POST", "/repos/acme/town/issues", "{\"title\":\"t\",\"labels\":[\"alert\"]}");
        } catch (java.io.IOException expected) {
            // no answer: the client cannot tell whether the issue exists
        }
        assertEquals(1, repo.issues().all().size(), "applied before the connection was closed");
    }
}
