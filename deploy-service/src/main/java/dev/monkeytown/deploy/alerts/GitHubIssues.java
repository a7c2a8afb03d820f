package dev.monkeytown.deploy.alerts;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;

import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubApiException;
import dev.monkeytown.github.GitHubUnavailableException;

/**
 * Alert issues on the Monkeytown repository through the service's one {@link GitHubAccess}: the state store's client,
 * so every call is paced, backed off (403/429 with {@code Retry-After}, an exhausted quota) and counted against the same
 * token budget. Reads are {@code GET /repos/{o}/{r}/issues?labels=<label>&state=open}, revalidated with their ETag (an
 * unchanged listing is a free 304); writes are create issue, create comment and update issue.
 */
public final class GitHubIssues implements IssueTracker {

    /** Pages of 100 open alert issues looked through; the hourly cap keeps far fewer open. */
    static final int PAGES = 10;

    private final GitHubAccess github;
    private final String repository;
    private final String label;
    private final ObjectMapper json;

    public GitHubIssues(GitHubAccess github, String repository, String label, ObjectMapper json) {
        this.github = github;
        this.repository = repository;
        this.label = label;
        this.json = json;
    }

    @Override
    public boolean tracksIssues() {
        return true;
    }

    @Override
    public Optional<IssueRef> findOpen(String marker) throws IOException {
        for (int page = 1; page <= PAGES; page++) {
            ApiResponse answer = github.get("/repos/" + repository + "/issues?state=open&labels="
                    + URLEncoder.encode(label, StandardCharsets.UTF_8) + "&per_page=100&page=" + page);
            if (!answer.isSuccess()) {
                throw new GitHubApiException(answer.status(), "listing open " + label + " issues of " + repository
                        + " answered HTTP " + answer.status());
            }
            JsonNode issues = json.readTree(answer.body());
            for (JsonNode issue : issues) {
                // the marker is always the body's first line: one quoted further down (in another alert's text, or
                // by a person) must not make that issue this alert's
                if (issue.path("body").asText("").startsWith(marker)) {
                    return Optional.of(ref(issue));
                }
            }
            if (issues.size() < 100) {
                break;
            }
        }
        return Optional.empty();
    }

    @Override
    public IssueRef open(String marker, String title, String body) throws IOException {
        byte[] request = json.writeValueAsBytes(Map.of("title", title, "body", body, "labels", List.of(label)));
        ApiResponse answer;
        try {
            answer = github.send("POST", "/repos/" + repository + "/issues", request);
        } catch (GitHubUnavailableException e) {
            if (!e.mayHaveReachedGitHub()) {
                throw e;
            }
            return createdAfterAll(marker, e);
        }
        if (answer.status() >= 500) {
            return createdAfterAll(marker, new GitHubApiException(answer.status(), "creating an issue in "
                    + repository + " answered HTTP " + answer.status()));
        }
        if (answer.status() != 201) {
            throw new GitHubApiException(answer.status(), "creating an issue in " + repository + " answered HTTP "
                    + answer.status());
        }
        return ref(json.readTree(answer.body()));
    }

    /** The answer was lost: the issue may exist. Found by its marker, or the caller fails and is asked again. */
    private IssueRef createdAfterAll(String marker, Exception lost) throws IOException {
        Optional<IssueRef> found = findOpen(marker);
        if (found.isPresent()) {
            Log.infof("The answer to creating issue #%d was lost; found it by its marker", found.get().number());
            return found.get();
        }
        // not listed (yet): trying again now could make a second issue if the first is merely late; the delivery fails
        // and Alertmanager's retry looks for the marker again
        throw new IOException("creating an alert issue in " + repository + " got no answer, and no issue with its"
                + " marker is listed yet", lost);
    }

    @Override
    public void close(IssueRef issue, String comment) throws IOException {
        String path = "/repos/" + repository + "/issues/" + issue.number();
        ApiResponse commented = github.send("POST", path + "/comments", json.writeValueAsBytes(Map.of("body",
                comment)));
        if (gone(commented)) {
            return;
        }
        ApiResponse closed = github.send("PATCH", path, json.writeValueAsBytes(Map.of("state", "closed",
                "state_reason", "completed")));
        gone(closed);
    }

    /** True when the issue no longer exists here; throws on any other failure. */
    private boolean gone(ApiResponse answer) throws GitHubApiException {
        if (answer.status() == 404 || answer.status() == 410) {
            return true;
        }
        if (!answer.isSuccess()) {
            throw new GitHubApiException(answer.status(), "closing an alert issue in " + repository + " answered HTTP "
                    + answer.status());
        }
        return false;
    }

    private static IssueRef ref(JsonNode issue) {
        return new IssueRef(issue.path("number").asInt(), issue.path("html_url").asText(),
                Instant.parse(issue.path("created_at").asText()));
    }
}
