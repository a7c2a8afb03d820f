package dev.monkeytown.github.testdouble;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Webhook payloads built from GitHub's own examples (vendored from {@code @octokit/webhooks-examples}, see
 * {@code github/README.md}) rather than written by hand, so a consumer is tested against every field GitHub sends,
 * including those nobody thought to fake.
 */
public final class WebhookExamples {

    /** The repository and run the vendored workflow_run examples were recorded on; replaced in every payload. */
    private static final String EXAMPLE_REPOSITORY = "octo-org/octo-repo";
    private static final String EXAMPLE_RUN = "/actions/runs/289782451";
    private static final Map<String, String> FILES = Map.of("push", "push.json", "workflow_run.requested",
            "workflow_run.requested.json", "workflow_run.completed", "workflow_run.completed.json",
            "pull_request.opened", "pull_request.opened.json", "pull_request.closed", "pull_request.closed.json");

    private WebhookExamples() {
    }

    /**
     * A vendored example as GitHub published it: {@code push}, {@code workflow_run.requested},
     * {@code workflow_run.completed}, {@code pull_request.opened} or {@code pull_request.closed} (closed unmerged: GitHub
     * publishes no merged example). A fresh copy each call.
     */
    public static ObjectNode load(String name) {
        String file = FILES.get(name);
        if (file == null) {
            throw new IllegalArgumentException("no webhook example " + name + "; known: " + FILES.keySet());
        }
        return (ObjectNode) readTree(text(file));
    }

    /**
     * A vendored example as {@link #load(String)} gives it, moved to {@code repository} ({@code owner/name}): its
     * {@code repository} object, and every URL that named the example's repository, name this one instead.
     */
    public static ObjectNode load(String name, String repository) {
        String example = load(name).path("repository").path("full_name").asText("");
        if (example.isEmpty()) {
            throw new IllegalArgumentException("webhook example " + name + " names no repository");
        }
        ObjectNode payload = (ObjectNode) readTree(text(FILES.get(name)).replace(example, repository));
        renameRepository(payload.get("repository"), repository);
        return payload;
    }

    /**
     * The {@code workflow_run} payload GitHub sends for {@code action} ({@code requested}, {@code in_progress},
     * {@code completed}) on {@code run} of {@code repository} ({@code owner/name}). There is no published
     * {@code in_progress} example, so it is the {@code requested} one with the run's status.
     */
    public static ObjectNode workflowRun(String action, String repository, WorkflowRun run) {
        String source = FILES.get(action.equals("completed") ? "workflow_run.completed" : "workflow_run.requested");
        String text = text(source).replace(EXAMPLE_REPOSITORY, repository).replace(EXAMPLE_RUN,
                "/actions/runs/" + run.id());
        ObjectNode payload = (ObjectNode) readTree(text);
        payload.put("action", action);
        ObjectNode workflowRun = (ObjectNode) payload.get("workflow_run");
        workflowRun.put("id", run.id()).put("node_id", nodeId("WorkflowRun", run.id()))
                .put("name", run.workflowName()).put("display_title", run.displayTitle()).put("event", run.event())
                .put("status", run.status()).put("conclusion", run.conclusion().orElse(null))
                .put("head_branch", run.headBranch()).put("head_sha", run.headSha()).put("path", run.path())
                .put("run_number", run.runNumber()).put("run_attempt", run.runAttempt()).put("workflow_id", run.workflowId())
                .put("workflow_url", "https://api.github.com/repos/" + repository + "/actions/workflows/"
                        + run.workflowId())
                .put("created_at", run.createdAt().toString()).put("updated_at", run.updatedAt().toString())
                .put("run_started_at", run.runStartedAt().toString());
        workflowRun.putArray("pull_requests");
        ((ObjectNode) workflowRun.get("head_commit")).put("id", run.headSha());
        renameRepository(payload.get("repository"), repository);
        renameRepository(workflowRun.get("repository"), repository);
        renameRepository(workflowRun.get("head_repository"), repository);
        ObjectNode workflow = (ObjectNode) payload.get("workflow");
        workflow.put("id", run.workflowId()).put("node_id", nodeId("Workflow", run.workflowId()))
                .put("name", run.workflowName()).put("path", run.path())
                .put("url", "https://api.github.com/repos/" + repository + "/actions/workflows/" + run.workflowId())
                .put("html_url", "https://github.com/" + repository + "/blob/main/" + run.path());
        return payload;
    }

    private static void renameRepository(com.fasterxml.jackson.databind.JsonNode node, String fullName) {
        if (node instanceof ObjectNode repo) {
            int slash = fullName.indexOf('/');
            repo.put("name", fullName.substring(slash + 1));
            if (repo.get("owner") instanceof ObjectNode owner) {
                owner.put("login", fullName.substring(0, slash));
            }
        }
    }

    private static String nodeId(String kind, long id) {
        return java.util.Base64.getEncoder().withoutPadding()
                .encodeToString((kind + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String file) {
        try (InputStream in = WebhookExamples.class.getResourceAsStream("/github/webhooks/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /github/webhooks/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
