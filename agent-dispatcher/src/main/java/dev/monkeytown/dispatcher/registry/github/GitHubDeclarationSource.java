package dev.monkeytown.dispatcher.registry.github;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.dispatcher.registry.DeclarationSource;
import dev.monkeytown.dispatcher.registry.Declarations;
import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubApiException;
import dev.monkeytown.github.GitHubUnavailableException;

/**
 * Agent declarations read from a branch of the repository through the GitHub API. Polling {@link #revision()} is a
 * conditional read of the branch's ref, free (304) while nobody pushes; the files are read only at a new revision and
 * at that commit id, so a push between the two reads cannot mix two versions.
 */
public final class GitHubDeclarationSource implements DeclarationSource {

    private static final String AGENTS_FILE = ".monkeytown/agents.yaml";
    private static final String WORKFLOWS = ".github/workflows";
    /** GitHub's compare API lists at most this many files. */
    private static final int GITHUB_FILE_LIST_LIMIT = 300;

    private final GitHubAccess access;
    private final String repositoryPath;
    private final String branch;
    private final ObjectMapper json = new ObjectMapper();

    /** @param repository {@code owner/name} */
    public GitHubDeclarationSource(GitHubAccess access, String repository, String branch) {
        this.access = Objects.requireNonNull(access, "access");
        this.repositoryPath = "/repos/" + Objects.requireNonNull(repository, "repository");
        this.branch = Objects.requireNonNull(branch, "branch");
    }

    @Override
    public Optional<String> revision() throws IOException {
        return fetch(repositoryPath + "/git/ref/heads/" + branch).map(ref -> ref.path("object").path("sha").asText());
    }

    @Override
    public Declarations read(String revision) throws IOException {
        String at = "?ref=" + URLEncoder.encode(revision, StandardCharsets.UTF_8);
        String agentsYaml = fetch(repositoryPath + "/contents/" + AGENTS_FILE + at)
                .map(file -> new String(Base64.getMimeDecoder().decode(file.path("content").asText("")),
                        StandardCharsets.UTF_8))
                .orElse("");
        List<String> workflowFiles = new ArrayList<>();
        fetch(repositoryPath + "/contents/" + WORKFLOWS + at).ifPresent(listing -> listing.forEach(entry -> {
            if (entry.path("type").asText().equals("file")) {
                workflowFiles.add(entry.path("name").asText());
            }
        }));
        return new Declarations(revision, agentsYaml, workflowFiles);
    }

    /**
     * The paths that differ between two commits, from GitHub's compare API (one counted read; two commit ids make the
     * answer immutable). GitHub lists at most 300 files: a full page means the list may be cut, so the answer is then
     * "cannot tell" and every on-change agent gets a run rather than a change going unseen.
     */
    @Override
    public Optional<List<String>> changedPaths(String fromRevision, String toRevision) throws IOException {
        Optional<JsonNode> comparison = fetch(repositoryPath + "/compare/" + fromRevision + "..." + toRevision);
        if (comparison.isEmpty()) {
            // a commit GitHub does not know (a rewritten default branch): the changes cannot be told apart
            return Optional.empty();
        }
        JsonNode files = comparison.get().path("files");
        if (files.size() >= GITHUB_FILE_LIST_LIMIT) {
            return Optional.empty();
        }
        TreeSet<String> paths = new TreeSet<>();
        for (JsonNode file : files) {
            paths.add(file.path("filename").asText());
            if (file.hasNonNull("previous_filename")) {
                paths.add(file.path("previous_filename").asText());
            }
        }
        return Optional.of(List.copyOf(paths));
    }

    /** The JSON at {@code path}, empty on 404. */
    private Optional<JsonNode> fetch(String path) throws IOException {
        ApiResponse response;
        try {
            response = access.get(path);
        } catch (GitHubUnavailableException e) {
            throw new IOException("GitHub unreachable reading " + path + ": " + e.getMessage(), e);
        }
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (!response.isSuccess()) {
            throw new GitHubApiException(response.status(),
                    "GitHub answered " + response.status() + " reading " + path);
        }
        return Optional.of(json.readTree(response.body()));
    }
}
