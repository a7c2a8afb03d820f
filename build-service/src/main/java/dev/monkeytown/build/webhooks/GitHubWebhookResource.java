package dev.monkeytown.build.webhooks;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.logging.Log;

import dev.monkeytown.build.service.BuildLifecycle;
import dev.monkeytown.kit.engine.EngineAnswers;
import dev.monkeytown.kit.webhooks.ForwardedWebhook;
import dev.monkeytown.runner.Runner;
import dev.monkeytown.runner.github.GitHubActionsRunner;

/**
 * GitHub events the gateway verified (signature, delivery id) and forwarded (GitHub mode): {@code push} to a branch a
 * pipeline builds queues its automatic builds (to the default branch, re-reads {@code builds.yaml} first);
 * {@code workflow_run} reports the progress of build workflows to the GitHub Actions runner. Internal: the service
 * kit's token filter admits only callers with the internal token. Bodies are never logged.
 */
@Path("/internal/webhooks/github")
public class GitHubWebhookResource {

    /** What was done with a delivery, so the gateway's log can say whether it mattered. */
    public record Handled(String event, boolean handled, String note) {
    }

    private static final String NO_COMMIT = "0".repeat(40);

    private final BuildLifecycle lifecycle;
    private final Runner runner;
    /** {@code owner/name} of the Monkeytown repository (GitHub mode); another repository's events are not ours. */
    private final Optional<String> repository;

    GitHubWebhookResource(BuildLifecycle lifecycle, Runner runner,
            @ConfigProperty(name = "monkeytown.github.repository") Optional<String> repository) {
        this.lifecycle = lifecycle;
        this.runner = runner;
        this.repository = repository;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A GitHub event forwarded by the gateway after it verified the signature")
    public Response deliver(@HeaderParam("X-GitHub-Event") String event,
            @HeaderParam("X-GitHub-Delivery") String delivery, JsonNode payload) {
        ForwardedWebhook webhook = ForwardedWebhook.of(event, payload, "push, workflow_run, ...");
        if (!webhook.about(repository)) {
            return Response.accepted(new Handled(event, false, webhook.notAbout(repository))).build();
        }
        Handled handled = switch (event) {
            case "push" -> push(payload);
            case "workflow_run" -> workflowRun(payload);
            case "ping" -> new Handled(event, true, "pong");
            default -> new Handled(event, false, "build-service does not consume " + event + " events");
        };
        return Response.accepted(handled).build();
    }

    private Handled push(JsonNode payload) {
        if (!(runner instanceof GitHubActionsRunner)) {
            return new Handled("push", false, "builds run on the " + runner.kind() + " runner: local pushes are polled");
        }
        String ref = payload.path("ref").asText("");
        String after = payload.path("after").asText("");
        if (!ref.startsWith("refs/heads/")) {
            return new Handled("push", false, "not a branch: " + ref);
        }
        String branch = ref.substring("refs/heads/".length());
        if (after.isEmpty() || after.equals(NO_COMMIT) || payload.path("deleted").asBoolean(false)) {
            return new Handled("push", false, "branch " + branch + " was deleted");
        }
        String tree = payload.path("head_commit").path("id").asText("").equals(after)
                ? payload.path("head_commit").path("tree_id").asText("")
                : "";
        // answered only once the builds are recorded: a failure is a 503 and the gateway delivers the push again
        List<String> queued = EngineAnswers.await(lifecycle.pushed(branch, payload.path("before").asText(""), after,
                tree));
        Log.infof("push to %s at %s: automatic builds for %s", branch, after, queued);
        return new Handled("push", !queued.isEmpty(), queued.isEmpty()
                ? "no pipeline builds " + branch + " at a new commit"
                : "automatic builds queued for " + String.join(", ", queued));
    }

    private Handled workflowRun(JsonNode payload) {
        if (!(runner instanceof GitHubActionsRunner actions)) {
            return new Handled("workflow_run", false, "builds run on the " + runner.kind() + " runner");
        }
        boolean ours = actions.onWorkflowRun(payload);
        return new Handled("workflow_run", ours, ours
                ? payload.path("action").asText("")
                : "not a workflow run of a build attempt");
    }
}
