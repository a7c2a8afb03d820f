package dev.monkeytown.state.github;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHTree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.monkeytown.github.ApiResponse;
import dev.monkeytown.github.GitHubAccess;
import dev.monkeytown.github.GitHubApiException;
import dev.monkeytown.github.GitHubUnavailableException;
import dev.monkeytown.github.GraphQlResult;
import dev.monkeytown.github.RequestKind;
import dev.monkeytown.state.spi.BackendException;
import dev.monkeytown.state.spi.BranchBackend;
import dev.monkeytown.state.spi.CommitMetadata;
import dev.monkeytown.state.spi.CommitTrailers;
import dev.monkeytown.state.spi.HeadMovedException;
import dev.monkeytown.state.spi.History;

/**
 * A state branch on GitHub. Costs, which are the point of this class:
 * <ul>
 * <li>{@link #readHead()}: a conditional GET of the ref; 304 (free) while nobody wrote.</li>
 * <li>{@link #readTree}, {@link #readBlob}: one GET each the first time, then from memory (Git objects never change);
 * the tree and blobs of our own commits are known without asking, since their ids are computed locally.</li>
 * <li>{@link #commit}: ONE GraphQL {@code createCommitOnBranch} with {@code expectedHeadOid}, whatever the number of
 * files; GitHub moves the branch only if the head is still the expected one (compare-and-swap).</li>
 * <li>creating the branch: tree + root commit + ref through the Git Data API, once in the branch's life.</li>
 * </ul>
 * A commit whose answer is lost (timeout, 5xx) is settled by reading back ({@link LostWriteSettlement}) before the
 * engine hears anything, since the engine re-applies changes after a failure.
 * <p>
 * {@code createCommitOnBranch} cannot set the author: GitHub authors such commits as the token's user. The actor who
 * asked is kept as a {@code Co-authored-by} trailer, which GitHub shows on the commit, so the history stays the audit
 * trail.
 */
public final class GitHubBranchBackend implements BranchBackend {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMIT_ON_BRANCH = """
            mutation CommitState($input: CreateCommitOnBranchInput!) {
              createCommitOnBranch(input: $input) {
                commit { oid }
              }
            }""";

    private final GitHubAccess github;
    private final String repository;
    private final String branch;
    private final BoundedCache<String, Map<String, String>> trees = new BoundedCache<>(8, t -> 1);
    private final BoundedCache<String, byte[]> blobs = new BoundedCache<>(16L * 1024 * 1024, b -> b.length + 64L);
    private final LostWriteSettlement settlement;
    private volatile GHRepository hub4jRepository;

    /**
     * @param repository {@code owner/name} of the Monkeytown repository
     * @param service the service owning branch {@code monkeytown/state/<service>}
     */
    public GitHubBranchBackend(GitHubAccess github, String repository, String service) {
        this.github = github;
        this.repository = repository;
        this.branch = "monkeytown/state/" + service;
        this.settlement = new LostWriteSettlement(github, repository);
    }

    @Override
    public String ref() {
        return "refs/heads/" + branch;
    }

    @Override
    public Optional<String> impairment() {
        return github.impairment();
    }

    @Override
    public Optional<String> readHead() throws BackendException {
        ApiResponse response = GitHubCalls.call("read head of " + branch,
                () -> github.get("/repos/" + repository + "/git/ref/heads/" + branch));
        // 404: no such branch yet; 409: the repository has no commits at all
        if (response.status() == 404 || response.status() == 409) {
            return Optional.empty();
        }
        if (response.status() != 200) {
            throw new BackendException("reading " + ref() + " failed: HTTP " + response.status(), null,
                    response.status() >= 500);
        }
        try {
            return Optional.of(JSON.readTree(response.body()).path("object").path("sha").asText());
        } catch (IOException e) {
            throw new BackendException("unreadable ref response for " + ref(), e, false);
        }
    }

    @Override
    public Map<String, String> readTree(String commitId) throws BackendException {
        Optional<Map<String, String>> known = trees.get(commitId);
        if (known.isPresent()) {
            return known.get();
        }
        GHTree tree = GitHubCalls.call("read tree of " + commitId, () -> repository().getTreeRecursive(commitId, 1));
        if (tree.isTruncated()) {
            throw new BackendException("tree of " + commitId + " is too large for one recursive read", null, false);
        }
        Map<String, String> files = new TreeMap<>();
        tree.getTree().stream().filter(e -> e.getType().equals("blob")).forEach(e -> files.put(e.getPath(), e.getSha()));
        trees.put(commitId, Map.copyOf(files));
        return Map.copyOf(files);
    }

    @Override
    public byte[] readBlob(String blobId) throws BackendException {
        Optional<byte[]> known = blobs.get(blobId);
        if (known.isPresent()) {
            return known.get().clone();
        }
        byte[] content = GitHubCalls.call("read blob " + blobId, () -> {
            try (InputStream in = repository().getBlob(blobId).read()) {
                return in.readAllBytes();
            }
        });
        blobs.put(blobId, content);
        return content.clone();
    }

    @Override
    public History history(String head, Optional<String> base, int limit) throws BackendException {
        List<History.Commit> walked = new ArrayList<>();
        String sha = head;
        while (sha != null && !Optional.of(sha).equals(base)) {
            if (walked.size() == limit) {
                return new History(walked, false);
            }
            String id = sha;
            ApiResponse response = GitHubCalls.call("read commit " + id,
                    () -> github.get("/repos/" + repository + "/git/commits/" + id));
            if (response.status() != 200) {
                throw new BackendException("reading commit " + id + " failed: HTTP " + response.status(), null,
                        response.status() >= 500);
            }
            try {
                JsonNode commit = JSON.readTree(response.body());
                walked.add(new History.Commit(id, commit.path("message").asText()));
                JsonNode parents = commit.path("parents");
                sha = parents.isEmpty() ? null : parents.get(0).path("sha").asText();
            } catch (IOException e) {
                throw new BackendException("unreadable commit " + id, e, false);
            }
        }
        return new History(walked, base.isEmpty() || sha != null);
    }

    @Override
    public String commit(Optional<String> expectedHead, Map<String, byte[]> puts, Set<String> deletes,
            CommitMetadata metadata) throws HeadMovedException, BackendException {
        if (expectedHead.isEmpty()) {
            return createBranch(puts, metadata);
        }
        String parent = expectedHead.get();
        // the engine has read the parent's tree already, so this is normally free; without deletions it is not needed
        Optional<Map<String, String>> parentFiles = deletes.isEmpty()
                ? trees.get(parent)
                : Optional.of(readTree(parent));
        // GitHub refuses to delete a path that does not exist; the SPI says absent paths are ignored
        List<String> deletions = deletes.stream().filter(p -> parentFiles.orElseThrow().containsKey(p))
                .filter(p -> !puts.containsKey(p)).sorted().toList();
        List<Map<String, String>> additions = new ArrayList<>();
        new TreeMap<>(puts).forEach((path, content) -> additions
                .add(Map.of("path", path, "contents", Base64.getEncoder().encodeToString(content))));
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("branch", Map.of("repositoryNameWithOwner", repository, "branchName", branch));
        input.put("expectedHeadOid", parent);
        input.put("message", message(metadata));
        input.put("fileChanges", Map.of("additions", additions,
                "deletions", deletions.stream().map(p -> Map.of("path", p)).toList()));

        GraphQlResult result;
        try {
            result = github.graphql(COMMIT_ON_BRANCH, Map.of("input", input), RequestKind.WRITE);
        } catch (GitHubUnavailableException e) {
            if (!e.mayHaveReachedGitHub()) {
                throw new BackendException("commit to " + branch + ": " + e.getMessage(), e, true);
            }
            return settleLostCommit(parent, parentFiles, puts, deletions, e);
        } catch (GitHubApiException e) {
            if (e.status() >= 500) {
                return settleLostCommit(parent, parentFiles, puts, deletions, e);
            }
            throw new BackendException("commit to " + branch + ": " + e.getMessage(), e, false);
        } catch (IOException e) {
            return settleLostCommit(parent, parentFiles, puts, deletions, e);
        }
        if (result.error("STALE_DATA").isPresent() || result.error("NOT_FOUND").isPresent()) {
            throw new HeadMovedException(branch + " is no longer at " + parent + ": " + result.errorMessages());
        }
        if (result.hasErrors()) {
            throw new BackendException("GitHub refused the commit to " + branch + ": " + result.errorMessages(), null,
                    false);
        }
        JsonNode oid = result.data().path("createCommitOnBranch").path("commit").path("oid");
        if (!oid.isTextual()) {
            throw new BackendException("GitHub answered the commit to " + branch + " without a commit id", null,
                    false);
        }
        parentFiles.ifPresent(files -> remember(oid.asText(), files, puts, deletions));
        return oid.asText();
    }

    /** The commit's answer was lost: find out whether it landed before telling the engine anything. */
    private String settleLostCommit(String parent, Optional<Map<String, String>> knownParentFiles,
            Map<String, byte[]> puts, List<String> deletions, Exception lost)
            throws HeadMovedException, BackendException {
        Map<String, String> parentFiles;
        try {
            parentFiles = knownParentFiles.isPresent() ? knownParentFiles.get() : readTree(parent);
        } catch (BackendException e) {
            throw new BackendException("the commit to " + branch + " may or may not have landed: " + e.getMessage(),
                    lost, false);
        }
        Map<String, String> ours = new HashMap<>(parentFiles);
        deletions.forEach(ours::remove);
        puts.forEach((path, content) -> ours.put(path, GitObjectId.blob(content)));
        String commit = settlement.settle(branch, parent, GitObjectId.tree(ours),
                github.options().unavailableAfter().multipliedBy(3), lost);
        remember(commit, parentFiles, puts, deletions);
        return commit;
    }

    /** Our own commit's files, known without a read: the parent's, plus what we put, minus what we deleted. */
    private void remember(String commitId, Map<String, String> parentFiles, Map<String, byte[]> puts,
            List<String> deletions) {
        Map<String, String> files = new HashMap<>(parentFiles);
        deletions.forEach(files::remove);
        puts.forEach((path, content) -> {
            String blobId = GitObjectId.blob(content);
            files.put(path, blobId);
            blobs.put(blobId, content.clone());
        });
        trees.put(commitId, Map.copyOf(files));
    }

    private String createBranch(Map<String, byte[]> puts, CommitMetadata metadata)
            throws HeadMovedException, BackendException {
        GHRepository repo = GitHubCalls.call("open " + repository, this::repository);
        String commit = new RootCommit(repo, this).write(puts, metadata);
        Map<String, String> files = new HashMap<>();
        puts.forEach((path, content) -> {
            files.put(path, GitObjectId.blob(content));
            blobs.put(GitObjectId.blob(content), content.clone());
        });
        trees.put(commit, Map.copyOf(files));
        return commit;
    }

    /** GraphQL takes headline and body apart; the actor, who cannot be the author here, joins the trailer block. */
    private Map<String, String> message(CommitMetadata metadata) {
        String text = CommitTrailers.with(metadata.message(), CommitTrailers.CO_AUTHORED_BY,
                metadata.author().name() + " <" + metadata.author().email() + ">");
        int newline = text.indexOf('\n');
        String headline = newline < 0 ? text : text.substring(0, newline).strip();
        String body = newline < 0 ? "" : text.substring(newline + 1).strip();
        return Map.of("headline", headline, "body", body);
    }

    private GHRepository repository() throws IOException {
        GHRepository repo = hub4jRepository;
        if (repo == null) {
            repo = github.rest().getRepository(repository);
            hub4jRepository = repo;
        }
        return repo;
    }
}
