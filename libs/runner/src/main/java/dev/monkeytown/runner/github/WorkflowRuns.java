package dev.monkeytown.runner.github;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubUnavailableException;
import dev.monkeytown.runner.RunnerUnavailableException;

/**
 * The Actions calls the runner needs, for one repository: dispatch a workflow, read a run or one of its attempts, find a
 * run by its title, re-run a run's failed jobs, cancel a run. Every way GitHub can fail to answer becomes {@link RunnerUnavailableException}; what an answer
 * means is left to the runner.
 */
final class WorkflowRuns {

    /** GitHub's largest page; more dispatches of one agent than this within a day would need paging. */
    private static final int PAGE = 100;
    private static final int MAX_PAGES = 10;

    private final GitHubAccess access;
    private final String repositoryPath;
    private final ObjectMapper json;

    WorkflowRuns(GitHubAccess access, String repository, ObjectMapper json) {
        this.access = access;
        this.repositoryPath = "/repos/" + repository;
        this.json = json;
    }

    ApiResponse dispatch(String workflowFile, Map<String, Object> body) throws RunnerUnavailableException {
        try {
            return access.send("POST", repositoryPath + "/actions/workflows/" + segment(workflowFile) + "/dispatches",
                    json.writeValueAsBytes(body));
        } catch (IOException | GitHubUnavailableException e) {
            throw unavailable("dispatch " + workflowFile, e);
        }
    }

    /** The run, read conditionally (an unchanged run costs a free 304); empty when GitHub does not know it. */
    Optional<JsonNode> run(String workflowRunId) throws RunnerUnavailableException {
        return read(repositoryPath + "/actions/runs/" + segment(workflowRunId), "read workflow run " + workflowRunId);
    }

    /** One attempt of the run (a conditional read); empty when the run has not had that attempt, or is unknown. */
    Optional<JsonNode> attempt(String workflowRunId, int attempt) throws RunnerUnavailableException {
        return read(repositoryPath + "/actions/runs/" + segment(workflowRunId) + "/attempts/" + attempt,
                "read attempt " + attempt + " of workflow run " + workflowRunId);
    }

    /** Asks GitHub to re-run the run's failed jobs; the answer is the caller's to read (201, or why not). */
    ApiResponse rerunFailedJobs(String workflowRunId) throws RunnerUnavailableException {
        try {
            return access.send("POST", repositoryPath + "/actions/runs/" + segment(workflowRunId)
                    + "/rerun-failed-jobs", null);
        } catch (IOException | GitHubUnavailableException e) {
            throw unavailable("re-run the failed jobs of workflow run " + workflowRunId, e);
        }
    }

    /**
     * The dispatched run of {@code workflowFile} whose title carries {@code runId}, among runs created since
     * {@code since}; empty when there is none (never started, or the workflow is gone).
     */
    Optional<JsonNode> findByRunId(String workflowFile, String runId, Instant since)
            throws RunnerUnavailableException {
        String created = URLEncoder.encode(">=" + since.atOffset(ZoneOffset.UTC).toLocalDate(), StandardCharsets.UTF_8);
        for (int page = 1; page <= MAX_PAGES; page++) {
            String path = repositoryPath + "/actions/workflows/" + segment(workflowFile)
                    + "/runs?event=workflow_dispatch&created=" + created + "&per_page=" + PAGE + "&page=" + page;
            Optional<JsonNode> listing = read(path, "list runs of " + workflowFile);
            if (listing.isEmpty()) {
                return Optional.empty();
            }
            JsonNode runs = listing.get().path("workflow_runs");
            for (JsonNode run : runs) {
                if (WorkflowRunReport.titleNames(run.path("display_title").asText(""), runId)) {
                    return Optional.of(run);
                }
            }
            if (runs.size() < PAGE) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Asks GitHub to cancel the run. True when GitHub accepted (202; the run completes some time later) or the run had
     * already completed (409); false when GitHub does not know the run.
     */
    boolean cancel(String workflowRunId) throws RunnerUnavailableException {
        ApiResponse response;
        try {
            response = access.send("POST", repositoryPath + "/actions/runs/" + segment(workflowRunId) + "/cancel",
                    null);
        } catch (IOException | GitHubUnavailableException e) {
            throw unavailable("cancel workflow run " + workflowRunId, e);
        }
        return switch (response.status()) {
            case 202, 409 -> true;
            case 404 -> false;
            default -> throw refused("cancel workflow run " + workflowRunId, response);
        };
    }

    private Optional<JsonNode> read(String path, String what) throws RunnerUnavailableException {
        ApiResponse response;
        try {
            response = access.get(path);
        } catch (IOException | GitHubUnavailableException e) {
            throw unavailable(what, e);
        }
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (!response.isSuccess()) {
            throw refused(what, response);
        }
        try {
            return Optional.of(json.readTree(response.body()));
        } catch (IOException e) {
            throw new RunnerUnavailableException("GitHub answered " + what + " with unreadable JSON", e);
        }
    }

    static RunnerUnavailableException unavailable(String what, Exception cause) {
        return new RunnerUnavailableException("GitHub unreachable: could not " + what + ": " + cause.getMessage(),
                cause);
    }

    /** An answer that is neither success nor a meaningful refusal: bad credentials, a rate limit, 5xx. */
    static RunnerUnavailableException refused(String what, ApiResponse response) {
        return new RunnerUnavailableException("GitHub refused to " + what + " (HTTP " + response.status() + "): "
                + GitHubMessage.of(response));
    }

    /**
     * Whether GitHub refused for rate reasons, which pass: a 429, or a 403 with its quota exhausted
     * ({@code x-ratelimit-remaining: 0}), a {@code Retry-After}, or a secondary-rate-limit or abuse-detection message.
     */
    static boolean rateLimited(ApiResponse response) {
        if (response.status() == 429) {
            return true;
        }
        String message = GitHubMessage.of(response).toLowerCase(Locale.ROOT);
        return response.status() == 403 && (response.header("x-ratelimit-remaining").map(String::trim)
                .filter("0"::equals).isPresent() || response.header("Retry-After").isPresent()
                || message.contains("rate limit") || message.contains("abuse detection"));
    }

    /**
     * Whether a 403 says the token lacks a permission, which asking again will not change: GitHub names the permission
     * it wanted ({@code x-accepted-github-permissions}) or says so ("Resource not accessible by integration" / "by
     * personal access token", "Must have admin rights"). Decided on that evidence only: SAML enforcement, an IP allow
     * list, an App permission change not yet accepted, or an HTML 403 from a proxy pass without any change to the
     * token's permissions, and taking them for good would fail every queued run while the runner looks healthy.
     */
    static boolean lacksPermission(ApiResponse response) {
        if (response.status() != 403 || rateLimited(response)) {
            return false;
        }
        String message = GitHubMessage.of(response).toLowerCase(Locale.ROOT);
        return response.header("x-accepted-github-permissions").isPresent()
                || message.contains("resource not accessible by") || message.contains("must have admin rights");
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
