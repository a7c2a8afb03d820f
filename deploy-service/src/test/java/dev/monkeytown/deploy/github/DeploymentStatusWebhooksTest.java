package dev.monkeytown.deploy.github;

import static dev.monkeytown.deploy.github.GitHubModeDeploymentsTest.awaitRun;
import static dev.monkeytown.deploy.github.GitHubModeDeploymentsTest.awaitState;
import static dev.monkeytown.deploy.github.GitHubModeDeploymentsTest.deliver;
import static dev.monkeytown.deploy.github.GitHubModeDeploymentsTest.deploy;
import static dev.monkeytown.deploy.github.GitHubModeDeploymentsTest.deployment;
import static dev.monkeytown.deploy.github.GitHubModeDeploymentsTest.repo;
import static dev.monkeytown.deploy.github.GitHubModeDeploymentsTest.sourceCommit;
import static dev.monkeytown.deploy.github.GitHubModeDeploymentsTest.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

import dev.monkeytown.github.testdouble.WorkflowRun;
import dev.monkeytown.kit.testing.Management;

/**
 * The {@code deployment_status} webhook alone moves a deployment: reconciliation runs once an hour here, and no
 * {@code workflow_run} webhook (which reads the deployment back) is delivered, so a handler that did nothing would
 * leave every record where it was. Each state is asserted right after the delivery's answer, never awaited.
 */
@QuarkusTest
@TestProfile(SlowReconciliationProfile.class)
class DeploymentStatusWebhooksTest {

    @BeforeEach
    void callAsTheGateway() {
        io.restassured.RestAssured.requestSpecification = new io.restassured.builder.RequestSpecBuilder()
                .addHeader("X-Monkeytown-Internal-Token", token()).build();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
    }

    @AfterEach
    void uninstall() {
        io.restassured.RestAssured.requestSpecification = null;
    }

    @Test
    void aSucceedingDeploymentIsMovedByItsDeploymentStatusWebhooksAlone() throws Exception {
        String id = deploy("alpha", sourceCommit("alpha"));
        WorkflowRun run = awaitRun(id);
        awaitState(id, "waiting");
        deliverStatuses(); // queued on GitHub: the record stays waiting

        repo().actions().markInProgress(run.id());
        assertEquals(List.of("in_progress"), deliverStatuses());
        assertEquals("in_progress", deployment(id).getString("state"));

        repo().actions().complete(run.id(), "success");
        assertEquals(List.of("success"), deliverStatuses());
        JsonPath done = deployment(id);
        assertEquals("success", done.getString("state"));
        assertTrue(done.getString("reason").contains("GitHub reported success"), done.getString("reason"));
        assertEquals(repo().deployments().forRun(run.id()).orElseThrow().id(), done.getLong("github.deploymentId"));
    }

    @Test
    void aFailingDeploymentIsEndedByItsDeploymentStatusWebhookAlone() throws Exception {
        String id = deploy("gamma", sourceCommit("gamma"));
        WorkflowRun run = awaitRun(id);
        awaitState(id, "waiting");
        deliverStatuses();

        repo().actions().markInProgress(run.id());
        repo().actions().complete(run.id(), "failure");
        // in_progress's webhook lost: the final state passes through it in the same step
        List<ObjectNode> statuses = repo().deployments().takeWebhooks();
        ObjectNode last = statuses.get(statuses.size() - 1);
        assertEquals("failure", last.path("deployment_status").path("state").asText());
        JsonPath answer = deliver("deployment_status", last);
        assertEquals(true, answer.getBoolean("handled"));
        assertEquals("failure", answer.getString("note"));
        JsonPath failed = deployment(id);
        assertEquals("failure", failed.getString("state"));
        assertTrue(failed.getString("reason").contains("GitHub reported failure"), failed.getString("reason"));
    }

    /** Delivers the deployment statuses GitHub sent since last time; answers what each delivery moved the record to. */
    private static List<String> deliverStatuses() {
        return repo().deployments().takeWebhooks().stream().map(webhook -> {
            JsonPath answer = deliver("deployment_status", webhook);
            assertEquals("deployment_status", answer.getString("event"));
            assertEquals(true, answer.getBoolean("handled"), answer.prettify());
            return answer.getString("note");
        }).filter(note -> !note.equals("waiting") && !note.equals("unchanged")).toList();
    }
}
