package dev.monkeytown.github.testdouble;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code deployment_status} (and {@code deployment}) webhook payloads built from GitHub's own examples, vendored from
 * {@code @octokit/webhooks-examples} (the ones GitHub Actions made, which carry the {@code workflow_run}; see
 * {@code github/README.md}): the example's every field, with the deployment, the status, the workflow run and the
 * repository of the test put in.
 */
public final class DeploymentWebhooks {

    private static final String API = "https://api.github.com";

    private DeploymentWebhooks() {
    }

    /** A vendored example as GitHub published it: {@code deployment.created} or {@code deployment_status.created}. */
    public static ObjectNode example(String name) {
        if (!name.equals("deployment.created") && !name.equals("deployment_status.created")) {
            throw new IllegalArgumentException("no deployment webhook example " + name);
        }
        try (InputStream in = DeploymentWebhooks.class.getResourceAsStream("/github/webhooks/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("missing resource /github/webhooks/" + name + ".json");
            }
            return (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What GitHub sends when a status is added to a deployment GitHub Actions made for {@code run}. */
    static ObjectNode deploymentStatus(String repository, HostedDeployments.HostedDeployment deployment,
            HostedDeployments.Status status, WorkflowRun run) {
        ObjectNode payload = example("deployment_status.created");
        ObjectNode workflowRun = WebhookExamples.workflowRun(run.webhookAction(), repository, run);
        payload.put("action", "created");
        payload.set("deployment_status", DeploymentsApi.statusJson(API, repository, deployment, status)
                .setAll(keep(payload.get("deployment_status"), "creator")));
        payload.set("deployment", DeploymentsApi.deploymentJson(API, repository, deployment)
                .setAll(keep(payload.get("deployment"), "creator")));
        payload.set("workflow_run", workflowRun.get("workflow_run"));
        payload.set("repository", workflowRun.get("repository"));
        if (payload.get("check_run") instanceof ObjectNode checkRun) {
            checkRun.put("id", run.id() + 2).put("head_sha", run.headSha());
        }
        return payload;
    }

    /** The example's fields a test has no value of its own for (the creator's many URLs). */
    private static ObjectNode keep(com.fasterxml.jackson.databind.JsonNode example, String... fields) {
        ObjectNode kept = Json.object();
        for (String field : fields) {
            if (example != null && example.has(field)) {
                kept.set(field, example.get(field));
            }
        }
        // GitHub Actions is the creator of the deployments it makes
        if (kept.get("creator") instanceof ObjectNode creator) {
            creator.put("login", "github-actions[bot]").put("id", 41898282).put("type", "Bot")
                    .put("html_url", "https://github.com/apps/github-actions");
        }
        return kept;
    }
}
