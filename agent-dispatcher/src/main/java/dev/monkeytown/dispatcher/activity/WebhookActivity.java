package dev.monkeytown.dispatcher.activity;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import dev.monkeytown.dispatcher.activity.BusinessMetrics.Author;
import dev.monkeytown.state.quarkus.StateStoreConfig;

/**
 * Business figures from GitHub's {@code pull_request} and {@code push} webhooks, in GitHub mode only (locally the
 * repository's branches are the source, {@link LocalRepositoryActivity}). Each delivery is counted once: only with its
 * {@code X-GitHub-Delivery} id (the gateway always forwards it), and only the first time that id is seen.
 */
@Singleton
public class WebhookActivity {

    /** Far more deliveries than GitHub's redelivery window holds for one repository; a few hundred KiB at most. */
    static final int REMEMBERED_DELIVERIES = 10_000;

    private final BusinessMetrics metrics;
    private final boolean enabled;
    private final RecentDeliveries counted = new RecentDeliveries(REMEMBERED_DELIVERIES);

    WebhookActivity(BusinessMetrics metrics, StateStoreConfig state) {
        this.metrics = metrics;
        this.enabled = state.backend() == StateStoreConfig.Backend.GITHUB;
    }

    /** Counts a pull request opened or merged; returns what was counted, for the delivery's answer. */
    public String pullRequest(String delivery, JsonNode payload) {
        String action = payload.path("action").asText("");
        JsonNode pullRequest = payload.path("pull_request");
        boolean merged = action.equals("closed") && pullRequest.path("merged").asBoolean(false);
        if (!action.equals("opened") && !merged) {
            return "nothing counted for " + (action.isEmpty() ? "an action-less event" : action);
        }
        if (!firstCount(delivery)) {
            return "not counted: " + whyNot(delivery);
        }
        Author author = authorOf(pullRequest);
        if (merged) {
            metrics.pullRequestMerged(author, count(pullRequest, "changed_files"), count(pullRequest, "additions"),
                    count(pullRequest, "deletions"));
            return "merged, by " + author.tag();
        }
        metrics.pullRequestOpened(author);
        return "opened, by " + author.tag();
    }

    /**
     * Counts a push: commits and distinct files on the default branch, commits new to the repository on an agent's
     * branch; nothing for other branches. Call it once the push was handled, so a delivery answered 503 (and delivered
     * again) is counted when it finally succeeds, not before.
     */
    public void push(String delivery, JsonNode payload, String defaultBranch) {
        String ref = payload.path("ref").asText("");
        boolean toDefault = ref.equals("refs/heads/" + defaultBranch);
        var agentBranch = AgentBranch.parse(ref);
        if (payload.path("deleted").asBoolean(false) || !toDefault && agentBranch.isEmpty()) {
            return;
        }
        if (!firstCount(delivery)) {
            return;
        }
        JsonNode commits = payload.path("commits");
        if (toDefault) {
            // GitHub lists at most 2048 commits (and a commit's files only up to its own limits): a larger push is
            // counted by what is listed, as docs/operations.md says
            Set<String> files = new HashSet<>();
            for (JsonNode commit : commits) {
                for (String field : List.of("added", "removed", "modified")) {
                    commit.path(field).forEach(path -> files.add(path.asText()));
                }
            }
            metrics.defaultBranchMoved(commits.size(), files.size());
            return;
        }
        // commits already on another branch (distinct: false) are not the agent's work
        long own = 0;
        for (JsonNode commit : commits) {
            own += commit.path("distinct").asBoolean(true) ? 1 : 0;
        }
        if (own > 0) {
            metrics.agentCommits(agentBranch.get().agent(), own);
        }
    }

    private boolean firstCount(String delivery) {
        return enabled && delivery != null && !delivery.isBlank() && counted.firstTime(delivery);
    }

    private String whyNot(String delivery) {
        if (!enabled) {
            return "the local repository is the source of business metrics";
        }
        return delivery == null || delivery.isBlank() ? "no X-GitHub-Delivery" : "a redelivery";
    }

    /**
     * An agent's pull request comes from the branch its run pushed, in this repository: a fork's {@code agents/...}
     * branch is a person's.
     */
    static Author authorOf(JsonNode pullRequest) {
        JsonNode head = pullRequest.path("head");
        String headRepository = head.path("repo").path("full_name").asText("");
        String baseRepository = pullRequest.path("base").path("repo").path("full_name").asText("");
        boolean sameRepository = !headRepository.isEmpty() && headRepository.equals(baseRepository);
        return sameRepository && AgentBranch.parse(head.path("ref").asText("")).isPresent()
                ? Author.AGENT
                : Author.HUMAN;
    }

    private static long count(JsonNode pullRequest, String field) {
        return Math.max(0, pullRequest.path(field).asLong(0));
    }
}
