package dev.monkeytown.github.testdouble;

import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.monkeytown.github.testdouble.GitObjects.Commit;
import dev.monkeytown.github.testdouble.GitObjects.Person;

/**
 * {@code POST /graphql}, serving the {@code createCommitOnBranch} mutation: the one request that writes a whole state
 * commit. Variables are validated against GitHub's vendored input types; errors come back in GitHub's shapes (HTTP 200
 * with {@code errors}, type {@code STALE_DATA} when {@code expectedHeadOid} is not the head).
 */
final class GraphQlApi implements ApiArea {

    private static final Pattern COMMIT_ON_BRANCH = Pattern.compile(
            "(?s)\\s*mutation\\s*\\w*\\s*\\(\\s*\\$(\\w+)\\s*:\\s*CreateCommitOnBranchInput!\\s*\\)\\s*\\{\\s*"
                    + "createCommitOnBranch\\s*\\(\\s*input\\s*:\\s*\\$(\\w+)\\s*\\)\\s*\\{.*");

    private final GitHubDouble host;
    private final GraphQlInputSchema schema = new GraphQlInputSchema("/github/create-commit-on-branch.graphql");

    GraphQlApi(GitHubDouble host) {
        this.host = host;
    }

    @Override
    public void register(Routes routes) {
        routes.route("POST", "/graphql", r -> r.json() != null && r.json().path("query").asText().strip()
                .startsWith("mutation"), this::execute);
    }

    private DoubleResponse execute(DoubleRequest request, Matcher unused) {
        String query = request.json() == null ? "" : request.json().path("query").asText();
        Matcher mutation = COMMIT_ON_BRANCH.matcher(query);
        if (!mutation.matches() || !mutation.group(1).equals(mutation.group(2))) {
            host.violation("GraphQL operation not served by the double (use createCommitOnBranch(input: $var)): "
                    + query.strip().lines().findFirst().orElse(""));
            return errors(error(null, "Parse error or unsupported operation in the double"));
        }
        JsonNode input = request.json().path("variables").path(mutation.group(1));
        List<GraphQlInputSchema.Problem> problems = schema.validate("CreateCommitOnBranchInput",
                input.isMissingNode() ? Json.MAPPER.nullNode() : input);
        if (input.isMissingNode() || input.isNull()) {
            problems = List.of(new GraphQlInputSchema.Problem(List.of(), "Expected value to not be null"));
        }
        if (!problems.isEmpty()) {
            GraphQlInputSchema.Problem first = problems.get(0);
            String message = "Variable $" + mutation.group(1) + " of type CreateCommitOnBranchInput! was provided "
                    + "invalid value" + (first.path().isEmpty() ? "" : " for " + String.join(".", first.path()))
                    + " (" + first.explanation() + ")";
            problems.forEach(p -> host.violation("createCommitOnBranch input " + p.path() + ": " + p.explanation()));
            ObjectNode extensions = Json.object();
            extensions.set("value", input);
            ArrayNode list = extensions.putArray("problems");
            problems.forEach(p -> {
                ObjectNode problem = list.addObject();
                p.path().forEach(problem.putArray("path")::add);
                problem.put("explanation", p.explanation());
            });
            ObjectNode error = error(null, message);
            error.set("extensions", extensions);
            return errors(error);
        }
        return commitOnBranch(input);
    }

    private DoubleResponse commitOnBranch(JsonNode input) {
        JsonNode branch = input.get("branch");
        String[] nameWithOwner = branch.path("repositoryNameWithOwner").asText("").split("/");
        if (nameWithOwner.length != 2 || !branch.hasNonNull("branchName")) {
            host.violation("createCommitOnBranch: the double needs branch.repositoryNameWithOwner and branchName");
            return errors(error("NOT_FOUND", "Could not resolve to a Ref"));
        }
        Optional<HostedRepository> found = host.existing(nameWithOwner[0], nameWithOwner[1]);
        if (found.isEmpty()) {
            return errors(error("NOT_FOUND", "Could not resolve to a Repository with the name '"
                    + branch.get("repositoryNameWithOwner").asText() + "'."));
        }
        HostedRepository repo = found.get();
        String branchName = branch.get("branchName").asText();
        String ref = branchName.startsWith("refs/heads/") ? branchName : "refs/heads/" + branchName;
        String expected = input.get("expectedHeadOid").asText();
        Optional<String> head = repo.ref(ref);
        if (head.isEmpty()) {
            return errors(error("NOT_FOUND", "A ref named \"" + ref + "\" does not exist."));
        }
        if (!head.get().equals(expected)) {
            return stale(expected);
        }
        Commit parent = repo.objects().find(expected, Commit.class).orElseThrow();
        Map<String, String> files = new TreeMap<>(repo.objects().flatten(parent.tree()));
        JsonNode changes = input.path("fileChanges");
        Set<String> touched = new HashSet<>();
        for (JsonNode deletion : changes.path("deletions")) {
            String path = deletion.get("path").asText();
            if (!touched.add(path)) {
                return errors(error("UNPROCESSABLE", "Duplicate path " + path + " in fileChanges"));
            }
            if (files.remove(path) == null) {
                return errors(error("UNPROCESSABLE", "A path was requested for deletion which does not exist as of "
                        + "commit oid `" + expected + "`"));
            }
        }
        for (JsonNode addition : changes.path("additions")) {
            String path = addition.get("path").asText();
            if (!touched.add(path)) {
                return errors(error("UNPROCESSABLE", "Duplicate path " + path + " in fileChanges"));
            }
            byte[] content = Base64.getDecoder().decode(addition.get("contents").asText());
            files.put(path, repo.objects().writeBlob(content).sha());
        }
        String tree = repo.objects().writeTree(files).sha();
        JsonNode message = input.get("message");
        String text = message.get("headline").asText()
                + (message.hasNonNull("body") && !message.get("body").asText().isEmpty()
                        ? "\n\n" + message.get("body").asText()
                        : "");
        Instant now = Instant.now();
        // GitHub authors the commit as the token's user and commits it as GitHub itself
        Commit commit = repo.objects().writeCommit(tree, List.of(expected), host.tokenOwner(now),
                new Person("GitHub", "noreply@github.com", now.getEpochSecond()), text);
        if (!repo.moveRef(ref, expected, commit.sha())) {
            return stale(expected);
        }
        ObjectNode data = Json.object();
        ObjectNode payload = data.putObject("data").putObject("createCommitOnBranch");
        ObjectNode commitJson = payload.putObject("commit").put("oid", commit.sha())
                .put("url", "https://github.com/" + repo.fullName() + "/commit/" + commit.sha());
        commitJson.putObject("tree").put("oid", tree);
        payload.putObject("ref").put("name", ref.substring("refs/heads/".length())).putObject("target").put("oid",
                commit.sha());
        if (input.hasNonNull("clientMutationId")) {
            payload.put("clientMutationId", input.get("clientMutationId").asText());
        }
        return DoubleResponse.of(200, data);
    }

    private DoubleResponse stale(String expected) {
        return errors(error("STALE_DATA",
                "Expected branch to point to \"" + expected + "\" but it did not. Pull and try again."));
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode error = Json.object();
        if (type != null) {
            error.put("type", type);
            error.putArray("path").add("createCommitOnBranch");
        }
        error.putArray("locations").addObject().put("line", 2).put("column", 3);
        error.put("message", message);
        return error;
    }

    private static DoubleResponse errors(ObjectNode error) {
        ObjectNode body = Json.object();
        if (error.has("type")) {
            body.putObject("data").putNull("createCommitOnBranch");
        }
        body.putArray("errors").add(error);
        return DoubleResponse.of(200, body);
    }
}
