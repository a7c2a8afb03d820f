package dev.monkeytown.dispatcher.webhooks;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

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

import dev.monkeytown.dispatcher.activity.WebhookActivity;
import dev.monkeytown.dispatcher.dispatch.ChangeTriggers;
import dev.monkeytown.dispatcher.dispatch.DispatcherConfig;
import dev.monkeytown.dispatcher.dispatch.DispatcherLifecycle;
import dev.monkeytown.kit.webhooks.ForwardedWebhook;
import dev.monkeytown.runner.Runner;
import dev.monkeytown.runner.github.GitHubActionsRunner;

/**
 * GitHub events the gateway verified (signature, delivery id) and forwarded: {@code push} to the default branch queues
 * on-change runs and re-reads the declarations; {@code workflow_run} reports the progress of agent workflows;
 * {@code pull_request} and {@code push} feed the business metrics ({@link WebhookActivity}). Events about another
 * repository are acknowledged and ignored ({@link ForwardedWebhook#about}). Internal:
 * the service kit's token filter admits only callers with the internal token. Bodies are never logged.
 */
@Path("/internal/webhooks/github")
public class GitHubWebhookResource {

    /** What was done with a delivery, so the gateway's log can say whether it mattered. */
    public record Handled(String event, boolean handled, String note) {
    }

    private final DispatcherLifecycle lifecycle;
    private final Runner runner;
    private final DispatcherConfig config;
    private final WebhookActivity activity;
    /** {@code owner/name} of the Monkeytown repository (GitHub mode); another repository's events are not ours. */
    private final Optional<String> repository;

    GitHubWebhookResource(DispatcherLifecycle lifecycle, Runner runner, DispatcherConfig config,
            WebhookActivity activity,
            @ConfigProperty(name = "monkeytown.github.repository") Optional<String> repository) {
        this.lifecycle = lifecycle;
        this.runner = runner;
        this.config = config;
        this.activity = activity;
        this.repository = repository;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A GitHub event forwarded by the gateway after it verified the signature")
    public Response deliver(@HeaderParam("X-GitHub-Event") String event,
            @HeaderParam("X-GitHub-Delivery") String delivery, JsonNode payload) {
        ForwardedWebhook webhook = ForwardedWebhook.of(event, payload, "push, workflow_run, pull_request, ...");
        if (!webhook.about(repository)) {
            return Response.accepted(new Handled(event, false, webhook.notAbout(repository))).build();
        }
        Handled handled = switch (event) {
            case "push" -> push(delivery, payload);
            case "workflow_run" -> workflowRun(payload);
            case "pull_request" -> new Handled(event, true, activity.pullRequest(delivery, payload));
            case "ping" -> new Handled(event, true, "pong");
            default -> new Handled(event, false, "agent-dispatcher does not consume " + event + " events");
        };
        return Response.accepted(handled).build();
    }

    private Handled push(String delivery, JsonNode payload) {
        String ref = payload.path("ref").asText("");
        String after = payload.path("after").asText("");
        if (!ref.equals("refs/heads/" + config.defaultBranch())) {
            activity.push(delivery, payload, config.defaultBranch()); // an agent run's branch is agent activity
            return new Handled("push", false, "not the default branch " + config.defaultBranch());
        }
        if (after.isEmpty() || after.matches("0+")) {
            return new Handled("push", false, "the default branch was deleted");
        }
        TreeSet<String> paths = new TreeSet<>();
        for (JsonNode commit : payload.path("commits")) {
            for (String field : List.of("added", "modified", "removed")) {
                commit.path(field).forEach(path -> paths.add(path.asText()));
            }
        }
        lifecycle.reloadDeclarations();
        // answered only once the runs are recorded: a failure is a 503 and the gateway delivers the push again
        List<String> agents = lifecycle.catchUp(Optional.of(new ChangeTriggers.Push(payload.path("before").asText(""),
                after, List.copyOf(paths))));
        activity.push(delivery, payload, config.defaultBranch());
        Log.infof("push to %s at %s: %d paths changed, on-change runs for %s", ref, after, paths.size(), agents);
        return new Handled("push", true, agents.isEmpty()
                ? "no agent watches these paths"
                : "on-change runs requested for " + String.join(", ", agents));
    }

    private Handled workflowRun(JsonNode payload) {
        if (!(runner instanceof GitHubActionsRunner actions)) {
            return new Handled("workflow_run", false, "agents run on the " + runner.kind() + " runner");
        }
        actions.onWorkflowRun(payload);
        return new Handled("workflow_run", true, payload.path("action").asText(""));
    }
}
