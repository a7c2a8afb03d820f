package dev.monkeytown.deploy.gitops;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubUnavailableException;

/**
 * The Monkeytown repository on GitHub (GitHub mode). Heads are conditional reads of {@code git/ref/heads/<branch>}
 * (free 304s while nobody pushes), commits immutable reads kept here, files the contents API at a commit id (so a push
 * between two reads cannot mix versions). A commit on an environment branch goes through the Git Data API: {@code POST
 * git/commits} with the deployed tree and the branch head as parent, then {@code PATCH git/refs/heads/<branch>} with
 * {@code force: false} — GitHub refuses (422) a move that is not a fast forward, which is how a branch someone else
 * moved meanwhile is noticed: the caller reads the head again and commits on top of it. A new branch is {@code POST
 * git/refs}, refused (422) when someone created it first.
 */
public final class GitHubRepository implements SourceRepository {

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final int KEPT_COMMITS = 512;

    private final GitHubAccess access;
    private final String repositoryPath;
    private final ObjectMapper json = new ObjectMapper();
    /** Commits never change: each is read once. */
    private final Map<String, Commit> commits = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Commit> eldest) {
            return size() > KEPT_COMMITS;
        }
    });

    /** @param repository {@code owner/name} */
    public GitHubRepository(GitHubAccess access, String repository) {
        this.access = Objects.requireNonNull(access, "access");
        this.repositoryPath = "/repos/" + Objects.requireNonNull(repository, "repository");
    }

    @Override
    public Optional<Commit> head(String branch) throws IOException {
        Optional<JsonNode> ref = read(repositoryPath + "/git/ref/heads/" + branch, false);
        if (ref.isEmpty()) {
            return Optional.empty();
        }
        String sha = ref.get().path("object").path("sha").asText("");
        Optional<Commit> commit = commit(sha);
        if (commit.isEmpty()) {
            throw new IOException("GitHub names " + sha + " as the head of " + branch + " but has no such commit");
        }
        return commit;
    }

    @Override
    public Optional<Commit> commit(String sha) throws IOException {
        if (sha == null || !SHA.matcher(sha).matches()) {
            return Optional.empty();
        }
        Commit known = commits.get(sha);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<JsonNode> read = read(repositoryPath + "/git/commits/" + sha, true);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Commit commit = parse(read.get());
        commits.put(commit.sha(), commit);
        return Optional.of(commit);
    }

    @Override
    public String file(String sha, String path) throws IOException {
        Optional<JsonNode> file = read(repositoryPath + "/contents/" + path + "?ref="
                + URLEncoder.encode(sha, StandardCharsets.UTF_8), false);
        if (file.isEmpty() || !file.get().isObject() || !"file".equals(file.get().path("type").asText())) {
            return "";
        }
        return new String(Base64.getMimeDecoder().decode(file.get().path("content").asText("")),
                StandardCharsets.UTF_8);
    }

    @Override
    public Optional<Commit> commitOnto(String branch, Optional<String> expectedHead, String tree, String message,
            Person author, Person committer) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("tree", tree);
        body.put("parents", expectedHead.map(List::of).orElse(List.of()));
        body.put("author", Map.of("name", author.name(), "email", author.email()));
        body.put("committer", Map.of("name", committer.name(), "email", committer.email()));
        ApiResponse created = write("POST", repositoryPath + "/git/commits", body);
        if (created.status() != 201) {
            throw failure("create a commit of tree " + tree + " for " + branch, created);
        }
        Commit commit = parse(json.readTree(created.body()));
        commits.put(commit.sha(), commit);
        ApiResponse moved = expectedHead.isPresent()
                ? write("PATCH", repositoryPath + "/git/refs/heads/" + branch,
                        Map.of("sha", commit.sha(), "force", false))
                : write("POST", repositoryPath + "/git/refs", Map.of("ref", "refs/heads/" + branch, "sha",
                        commit.sha()));
        if (moved.isSuccess()) {
            return Optional.of(commit);
        }
        if (moved.status() == 422) {
            // "Update is not a fast forward" / "Reference already exists" / "Reference does not exist": someone else
            // moved, made or removed the branch since it was read; the commit made above stays unreferenced
            return Optional.empty();
        }
        throw failure("move " + branch + " to " + commit.sha(), moved);
    }

    private Commit parse(JsonNode commit) {
        return new Commit(commit.path("sha").asText(), commit.path("tree").path("sha").asText(),
                commit.path("message").asText(""));
    }

    /** The JSON at {@code path}; empty on 404 (and on 422, GitHub's answer to a malformed commit id). */
    private Optional<JsonNode> read(String path, boolean immutable) throws IOException {
        ApiResponse response;
        try {
            response = immutable ? access.getImmutable(path) : access.get(path);
        } catch (GitHubUnavailableException e) {
            throw new IOException("GitHub unreachable reading " + path + ": " + e.getMessage(), e);
        }
        if (response.status() == 404 || response.status() == 422) {
            return Optional.empty();
        }
        if (!response.isSuccess()) {
            throw failure("read " + path, response);
        }
        return Optional.of(json.readTree(response.body()));
    }

    private ApiResponse write(String method, String path, Object body) throws IOException {
        try {
            return access.send(method, path, json.writeValueAsBytes(body));
        } catch (GitHubUnavailableException e) {
            throw new IOException("GitHub unreachable: " + method + " " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * A 4xx (rate limits never reach here: the client waits them out, and past its bound says unavailable) is GitHub
     * refusing; a 5xx is no answer at all — GitHub may have applied a write it answered 502 — so the caller must read
     * back later rather than give up.
     */
    private static IOException failure(String what, ApiResponse response) {
        String text = response.text();
        String brief = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        if (response.status() >= 400 && response.status() < 500) {
            return new RefusedException("GitHub refused to " + what + " (HTTP " + response.status() + "): " + brief);
        }
        return new IOException("GitHub answered HTTP " + response.status() + " to " + what
                + "; whether it took effect is unknown: " + brief);
    }
}
