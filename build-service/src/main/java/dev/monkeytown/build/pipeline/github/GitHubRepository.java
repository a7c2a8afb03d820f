package dev.monkeytown.build.pipeline.github;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.build.engine.RunTarget;
import dev.monkeytown.build.pipeline.BuildsFile;
import dev.monkeytown.build.pipeline.SourceRepository;
import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubApiException;
import dev.monkeytown.github.GitHubUnavailableException;

/**
 * The Monkeytown repository on GitHub (GitHub mode), read through the REST API. A branch head is a conditional read of
 * its ref (a free 304 while nobody pushes); a commit's tree, {@code builds.yaml} at a commit and how two commits relate
 * never change, so they are read once, unconditionally, and the trees kept. A workflow is dispatched on the build's
 * branch and gets the commit as its {@code sha} input ({@link RunTarget#BRANCH}).
 */
public final class GitHubRepository implements SourceRepository {

    /** Trees of commits already read; a commit's tree never changes. Bounded by dropping everything when full. */
    private static final int MAX_TREES = 4096;

    private final GitHubAccess access;
    private final String repositoryPath;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> trees = new ConcurrentHashMap<>();

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
        if (sha.isEmpty()) {
            throw new IOException("GitHub answered the ref of " + branch + " without a commit");
        }
        return Optional.of(new Commit(sha, tree(sha)));
    }

    /** The commit's tree id, read once per commit. */
    @Override
    public String tree(String sha) throws IOException {
        String known = trees.get(sha);
        if (known != null) {
            return known;
        }
        return readTree(sha);
    }

    /**
     * Reads the commit itself, never from what was kept: a 404 means GitHub does not know the commit (yet: a replica
     * answering a moment after the push), and throws, so that the caller tries again later.
     */
    private String readTree(String sha) throws IOException {
        String tree = read(repositoryPath + "/git/commits/" + sha, true)
                .map(commit -> commit.path("tree").path("sha").asText(""))
                .filter(t -> !t.isEmpty())
                .orElseThrow(() -> new IOException("GitHub does not know commit " + sha + " (yet)"));
        if (trees.size() >= MAX_TREES) {
            trees.clear();
        }
        trees.put(sha, tree);
        return tree;
    }

    @Override
    public String buildsYaml(String sha) throws IOException {
        String path = repositoryPath + "/contents/" + BuildsFile.PATH + "?ref="
                + URLEncoder.encode(sha, StandardCharsets.UTF_8);
        Optional<JsonNode> file = read(path, true);
        if (file.isEmpty()) {
            // GitHub answers 404 both for a commit without the file and for a commit its replica does not know yet
            // (right after the push): taking the second for "no pipelines" would keep them empty until the next push
            readTree(sha);
            return "";
        }
        return new String(Base64.getMimeDecoder().decode(file.get().path("content").asText("")),
                StandardCharsets.UTF_8);
    }

    /**
     * One compare read ({@code GET compare/<recorded>...<candidate>}): the candidate is later when it is ahead of, or
     * has diverged from (a force push), the recorded head. GitHub answers 404 when a replica does not know one of the
     * commits yet (a push a moment ago) as well as when they share no history: only once both commits read does the
     * 404 mean unrelated histories (later); otherwise this throws, and the push is decided again later (the next poll,
     * a redelivered webhook), never taken for later (or earlier) on a replica's word.
     */
    @Override
    public boolean isLater(String recorded, String candidate) throws IOException {
        if (recorded.equals(candidate)) {
            return false;
        }
        Optional<JsonNode> comparison = read(repositoryPath + "/compare/" + recorded + "..." + candidate, true);
        if (comparison.isEmpty()) {
            readTree(recorded);
            readTree(candidate);
            return true;
        }
        String status = comparison.get().path("status").asText("");
        return status.equals("ahead") || status.equals("diverged");
    }

    @Override
    public RunTarget runTarget() {
        return RunTarget.BRANCH;
    }

    private Optional<JsonNode> read(String path, boolean immutable) throws IOException {
        ApiResponse response;
        try {
            response = immutable ? access.getImmutable(path) : access.get(path);
        } catch (GitHubUnavailableException e) {
            throw new IOException("GitHub unreachable reading " + path + ": " + e.getMessage(), e);
        }
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (!response.isSuccess()) {
            throw new GitHubApiException(response.status(), "GitHub answered " + response.status() + " reading "
                    + path);
        }
        return Optional.of(json.readTree(response.body()));
    }
}
