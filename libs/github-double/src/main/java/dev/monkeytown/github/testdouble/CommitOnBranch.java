package dev.monkeytown.github.testdouble;

import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.monkeytown.github.testdouble.GitObjects.Commit;
import dev.monkeytown.github.testdouble.GitObjects.Person;
import dev.monkeytown.github.testdouble.GraphQlNodes.ObjectNode;
import dev.monkeytown.github.testdouble.GraphQlNodes.RefNode;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;

/**
 * The {@code createCommitOnBranch} mutation: the one request that writes a whole state commit. The branch moves by
 * compare-and-swap on {@code expectedHeadOid} against the primary (never a lagging replica); refusals come back in
 * GitHub's shapes (STALE_DATA, NOT_FOUND, UNPROCESSABLE) with {@code createCommitOnBranch: null}.
 */
final class CommitOnBranch {

    private final GitHubDouble host;

    CommitOnBranch(GitHubDouble host) {
        this.host = host;
    }

    void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Mutation", t -> t.dataFetcher("createCommitOnBranch", this::commit));
    }

    private Object commit(DataFetchingEnvironment env) {
        JsonNode input = Json.MAPPER.valueToTree(env.getArgument("input"));
        JsonNode branch = input.get("branch");
        String[] nameWithOwner = branch.path("repositoryNameWithOwner").asText("").split("/");
        if (nameWithOwner.length != 2 || !branch.hasNonNull("branchName")) {
            host.violation("createCommitOnBranch: the double needs branch.repositoryNameWithOwner and branchName");
            return GitHubGraphQlError.failure(env, "NOT_FOUND", "Could not resolve to a Ref");
        }
        Optional<HostedRepository> found = host.existing(nameWithOwner[0], nameWithOwner[1]);
        if (found.isEmpty()) {
            return GitHubGraphQlError.failure(env, "NOT_FOUND", "Could not resolve to a Repository with the name '"
                    + branch.get("repositoryNameWithOwner").asText() + "'.");
        }
        HostedRepository repo = found.get();
        String branchName = branch.get("branchName").asText();
        String ref = branchName.startsWith("refs/heads/") ? branchName : "refs/heads/" + branchName;
        String expected = input.get("expectedHeadOid").asText();
        Optional<String> head = repo.ref(ref);
        if (head.isEmpty()) {
            return GitHubGraphQlError.failure(env, "NOT_FOUND", "A ref named \"" + ref + "\" does not exist.");
        }
        if (!head.get().equals(expected)) {
            return stale(env, expected);
        }
        Commit parent = repo.objects().find(expected, Commit.class).orElseThrow();
        Map<String, String> files = new TreeMap<>(repo.objects().flatten(parent.tree()));
        JsonNode changes = input.path("fileChanges");
        Set<String> touched = new HashSet<>();
        for (JsonNode deletion : changes.path("deletions")) {
            String path = deletion.get("path").asText();
            if (!touched.add(path)) {
                return duplicate(env, path);
            }
            if (files.remove(path) == null) {
                return GitHubGraphQlError.failure(env, "UNPROCESSABLE", "A path was requested for deletion which "
                        + "does not exist as of commit oid `" + expected + "`");
            }
        }
        for (JsonNode addition : changes.path("additions")) {
            String path = addition.get("path").asText();
            if (!touched.add(path)) {
                return duplicate(env, path);
            }
            byte[] content = Base64.getDecoder().decode(addition.get("contents").asText());
            files.put(path, repo.objects().writeBlob(content).sha());
        }
        String tree = repo.objects().writeTree(files).sha();
        JsonNode message = input.get("message");
        String body = message.path("body").asText("");
        String text = message.get("headline").asText() + (body.isEmpty() ? "" : "\n\n" + body);
        Instant now = host.clock().now();
        // GitHub authors the commit as the token's user and commits it as GitHub itself
        Commit commit = repo.objects().writeCommit(tree, List.of(expected), host.tokenOwner(now),
                new Person("GitHub", "noreply@github.com", now.getEpochSecond()), text);
        if (!repo.moveRef(ref, expected, commit.sha())) {
            return stale(env, expected);
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("clientMutationId", input.path("clientMutationId").isTextual()
                ? input.get("clientMutationId").asText()
                : null);
        payload.put("commit", new ObjectNode(repo, commit, null));
        payload.put("ref", new RefNode(repo, ref, commit.sha()));
        return payload;
    }

    private static Object stale(DataFetchingEnvironment env, String expected) {
        return GitHubGraphQlError.failure(env, "STALE_DATA",
                "Expected branch to point to \"" + expected + "\" but it did not. Pull and try again.");
    }

    private static Object duplicate(DataFetchingEnvironment env, String path) {
        return GitHubGraphQlError.failure(env, "UNPROCESSABLE", "Duplicate path " + path + " in fileChanges");
    }
}
