package dev.monkeytown.github.testdouble;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Issues endpoints a receiver of alerts needs, as GitHub serves them: create an issue (201), list a repository's
 * issues filtered by {@code state} and {@code labels} (newest first, paged, with a {@code Link} header), get one, change
 * its state (with {@code state_reason}) and comment on it (201). Creating and commenting are content-creating writes;
 * the listing is a read with an ETag, so an unchanged listing revalidates as a free 304.
 */
final class IssuesApi implements ApiArea {

    private static final String REPO = "/repos/([^/]+)/([^/]+)";
    private static final String DOCS = "https://docs.github.com/rest/issues/";

    private final GitHubDouble host;

    IssuesApi(GitHubDouble host) {
        this.host = host;
    }

    @Override
    public void register(Routes routes) {
        routes.read("GET", REPO + "/issues", this::list)
                .write("POST", REPO + "/issues", this::create)
                .read("GET", REPO + "/issues/([0-9]+)", this::get)
                .write("PATCH", REPO + "/issues/([0-9]+)", this::update)
                .write("POST", REPO + "/issues/([0-9]+)/comments", this::comment);
    }

    private DoubleResponse inRepo(Matcher path, Function<HostedRepository, DoubleResponse> action) {
        return host.existing(path.group(1), path.group(2)).map(action).orElseGet(DoubleResponse::notFound);
    }

    private DoubleResponse list(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            String state = request.query().getOrDefault("state", "open");
            Set<String> labels = request.query().containsKey("labels")
                    ? new LinkedHashSet<>(Arrays.asList(request.query().get("labels").split(",")))
                    : Set.of();
            boolean ascending = request.query().getOrDefault("direction", "desc").equals("asc");
            Comparator<HostedIssues.Issue> order = Comparator.comparingInt(HostedIssues.Issue::number);
            List<HostedIssues.Issue> matching = repo.issues().all().stream()
                    .filter(i -> state.equals("all") || i.state().equals(state))
                    .filter(i -> i.labels().containsAll(labels))
                    .sorted(ascending ? order : order.reversed()).toList();
            int perPage = Math.min(100, Integer.parseInt(request.query().getOrDefault("per_page", "30")));
            int page = Math.max(1, Integer.parseInt(request.query().getOrDefault("page", "1")));
            ArrayNode json = Json.array();
            matching.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(i -> json.add(json(repo, i)));
            DoubleResponse response = DoubleResponse.of(200, json);
            if ((long) page * perPage < matching.size()) {
                String next = host.apiUrl() + "/repositories/" + repo.id() + "/issues?state=" + state
                        + (labels.isEmpty() ? "" : "&labels=" + String.join(",", labels)) + "&per_page=" + perPage
                        + "&page=" + (page + 1);
                response.withHeader("Link", "<" + next + ">; rel=\"next\"");
            }
            return response;
        });
    }

    private DoubleResponse create(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            JsonNode body = request.json();
            Set<String> labels = new LinkedHashSet<>();
            body.path("labels").forEach(l -> labels.add(l.isTextual() ? l.asText() : l.path("name").asText()));
            HostedIssues.Issue issue = repo.issues().create(body.get("title").asText(), body.path("body").asText(null),
                    labels);
            return DoubleResponse.of(201, json(repo, issue))
                    .withHeader("Location", host.apiUrl() + "/repos/" + repo.fullName() + "/issues/" + issue.number());
        });
    }

    private DoubleResponse get(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> repo.issues().issue(Integer.parseInt(path.group(3)))
                .map(issue -> DoubleResponse.of(200, json(repo, issue)))
                .orElseGet(() -> DoubleResponse.error(404, "Not Found", DOCS + "issues#get-an-issue")));
    }

    private DoubleResponse update(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            int number = Integer.parseInt(path.group(3));
            if (repo.issues().issue(number).isEmpty()) {
                return DoubleResponse.error(404, "Not Found", DOCS + "issues#update-an-issue");
            }
            JsonNode body = request.json();
            HostedIssues.Issue issue = repo.issues().issue(number).get();
            if (body.hasNonNull("state")) {
                String state = body.get("state").asText();
                String reason = body.hasNonNull("state_reason")
                        ? body.get("state_reason").asText()
                        : state.equals("closed") ? "completed" : issue.open() ? null : "reopened";
                issue = repo.issues().changeState(number, state, reason);
            }
            return DoubleResponse.of(200, json(repo, issue));
        });
    }

    private DoubleResponse comment(DoubleRequest request, Matcher path) {
        return inRepo(path, repo -> {
            int number = Integer.parseInt(path.group(3));
            if (repo.issues().issue(number).isEmpty()) {
                return DoubleResponse.error(404, "Not Found", DOCS + "comments#create-an-issue-comment");
            }
            HostedIssues.Comment comment = repo.issues().comment(number, request.json().get("body").asText());
            String issueUrl = host.apiUrl() + "/repos/" + repo.fullName() + "/issues/" + number;
            ObjectNode json = Json.object().put("id", comment.id())
                    .put("node_id", host.nodeId("IssueComment", String.valueOf(comment.id())))
                    .put("url", host.apiUrl() + "/repos/" + repo.fullName() + "/issues/comments/" + comment.id())
                    .put("html_url", "https://github.com/" + repo.fullName() + "/issues/" + number + "#issuecomment-"
                            + comment.id())
                    .put("body", comment.body()).put("issue_url", issueUrl)
                    .put("created_at", comment.createdAt().toString()).put("updated_at", comment.createdAt().toString())
                    .put("author_association", "MEMBER");
            json.set("user", UsersApi.simpleUser(host, host.login(), 1));
            return DoubleResponse.of(201, json);
        });
    }

    private ObjectNode json(HostedRepository repo, HostedIssues.Issue issue) {
        String url = host.apiUrl() + "/repos/" + repo.fullName() + "/issues/" + issue.number();
        ObjectNode json = Json.object().put("id", issue.id()).put("node_id", host.nodeId("Issue", String.valueOf(
                issue.id()))).put("url", url).put("repository_url", host.apiUrl() + "/repos/" + repo.fullName())
                .put("labels_url", url + "/labels{/name}").put("comments_url", url + "/comments")
                .put("events_url", url + "/events")
                .put("html_url", "https://github.com/" + repo.fullName() + "/issues/" + issue.number())
                .put("number", issue.number()).put("state", issue.state()).put("state_reason", issue.stateReason())
                .put("title", issue.title()).put("body", issue.body()).put("locked", false).putNull("assignee")
                .putNull("milestone").put("comments", issue.comments().size())
                .put("created_at", issue.createdAt().toString()).put("updated_at", issue.updatedAt().toString())
                .put("closed_at", issue.closedAt() == null ? null : issue.closedAt().toString())
                .put("author_association", "MEMBER");
        json.set("user", UsersApi.simpleUser(host, host.login(), 1));
        json.putArray("assignees");
        ArrayNode labels = json.putArray("labels");
        issue.labels().forEach(name -> labels.add(Json.object().put("id", Math.abs((long) name.hashCode()))
                .put("node_id", host.nodeId("Label", name)).put("url", host.apiUrl() + "/repos/" + repo.fullName()
                        + "/labels/" + name)
                .put("name", name).put("color", "ededed").put("default", false)
                .putNull("description")));
        return json;
    }
}
