package dev.monkeytown.github.testdouble;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Commit statuses: {@code POST /repos/{owner}/{repo}/statuses/{sha}} (201 with the status, {@code Location}), with
 * GitHub's refusals: 422 "No commit found for SHA" for a commit it does not have, 422 "This SHA and context has reached
 * the maximum number of statuses." past {@link HostedStatuses#LIMIT} per commit and context. The statuses are kept in
 * {@link GitHubDouble#statuses()} for tests to read.
 */
final class StatusesApi implements ApiArea {

    private static final String DOCS = "https://docs.github.com/rest/commits/statuses#create-a-commit-status";

    private final GitHubDouble host;
    private final HostedStatuses statuses;

    StatusesApi(GitHubDouble host, HostedStatuses statuses) {
        this.host = host;
        this.statuses = statuses;
    }

    @Override
    public void register(Routes routes) {
        routes.write("POST", "/repos/([^/]+)/([^/]+)/statuses/([^/]+)", this::create);
    }

    private DoubleResponse create(DoubleRequest request, Matcher path) {
        Optional<HostedRepository> found = host.existing(path.group(1), path.group(2));
        if (found.isEmpty()) {
            return DoubleResponse.notFound();
        }
        HostedRepository repo = found.get();
        String sha = path.group(3);
        if (repo.objects().find(sha, GitObjects.Commit.class).isEmpty()) {
            return DoubleResponse.error(422, "No commit found for SHA: " + sha, DOCS);
        }
        JsonNode body = request.json();
        String context = body.path("context").asText("default");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Optional<HostedStatuses.CommitStatus> added = statuses.add(repo.fullName(), sha, body.path("state").asText(),
                context, text(body, "description"), text(body, "target_url"), now);
        if (added.isEmpty()) {
            return DoubleResponse.error(422, "This SHA and context has reached the maximum number of statuses.",
                    DOCS);
        }
        HostedStatuses.CommitStatus status = added.get();
        String url = host.apiUrl() + "/repos/" + repo.fullName() + "/statuses/" + sha;
        ObjectNode json = Json.object().put("url", url).put("avatar_url", (String) null).put("id", status.id())
                .put("node_id", host.nodeId("StatusContext", String.valueOf(status.id())))
                .put("state", status.state()).put("description", status.description())
                .put("target_url", status.targetUrl()).put("context", status.context())
                .put("created_at", now.toString()).put("updated_at", now.toString());
        json.set("creator", UsersApi.simpleUser(host, host.login(), 1));
        return DoubleResponse.of(201, json).withHeader("Location", url);
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
