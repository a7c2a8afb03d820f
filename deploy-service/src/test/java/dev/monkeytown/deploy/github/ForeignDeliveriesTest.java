package dev.monkeytown.deploy.github;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.monkeytown.github.testdouble.WebhookExamples;

/**
 * One GitHub App (or an organisation webhook) may deliver the events of several repositories, and the gateway forwards
 * them all: only those about {@code monkeytown.github.repository} are acted on. The rest are acknowledged, so GitHub
 * does not redeliver them, and change nothing.
 */
@QuarkusTest
@TestProfile(GitHubModeProfile.class)
class ForeignDeliveriesTest {

    @Test
    void aPushToAnotherRepositorysMainIsNotOurs() {
        // GitHub's published example names its own repository
        ObjectNode push = WebhookExamples.load("push").put("ref", "refs/heads/main");
        deliver("push", push).body("handled", equalTo(false)).body("note", containsString("Codertocat/Hello-World"));
    }

    @Test
    void aDeploymentStatusNamingNoRepositoryIsNotOurs() {
        ObjectNode status = WebhookExamples.load("push", GitHubModeProfile.OWNER + "/" + GitHubModeProfile.NAME);
        status.removeAll();
        status.put("action", "created").putObject("deployment_status").put("state", "success");
        status.putObject("deployment").put("id", 1);
        deliver("deployment_status", status).body("handled", equalTo(false))
                .body("note", containsString("names no repository"));
    }

    @Test
    void pingConcernsEveryone() {
        deliver("ping", WebhookExamples.load("push")).body("handled", equalTo(true));
    }

    private static ValidatableResponse deliver(String event, ObjectNode payload) {
        return given().header("X-Monkeytown-Internal-Token", GitHubModeDeploymentsTest.token())
                .header("X-GitHub-Event", event).header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(payload.toString()).post("/internal/webhooks/github").then()
                .statusCode(202);
    }
}
