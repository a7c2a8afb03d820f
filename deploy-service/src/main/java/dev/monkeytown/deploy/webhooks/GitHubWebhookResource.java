package dev.monkeytown.deploy.webhooks;

import java.util.concurrent.CompletableFuture;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.logging.Log;

import dev.monkeytown.deploy.engine.DeployEngine;
import dev.monkeytown.deploy.service.DeployConfig;
import dev.monkeytown.deploy.service.DeployLifecycle;
import dev.monkeytown.kit.engine.EngineAnswers;
import dev.monkeytown.kit.webhooks.ForwardedWebhook;
import dev.monkeytown.runner.Runner;
import dev.monkeytown.runner.github.GitHubActionsRunner;
import dev.monkeytown.state.quarkus.GitHubConfig;

/**
 * GitHub events the gateway verified (signature, delivery id) and forwarded: {@code deployment_status} moves the
 * deployment whose workflow run made the GitHub deployment; {@code workflow_run} reports the progress of
 * {@code deploy-<env>.yml} runs to the runner (a run that ended makes its deployment's statuses be read); {@code push}
 * to the default branch re-reads {@code environments.yaml}, and to an environment's source branch looks for an
 * automatic deploy at once rather than at the next poll. Internal: the service kit's token filter admits only callers
 * with the internal token. Bodies are never logged.
 */
@Path("/internal/webhooks/github")
public class GitHubWebhookResource {

    /** What was done with a delivery, so the gateway's log can say whether it mattered. */
    public record Handled(String event, boolean handled, String note) {
    }

    private final DeployEngine engine;
    private final Runner runner;
    private final DeployLifecycle lifecycle;
    private final DeployConfig config;
    private final GitHubConfig github;

    GitHubWebhookResource(DeployEngine engine, Runner runner, DeployLifecycle lifecycle, DeployConfig config,
            GitHubConfig github) {
        this.engine = engine;
        this.runner = runner;
        this.lifecycle = lifecycle;
        this.config = config;
        this.github = github;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A GitHub event forwarded by the gateway after it verified the signature")
    public Response deliver(@HeaderParam("X-GitHub-Event") String event,
            @HeaderParam("X-GitHub-Delivery") String delivery, JsonNode payload) {
        ForwardedWebhook webhook = ForwardedWebhook.of(event, payload, "deployment_status, workflow_run, push, ...");
        if (!webhook.about(github.repository())) {
            return Response.accepted(new Handled(event, false, webhook.notAbout(github.repository()))).build();
        }
        Handled handled = switch (event) {
            case "deployment_status" -> deploymentStatus(payload);
            case "workflow_run" -> workflowRun(payload);
            case "push" -> push(payload);
            case "ping" -> new Handled(event, true, "pong");
            default -> new Handled(event, false, "deploy-service does not consume " + event + " events");
        };
        return Response.accepted(handled).build();
    }

    private Handled deploymentStatus(JsonNode payload) {
        if (!engine.onGitHub()) {
            return new Handled("deployment_status", false, "deployments run locally here");
        }
        // answered only once recorded: a failure is a 503 and the gateway's delivery is let in again
        String note = EngineAnswers.await(engine.onDeploymentStatus(payload));
        Log.infof("deployment_status %s for GitHub deployment %s: %s",
                payload.path("deployment_status").path("state").asText(""),
                payload.path("deployment").path("id").asText(""), note);
        return new Handled("deployment_status", true, note);
    }

    private Handled workflowRun(JsonNode payload) {
        if (!(runner instanceof GitHubActionsRunner actions)) {
            return new Handled("workflow_run", false, "deployments run on the " + runner.kind() + " runner");
        }
        boolean ours = actions.onWorkflowRun(payload);
        return new Handled("workflow_run", ours, ours
                ? payload.path("action").asText("")
                : "not a deploy workflow run this service dispatched");
    }

    private Handled push(JsonNode payload) {
        String ref = payload.path("ref").asText("");
        if (!ref.startsWith("refs/heads/")) {
            return new Handled("push", false, "not a branch");
        }
        String branch = ref.substring("refs/heads/".length());
        boolean declarations = branch.equals(config.defaultBranch());
        boolean followed = lifecycle.follows(branch);
        if (!declarations && !followed) {
            return new Handled("push", false, "no environment deploys " + branch);
        }
        // the poll reads the heads itself (conditional reads); a push only makes it come sooner
        CompletableFuture.runAsync(lifecycle::poll);
        return new Handled("push", true, (declarations ? "environments.yaml re-read" : "")
                + (declarations && followed ? "; " : "") + (followed
                        ? "automatic deploys of " + branch
                                + " looked at"
                        : ""));
    }
}
